/**
 * `ontocat usage` (and the Storage page, from the same channel) counted version data files
 * only: the downloads `fetch` and URL ingests keep as they came (`S/V/archives/NAME`) were
 * nowhere, so a catalog of fetched releases said 0 files, 0 B ("No versions in this catalog
 * yet" on the page) while GNU find listed the bytes on disk and prune already counted them
 * as catalog bytes. Held to find's count and sum of the files under the archives folders,
 * with real EDAM releases over HTTP on 127.0.0.1.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatBytes } from '../../../electron/cli/output.js';
import type { StorageUsage } from '../../../electron/shared/models.js';
import { EDAM_FIXTURES } from '../../helpers/edam-releases.js';
import { runOntocatAsync, runOntocatOk } from '../../helpers/run-cli.js';
import { localHttpServer } from '../../helpers/sync-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const served: Record<string, Buffer> = {
  '/EDAM_1.2.owl.gz': readFileSync(path.join(EDAM_FIXTURES, 'EDAM_1.2.owl.gz')),
  '/EDAM_1.1.obo': readFileSync(path.join(EDAM_FIXTURES, 'EDAM_1.1.obo')),
};

/** GNU find's count and byte sum of the regular files in every version's archives/ folder. */
function findDownloads(root: string): { files: number; bytes: number } {
  const sizes = execFileSync('find', [root, '-path', '*/archives/*', '-type', 'f', '-printf', '%s\\n'], { encoding: 'utf8' })
    .split('\n').filter(Boolean).map(Number);
  return { files: sizes.length, bytes: sizes.reduce((sum, n) => sum + n, 0) };
}

describe('usage counts the downloads versions keep', () => {
  const temp = makeTempRoot('ontocat-usage-downloads');
  const root = path.join(temp.root, 'root');
  const local = localHttpServer((req, res) => {
    const body = served[req.url ?? ''];
    if (!body) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-length': body.length });
    res.end(body);
  });
  afterAll(() => temp.cleanup());

  it('names the kept downloads as find counts them, and a catalog of fetched releases is not empty', async () => {
    for (const version of ['1.2', '1.2-mirror']) {
      const run = await runOntocatAsync(['fetch', `${local.base}/EDAM_1.2.owl.gz`, '--service', 'edam', '--version', version], { root });
      expect(run.code, run.stderr).toBe(0);
    }
    const fetchedOnly = runOntocatOk(['usage', '--json'], { root }).json<StorageUsage>();
    expect(findDownloads(root)).toEqual({ files: 2, bytes: 2 * served['/EDAM_1.2.owl.gz']!.length });
    expect(fetchedOnly).toMatchObject({ versions: 2, total_files: 0, downloads: findDownloads(root) });

    const ingest = await runOntocatAsync(['ingest', `${local.base}/EDAM_1.1.obo`, '--service', 'edam', '--version', '1.1'], { root });
    expect(ingest.code, ingest.stderr).toBe(0);
    const usage = runOntocatOk(['usage', '--json'], { root }).json<StorageUsage>();
    const found = findDownloads(root);
    expect(found.files).toBe(3);
    expect(usage).toMatchObject({ versions: 3, total_files: 1, total_bytes: served['/EDAM_1.1.obo']!.length, downloads: found });

    const human = runOntocatOk(['usage'], { root }).stdout;
    expect(human).toMatch(new RegExp(`^downloads: +3 files, ${formatBytes(found.bytes).replace('.', '\\.')} kept as fetched \\(S/V/archives/\\)$`, 'm'));
  }, 120_000);
});
