/**
 * The team server while its read connections are busy (long queries of other users): an
 * account change committed meanwhile applies to the next sign-in, not once the server
 * gets round to reading the accounts again. Real HTTP on 127.0.0.1, a real catalog.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { startTeamServer, type TeamServer } from '../../../electron/serve/team-server.js';
import { teamCall, teamLogin } from '../../helpers/team-client.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { RENDERER_DIR } from '../../helpers/web-host.js';

describe('ontocat server: account changes while the readers are busy', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let session: Session;
  let server: TeamServer;

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-team-busy');
    session = await openSession({ actor: 'server', root: path.join(temp.root, 'root'), threads: 1 });
    await session.call('users:add', { username: 'admin', role: 'admin', password: 'admin-password-1' });
    await session.call('users:add', { username: 'leaver', role: 'curator', password: 'leaver-password-1' });
    server = await startTeamServer({ session, rendererDir: RENDERER_DIR });
    await server.accounts.settled();
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await session?.close();
    temp?.cleanup();
  });

  it('a removed account can neither sign in nor use its session while long reads hold every read connection', async () => {
    const before = await teamLogin(server.port, 'leaver', 'leaver-password-1');
    expect(before.response.status).toBe(200);
    // Two long reads (the catalog's two read connections), held until this test lets go.
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const held = [session.catalog.read(() => gate), session.catalog.read(() => gate)];
    try {
      const removed = await session.call('users:remove', { username: 'leaver' });
      expect(removed).toEqual({ username: 'leaver', sessions_ended: 1 });
      const login = teamLogin(server.port, 'leaver', 'leaver-password-1');
      const call = teamCall(server.port, before, 'versions:list', {});
      // The answers may wait for the readers, but they must be refusals.
      setTimeout(release, 1500);
      expect((await login).response.status).toBe(401);
      expect((await call).status).toBe(401);
    } finally {
      release();
      await Promise.all(held);
    }
    expect((await teamLogin(server.port, 'admin', 'admin-password-1')).response.status).toBe(200);
  }, 60_000);
});
