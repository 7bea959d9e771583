/**
 * A release a curator ingested by hand from a folder before defining its source: the
 * source's first check downloads the same file. The run failed saying "the source published
 * different bytes under the same version", which the bytes themselves deny: coreutils'
 * sha256sum of the body the server sends equals that of the version's stored file (the real
 * EDAM 1.0 release). The same release is the version it already is: unchanged, recorded as
 * the source's, and the next check is a conditional GET.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { syncSources } from '../../../electron/sources/sync.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { localHttpServer, sessionPerTest } from '../../helpers/sync-fixtures.js';

const edam10 = readFileSync(path.join(projectRoot, 'test', 'fixtures', 'edam', 'EDAM_1.0.obo'));
let served = edam10;
const conditional: (string | undefined)[] = [];
const local = localHttpServer((req, res) => {
  conditional.push(req.headers['if-none-match']);
  if (req.headers['if-none-match'] === '"r1"' && served === edam10) { res.writeHead(304).end(); return; }
  res.writeHead(200, { 'content-type': 'text/plain', etag: served === edam10 ? '"r1"' : '"r2"' }).end(served);
});

const sha256sum = (file: string): string => execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(/\s+/)[0]!;

describe('sync: a release already ingested by hand from a folder', () => {
  const live = sessionPerTest('ontocat-hand-ingested');
  const sync = async () => (await syncSources(live.session.catalog, { ids: ['edam'], trigger: 'cli', actor: 'test', fetch: { retries: 0 } })).runs[0]!;

  it('is the version it already is; a different file under the same name is still refused', async () => {
    const folder = path.join(live.temp.root, 'by-hand');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'edam.obo'), edam10);
    await live.session.call('ingest:run', { source: folder, service: 'edam', version: '1.0' });
    await live.session.call('sources:save', { spec: { id: 'edam', service: 'edam', artifacts: [{ type: 'url', url: `${local.base}/edam.obo` }] } });

    // What the server sends is byte for byte the stored file.
    const curled = path.join(live.temp.root, 'curled.obo');
    await promisify(execFile)('curl', ['-sSf', '-o', curled, `${local.base}/edam.obo`]);
    expect(sha256sum(curled)).toBe(sha256sum(path.join(live.session.root, 'edam', '1.0', 'data', 'edam.obo')));

    const first = await sync();
    expect(first).toMatchObject({ status: 'unchanged', version: '1.0', error_message: null });
    expect(first.manifest.output!.reason).toBe('same content as edam/1.0, already in the catalog (its files, ingested by hand)');
    expect((await live.session.call('versions:list', { service: 'edam' })).items.map((v) => v.version)).toEqual(['1.0']);
    // Recorded as the source's: the next check asks conditionally and is answered 304.
    conditional.length = 0;
    expect(await sync()).toMatchObject({ status: 'unchanged' });
    expect(conditional).toEqual(['"r1"']);

    // Other bytes under the same data-version remain a conflict.
    served = Buffer.from(edam10.toString('utf8').replace(/^(name: .*)$/m, '$1 (changed)'), 'utf8');
    expect(await sync()).toMatchObject({ status: 'failed', error_code: 'CONFLICT' });
  }, 120_000);
});
