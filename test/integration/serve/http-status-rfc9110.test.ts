/**
 * Status codes and the header fields RFC 9110 requires with them, on a real `ontocat serve`
 * process, asked with curl (over TCP, or the owner's Unix socket with --unix-socket).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBin, projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { startServe, type RunningServe } from '../../helpers/web-host.js';

/**
 * curl -i: the status and the header fields (names lower-cased) of one request; a stream
 * that does not end (SSE) is cut after `maxTime` seconds, its head read all the same.
 */
function curlHead(args: readonly string[], maxTime = 10): { status: number; headers: Map<string, string> } {
  const run = spawnSync('curl', ['-s', '-i', '-o', '-', '--max-time', String(maxTime), ...args], { encoding: 'latin1' });
  expect(run.status === 0 || (maxTime < 10 && run.status === 28), run.stderr).toBe(true);
  const head = run.stdout.split('\r\n\r\n')[0]!.split('\r\n');
  const headers = new Map<string, string>();
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { status: Number(/^HTTP\/[\d.]+ (\d{3})/.exec(head[0]!)![1]), headers };
}

/**
 * RFC 9110 §11.6.1: "A server generating a 401 (Unauthorized) response MUST send a
 * WWW-Authenticate header field containing at least one challenge". A challenge is
 * `auth-scheme [ 1*SP ( token68 / #auth-param ) ]` with auth-scheme a `token` (§11.3, §5.6.2).
 * Basic, Digest, Negotiate and NTLM would make a browser ask for a password in a dialog
 * (RFC 7617, 7616, 4559), which no Ontocat door takes.
 */
function expectChallenge(answer: { status: number; headers: Map<string, string> }, where: string): void {
  expect(answer.status, where).toBe(401);
  const challenge = answer.headers.get('www-authenticate');
  expect(challenge, where).toMatch(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+( [!#$%&'*+.^_`|~0-9A-Za-z-]+="[^"]*"(, ?[!#$%&'*+.^_`|~0-9A-Za-z-]+="[^"]*")*)?$/);
  expect(challenge!.split(' ')[0]!.toLowerCase(), where).not.toMatch(/^(basic|digest|negotiate|ntlm)$/);
}

describe('ontocat serve', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let started: RunningServe;
  let token: string;

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-rfc9110');
    started = await startServe(path.join(temp.root, 'root'));
    token = started.token;
  }, 120_000);
  afterAll(async () => {
    await started?.stop();
    temp?.cleanup();
  });

  it('answers a GET of the local endpoint\'s /cli/quick with 405 and an Allow header naming POST', () => {
    // RFC 9110 §15.5.6: "The origin server MUST generate an Allow header field in a 405
    // response containing a list of the target resource's currently supported methods."
    const answer = curlHead(['--unix-socket', started.endpoint, '-H', `x-ontocat-token: ${token}`, 'http://localhost/cli/quick']);
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('POST');
  });

  it('answers HEAD /api/events as GET would, without the stream, and lists HEAD beside GET in a 405', () => {
    const auth = ['-H', `x-ontocat-token: ${token}`];
    const get = curlHead([...auth, `${started.origin}/api/events`], 1);
    expect(get.status).toBe(200);
    // RFC 9110 §9.1: "All general-purpose servers MUST support the methods GET and HEAD";
    // §9.3.2: HEAD is "identical to GET except that the server MUST NOT send content", and
    // the server SHOULD send the same header fields as for GET. curl -I waits for no body.
    const head = curlHead([...auth, '-I', `${started.origin}/api/events`]);
    expect(head.status).toBe(200);
    for (const field of ['content-type', 'cache-control', 'x-content-type-options']) expect(head.headers.get(field), field).toBe(get.headers.get(field));
    // §15.5.6: a 405's Allow lists the resource's supported methods, HEAD among them.
    const put = curlHead([...auth, '-X', 'PUT', `${started.origin}/api/events`]);
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')?.split(/\s*,\s*/).sort()).toEqual(['GET', 'HEAD']);
  });

  it('answers a channel that does not exist with 404, whatever the method, over TCP and the local endpoint', () => {
    // RFC 9110 §15.5.5: 404 is for a target resource the origin server has no
    // representation of; a 405 (§15.5.6) would say it exists and take POST, and a 400
    // (§15.5.1) that the request was malformed. Before: GET 405 with Allow: POST, POST 400.
    const auth = ['-H', `x-ontocat-token: ${token}`];
    const json = ['-H', 'content-type: application/json', '-d', '{}'];
    for (const name of ['catalog:nope', 'versions:lsit']) {
      expect(curlHead([...auth, `${started.origin}/api/${name}`]).status, `GET ${name}`).toBe(404);
      expect(curlHead([...auth, ...json, `${started.origin}/api/${name}`]).status, `POST ${name}`).toBe(404);
      expect(curlHead(['--unix-socket', started.endpoint, ...auth, ...json, `http://localhost/api/${name}`]).status, `local ${name}`).toBe(404);
    }
    // A channel that exists keeps its answers: 405 with Allow for GET, 200 for POST.
    const get = curlHead([...auth, `${started.origin}/api/catalog:info`]);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(curlHead([...auth, ...json, `${started.origin}/api/catalog:info`]).status).toBe(200);
  });

  it('answers HEAD /api/auth/me as GET would, without its body, and other methods with 405 and Allow', () => {
    const auth = ['-H', `x-ontocat-token: ${token}`];
    const get = curlHead([...auth, `${started.origin}/api/auth/me`]);
    expect(get.status).toBe(200);
    // RFC 9110 §9.1 (GET and HEAD MUST be supported), §9.3.2 (same fields, no content).
    // Before: HEAD 404, POST 404, though GET answered 200.
    const head = curlHead([...auth, '-I', `${started.origin}/api/auth/me`]);
    expect(head.status).toBe(200);
    for (const field of ['content-type', 'content-length', 'cache-control']) expect(head.headers.get(field), field).toBe(get.headers.get(field));
    const post = curlHead([...auth, '-H', 'content-type: application/json', '-d', '{}', `${started.origin}/api/auth/me`]);
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')?.split(/\s*,\s*/).sort()).toEqual(['GET', 'HEAD']);
  });

  it('sends a challenge with every 401: a page, the API, the event stream and the local endpoint without the token', () => {
    expectChallenge(curlHead([`${started.origin}/`]), 'the app page');
    expectChallenge(curlHead(['-H', 'x-ontocat-token: not-the-token', `${started.origin}/`]), 'the app page, wrong token');
    expectChallenge(curlHead(['-H', 'content-type: application/json', '-d', '{}', `${started.origin}/api/versions:list`]), 'a channel');
    expectChallenge(curlHead([`${started.origin}/api/events`]), 'the event stream');
    expectChallenge(curlHead(['--unix-socket', started.endpoint, '-H', 'content-type: application/json', '-d', '{}', 'http://localhost/api/versions:list']), 'the local endpoint');
  });
});

