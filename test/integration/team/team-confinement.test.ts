/**
 * The team server confines where its users' calls read sources (issue 17): local paths
 * only inside the ingest roots the server was started with, and no loopback, private or
 * internal URLs unless the server allows them. Real HTTP on 127.0.0.1, a real catalog.
 */
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { startTeamServer, type TeamServer } from '../../../electron/serve/team-server.js';
import type { Role } from '../../../electron/shared/channel-roles.js';
import { teamCall, teamLogin, type TeamLogin } from '../../helpers/team-client.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { RENDERER_DIR } from '../../helpers/web-host.js';

const ROLES: readonly Role[] = ['viewer', 'curator', 'admin'];
const password = (role: Role): string => `${role}-password-1`;

describe('ontocat server: ingest paths and URLs are confined', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let session: Session;
  let confined: TeamServer;
  let open: TeamServer;
  let web: Server;
  let webPort = 0;
  let webHits = 0;
  let allowed: string;
  let outside: string;
  const logins = new Map<string, TeamLogin>();

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-team-confine');
    allowed = path.join(temp.root, 'allowed');
    outside = path.join(temp.root, 'outside');
    for (const dir of [path.join(allowed, 'go-1'), path.join(outside, 'go-2')]) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'go.obo'), `format-version: 1.2\n[Term]\nid: GO:${dir.length}\n`);
    }
    // A link inside an ingest root that leads out of it.
    symlinkSync(path.join(outside, 'go-2'), path.join(allowed, 'escape'));
    web = createServer((req, res) => {
      webHits += 1;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('format-version: 1.2\n[Term]\nid: GO:0000001\n');
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    webPort = (web.address() as AddressInfo).port;

    session = await openSession({ actor: 'server', root: path.join(temp.root, 'root'), threads: 1 });
    for (const role of ROLES) await session.call('users:add', { username: role, role, password: password(role) });
    confined = await startTeamServer({ session, rendererDir: RENDERER_DIR, confinement: { roots: [allowed], allowedHosts: [], allowPrivateNetwork: false } });
    // The same catalog behind a second server whose admin allowed 127.0.0.1.
    open = await startTeamServer({ session, rendererDir: RENDERER_DIR, confinement: { roots: [allowed], allowedHosts: ['127.0.0.1'], allowPrivateNetwork: false } });
    for (const server of [confined, open]) {
      await server.accounts.settled();
      for (const role of ROLES) {
        const login = await teamLogin(server.port, role, password(role));
        expect(login.response.status).toBe(200);
        logins.set(`${server.port}:${role}`, login);
      }
    }
  }, 120_000);
  afterAll(async () => {
    await confined?.close();
    await open?.close();
    await new Promise((resolve) => web?.close(resolve));
    await session?.close();
    temp?.cleanup();
  });

  const call = async (server: TeamServer, role: Role, channel: string, input: unknown) => {
    const response = await teamCall(server.port, logins.get(`${server.port}:${role}`)!, channel, input);
    return { status: response.status, body: response.json<{ ok: boolean; code?: string; message?: string; data?: unknown }>() };
  };
  const versions = async (): Promise<string[]> => (await session.call('versions:list', {})).items.map((v) => `${v.service}/${v.version}`).sort();

  it('a curator and an admin ingest from an ingest root, never from /etc, another folder, a link out of the root, a relative path or file://', async () => {
    for (const role of ['curator', 'admin'] as const) {
      for (const source of ['/etc', path.join(outside, 'go-2'), path.join(allowed, 'escape'), path.join(allowed, '..', 'outside', 'go-2'), 'go-1', `file://${path.join(allowed, 'go-1')}`]) {
        const refused = await call(confined, role, 'ingest:run', { source, service: 'go', version: `x-${role}` });
        expect(refused.status, `${role} ${source}`).toBe(403);
        expect(refused.body, `${role} ${source}`).toMatchObject({ ok: false, code: 'FORBIDDEN' });
        expect(refused.body.message).toMatch(/^Refused /);
      }
    }
    const outsideMessage = (await call(confined, 'curator', 'ingest:run', { source: '/etc', service: 'go', version: 'x' })).body.message!;
    expect(outsideMessage).toContain(`outside this team server's ingest roots (${allowed})`);
    expect(outsideMessage).toMatch(/--ingest-root/);
    expect(await versions()).toEqual([]);

    const ok = await call(confined, 'curator', 'ingest:run', { source: path.join(allowed, 'go-1'), service: 'go', version: '1' });
    expect(ok.body, JSON.stringify(ok.body)).toMatchObject({ ok: true });
    expect(await versions()).toEqual(['go/1']);
  });

  it('a viewer is refused by role before any path is looked at', async () => {
    const refused = await call(confined, 'viewer', 'ingest:run', { source: path.join(allowed, 'go-1'), service: 'go', version: 'v' });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/Needs the curator role/);
  });

  it('loopback, private and link-local URLs are refused without a request, unless the server allows the host', async () => {
    const before = webHits;
    for (const role of ['curator', 'admin'] as const) {
      for (const url of [`http://127.0.0.1:${webPort}/go.obo`, `http://localhost:${webPort}/go.obo`, `http://[::1]:${webPort}/go.obo`, 'http://169.254.169.254/latest/meta-data/', 'http://10.1.2.3/go.obo']) {
        const viaRun = await call(confined, role, 'ingest:run', { source: url, service: 'web', version: `r-${role}` });
        expect(viaRun.body, `${role} ${url}`).toMatchObject({ ok: false, code: 'FORBIDDEN' });
        expect(viaRun.body.message).toMatch(/loopback, private or internal/);
        const viaFetch = await call(confined, role, 'ingest:fetch', { url, service: 'web', version: `f-${role}` });
        expect(viaFetch.body, `${role} fetch ${url}`).toMatchObject({ ok: false, code: 'FORBIDDEN' });
      }
    }
    expect(webHits, 'the internal server was never asked').toBe(before);

    // The second server's admin allowed 127.0.0.1: the same URL ingests there.
    const ok = await call(open, 'curator', 'ingest:run', { source: `http://127.0.0.1:${webPort}/go.obo`, service: 'web', version: '1' });
    expect(ok.body, JSON.stringify(ok.body)).toMatchObject({ ok: true });
    expect(webHits).toBe(before + 1);
    // …but not other internal names.
    expect((await call(open, 'curator', 'ingest:run', { source: `http://localhost:${webPort}/go.obo`, service: 'web', version: '2' })).body).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('a source whose URL, webhook or registry is internal is refused when saved or imported', async () => {
    const spec = (artifact: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ id: 'intranet', service: 'intra', artifacts: [artifact], ...extra });
    for (const candidate of [
      spec({ type: 'url', url: `http://127.0.0.1:${webPort}/go.obo` }),
      spec({ type: 'npm', package: 'left-pad', registry: 'http://10.0.0.2/' }),
      spec({ type: 'url', url: 'https://example.org/go.obo' }, { webhook: 'http://169.254.169.254/hook' }),
    ]) {
      const saved = await call(confined, 'curator', 'sources:save', { spec: candidate });
      expect(saved.body, JSON.stringify(candidate)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    }
    const imported = await call(confined, 'curator', 'sources:import', { document: JSON.stringify({ schema: 'ontocat.sources/2', sources: [spec({ type: 'url', url: 'http://localhost/x.obo' })] }) });
    expect(imported.body).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect((await session.call('sources:list', {})).map((s) => s.id)).not.toContain('intranet');
  });

  it('manifest imports and checkouts are confined to the ingest roots too', async () => {
    const manifest = await call(confined, 'curator', 'ingest:import-manifest', { path: '/etc/passwd' });
    expect(manifest.body).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(manifest.body.message).not.toMatch(/root:/);
    const away = path.join(outside, 'checkout');
    const refused = await call(confined, 'curator', 'versions:checkout', { ref: 'go/1', dir: away });
    expect(refused.body).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const inside = path.join(allowed, 'checkout');
    const ok = await call(confined, 'curator', 'versions:checkout', { ref: 'go/1', dir: inside });
    expect(ok.body, JSON.stringify(ok.body)).toMatchObject({ ok: true });
    expect(readdirSync(inside)).toEqual(['go.obo']);
  });

  it('the desktop and CLI (the root owner, not a server user) are not confined', async () => {
    await session.call('ingest:run', { source: path.join(outside, 'go-2'), service: 'go', version: '2' });
    expect(await versions()).toContain('go/2');
  });
});
