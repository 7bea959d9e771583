/**
 * A server answering 200 with an empty body (a CDN or proxy failing quietly) where a
 * release was: an empty file parses without an ERROR, so with `promotion: auto` it was made
 * latest in place of the real release. An empty body is no release: the run fails, the
 * latest stays. The reference: coreutils' sha256sum of the real EDAM release served first
 * against the file the latest pointer names.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncSources } from '../../../electron/sources/sync.js';
import { edamRelease } from '../../helpers/release-server.js';
import { localHttpServer, sessionPerTest } from '../../helpers/sync-fixtures.js';

let body: Buffer = Buffer.alloc(0);
const local = localHttpServer((_req, res) => { res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' }).end(body); });

describe('sync: an empty body answered with 200', () => {
  const live = sessionPerTest('ontocat-empty-body');

  const sync = async () => (await syncSources(live.session.catalog, { trigger: 'cli', actor: 'test', fetch: { retries: 0 } })).runs[0]!;

  it('is no release: the run fails, no version, and an auto-promoting source keeps its latest', async () => {
    await live.session.call('sources:save', { spec: { id: 'edam', service: 'edam', promotion: 'auto', artifacts: [{ type: 'url', url: `${local.base}/edam.obo` }] } });
    body = edamRelease('EDAM_1.2.obo');
    expect(await sync()).toMatchObject({ status: 'changed', version: '1.2' });
    await live.session.call('review:approve', { ref: 'edam/1.2' });

    body = Buffer.alloc(0);
    const run = await sync();
    expect(run).toMatchObject({ status: 'failed', error_code: 'FETCH_FAILED' });
    expect(run.error_message).toContain('empty body');
    expect((await live.session.call('versions:list', { service: 'edam' })).items.map((v) => v.version)).toEqual(['1.2']);

    const latest = await live.session.catalog.read((conn) => conn.one<{ version: string }>(
      "SELECT v.version FROM latest_pointer p JOIN versions v USING (version_id) WHERE p.slot = 'edam'"));
    expect(latest).toEqual({ version: '1.2' });
    const served = path.join(live.temp.root, 'EDAM_1.2.obo');
    writeFileSync(served, edamRelease('EDAM_1.2.obo'));
    const sha256sum = (file: string): string => execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(/\s+/)[0]!;
    expect(sha256sum(path.join(live.session.root, 'edam', latest!.version, 'data', 'edam.obo'))).toBe(sha256sum(served));
  }, 120_000);
});
