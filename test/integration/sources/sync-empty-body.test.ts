/**
 * A server answering 200 with an empty body (a CDN or proxy failing quietly) where a
 * release was: an empty file parses without an ERROR, so with `promotion: auto` it was made
 * latest in place of the real release. An empty body is no release: the run fails, the
 * latest stays. The reference: coreutils' sha256sum of the real EDAM release served first
 * against the file the latest pointer names.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { syncSources } from '../../../electron/sources/sync.js';
import { edamRelease } from '../../helpers/release-server.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let body: Buffer = Buffer.alloc(0);
let server: http.Server;
let base = '';
beforeAll(async () => {
  server = http.createServer((_req, res) => { res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' }).end(body); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('sync: an empty body answered with 200', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let session: Session;
  beforeEach(async () => {
    temp = makeTempRoot('ontocat-empty-body');
    session = await openSession({ root: path.join(temp.root, 'root'), actor: 'test' });
  });
  afterEach(async () => {
    await session.close();
    temp.cleanup();
  });

  const sync = async () => (await syncSources(session.catalog, { trigger: 'cli', actor: 'test', fetch: { retries: 0 } })).runs[0]!;

  it('is no release: the run fails, no version, and an auto-promoting source keeps its latest', async () => {
    await session.call('sources:save', { spec: { id: 'edam', service: 'edam', promotion: 'auto', artifacts: [{ type: 'url', url: `${base}/edam.obo` }] } });
    body = edamRelease('EDAM_1.2.obo');
    expect(await sync()).toMatchObject({ status: 'changed', version: '1.2' });
    await session.call('review:approve', { ref: 'edam/1.2' });

    body = Buffer.alloc(0);
    const run = await sync();
    expect(run).toMatchObject({ status: 'failed', error_code: 'FETCH_FAILED' });
    expect(run.error_message).toContain('empty body');
    expect((await session.call('versions:list', { service: 'edam' })).items.map((v) => v.version)).toEqual(['1.2']);

    const latest = await session.catalog.read((conn) => conn.one<{ version: string }>(
      "SELECT v.version FROM latest_pointer p JOIN versions v USING (version_id) WHERE p.slot = 'edam'"));
    expect(latest).toEqual({ version: '1.2' });
    const served = path.join(temp.root, 'EDAM_1.2.obo');
    writeFileSync(served, edamRelease('EDAM_1.2.obo'));
    const sha256sum = (file: string): string => execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(/\s+/)[0]!;
    expect(sha256sum(path.join(session.root, 'edam', latest!.version, 'data', 'edam.obo'))).toBe(sha256sum(served));
  }, 120_000);
});
