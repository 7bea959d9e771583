import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Catalog } from '../../../electron/catalog/open-catalog.js';
import { ingest } from '../../../electron/ingest/ingest.js';
import { writeTree } from './archive-fixtures.js';
import { closeTestRoot, hashTree, ingestRefused, openTestRoot, type TestRoot } from './ingest-checks.js';

const hasTar = spawnSync('tar', ['--version']).status === 0;
const hasPython = spawnSync('python3', ['--version']).status === 0;

/** A zip written by Python's zipfile, which stores every name it is given (duplicates too). */
function pythonZip(file: string, entries: readonly [string, string][]): void {
  const script = [
    'import sys, json, zipfile, warnings',
    'warnings.simplefilter("ignore")',
    'with zipfile.ZipFile(sys.argv[1], "w") as z:',
    '    for name, text in json.loads(sys.argv[2]): z.writestr(name, text)',
    'print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))',
  ].join('\n');
  const made = spawnSync('python3', ['-c', script, file, JSON.stringify(entries)], { encoding: 'utf8' });
  expect(made.status, made.stderr).toBe(0);
  // Python's own reader lists every entry, the duplicate included.
  expect(made.stdout.trim().split('\n')).toEqual(entries.map(([name]) => name));
}

describe('a path that appears twice is refused even after a case variant of it', () => {
  let temp: TestRoot['temp'];
  let root: string;
  let src: string;
  let catalog: Catalog;
  beforeEach(async () => {
    ({ temp, root, src, catalog } = await openTestRoot('ontocat-duplicates'));
  });
  afterEach(() => closeTestRoot({ temp, catalog }));

  /** The refusal names the path, says "Refused <archive>:" once, and came from the headers. */
  async function expectDuplicateRefused(archive: string, relpath: string): Promise<void> {
    const refusal = await ingestRefused(catalog, root, archive);
    const name = path.basename(archive);
    expect(refusal.code, refusal.message).toBe('BAD_INPUT');
    expect(refusal.message).toBe(`Refused ${name}: the entry '${relpath}' appears more than once; an archive with duplicate paths is ambiguous (which one is meant?), so nothing was extracted.`);
    expect(refusal.extracted).toBe(false);
  }

  it.skipIf(!hasTar)('GNU tar with A.txt, a.txt, a.txt (tar adds a file named twice twice) is refused, naming a.txt', async () => {
    writeTree(path.join(src, 'tree'), { 'A.txt': 'upper\n', 'a.txt': 'lower\n' });
    const archive = path.join(src, 'casedup.tar');
    const made = spawnSync('tar', ['-cf', archive, '-C', path.join(src, 'tree'), 'A.txt', 'a.txt', 'a.txt'], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    expect(spawnSync('tar', ['-tf', archive], { encoding: 'utf8' }).stdout.trim().split('\n')).toEqual(['A.txt', 'a.txt', 'a.txt']);
    await expectDuplicateRefused(archive, 'a.txt');
    // The other order, and a duplicate after two variants, the same.
    const other = path.join(src, 'casedup2.tar');
    expect(spawnSync('tar', ['-cf', other, '-C', path.join(src, 'tree'), 'a.txt', 'A.txt', 'A.txt']).status).toBe(0);
    await expectDuplicateRefused(other, 'A.txt');
  });

  it.skipIf(!hasPython)('a zip (Python zipfile) with A.txt, a.txt, a.txt is refused, naming a.txt', async () => {
    const archive = path.join(src, 'casedup.zip');
    pythonZip(archive, [['A.txt', 'upper'], ['a.txt', 'first lower'], ['a.txt', 'second lower']]);
    await expectDuplicateRefused(archive, 'a.txt');
    const third = path.join(src, 'three.zip');
    pythonZip(third, [['d/GO.ttl', '1'], ['d/go.ttl', '2'], ['d/Go.ttl', '3'], ['d/go.ttl', '4']]);
    await expectDuplicateRefused(third, 'd/go.ttl');
  });

  it.skipIf(!hasPython)('case-only variants alone are all kept, with their own bytes, and listed', async () => {
    const archive = path.join(src, 'variants.zip');
    pythonZip(archive, [['GO.ttl', 'one'], ['go.ttl', 'two'], ['Go.ttl', 'three'], ['other.txt', 'four']]);
    const summary = await ingest(catalog, archive, { service: 'svc', version: '1' });
    expect(summary).toMatchObject({ status: 'ingested', files: 4 });
    const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
    expect(hashTree(path.join(root, 'svc/1/data'))).toEqual({ 'GO.ttl': sha('one'), 'Go.ttl': sha('three'), 'go.ttl': sha('two'), 'other.txt': sha('four') });
    const payload = await catalog.read((conn) => conn.scalar<string>("SELECT payload_json FROM events WHERE type = 'ingest.completed'"));
    expect(JSON.parse(payload!)).toMatchObject({ case_only_duplicates: 2, case_only_examples: ['GO.ttl | go.ttl', 'GO.ttl | Go.ttl'] });
  });
});
