/**
 * DNS rebinding on `ontocat server`: with its public URL known (`--public-url`), a request
 * naming another host (a page whose DNS name was pointed at the server) gets 421 Misdirected
 * Request (RFC 9110 §15.5.20) on every path, the sign-in included, as curl sees it; the
 * public name and the server's own address pass. Behind a trusted proxy the host is the
 * proxy's X-Forwarded-Host: a sign-in through it works, a forwarded foreign name gets 421.
 * Without a public URL the server answers any Host, as before.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { startTeamServer, type TeamServer } from '../../../electron/serve/team-server.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { RENDERER_DIR } from '../../helpers/web-host.js';

const PUBLIC = 'https://ontocat.example.org';

/** curl's status code and body for one request to the server (in this process: never a sync child), with extra headers. */
async function curl(port: number, urlPath: string, headers: readonly string[], body?: string): Promise<{ status: number; body: string }> {
  const args = ['-s', '-w', '\n%{http_code}', ...headers.flatMap((header) => ['-H', header])];
  if (body !== undefined) args.push('-H', 'content-type: application/json', '--data-binary', body);
  const { stdout: out } = await promisify(execFile)('curl', ['--max-time', '20', ...args, `http://127.0.0.1:${port}${urlPath}`], { encoding: 'utf8' });
  const cut = out.lastIndexOf('\n');
  return { status: Number(out.slice(cut + 1)), body: out.slice(0, cut) };
}

describe('ontocat server: the Host header when the public URL is known', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let session: Session;
  const servers: TeamServer[] = [];
  let direct: TeamServer;
  let proxied: TeamServer;
  let unknown: TeamServer;
  const login = JSON.stringify({ username: 'alice', password: 'alice-password-1' });

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-team-host');
    session = await openSession({ actor: 'server', root: path.join(temp.root, 'root'), threads: 1 });
    await session.call('users:add', { username: 'alice', role: 'viewer', password: 'alice-password-1' });
    direct = await startTeamServer({ session, rendererDir: RENDERER_DIR, publicOrigin: PUBLIC });
    proxied = await startTeamServer({ session, rendererDir: RENDERER_DIR, publicOrigin: PUBLIC, trustProxy: true });
    unknown = await startTeamServer({ session, rendererDir: RENDERER_DIR });
    servers.push(direct, proxied, unknown);
    for (const server of servers) await server.accounts.settled();
  }, 120_000);
  afterAll(async () => {
    for (const server of servers) await server.close();
    await session?.close();
    temp?.cleanup();
  });

  it('refuses a foreign Host with 421 on every path, and answers its public name and own address', async () => {
    for (const urlPath of ['/', '/api/auth/me', '/api/catalog:info']) {
      const refused = await curl(direct.port, urlPath, ['Host: rebound.attacker.example']);
      expect(refused.status, urlPath).toBe(421);
      expect(refused.body).toContain('ontocat.example.org');
    }
    expect((await curl(direct.port, '/api/auth/login', ['Host: rebound.attacker.example:80'], login)).status).toBe(421);
    expect((await curl(direct.port, '/api/auth/me', ['Host: ontocat.example.org'])).status).toBe(401);
    expect((await curl(direct.port, '/api/auth/me', ['Host: ontocat.example.org:443'])).status).toBe(401);
    expect((await curl(direct.port, '/api/auth/me', [])).status).toBe(401);
    expect((await curl(direct.port, '/api/auth/login', ['Host: ontocat.example.org'], login)).status).toBe(200);
  });

  it('behind a trusted proxy, X-Forwarded-Host decides: the public name signs in, a foreign one gets 421', async () => {
    const proxyHop = `Host: 127.0.0.1:${proxied.port}`;
    expect((await curl(proxied.port, '/api/auth/login', [proxyHop, 'X-Forwarded-Host: ontocat.example.org', 'X-Forwarded-Proto: https'], login)).status).toBe(200);
    expect((await curl(proxied.port, '/api/auth/login', [proxyHop, 'X-Forwarded-Host: rebound.attacker.example', 'X-Forwarded-Proto: https'], login)).status).toBe(421);
    expect((await curl(proxied.port, '/', ['Host: ontocat.example.org'])).status).not.toBe(421);
  });

  it('without a public URL any Host is answered, as before', async () => {
    expect((await curl(unknown.port, '/api/auth/me', ['Host: rebound.attacker.example'])).status).toBe(401);
  });
});