describe('ontocat server', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let server: ChildProcess;
  let started: RunningServe;

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-rfc9110-team');
    server = spawn(process.execPath, [cliBin, 'server', '--root', path.join(temp.root, 'root'), '--port', '0', '--json'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    started = await new Promise((resolve, reject) => {
      server.once('exit', (code) => reject(new Error(`ontocat server exited with ${code}`)));
      createInterface({ input: server.stdout! }).once('line', (line) => resolve(JSON.parse(line) as typeof started));
    });
  }, 120_000);
  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGINT');
      await exited;
    }
    temp?.cleanup();
  });

  it('answers a sign-in body over its 4 KiB limit with 413, not 400', () => {
    const body = path.join(temp.root, 'big-login.json');
    writeFileSync(body, JSON.stringify({ username: 'alice', password: 'x'.repeat(5000) }));
    // RFC 9110 §15.5.14: 413 (Content Too Large) "indicates that the server is refusing to
    // process a request because the request content is larger than the server is willing
    // or able to process"; 400 is for a request the server cannot or will not process
    // "due to something that is perceived to be a client error" (§15.5.1), a malformed one.
    const answer = curlHead(['-H', 'content-type: application/json', '--data-binary', `@${body}`, `${started.origin}/api/auth/login`]);
    expect(answer.status).toBe(413);
  });

  it('sends a challenge with every 401: no session, and a wrong sign-in', () => {
    expectChallenge(curlHead(['-H', 'content-type: application/json', '-d', '{}', `${started.origin}/api/versions:list`]), 'a channel');
    expectChallenge(curlHead([`${started.origin}/api/events`]), 'the event stream');
    expectChallenge(curlHead(['-H', 'content-type: application/json', '-d', '{"username":"nobody","password":"wrong-password"}', `${started.origin}/api/auth/login`]), 'a wrong sign-in');
  });
});
