import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Catalog } from '../../../electron/catalog/open-catalog.js';
import { listTree, writeTree } from './archive-fixtures.js';
import { closeTestRoot, ingestRefused, openTestRoot, type TestRoot } from './ingest-checks.js';

const hasTar = spawnSync('tar', ['--version']).status === 0;
const hasInfoZip = spawnSync('zip', ['-v']).status === 0 && spawnSync('python3', ['--version']).status === 0;

/**
 * A name with a newline or tab is legal on Linux: GNU tar and Info-ZIP store and extract it.
 * Ontocat keeps paths free of control characters (they frame its bulk blocks and break
 * every line-based listing), so such a source is refused: before anything is written, with
 * the source and the name (its control character shown as \xNN) in the message. Before,
 * the refusal came only when the version was recorded, after extraction and storing, as
 * "The path 'bad?name.txt' or one of its fields contains a control character.", and left
 * an empty service folder in the root.
 */
describe('names with control characters are refused up front, naming the source and the name', () => {
  let temp: TestRoot['temp'];
  let root: string;
  let src: string;
  let tree: string;
  let catalog: Catalog;
  beforeEach(async () => {
    ({ temp, root, src, catalog } = await openTestRoot('ontocat-control-names'));
    tree = path.join(src, 'tree');
    writeTree(tree, { 'ok.txt': 'ok\n', 'sub/bad\nname.txt': 'newline\n' });
  });
  afterEach(() => closeTestRoot({ temp, catalog }));

  it.skipIf(!hasTar)('a GNU tar holding sub/bad<LF>name.txt (which tar -x extracts) is refused from its headers', async () => {
    const archive = path.join(src, 'newline.tar');
    const made = spawnSync('tar', ['-cf', archive, '-C', tree, '.'], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    // The reference: GNU tar extracts the name as it is.
    const out = path.join(src, 'gnu');
    mkdirSync(out);
    expect(spawnSync('tar', ['-xf', archive, '-C', out]).status).toBe(0);
    expect(readdirSync(path.join(out, 'sub'))).toEqual(['bad\nname.txt']);

    const refusal = await ingestRefused(catalog, root, archive);
    expect(refusal.code, refusal.message).toBe('UNSAFE_PATH');
    expect(refusal.message).toBe("Refused newline.tar: entry 'sub/bad\\x0aname.txt' has a control character in its name; Ontocat records paths without control characters: rename it and repack the archive.");
    expect(refusal.extracted).toBe(false);
    expect(readdirSync(root).filter((name) => !name.startsWith('.') && !name.startsWith('catalog.duckdb'))).toEqual([]);
  });

  it.skipIf(!hasInfoZip)('an Info-ZIP zip holding a tab in a name (as Python zipfile lists it) is refused from its central directory', async () => {
    writeTree(tree, { 'tab\tname.txt': 'tab\n' });
    const archive = path.join(src, 'tab.zip');
    const made = spawnSync('zip', ['-q', '-r', archive, 'tab\tname.txt', 'ok.txt'], { cwd: tree, encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    // The reference: Python's zipfile reads the name as it is.
    const names = spawnSync('python3', ['-c', 'import sys, json, zipfile; print(json.dumps(zipfile.ZipFile(sys.argv[1]).namelist()))', archive], { encoding: 'utf8' });
    expect(JSON.parse(names.stdout)).toContain('tab\tname.txt');

    const refusal = await ingestRefused(catalog, root, archive);
    expect(refusal.code, refusal.message).toBe('UNSAFE_PATH');
    expect(refusal.message).toBe("Refused tab.zip: entry 'tab\\x09name.txt' has a control character in its name; Ontocat records paths without control characters: rename it and repack the archive.");
    expect(refusal.extracted).toBe(false);
  });

  it('a folder holding such a name (a file, or a folder on the way) is refused before anything is stored', async () => {
    const refusal = await ingestRefused(catalog, root, tree);
    expect(refusal.code, refusal.message).toBe('UNSAFE_PATH');
    expect(refusal.message).toBe(`Refused ${tree}: 'sub/bad\\x0aname.txt' has a control character in its name; Ontocat records paths without control characters: rename it and ingest again.`);
    expect(readdirSync(root).filter((name) => !name.startsWith('.') && !name.startsWith('catalog.duckdb'))).toEqual([]);
    expect(listTree(path.join(root, '.cas')).filter((rel) => statSync(path.join(root, '.cas', rel)).isFile())).toEqual([]);

    const other = path.join(src, 'other');
    writeTree(other, { 'ok.txt': 'ok\n', 'dir\rname/inner.txt': 'inside\n' });
    const second = await ingestRefused(catalog, root, other);
    expect(second.message).toBe(`Refused ${other}: 'dir\\x0dname' has a control character in its name; Ontocat records paths without control characters: rename it and ingest again.`);
  });

  // U+0085 NEXT LINE is a C1 control (Unicode category Cc, as Python's unicodedata says)
  // and a line break to YAML and Unicode: it was taken where a newline is refused.
  it('a C1 control (U+0085 NEXT LINE) in a name is refused as a newline is, from a folder and from GNU tar headers', async () => {
    const category = spawnSync('python3', ['-c', 'import unicodedata; print(unicodedata.category("\\u0085"))'], { encoding: 'utf8' });
    if (category.status === 0) expect(category.stdout.trim()).toBe('Cc');
    const nel = path.join(src, 'nel');
    writeTree(nel, { 'ok.txt': 'ok\n', 'a\u0085b.txt': 'nel\n' });
    const fromFolder = await ingestRefused(catalog, root, nel);
    expect(fromFolder.code, fromFolder.message).toBe('UNSAFE_PATH');
    expect(fromFolder.message).toBe(`Refused ${nel}: 'a\\x85b.txt' has a control character in its name; Ontocat records paths without control characters: rename it and ingest again.`);
    if (!hasTar) return;
    const archive = path.join(src, 'nel.tar');
    expect(spawnSync('tar', ['-cf', archive, '-C', nel, '.']).status).toBe(0);
    const fromTar = await ingestRefused(catalog, root, archive);
    expect(fromTar.code, fromTar.message).toBe('UNSAFE_PATH');
    expect(fromTar.message).toBe("Refused nel.tar: entry 'a\\x85b.txt' has a control character in its name; Ontocat records paths without control characters: rename it and repack the archive.");
    expect(fromTar.extracted).toBe(false);
  });
});
