import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { writeTree } from './archive-fixtures.js';

const hasTools = spawnSync('tar', ['--version']).status === 0 && spawnSync('zip', ['-v']).status === 0 && spawnSync('unzip', ['-v']).status === 0
  && spawnSync('python3', ['--version']).status === 0;

/** `find DIR -type d -empty` below DIR: the reference count of empty folders. */
function emptyFolders(dir: string): string[] {
  const found = spawnSync('find', [dir, '-mindepth', '1', '-type', 'd', '-empty'], { encoding: 'utf8' });
  return found.stdout.split('\n').filter(Boolean).map((line) => path.relative(dir, line)).sort();
}

/**
 * The catalog records files, so a version never holds an empty folder; `tar -x` and
 * `unzip` make them. An ingest dropped them without a word, so a curator comparing a
 * checkout with the release (`diff -r`) found folders missing that nothing had mentioned.
 * The ingest now says how many it left out, counted as `find -type d -empty` counts them.
 */
describe.skipIf(!hasTools)('empty folders are not kept, and an ingest says how many, as find -type d -empty counts them', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let root: string;
  let tree: string;
  let src: string;
  beforeAll(() => {
    temp = makeTempRoot('ontocat-empty-folders');
    root = path.join(temp.root, 'root');
    src = path.join(temp.root, 'src');
    tree = path.join(src, 'tree');
    writeTree(tree, { 'data/go.obo': 'format-version: 1.2\n', 'docs/readme.txt': 'hello\n' });
    for (const dir of ['logs', 'cache/a/b', 'cache/c', 'data/empty']) mkdirSync(path.join(tree, dir), { recursive: true });
    expect(emptyFolders(tree)).toEqual(['cache/a/b', 'cache/c', 'data/empty', 'logs']);
  });
  afterAll(() => temp.cleanup());

  function ingestSays(source: string, version: string, reference: string): void {
    const expected = emptyFolders(reference);
    expect(expected).toHaveLength(4);
    const run = runOntocat(['ingest', source, '--service', 'e', '--version', version], { root });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Ingested e/' + version + ': 2 files');
    expect(run.stdout).toContain(`${expected.length} empty folders not kept (a version records files only).`);
    const json = runOntocat(['ingest', source, '--service', 'e', '--version', version, '--json'], { root });
    expect(json.json<{ empty_folders: number }>().empty_folders).toBe(expected.length);
  }

  it('a folder', () => {
    ingestSays(tree, 'folder', tree);
  });

  it('GNU tar (.tar.gz), as tar -x lays it out', () => {
    const archive = path.join(src, 'tree.tar.gz');
    expect(spawnSync('tar', ['-czf', archive, '-C', tree, '.']).status).toBe(0);
    const out = path.join(src, 'gnu');
    mkdirSync(out);
    expect(spawnSync('tar', ['-xzf', archive, '-C', out]).status).toBe(0);
    ingestSays(archive, 'tgz', out);
  });

  it('a folder entry that a file of the same path follows is that file after tar -x, not an empty folder', () => {
    const archive = path.join(src, 'dirfile.tar');
    const script = 'import io, sys, tarfile\nwith tarfile.open(sys.argv[1], "w") as t:\n    d = tarfile.TarInfo("x"); d.type = tarfile.DIRTYPE; t.addfile(d)\n    f = tarfile.TarInfo("x"); f.size = 4; t.addfile(f, io.BytesIO(b"file"))\n    e = tarfile.TarInfo("e"); e.type = tarfile.DIRTYPE; t.addfile(e)';
    expect(spawnSync('python3', ['-c', script, archive]).status).toBe(0);
    const out = path.join(src, 'dirfile');
    mkdirSync(out);
    expect(spawnSync('tar', ['-xf', archive, '-C', out]).status).toBe(0);
    expect(emptyFolders(out)).toEqual(['e']);
    const run = runOntocat(['ingest', archive, '--service', 'e', '--version', 'dirfile', '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json<{ files: number; empty_folders: number }>()).toMatchObject({ files: 1, empty_folders: 1 });
  });

  it('Info-ZIP, as unzip lays it out', () => {
    const archive = path.join(src, 'tree.zip');
    expect(spawnSync('zip', ['-q', '-r', archive, '.'], { cwd: tree }).status).toBe(0);
    const out = path.join(src, 'unzipped');
    mkdirSync(out);
    expect(spawnSync('unzip', ['-q', archive, '-d', out]).status).toBe(0);
    ingestSays(archive, 'zip', out);
  });
});
