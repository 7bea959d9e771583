import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { registerDesktopActions } from '../../../electron/main/desktop-actions.js';
import type { IpcMainLike } from '../../../electron/main/ipc-wiring.js';
import { RemoteConnection } from '../../../electron/main/remote-wiring.js';
import type { IpcSenderInfo } from '../../../electron/main/sender-check.js';
import { downloadSourceFor, exportRequestTo, parseExportRequest } from '../../../electron/handlers/table-download.js';
import { IPC_REVEAL_FILE, IPC_SAVE_EXPORT } from '../../../electron/shared/ipc-names.js';
import { dataRelpath } from '../../../electron/storage/layout.js';
import { RemoteCatalog } from '../../../electron/serve/remote-catalog.js';
import { startTeamServer, type TeamServer } from '../../../electron/serve/team-server.js';
import { CHANNEL_ROLES, roleAllows, type Role } from '../../../electron/shared/channel-roles.js';
import { channelNames, writeChannels, type EventMap, type Result } from '../../../electron/shared/contract.js';
import type { SignedInUser } from '../../../electron/shared/api-protocol.js';
import { rawRequest } from '../../helpers/http-request.js';
import { catalogFingerprint, seedSmallCatalog } from '../../helpers/small-catalog.js';
import { teamCall, teamCallAndLeave, teamLogin, type TeamLogin } from '../../helpers/team-client.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { RENDERER_DIR } from '../../helpers/web-host.js';

const PASSWORD: Readonly<Record<Role, string>> = { viewer: 'viewer-password-1', curator: 'curator-password-1', admin: 'admin-password-1' };
const ROLES: readonly Role[] = ['viewer', 'curator', 'admin'];

