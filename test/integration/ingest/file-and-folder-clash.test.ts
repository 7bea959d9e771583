import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Catalog } from '../../../electron/catalog/open-catalog.js';
import { writeTree } from './archive-fixtures.js';
import { closeTestRoot, ingestRefused, openTestRoot, type TestRoot } from './ingest-checks.js';

const hasTar = spawnSync('tar', ['--version']).status === 0;
const hasPython = spawnSync('python3', ['--version']).status === 0;

/**
 * An archive holding `a` as a file and `a/b` beneath it cannot be laid out: GNU tar -x
 * fails on it ("a/b: Cannot open: Not a directory", or "a: Cannot open: File exists" the
 * other way round). Ontocat refused it only after extracting and storing every entry,
 * with "'a' is both a file and a folder in this source." (no archive named). Now the
 * header scan refuses it, naming the archive and both entries, before anything is written.
 */
describe('a path that is both a file and a folder is refused from the headers, naming the archive', () => {
  let temp: TestRoot['temp'];
  let root: string;
  let src: string;
  let catalog: Catalog;
  beforeEach(async () => {
    ({ temp, root, src, catalog } = await openTestRoot('ontocat-file-folder'));
  });
  afterEach(() => closeTestRoot({ temp, catalog }));

  it.skipIf(!hasTar)('GNU tar appending data/go.owl as a file to an archive that holds data/go.owl/x.ttl: tar -x fails, ingest refuses up front', async () => {
    writeTree(path.join(src, 'one'), { 'data/go.owl/x.ttl': 'inside\n', 'keep.txt': 'keep\n' });
    writeTree(path.join(src, 'two'), { 'data/go.owl': 'a file\n' });
    const archive = path.join(src, 'clash.tar');
    expect(spawnSync('tar', ['-cf', archive, '-C', path.join(src, 'one'), 'data', 'keep.txt']).status).toBe(0);
    expect(spawnSync('tar', ['-rf', archive, '-C', path.join(src, 'two'), 'data/go.owl']).status).toBe(0);
    // The reference: GNU tar cannot lay it out either.
    const out = path.join(src, 'gnu');
    mkdirSync(out);
    const gnu = spawnSync('tar', ['-xf', archive, '-C', out], { encoding: 'utf8' });
    expect(gnu.status).not.toBe(0);

    const refusal = await ingestRefused(catalog, root, archive);
    expect(refusal.code, refusal.message).toBe('BAD_INPUT');
    expect(refusal.message).toBe("Refused clash.tar: 'data/go.owl' is both a file and the folder of 'data/go.owl/x.ttl'; an archive cannot hold both, so nothing was extracted.");
    expect(refusal.extracted).toBe(false);
    expect(readdirSync(root).filter((name) => !name.startsWith('catalog.duckdb') && name !== '.tmp' && name !== '.ontocat.lock')).toEqual([]);
  });

  it.skipIf(!hasPython)('a zip with the file first and the folder after (Python zipfile writes it) is refused the same way', async () => {
    const archive = path.join(src, 'clash.zip');
    const script = 'import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w") as z:\n    z.writestr("a", "file")\n    z.writestr("a/b/c.txt", "inside")';
    expect(spawnSync('python3', ['-c', script, archive]).status).toBe(0);
    const refusal = await ingestRefused(catalog, root, archive);
    expect(refusal.message).toBe("Refused clash.zip: 'a' is both a file and the folder of 'a/b/c.txt'; an archive cannot hold both, so nothing was extracted.");
    expect(refusal.extracted).toBe(false);
  });
});
