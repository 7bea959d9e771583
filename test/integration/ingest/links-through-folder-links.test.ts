import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Catalog } from '../../../electron/catalog/open-catalog.js';
import { ingest } from '../../../electron/ingest/ingest.js';
import { writeTree } from './archive-fixtures.js';
import { closeTestRoot, openTestRoot, type TestRoot } from './ingest-checks.js';

const hasTar = spawnSync('tar', ['--version']).status === 0;
const hasZip = spawnSync('zip', ['-v']).status === 0 && spawnSync('unzip', ['-v']).status === 0;

const sha = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');

/**
 * A link to a file whose path goes through a link to a folder (`via -> current/f.owl`,
 * `current -> v2`) names a file: GNU tar and unzip extract it as a working link, and a
 * folder ingest of that extraction records it (the walk follows it to the file). An
 * archive ingest dropped it, counted among "links to nothing or to folders". Links to
 * folders themselves are still left out (their files are recorded where they are).
 */
describe('a link to a file reached through a link to a folder keeps its file, as tar -x and unzip give it', () => {
  let temp: TestRoot['temp'];
  let root: string;
  let src: string;
  let tree: string;
  let catalog: Catalog;
  beforeEach(async () => {
    ({ temp, root, src, catalog } = await openTestRoot('ontocat-folder-links'));
    tree = path.join(src, 'tree');
    writeTree(tree, { 'v2/f.owl': 'F\n' });
    symlinkSync('v2', path.join(tree, 'current'));
    symlinkSync('current/f.owl', path.join(tree, 'via'));
    mkdirSync(path.join(tree, 'sub'));
    symlinkSync('../current/f.owl', path.join(tree, 'sub', 'deep'));
  });
  afterEach(() => closeTestRoot({ temp, catalog }));

  async function recorded(version: string): Promise<Record<string, string>> {
    const rows = await catalog.read((conn) => conn.all<{ relpath: string; sha256: string }>(
      'SELECT relpath, sha256 FROM extracted_files f JOIN versions v USING (version_id) WHERE v.version = $1 ORDER BY relpath', [version],
    ));
    return Object.fromEntries(rows.map((row) => [row.relpath, row.sha256]));
  }

  /** What a reference extraction holds at `rel`: the bytes its link resolves to. */
  const resolvedHash = (dir: string, rel: string): string => sha(readFileSync(realpathSync(path.join(dir, rel))));

  const expected = { 'sub/deep': sha('F\n'), 'v2/f.owl': sha('F\n'), via: sha('F\n') };

  it.skipIf(!hasTar)('GNU tar: via and sub/deep are recorded with their file, as the folder ingest of tar -x records them', async () => {
    const archive = path.join(src, 'links.tar');
    expect(spawnSync('tar', ['-cf', archive, '-C', tree, '.']).status).toBe(0);
    const out = path.join(src, 'gnu');
    mkdirSync(out);
    expect(spawnSync('tar', ['-xf', archive, '-C', out]).status).toBe(0);
    expect({ 'sub/deep': resolvedHash(out, 'sub/deep'), 'v2/f.owl': resolvedHash(out, 'v2/f.owl'), via: resolvedHash(out, 'via') }).toEqual(expected);

    const folder = await ingest(catalog, out, { service: 'svc', version: 'folder' });
    expect(folder).toMatchObject({ files: 3, skipped: 1 });
    expect(await recorded('folder')).toEqual(expected);

    const summary = await ingest(catalog, archive, { service: 'svc', version: 'tar' });
    expect(summary).toMatchObject({ files: 3, skipped: 1 });
    expect(await recorded('tar')).toEqual(expected);
    expect(readFileSync(path.join(root, 'svc/tar/data/via'), 'utf8')).toBe('F\n');
  });

  it.skipIf(!hasZip)('Info-ZIP with links kept (zip -y): the same three files', async () => {
    const archive = path.join(src, 'links.zip');
    expect(spawnSync('zip', ['-q', '-r', '-y', archive, '.'], { cwd: tree }).status).toBe(0);
    const out = path.join(src, 'unzipped');
    mkdirSync(out);
    expect(spawnSync('unzip', ['-q', archive, '-d', out]).status).toBe(0);
    expect(resolvedHash(out, 'via')).toBe(sha('F\n'));

    const summary = await ingest(catalog, archive, { service: 'svc', version: 'zip' });
    expect(summary).toMatchObject({ files: 3, skipped: 1 });
    expect(await recorded('zip')).toEqual(expected);
  });
});
