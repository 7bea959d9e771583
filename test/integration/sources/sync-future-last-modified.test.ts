/**
 * A server whose file carries a modification time in the future (a clock ahead where it was
 * made, a tarball unpacked with its times): its Last-Modified is later than the response.
 * Sent back as If-Modified-Since, every later release older than that date was answered 304
 * and the source reported "unchanged" while the server held a new release. The origin is
 * Python's own http.server (it honours If-Modified-Since); RFC 9110 §8.8.2.1 says an origin
 * must not send such a date; curl without a condition fetches the new release (sha256sum).
 * `ontocat fetch` sent the stored artifact's date the same way.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchArtifact } from '../../../electron/ingest/fetch-artifact.js';
import { syncSources } from '../../../electron/sources/sync.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { sessionPerTest } from '../../helpers/sync-fixtures.js';

const fixture = (name: string): string => path.join(projectRoot, 'test', 'fixtures', 'edam', name);
const sha256sum = (file: string): string => execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(/\s+/)[0]!;

/** Python's http.server on 127.0.0.1 serving `dir`; its base URL once it listens. */
function pythonServer(dir: string): Promise<{ base: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const port = /port (\d+)/.exec(out)?.[1];
      if (port) resolve({ base: `http://127.0.0.1:${port}`, child });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`python3 http.server exited (${code})`)));
  });
}

describe('sync: a Last-Modified in the future', () => {
  const live = sessionPerTest('ontocat-future-lm');
  let child: ChildProcess | null = null;
  afterEach(() => { child?.kill(); child = null; });

  /** EDAM 1.0 served by python3's http.server with a modification time two years ahead. */
  const serveFutureDated = async (): Promise<{ file: string; url: string }> => {
    const served = path.join(live.temp.root, 'served');
    mkdirSync(served);
    const file = path.join(served, 'edam.obo');
    copyFileSync(fixture('EDAM_1.0.obo'), file);
    const future = new Date(Date.now() + 2 * 365 * 86_400_000);
    utimesSync(file, future, future);
    const server = await pythonServer(served);
    child = server.child;
    return { file, url: `${server.base}/edam.obo` };
  };

  /** EDAM 1.1 in its place, modified now. */
  const serveNextRelease = (file: string): void => {
    copyFileSync(fixture('EDAM_1.1.obo'), file);
    const now = new Date();
    utimesSync(file, now, now);
  };

  it('is not sent back as If-Modified-Since: the next release is brought in', async () => {
    const { file, url } = await serveFutureDated();
    await live.session.call('sources:save', { spec: { id: 'edam', service: 'edam', artifacts: [{ type: 'url', url }] } });
    const sync = async () => (await syncSources(live.session.catalog, { ids: ['edam'], trigger: 'cli', actor: 'test', fetch: { retries: 0 } })).runs[0]!;
    expect(await sync()).toMatchObject({ status: 'changed', version: '1.0' });

    // The next release, with an honest modification time (now).
    serveNextRelease(file);
    const curled = path.join(live.temp.root, 'curled.obo');
    await promisify(execFile)('curl', ['-sSf', '-o', curled, url]);
    expect(sha256sum(curled)).toBe(sha256sum(fixture('EDAM_1.1.obo')));

    expect(await sync()).toMatchObject({ status: 'changed', version: '1.1' });
    const stored = await live.session.catalog.read((conn) => conn.one<{ sha256: string }>(`SELECT a.sha256 FROM artifacts a JOIN versions v USING (version_id) WHERE v.version = '1.1'`));
    expect(stored?.sha256).toBe(sha256sum(curled));
  }, 120_000);

  it('ontocat fetch into the next version gets the new bytes, not the stored copy', async () => {
    const { file, url } = await serveFutureDated();
    await fetchArtifact(live.session.catalog, url, { service: 'edam', version: 'v1', retries: 0 });
    serveNextRelease(file);
    const second = await fetchArtifact(live.session.catalog, url, { service: 'edam', version: 'v2', retries: 0 });
    expect(second).toMatchObject({ status: 'fresh', sha256: sha256sum(fixture('EDAM_1.1.obo')) });
  }, 120_000);
});