async function until<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('ontocat server: accounts, roles, CSRF, sessions over real HTTP', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let session: Session;
  let server: TeamServer;
  let clock = Date.now();
  let limitClock = Date.now();
  const logins = new Map<Role, TeamLogin>();

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-team');
    session = await openSession({ actor: 'server', root: path.join(temp.root, 'root'), threads: 1 });
    await seedSmallCatalog(session.catalog);
    for (const role of ROLES) await session.call('users:add', { username: role, role, password: PASSWORD[role] });
    await session.call('users:add', { username: 'mallory', role: 'viewer', password: 'mallory-password' });
    server = await startTeamServer({
      session, rendererDir: RENDERER_DIR, heartbeatMs: 200,
      accounts: { sessionTtlMs: 3600_000, now: () => clock },
      loginLimits: { perAccount: 3, perAddress: 12, windowMs: 60_000, now: () => limitClock },
      // The test's own download servers are on 127.0.0.1, which a server refuses unless allowed.
      confinement: { roots: [], allowedHosts: ['127.0.0.1'], allowPrivateNetwork: false },
      // Stored files and table exports, as `ontocat server` serves them.
      downloads: downloadSourceFor(session),
    });
    await server.accounts.settled();
    for (const role of ROLES) {
      const login = await teamLogin(server.port, role, PASSWORD[role]);
      expect(login.response.status).toBe(200);
      logins.set(role, login);
    }
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await session?.close();
    temp?.cleanup();
  });

  const as = (role: Role): TeamLogin => logins.get(role)!;

  it('every channel has a role in the one table; viewers get only read channels; housekeeping apply and accounts are admin', () => {
    expect(Object.keys(CHANNEL_ROLES).sort()).toEqual([...channelNames].sort());
    for (const channel of channelNames) {
      if (writeChannels.has(channel)) expect(CHANNEL_ROLES[channel], channel).not.toBe('viewer');
    }
    for (const channel of ['prune:apply', 'doctor:apply', 'trash:empty', 'trash:restore', 'backup:create', 'backup:restore', 'users:add', 'users:remove', 'users:set-role', 'users:list'] as const) {
      expect(CHANNEL_ROLES[channel], channel).toBe('admin');
    }
    for (const channel of ['ingest:run', 'ingest:fetch', 'review:approve', 'review:reject', 'latest:set', 'versions:pin'] as const) {
      expect(CHANNEL_ROLES[channel], channel).toBe('curator');
    }
  });

  it('each channel called by each role: refused (403 FORBIDDEN) exactly where the table says, before the handler runs', async () => {
    const before = await catalogFingerprint(session.catalog);
    for (const role of ROLES) {
      for (const channel of channelNames) {
        // A body no schema accepts: an allowed call stops at validation (400), so nothing runs.
        const answer = await teamCall(server.port, as(role), channel, 'probe');
        const body = answer.json<Result<unknown>>();
        if (roleAllows(role, channel)) {
          expect([answer.status, body.ok ? '' : body.code], `${role} ${channel}`).toEqual([400, 'BAD_INPUT']);
        } else {
          expect([answer.status, body.ok ? '' : body.code], `${role} ${channel}`).toEqual([403, 'FORBIDDEN']);
          expect(body.ok ? '' : body.message).toContain(`Needs the ${CHANNEL_ROLES[channel]} role`);
        }
      }
    }
    expect(await catalogFingerprint(session.catalog)).toBe(before);
  }, 300_000);

  it('a viewer calling every channel with real input never changes the catalog or the disk', async () => {
    const before = await catalogFingerprint(session.catalog);
    const inputs: Record<string, unknown> = {
      'latest:set': { ref: 'go/2024-01-01' }, 'versions:pin': { ref: 'go/2024-01-01', pinned: true }, 'prune:plan': { keep_last: 1 },
      'backup:create': {}, 'catalog:compact': {}, 'ingest:demo': {}, 'users:add': { username: 'eve', role: 'admin', password: 'eve-password-1' },
      'trash:empty': {}, 'catalog:publish': {}, 'doctor:plan': {},
    };
    let refused = 0;
    for (const channel of channelNames) {
      const answer = await teamCall(server.port, as('viewer'), channel, inputs[channel] ?? {});
      if (answer.status === 403) refused += 1;
    }
    expect(refused).toBe(channelNames.filter((channel) => !roleAllows('viewer', channel)).length);
    expect(await catalogFingerprint(session.catalog)).toBe(before);
    const latest = await teamCall(server.port, as('viewer'), 'latest:get', { service: 'go' });
    expect(latest.json<{ data: { version: string } }>().data.version).toBe('2024-02-01');
  }, 300_000);

  it('a curator sets latest and the event names them; a curator plans a prune but may not apply it; an admin applies it', async () => {
    const set = await teamCall(server.port, as('curator'), 'latest:set', { ref: 'go/2024-01-01' });
    expect(set.status).toBe(200);
    const event = await session.catalog.read((conn) => conn.one<{ actor: string; by: string }>(
      "SELECT actor, json_extract_string(payload_json, '$.by') AS by FROM events WHERE type = 'latest.set' ORDER BY ts DESC LIMIT 1"));
    expect(event).toEqual({ actor: 'curator', by: 'curator' });
    await teamCall(server.port, as('curator'), 'latest:set', { ref: 'go/2024-02-01' });

    const plan = await teamCall(server.port, as('curator'), 'prune:plan', { keep_last: 1, service: 'go' });
    expect(plan.status).toBe(200);
    const planId = plan.json<{ data: { plan_id: string; versions: readonly { ref?: string }[] } }>().data.plan_id;
    const before = await catalogFingerprint(session.catalog);
    const refused = await teamCall(server.port, as('curator'), 'prune:apply', { plan_id: planId });
    expect(refused.status).toBe(403);
    expect(await catalogFingerprint(session.catalog)).toBe(before);

    const applied = await teamCall(server.port, as('admin'), 'prune:apply', { plan_id: planId });
    expect(applied.status, applied.body).toBe(200);
    const versions = await teamCall(server.port, as('viewer'), 'versions:list', { service: 'go' });
    expect(versions.json<{ data: { items: { version: string }[] } }>().data.items.map((v) => v.version)).toEqual(['2024-02-01']);
    const pruneEvent = await session.catalog.read((conn) => conn.scalar<string>("SELECT actor FROM events WHERE type LIKE 'prune%' ORDER BY ts DESC LIMIT 1"));
    expect(pruneEvent).toBe('admin');
  }, 180_000);

  it('CSRF: a missing, wrong or other user\'s token, or a foreign Origin, is refused; the right token from the own origin passes', async () => {
    const curator = as('curator');
    const pin = { ref: 'go/2024-02-01', pinned: true, reason: 'csrf test' };
    const pinned = async (): Promise<boolean> => (await session.call('pins:get', { ref: 'go/2024-02-01' })).pinned;
    const noToken = await teamCall(server.port, { cookie: curator.cookie, user: null }, 'versions:pin', pin);
    expect(noToken.status).toBe(403);
    expect(noToken.body).toContain('x-csrf-token');
    const wrong = await teamCall(server.port, curator, 'versions:pin', pin, { 'x-csrf-token': 'A'.repeat(43) });
    expect(wrong.status).toBe(403);
    const othersToken = await teamCall(server.port, curator, 'versions:pin', pin, { 'x-csrf-token': as('admin').user!.csrf });
    expect(othersToken.status).toBe(403);
    const foreign = await teamCall(server.port, curator, 'versions:pin', pin, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await pinned()).toBe(false);
    const ok = await teamCall(server.port, curator, 'versions:pin', pin, { origin: `http://127.0.0.1:${server.port}` });
    expect(ok.status).toBe(200);
    expect(await pinned()).toBe(true);
    // Without a session, even the right token is worthless.
    const noCookie = await teamCall(server.port, { cookie: null, user: curator.user }, 'versions:pin', pin);
    expect(noCookie.status).toBe(401);
  });

  it('sign-out is a POST with the CSRF token: a GET or HEAD (an <img> on another page of the same site, a link prefetcher) ends nothing', async () => {
    const login = await teamLogin(server.port, 'viewer', PASSWORD.viewer);
    // RFC 9110 §9.2.1: GET and HEAD are safe, a client may send them without the user asking.
    for (const method of ['GET', 'HEAD']) {
      const answer = await rawRequest(server.port, { method, path: '/api/auth/logout', headers: { cookie: login.cookie!, origin: 'http://127.0.0.1:1' } });
      expect(answer.status, method).toBe(405);
      expect(answer.headers.allow, method).toBe('POST');
      expect(answer.headers['set-cookie'], method).toBeUndefined();
    }
    expect((await teamCall(server.port, login, 'versions:list', {})).status).toBe(200);
    const out = await rawRequest(server.port, { method: 'POST', path: '/api/auth/logout', headers: { cookie: login.cookie!, 'x-csrf-token': login.user!.csrf } });
    expect(out.status).toBe(200);
    expect((await teamCall(server.port, login, 'versions:list', {})).status).toBe(401);
  });

  it('session fixation: a planted session id is never kept; signing in issues a new one and ends the planted one', async () => {
    const planted = await teamLogin(server.port, 'mallory', 'mallory-password');
    expect(planted.cookie).not.toBeNull();
    // The victim's browser carries mallory's id when the victim signs in.
    const victim = await teamLogin(server.port, 'viewer', PASSWORD.viewer, { cookie: planted.cookie! });
    expect(victim.response.status).toBe(200);
    expect(victim.cookie).not.toBe(planted.cookie);
    const me = await rawRequest(server.port, { path: '/api/auth/me', headers: { cookie: victim.cookie! } });
    expect(me.json<{ data: SignedInUser }>().data.username).toBe('viewer');
    const old = await rawRequest(server.port, { path: '/api/auth/me', headers: { cookie: planted.cookie! } });
    expect(old.status).toBe(401);
    // A made-up id before sign-in is not adopted either.
    const madeUp = await teamLogin(server.port, 'viewer', PASSWORD.viewer, { cookie: 'ontocat_session=attacker-chosen-id' });
    expect(madeUp.cookie).not.toContain('attacker-chosen-id');
    expect((await rawRequest(server.port, { path: '/api/auth/me', headers: { cookie: 'ontocat_session=attacker-chosen-id' } })).status).toBe(401);
  });

  it('cookie flags: HttpOnly, SameSite=Strict, Path=/, Max-Age; no Secure over plain HTTP', () => {
    const line = as('viewer').setCookie!;
    expect(line).toMatch(/^ontocat_session=[A-Za-z0-9_-]{43};/);
    expect(line).toContain('HttpOnly');
    expect(line).toContain('SameSite=Strict');
    expect(line).toContain('Path=/');
    expect(line).toMatch(/Max-Age=\d+/);
    expect(line).not.toContain('Secure');
  });

  it('login is rate-limited per account (even the right password waits) and per address', async () => {
    for (let i = 0; i < 3; i += 1) expect((await teamLogin(server.port, 'admin', 'wrong-password')).response.status).toBe(401);
    const limited = await teamLogin(server.port, 'admin', PASSWORD.admin);
    expect(limited.response.status).toBe(429);
    expect(Number(limited.response.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.cookie).toBeNull();
    // Other accounts from this address still sign in until the address limit (12 failures) is reached.
    expect((await teamLogin(server.port, 'curator', PASSWORD.curator)).response.status).toBe(200);
    for (let i = 0; i < 9; i += 1) await teamLogin(server.port, `nobody${i}`, 'wrong-password');
    const byAddress = await teamLogin(server.port, 'curator', PASSWORD.curator);
    expect(byAddress.response.status).toBe(429);
    // Unknown names and wrong passwords get the same answer.
    limitClock += 61_000;
    expect((await teamLogin(server.port, 'nobody', 'x')).response.body).toBe((await teamLogin(server.port, 'viewer', 'x')).response.body);
    // Once the window has passed, the right password signs in again.
    limitClock += 61_000;
    expect((await teamLogin(server.port, 'admin', PASSWORD.admin)).response.status).toBe(200);
  }, 60_000);

  it('login attempts sent all at once are limited like ones sent one by one: only the per-account number has its password checked', async () => {
    expect((await teamCall(server.port, as('admin'), 'users:add', { username: 'parallel-target', role: 'viewer', password: 'parallel-target-password' })).status).toBe(200);
    await server.accounts.settled();
    limitClock += 61_000;
    // curl sends twelve sign-ins over twelve connections at once.
    const url = `http://127.0.0.1:${server.port}/api/auth/login`;
    const signInsAtOnce = (password: string): Promise<string[]> => new Promise((resolve, reject) => {
      execFile('curl', [
        '-s', '--parallel', '--parallel-immediate', '--parallel-max', '12', '-H', 'content-type: application/json',
        '-d', JSON.stringify({ username: 'parallel-target', password }), '-w', '%{http_code}\n',
        ...Array.from({ length: 12 }, () => ['-o', '/dev/null', url]).flat(),
      ], (error, stdout) => (error ? reject(error) : resolve(stdout.trim().split('\n').sort())));
    });
    const guesses = await signInsAtOnce('a-wrong-guess');
    expect(guesses).toHaveLength(12);
    expect(guesses.filter((code) => code === '401')).toHaveLength(3);
    expect(guesses.filter((code) => code === '429')).toHaveLength(9);
    expect((await teamLogin(server.port, 'parallel-target', 'parallel-target-password')).response.status).toBe(429);
    limitClock += 61_000;
    // Right passwords at once (a shared account's dashboards restarting) are never refused.
    expect(await signInsAtOnce('parallel-target-password')).toEqual(Array.from({ length: 12 }, () => '200'));
  }, 60_000);

  it('sign-out ends the session; sessions expire; a new password signs the account out everywhere', async () => {
    const fresh = await teamLogin(server.port, 'mallory', 'mallory-password');
    const out = await rawRequest(server.port, { method: 'POST', path: '/api/auth/logout', headers: { cookie: fresh.cookie!, 'x-csrf-token': fresh.user!.csrf } });
    expect(out.status).toBe(200);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await teamCall(server.port, fresh, 'versions:list', {})).status).toBe(401);

    const again = await teamLogin(server.port, 'mallory', 'mallory-password');
    clock += 2 * 3600_000;
    expect((await teamCall(server.port, again, 'versions:list', {})).status).toBe(401);
    clock = Date.now();

    const third = await teamLogin(server.port, 'mallory', 'mallory-password');
    expect((await teamCall(server.port, third, 'versions:list', {})).status).toBe(200);
    expect((await teamCall(server.port, as('admin'), 'users:set-password', { username: 'mallory', password: 'a-new-password' })).status).toBe(200);
    await server.accounts.settled();
    expect((await teamCall(server.port, third, 'versions:list', {})).status).toBe(401);
  }, 60_000);

  it('answers HEAD /api/auth/me as GET, and a POST of it with 405 and Allow', async () => {
    const me = as('viewer');
    const get = await rawRequest(server.port, { path: '/api/auth/me', headers: { cookie: me.cookie! } });
    expect(get.status).toBe(200);
    const head = await rawRequest(server.port, { method: 'HEAD', path: '/api/auth/me', headers: { cookie: me.cookie! } });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    // Before: 200 with the user and the CSRF token, as for GET.
    const post = await rawRequest(server.port, { method: 'POST', path: '/api/auth/me', headers: { cookie: me.cookie!, 'x-csrf-token': me.user!.csrf, 'content-type': 'application/json' }, body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('answers a channel that does not exist with 404 for every role, not 403 as if a role were missing', async () => {
    for (const role of ROLES) {
      const answer = await teamCall(server.port, as(role), 'catalog:nope', {});
      // RFC 9110 §15.5.5; before: 403 FORBIDDEN 'catalog:nope: Not available.', which reads as a role to ask an admin for.
      expect(answer.status, role).toBe(404);
      expect(answer.json(), role).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    }
    // A channel the role lacks is still 403.
    expect((await teamCall(server.port, as('viewer'), 'latest:set', { ref: 'chebi/231' })).status).toBe(403);
  });

  /** The stream is open once it delivers something: a curator pins and unpins until `seen` has the first change. */
  const firstEventHeard = (seen: readonly unknown[]): Promise<boolean> => until(async () => {
    await teamCall(server.port, as('curator'), 'versions:pin', { ref: 'chebi/231', pinned: seen.length % 2 === 0 });
    return seen.length > 0;
  }, 'the first event over SSE');

  it('SSE: a viewer\'s event stream delivers a curator\'s change, naming the curator', async () => {
    const viewer = await RemoteCatalog.signIn({ url: `http://127.0.0.1:${server.port}` }, 'viewer', PASSWORD.viewer);
    const seen: EventMap['catalog:changed'][] = [];
    viewer.on('catalog:changed', (payload) => seen.push(payload));
    await firstEventHeard(seen);
    seen.length = 0;
    expect((await teamCall(server.port, as('curator'), 'latest:set', { ref: 'chebi/231' })).status).toBe(200);
    const change = await until(async () => seen.find((event) => event.channel === 'latest:set'), 'latest:set over SSE');
    expect(change.by).toBe('curator');
    await viewer.signOut();
  }, 60_000);

  it('SSE: the desktop relay, its stream cut and back, hears the changes made while it was down, each once', async () => {
    // A hop the test can cut, as a dropped Wi-Fi or a proxy restart cuts the stream.
    const sockets = new Set<Socket>();
    const hop = createNetServer((client) => {
      const upstream = connect(server.port, '127.0.0.1');
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => hop.listen(0, '127.0.0.1', resolve));
    const viewer = await RemoteCatalog.signIn({ url: `http://127.0.0.1:${(hop.address() as AddressInfo).port}`, reconnectMs: 1500 }, 'viewer', PASSWORD.viewer);
    try {
      const seen: EventMap['catalog:changed'][] = [];
      viewer.on('catalog:changed', (payload) => seen.push(payload));
      await firstEventHeard(seen);
      await new Promise((resolve) => setTimeout(resolve, 300));
      seen.length = 0;
      for (const socket of sockets) socket.destroy();
      // Made while the relay waits to reconnect: before, it never heard of them.
      expect((await teamCall(server.port, as('curator'), 'latest:set', { ref: 'chebi/231' })).status).toBe(200);
      expect((await teamCall(server.port, as('curator'), 'versions:set-release', { ref: 'chebi/231', release_date: '2021-03-01' })).status).toBe(200);
      await until(async () => seen.length >= 2, 'the missed changes after the reconnect', 10_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(seen.map((event) => event.channel)).toEqual(['latest:set', 'versions:set-release']);
      // The stream goes on after the replay.
      expect((await teamCall(server.port, as('curator'), 'versions:pin', { ref: 'chebi/231', pinned: false })).status).toBe(200);
      await until(async () => seen.length >= 3, 'a change after the replay', 10_000);
      expect(seen.map((event) => event.channel)).toEqual(['latest:set', 'versions:set-release', 'versions:pin']);
    } finally {
      await viewer.signOut();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => hop.close(resolve));
    }
  }, 60_000);

  it('SSE: an event stream ends with its session (sign-out, account removed, password changed) and carries nothing after', async () => {
    const users = ['sse-out', 'sse-gone', 'sse-reset'] as const;
    for (const username of users) {
      expect((await teamCall(server.port, as('admin'), 'users:add', { username, role: 'viewer', password: `${username}-password` })).status).toBe(200);
    }
    await server.accounts.settled();
    // curl, as any client would, holds each user's stream open and prints what arrives.
    const streams = await Promise.all(users.map(async (username) => {
      const login = await teamLogin(server.port, username, `${username}-password`);
      expect(login.response.status).toBe(200);
      const curl = spawn('curl', ['-sN', '-b', login.cookie!, `http://127.0.0.1:${server.port}/api/events`], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      curl.stdout.on('data', (chunk: Buffer) => { text += chunk.toString('utf8'); });
      const exited = new Promise<number | null>((resolve) => curl.once('exit', (code) => resolve(code)));
      await until(async () => text.includes(': connected'), `${username}'s stream`);
      return { username, login, curl, exited, output: () => text };
    }));
    const [out, gone, reset] = streams;
    expect((await rawRequest(server.port, { method: 'POST', path: '/api/auth/logout', headers: { cookie: out!.login.cookie!, 'x-csrf-token': out!.login.user!.csrf } })).status).toBe(200);
    expect((await teamCall(server.port, as('admin'), 'users:remove', { username: gone!.username })).status).toBe(200);
    expect((await teamCall(server.port, as('admin'), 'users:set-password', { username: reset!.username, password: 'another-password' })).status).toBe(200);
    await server.accounts.settled();
    for (const pinned of [true, false]) {
      expect((await teamCall(server.port, as('curator'), 'versions:pin', { ref: 'chebi/231', pinned })).status).toBe(200);
    }
    const codes = await Promise.all(streams.map((stream) => Promise.race([stream.exited, new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), 5000))])));
    for (const [i, stream] of streams.entries()) {
      if (codes[i] === 'open') stream.curl.kill();
    }
    for (const [i, stream] of streams.entries()) {
      expect(codes[i], `${stream.username}'s stream is still open`).toBe(0);
      // The pins came after every session had ended.
      expect(stream.output(), `${stream.username}'s stream after its session ended`).not.toContain('"channel":"versions:pin"');
    }
  }, 60_000);

  it('the desktop relay signs in, relays channels with its cookie and token, and gets refusals like a browser', async () => {
    const relay = await RemoteCatalog.signIn({ url: `http://127.0.0.1:${server.port}` }, 'curator', PASSWORD.curator);
    expect(relay.user).toMatchObject({ username: 'curator', role: 'curator' });
    const list = await relay.invoke('services:list', {});
    expect(list.ok).toBe(true);
    const refused = await relay.invoke('prune:apply', { plan_id: '00000000-0000-0000-0000-000000000000' });
    expect(refused).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const who = await relay.whoAmI();
    expect(who.ok && who.data.username).toBe('curator');
    await expect(RemoteCatalog.signIn({ url: `http://127.0.0.1:${server.port}` }, 'viewer', 'wrong-password')).rejects.toThrow(/Wrong user name or password/);
    await relay.signOut();
    expect((await relay.invoke('services:list', {})).ok).toBe(false);
  });

  it('the desktop app\'s main-process wiring: sign-in needed first, then channels and the server\'s events relay to the window', async () => {
    const connection = new RemoteConnection({ url: `http://127.0.0.1:${server.port}` });
    expect(await connection.me()).toMatchObject({ ok: false, code: 'UNAUTHORIZED' });
    expect(await connection.invoke('services:list', {})).toMatchObject({ ok: false, code: 'UNAUTHORIZED' });
    expect(await connection.signIn({ username: 'viewer', password: 'nope' })).toMatchObject({ ok: false, code: 'UNAUTHORIZED' });
    const signed = await connection.signIn({ username: 'viewer', password: PASSWORD.viewer });
    expect(signed).toMatchObject({ ok: true, data: { username: 'viewer', role: 'viewer' } });
    const seen: string[] = [];
    connection.on('catalog:changed', (payload) => seen.push(`${payload.channel} by ${payload.by ?? '?'}`));
    expect((await connection.invoke('services:list', {})).ok).toBe(true);
    expect(await connection.invoke('latest:set', { ref: 'go/2024-01-01' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    await until(async () => {
      await teamCall(server.port, as('curator'), 'versions:pin', { ref: 'chebi/231', pinned: seen.length % 2 === 0, reason: 'relay' });
      return seen.some((line) => line === 'versions:pin by curator');
    }, 'the curator\'s change relayed to the window');
    await connection.close();
    expect(await connection.me()).toMatchObject({ ok: false, code: 'UNAUTHORIZED' });
  }, 60_000);

  it("the desktop app on a remote catalog: its window's request id reaches the team server's jobs, so its bar follows its own job", async () => {
    // The window's call names a request id (IPC → main's remote connection → the team server's
    // x-ontocat-request header); every job:progress of the job it starts carries it. Without
    // it the window took another member's job of the same kind for its own.
    const connection = new RemoteConnection({ url: `http://127.0.0.1:${server.port}` });
    expect((await connection.signIn({ username: 'curator', password: PASSWORD.curator })).ok).toBe(true);
    const events: EventMap['job:progress'][] = [];
    connection.on('job:progress', (payload) => { if (payload.kind === 'verify') events.push(payload); });
    const mine = await connection.invoke('storage:verify', {}, { requestId: 'ui-window-request-0001' });
    expect(mine.ok).toBe(true);
    // A colleague's verify through the same server, its call naming no request id.
    expect((await teamCall(server.port, as('curator'), 'storage:verify', {})).status).toBe(200);
    const finished = await until(async () => {
      const done = events.filter((event) => event.state === 'done');
      return done.length >= 2 ? done : null;
    }, 'both verify jobs finished, heard through the relay');
    const byRequest = new Map(finished.map((event) => [event.job_id, event.request_id]));
    expect([...byRequest.values()].sort()).toEqual([null, 'ui-window-request-0001']);
    for (const event of events) expect(event.request_id).toBe(byRequest.get(event.job_id));
    await connection.close();
  }, 60_000);

  it('the desktop app on a remote catalog saves a table export where its dialog says: the server\'s own export, byte for byte', async () => {
    const connection = new RemoteConnection({ url: `http://127.0.0.1:${server.port}` });
    expect((await connection.signIn({ username: 'viewer', password: PASSWORD.viewer })).ok).toBe(true);
    const handlers = new Map<string, (event: IpcSenderInfo, ...args: unknown[]) => Promise<unknown>>();
    const ipc: IpcMainLike = { handle: (channel, listener) => { handlers.set(channel, listener); }, removeHandler: (channel) => { handlers.delete(channel); } };
    const target = path.join(temp.root, 'remote-report.csv');
    // Main's wiring once the window shows the server: the local catalog is closed.
    registerDesktopActions(ipc, {
      session: () => null, remote: () => connection, isTrusted: () => true,
      shell: { showItemInFolder: () => undefined },
      dialog: { showSaveDialog: async () => ({ canceled: false, filePath: target }) },
      saveFolder: temp.root,
    });
    const window: IpcSenderInfo = { sender: { id: 1 }, senderFrame: { url: 'app://ontocat/', parent: null } };
    const request = { table: 'report-latest', format: 'csv', input: {} };
    const saved = await handlers.get(IPC_SAVE_EXPORT)!(window, request) as Result<{ path: string | null; rows: number }>;
    expect(saved).toMatchObject({ ok: true, data: { path: target } });
    // The server's export through the CLI's export code, and Python's csv module counting its rows.
    const reference = path.join(temp.root, 'server-report.csv');
    await exportRequestTo(session, parseExportRequest(request.table, request.format, request.input), reference);
    expect(readFileSync(target)).toEqual(readFileSync(reference));
    const rows = Number(execFileSync('python3', ['-c', 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=""))) - 1)', target], { encoding: 'utf8' }));
    expect(rows).toBeGreaterThan(0);
    expect(saved.ok && saved.data.rows).toBe(rows);
    await connection.close();
  });

  it('the desktop app on a remote catalog saves a stored file where its dialog says and shows it in its folder', async () => {
    // The bytes of chebi/231's sub/readme.txt on the server's disk: the 20 bytes its seeded
    // row records (a download hands out only bytes that agree with the record).
    const stored = path.join(session.root, dataRelpath('chebi', '231', 'sub/readme.txt'));
    mkdirSync(path.dirname(stored), { recursive: true });
    writeFileSync(stored, 'ChEBI 231: read me.\n');
    const connection = new RemoteConnection({ url: `http://127.0.0.1:${server.port}` });
    expect((await connection.signIn({ username: 'viewer', password: PASSWORD.viewer })).ok).toBe(true);
    const handlers = new Map<string, (event: IpcSenderInfo, ...args: unknown[]) => Promise<unknown>>();
    const ipc: IpcMainLike = { handle: (channel, listener) => { handlers.set(channel, listener); }, removeHandler: (channel) => { handlers.delete(channel); } };
    const target = path.join(temp.root, 'downloaded-readme.txt');
    const shown: string[] = [];
    registerDesktopActions(ipc, {
      session: () => null, remote: () => connection, isTrusted: () => true,
      shell: { showItemInFolder: (file) => { shown.push(file); } },
      dialog: { showSaveDialog: async () => ({ canceled: false, filePath: target }) },
      saveFolder: temp.root,
    });
    const window: IpcSenderInfo = { sender: { id: 1 }, senderFrame: { url: 'app://ontocat/', parent: null } };
    const revealed = await handlers.get(IPC_REVEAL_FILE)!(window, { ref: 'chebi/231', relpath: 'sub/readme.txt' });
    expect(revealed).toEqual({ ok: true, data: { path: target } });
    expect(shown).toEqual([target]);
    const sha256 = (file: string): string => execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0]!;
    expect(sha256(target)).toBe(sha256(stored));
    // A file the server does not have is its refusal, and nothing is left behind.
    const missing = path.join(temp.root, 'missing.txt');
    registerDesktopActions(ipc, {
      session: () => null, remote: () => connection, isTrusted: () => true,
      shell: { showItemInFolder: (file) => { shown.push(file); } },
      dialog: { showSaveDialog: async () => ({ canceled: false, filePath: missing }) },
      saveFolder: temp.root,
    });
    expect(await handlers.get(IPC_REVEAL_FILE)!(window, { ref: 'chebi/231', relpath: 'no/such.txt' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(existsSync(missing)).toBe(false);
    await connection.close();
  });

  it('File › Open Remote Catalog…: the sign-in page asks for the address; the first good sign-in fixes it, then main may close the local catalog', async () => {
    const signedIn: string[] = [];
    const connection = new RemoteConnection({ url: null, recent: () => ['https://ontocat.example.org'], onSignedIn: (url, user) => signedIn.push(`${user.username}@${url}`) });
    expect(connection.server()).toEqual({ ok: true, data: { url: null, recent: ['https://ontocat.example.org'] } });
    expect(await connection.me()).toMatchObject({ ok: false, code: 'UNAUTHORIZED', message: "Enter the team server's address and your account." });
    expect(await connection.invoke('services:list', {})).toMatchObject({ ok: false, code: 'UNAUTHORIZED' });
    // No address yet, a bad one, a wrong password: refused with words, nothing fixed.
    expect(await connection.signIn({ username: 'curator', password: PASSWORD.curator })).toMatchObject({ ok: false, code: 'BAD_INPUT', message: /address/ });
    expect(await connection.signIn({ username: 'curator', password: PASSWORD.curator, server: 'ftp://127.0.0.1' })).toMatchObject({ ok: false, code: 'BAD_INPUT' });
    expect(await connection.signIn({ username: 'curator', password: 'wrong', server: `http://127.0.0.1:${server.port}` })).toMatchObject({ ok: false, code: 'UNAUTHORIZED' });
    expect(connection.url).toBeNull();
    expect(signedIn).toEqual([]);
    // The address as typed, with a path: the server's origin is kept.
    const ok = await connection.signIn({ username: 'curator', password: PASSWORD.curator, server: ` http://127.0.0.1:${server.port}/#/versions ` });
    expect(ok).toMatchObject({ ok: true, data: { username: 'curator', role: 'curator' } });
    expect(connection.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(signedIn).toEqual([`curator@http://127.0.0.1:${server.port}`]);
    expect(connection.server()).toMatchObject({ ok: true, data: { url: `http://127.0.0.1:${server.port}` } });
    const services = await connection.invoke('services:list', {});
    expect(services.ok).toBe(true);
    expect(services).toEqual(await session.invoke('services:list', {}));
    await connection.close();
  }, 60_000);

  it('a long writer job keeps running after its browser goes; readers answer meanwhile; a second writer waits its turn', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => { release = resolve; });
    const body = Buffer.from('<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n'.repeat(2000));
    const stalling: Server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/n-triples', 'content-length': body.length });
      res.write(body.subarray(0, 100));
      // A byte now and then keeps the download alive until the test lets it finish.
      const trickle = setInterval(() => res.write(''), 200);
      void released.then(() => { clearInterval(trickle); res.end(body.subarray(100)); });
      req.on('close', () => clearInterval(trickle));
    });
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(stalling.address() as AddressInfo).port}`;
    try {
      await teamCallAndLeave(server.port, as('curator'), 'ingest:fetch', { url: `${base}/slow.nt`, service: 'slow', version: 'v1' });
      const running = await until(async () => {
        const jobs = (await teamCall(server.port, as('viewer'), 'jobs:list', {})).json<{ data: { job_id: string; kind: string; state: string }[] }>().data;
        return jobs.find((job) => job.kind === 'fetch' && job.state === 'running');
      }, 'the fetch job to run');
      // Readers are answered while the writer job runs.
      for (const channel of ['versions:list', 'services:list', 'catalog:info'] as const) {
        expect((await teamCall(server.port, as('viewer'), channel, {})).status).toBe(200);
      }
      // A second writer job queues behind the first.
      await teamCallAndLeave(server.port, as('curator'), 'ingest:fetch', { url: `${base}/slow2.nt`, service: 'slow', version: 'v2' });
      const queued = await until(async () => {
        const jobs = (await teamCall(server.port, as('viewer'), 'jobs:list', {})).json<{ data: { job_id: string; kind: string; state: string }[] }>().data;
        return jobs.find((job) => job.kind === 'fetch' && job.job_id !== running.job_id && job.state === 'queued');
      }, 'the second fetch to queue');
      const still = (await teamCall(server.port, as('viewer'), 'jobs:get', { job_id: running.job_id })).json<{ data: { state: string } }>().data;
      expect(still.state).toBe('running');
      release();
      for (const id of [running.job_id, queued.job_id]) {
        await until(async () => (await teamCall(server.port, as('viewer'), 'jobs:get', { job_id: id })).json<{ data: { state: string } }>().data.state === 'done', `job ${id} to finish`);
      }
      const versions = (await teamCall(server.port, as('viewer'), 'versions:list', { service: 'slow' })).json<{ data: { items: { version: string }[] } }>().data;
      expect(versions.items.map((v) => v.version).sort()).toEqual(['v1', 'v2']);
    } finally {
      release();
      await new Promise<void>((resolve) => stalling.close(() => resolve()));
    }
  }, 180_000);

  it('the UI is served to anyone (it holds no data); the API without a session is 401', async () => {
    const page = await rawRequest(server.port, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const api = await rawRequest(server.port, { method: 'POST', path: '/api/versions:list', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(api.status).toBe(401);
    const events = await rawRequest(server.port, { path: '/api/events' });
    expect(events.status).toBe(401);
  });
});

describe('ontocat server over TLS from certificate files', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let session: Session;
  let server: TeamServer;
  let cert: Buffer;

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-team-tls');
    const certFile = path.join(temp.root, 'cert.pem');
    const keyFile = path.join(temp.root, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
    cert = readFileSync(certFile);
    session = await openSession({ actor: 'server', root: path.join(temp.root, 'root'), threads: 1 });
    await session.call('users:add', { username: 'ana', role: 'curator', password: 'ana-password-1' });
    server = await startTeamServer({ session, rendererDir: RENDERER_DIR, tls: { certFile, keyFile } });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await session?.close();
    temp?.cleanup();
  });

  it('serves HTTPS with a Secure __Host- cookie and HSTS; the relay trusts the given CA', async () => {
    expect(server.origin).toMatch(/^https:/);
    const relay = await RemoteCatalog.signIn({ url: server.origin, ca: cert }, 'ana', 'ana-password-1');
    expect((await relay.invoke('services:list', {})).ok).toBe(true);
    await relay.signOut();
    const { request } = await import('node:https');
    const answer = await new Promise<{ cookie: string; hsts: string }>((resolve, reject) => {
      const req = request(`${server.origin}/api/auth/login`, { method: 'POST', ca: cert, headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve({ cookie: String(res.headers['set-cookie']?.[0] ?? ''), hsts: String(res.headers['strict-transport-security'] ?? '') });
      });
      req.on('error', reject);
      req.end(JSON.stringify({ username: 'ana', password: 'ana-password-1' }));
    });
    expect(answer.cookie).toMatch(/^__Host-ontocat_session=/);
    expect(answer.cookie).toContain('; Secure');
    expect(answer.cookie).toContain('SameSite=Strict');
    expect(answer.hsts).toContain('max-age=');
  });
});
