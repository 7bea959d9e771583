/**
 * Account channels: add, list, change role or password, remove (admins on the team server;
 * the root's owner through the CLI).
 */
import { getUser, insertUser, listUsers, otherAdmins, updatePassword, updateRole, deleteUser } from '../catalog/user-queries.js';
import type { SqlConnection } from '../catalog/sql.js';
import { OntocatError } from '../shared/errors.js';
import type { UserInfo } from '../shared/contract/users.js';
import type { HandlerContext, HandlerGroup } from './handler-types.js';
import { hashPassword } from './password-hash.js';

type UsersChannel = 'users:list' | 'users:add' | 'users:set-role' | 'users:set-password' | 'users:remove';

async function existing(ctx: HandlerContext, username: string): Promise<UserInfo> {
  const user = await ctx.catalog.read((conn) => getUser(conn, username));
  if (!user) throw new OntocatError('NOT_FOUND', `No user '${username}'; see \`ontocat users list\`.`);
  return user;
}

/** Refuses to leave the server without an admin (nobody could manage accounts any more). */
async function keepAnAdmin(conn: SqlConnection, username: string, what: string): Promise<void> {
  const user = await getUser(conn, username);
  if (!user) throw new OntocatError('NOT_FOUND', `No user '${username}'; see \`ontocat users list\`.`);
  if (user.role !== 'admin') return;
  if (await otherAdmins(conn, username) === 0) throw new OntocatError('CONFLICT', `Cannot ${what} '${username}': it is the only admin. Make another user admin first.`);
}

export const usersHandlers: HandlerGroup<UsersChannel> = {
  'users:list': (_input, { catalog }) => catalog.read((conn) => listUsers(conn)),

  async 'users:add'(input, ctx) {
    const hash = await hashPassword(input.password);
    await ctx.catalog.write(async (tx) => {
      if (await getUser(tx, input.username)) throw new OntocatError('CONFLICT', `User '${input.username}' exists already; use \`ontocat users role\` or \`users passwd\`.`);
      await insertUser(tx, input.username, input.role, hash);
      await tx.event('user.added', { username: input.username, role: input.role, by: ctx.actor });
    });
    return existing(ctx, input.username);
  },

  async 'users:set-role'(input, ctx) {
    const before = await existing(ctx, input.username);
    await ctx.catalog.write(async (tx) => {
      // Checked inside the transaction: two demotions at once cannot both pass.
      if (input.role !== 'admin') await keepAnAdmin(tx, input.username, 'take the admin role from');
      await updateRole(tx, input.username, input.role);
      await tx.event('user.role', { username: input.username, role: input.role, previous: before.role, by: ctx.actor });
    });
    return existing(ctx, input.username);
  },

  async 'users:set-password'(input, ctx) {
    await existing(ctx, input.username);
    const hash = await hashPassword(input.password);
    await ctx.catalog.write(async (tx) => {
      const ended = await updatePassword(tx, input.username, hash);
      await tx.event('user.password', { username: input.username, sessions_ended: ended, by: ctx.actor });
    });
    return existing(ctx, input.username);
  },

  async 'users:remove'(input, ctx) {
    const ended = await ctx.catalog.write(async (tx) => {
      await keepAnAdmin(tx, input.username, 'remove');
      const count = await deleteUser(tx, input.username);
      await tx.event('user.removed', { username: input.username, sessions_ended: count, by: ctx.actor });
      return count;
    });
    return { username: input.username, sessions_ended: ended };
  },
};
