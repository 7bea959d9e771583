/**
 * Every refusal of the web host, its local endpoint and the team server carries a JSON
 * Result whose code says what its HTTP status says, asked with curl over real HTTP on
 * 127.0.0.1 (and the owner's Unix socket). Before, a missing token answered 401 with
 * BAD_INPUT, a foreign Host or Origin 403 with BAD_INPUT, a form body 415 with BAD_INPUT, a
 * wrong method 405 with BAD_INPUT, a body over the limit 413 with LIMIT_EXCEEDED (422's
 * code), and the team server's foreign Host 421 with FORBIDDEN, which reads as a role to
 * ask an admin for. The browser's sign-in probe still tells a team server's 401 (sign in)
 * from `ontocat serve`'s (open the printed URL).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { startTeamServer, type TeamServer } from '../../../electron/serve/team-server.js';
import { fetchTeamState } from '../../../renderer/src/api/team-session.js';
import { curlCode } from '../../helpers/http-request.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { RENDERER_DIR, startServe, type RunningServe } from '../../helpers/web-host.js';

/** RFC 9110's statuses and the one code each goes with in an Ontocat Result. */
const CODE_OF_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_INPUT', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED',
  413: 'TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 421: 'MISDIRECTED_REQUEST', 429: 'RATE_LIMITED',
};

const agreeing = (status: number): [number, string] => [status, CODE_OF_STATUS[status]!];

describe('refusals over HTTP: the JSON code says what the status says', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let serve: RunningServe;
  let session: Session;
  let team: TeamServer;
  let bigBody: string;

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-status-codes');
    serve = await startServe(path.join(temp.root, 'serve-root'));
    session = await openSession({ actor: 'server', root: path.join(temp.root, 'team-root'), threads: 1 });
    await session.call('users:add', { username: 'alice', role: 'viewer', password: 'alice-password-1' });
    team = await startTeamServer({ session, rendererDir: RENDERER_DIR, publicOrigin: 'https://ontocat.example.org' });
    await team.accounts.settled();
    bigBody = path.join(temp.root, 'big.json');
    writeFileSync(bigBody, JSON.stringify({ pad: 'x'.repeat(1100 * 1024) }));
  }, 120_000);
  afterAll(async () => {
    await team?.close();
    await session?.close();
    await serve?.stop();
    temp?.cleanup();
  });

  it('ontocat serve over TCP and its local endpoint', async () => {
    const api = `${serve.origin}/api/catalog:info`;
    const token = ['-H', `x-ontocat-token: ${serve.token}`];
    const json = ['-H', 'content-type: application/json'];
    const cases: [string, string[], number][] = [
      ['no token', [...json, '-d', '{}', api], 401],
      ['wrong token', ['-H', 'x-ontocat-token: nope', ...json, '-d', '{}', api], 401],
      ['foreign Host', [...token, '-H', 'Host: rebound.attacker.example', ...json, '-d', '{}', api], 403],
      ['foreign Origin', [...token, '-H', 'Origin: http://attacker.example', ...json, '-d', '{}', api], 403],
      ['GET of a channel', [...token, api], 405],
      ['POST of the event stream', [...token, '-X', 'POST', `${serve.origin}/api/events`], 405],
      ['POST of a download', [...token, '-X', 'POST', `${serve.origin}/api/download/file`], 405],
      ['PUT of a page', [...token, '-X', 'PUT', `${serve.origin}/`], 405],
      ['a form body', [...token, '-H', 'content-type: application/x-www-form-urlencoded', '-d', 'a=1', api], 415],
      ['a body over 1 MiB', [...token, ...json, '--data-binary', `@${bigBody}`, api], 413],
      ['not JSON', [...token, ...json, '-d', '{', api], 400],
      ['local endpoint without the token', ['--unix-socket', serve.endpoint, ...json, '-d', '{}', 'http://localhost/api/catalog:info'], 401],
      ['local endpoint GET of /cli/quick', ['--unix-socket', serve.endpoint, ...token, 'http://localhost/cli/quick'], 405],
    ];
    for (const [what, args, status] of cases) expect(await curlCode(args), what).toEqual(agreeing(status));
  }, 60_000);

  it('the team server', async () => {
    const origin = `http://127.0.0.1:${team.port}`;
    const json = ['-H', 'content-type: application/json'];
    const login = JSON.stringify({ username: 'alice', password: 'alice-password-1' });
    const cases: [string, string[], number][] = [
      ['foreign Host', ['-H', 'Host: rebound.attacker.example', `${origin}/api/auth/me`], 421],
      ['foreign Host signing in', ['-H', 'Host: rebound.attacker.example', ...json, '-d', login, `${origin}/api/auth/login`], 421],
      ['no session', [...json, '-d', '{}', `${origin}/api/catalog:info`], 401],
      ['GET of sign-in', [`${origin}/api/auth/login`], 405],
      ['cross-origin sign-in', ['-H', 'Origin: http://attacker.example', ...json, '-d', login, `${origin}/api/auth/login`], 403],
      ['a sign-in body over 4 KiB', [...json, '--data-binary', `@${bigBody}`, `${origin}/api/auth/login`], 413],
      ['a sign-in without a password', [...json, '-d', '{"username":"alice"}', `${origin}/api/auth/login`], 400],
    ];
    for (const [what, args, status] of cases) expect(await curlCode(args), what).toEqual(agreeing(status));
  }, 60_000);

  it('the browser\'s sign-in probe: a team server asks to sign in, serve without its token opens the app', async () => {
    // The app then says, on each call, to open the URL serve printed; a sign-in form could not help.
    expect(await fetchTeamState(serve.origin)).toEqual({ kind: 'local' });
    expect(await fetchTeamState(`http://127.0.0.1:${team.port}`)).toEqual({ kind: 'signed-out', message: null });
  });
});
