/**
 * A file pair's term delta is cached in the catalog, so it must be of the contents the
 * catalog records: with EDAM 1.2's OBO cut to half on disk (a new file, the stored copy
 * intact), it was parsed as found and the delta of those other bytes kept for good. Now
 * the delta is refused, saying why and what restores the file, and nothing is cached; once
 * doctor puts the file back, the delta is the one a catalog with intact files computes.
 * Outside truth: the term ids a line scan finds in each release file (test/helpers/obo-line-scan).
 */
import { mkdirSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { ingest } from '../../../electron/ingest/ingest.js';
import { computeTermDelta } from '../../../electron/ingest/terms/term-delta.js';
import { isOntocatError } from '../../../electron/shared/errors.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { scanLines } from '../../helpers/obo-line-scan.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const edam = path.join(projectRoot, 'test', 'fixtures', 'edam');
const temp = makeTempRoot('ontocat-term-delta-damaged');
let catalog: Catalog;
const a = { service: 'edam', version: '1.1' };
const b = { service: 'edam', version: '1.2' };

beforeAll(async () => {
  catalog = await openCatalog({ root: path.join(temp.root, 'root') });
  for (const [ref, name] of [[a, 'EDAM_1.1.obo'], [b, 'EDAM_1.2.obo']] as const) {
    const dir = path.join(temp.root, 'src', ref.version);
    mkdirSync(dir, { recursive: true });
    copyFileSync(path.join(edam, name), path.join(dir, 'EDAM.obo'));
    await ingest(catalog, dir, ref);
  }
}, 120_000);
afterAll(async () => {
  await catalog?.close();
  temp.cleanup();
});

describe('the term delta of a file changed on disk', () => {
  it('is refused, caches nothing, and once the file is back is the delta of the recorded contents', async () => {
    const onDisk = path.join(catalog.root, 'edam', '1.2', 'data', 'EDAM.obo');
    const intact = readFileSync(onDisk);
    rmSync(onDisk);
    writeFileSync(onDisk, intact.subarray(0, Math.floor(intact.length / 2)));
    const refused = await computeTermDelta(catalog, { a, b, relpath: 'EDAM.obo' }).then(() => null, (error: unknown) => error);
    expect(isOntocatError(refused, 'CONFLICT')).toBe(true);
    expect(String((refused as Error).message)).toMatch(/edam\/1\.2\/EDAM\.obo on disk has \d+ bytes where the catalog recorded \d+.*ontocat doctor/);

    rmSync(onDisk);
    writeFileSync(onDisk, intact);
    const delta = await computeTermDelta(catalog, { a, b, relpath: 'EDAM.obo', limit: 1 });
    expect(delta.cached).toBe(false);
    const before = scanLines(path.join(edam, 'EDAM_1.1.obo')).terms;
    const after = scanLines(path.join(edam, 'EDAM_1.2.obo')).terms;
    expect(delta.summary.added).toBe([...after].filter((id) => !before.has(id)).length);
    expect(delta.summary.removed).toBe([...before].filter((id) => !after.has(id)).length);
  }, 120_000);
});
