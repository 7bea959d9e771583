/**
 * The team server after an admin restores a catalog backup: who may sign in is what the
 * restored catalog's accounts say, not what the server remembered from before. Real HTTP
 * on 127.0.0.1, a real catalog and backup.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { startTeamServer, type TeamServer } from '../../../electron/serve/team-server.js';
import type { UserInfo } from '../../../electron/shared/contract/users.js';
import { teamCall, teamLogin, type TeamLogin } from '../../helpers/team-client.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { RENDERER_DIR } from '../../helpers/web-host.js';

describe('ontocat server: restoring a backup restores who may sign in', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let session: Session;
  let server: TeamServer;
  let admin: TeamLogin;

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-team-restore');
    session = await openSession({ actor: 'server', root: path.join(temp.root, 'root'), threads: 1 });
    await session.call('users:add', { username: 'admin', role: 'admin', password: 'admin-password-1' });
    server = await startTeamServer({ session, rendererDir: RENDERER_DIR });
    await server.accounts.settled();
    admin = await teamLogin(server.port, 'admin', 'admin-password-1');
    expect(admin.response.status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await session?.close();
    temp?.cleanup();
  });

  const usernames = async (): Promise<string[]> => {
    const listed = await teamCall(server.port, admin, 'users:list', {});
    expect(listed.status).toBe(200);
    return listed.json<{ data: UserInfo[] }>().data.map((user) => user.username);
  };

  it('an account added after the backup neither signs in nor keeps its session once the backup is restored', async () => {
    const backup = await teamCall(server.port, admin, 'backup:create', {});
    expect(backup.status).toBe(200);
    const { timestamp } = backup.json<{ data: { timestamp: string } }>().data;

    expect((await teamCall(server.port, admin, 'users:add', { username: 'late', role: 'curator', password: 'late-password-1' })).status).toBe(200);
    await server.accounts.settled();
    const late = await teamLogin(server.port, 'late', 'late-password-1');
    expect(late.response.status).toBe(200);
    expect((await teamCall(server.port, late, 'versions:list', {})).status).toBe(200);

    expect((await teamCall(server.port, admin, 'backup:restore', { timestamp })).status).toBe(200);
    await server.accounts.settled();
    // The restored catalog has no such account: an admin can neither see nor remove it.
    expect(await usernames()).toEqual(['admin']);
    expect((await teamCall(server.port, admin, 'users:remove', { username: 'late' })).status).toBe(404);

    expect((await teamCall(server.port, late, 'versions:list', {})).status).toBe(401);
    expect((await teamCall(server.port, late, 'latest:set', { ref: 'none/1' })).status).toBe(401);
    expect((await teamLogin(server.port, 'late', 'late-password-1')).response.status).toBe(401);
  }, 120_000);

  it('a session signed out after the backup stays ended once the backup is restored and the server restarts', async () => {
    expect((await teamCall(server.port, admin, 'users:add', { username: 'keeper', role: 'viewer', password: 'keeper-password-1' })).status).toBe(200);
    await server.accounts.settled();
    const keeper = await teamLogin(server.port, 'keeper', 'keeper-password-1');
    expect(keeper.response.status).toBe(200);
    const backup = await teamCall(server.port, admin, 'backup:create', {});
    expect(backup.status).toBe(200);
    const { timestamp } = backup.json<{ data: { timestamp: string } }>().data;
    expect((await teamCall(server.port, keeper, 'auth/logout', {})).status).toBe(200);
    expect((await teamCall(server.port, admin, 'backup:restore', { timestamp })).status).toBe(200);
    await server.accounts.settled();
    // A write after the restore: the session changes the server recorded meanwhile are committed.
    expect((await teamCall(server.port, admin, 'users:set-role', { username: 'keeper', role: 'viewer' })).status).toBe(200);
    expect((await teamCall(server.port, keeper, 'versions:list', {})).status).toBe(401);

    await server.close();
    server = await startTeamServer({ session, rendererDir: RENDERER_DIR });
    expect((await teamCall(server.port, admin, 'versions:list', {})).status).toBe(200);
    expect((await teamCall(server.port, keeper, 'versions:list', {})).status).toBe(401);
  }, 120_000);
});
