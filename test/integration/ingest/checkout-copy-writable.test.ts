/**
 * `ontocat checkout --copy` is "for files you will edit", yet every copy came out read-only
 * (0444, the content store's mode, which copyFile carries over): an editor run by the
 * curator could not save one. The reference is the source tree itself, read with GNU
 * find's %m and an independent SHA-256 walk: a copy holds the source's bytes, and a file
 * the source holds as 644 is 644 again. A linked checkout stays read-only: its files are
 * the store's objects.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashFiles } from '../../helpers/hash-files.js';
import { projectRoot, runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

/** relpath → octal mode of every regular file under `dir`, as GNU find prints it. */
function findModes(dir: string): Record<string, string> {
  const run = spawnSync('find', [dir, '-type', 'f', '-printf', '%m %P\\0'], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return Object.fromEntries(run.stdout.split('\0').filter(Boolean).map((line) => {
    const space = line.indexOf(' ');
    return [line.slice(space + 1), line.slice(0, space)];
  }));
}

describe('checkout --copy gives files the curator can edit', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let root: string;
  let source: string;
  beforeAll(() => {
    temp = makeTempRoot('ontocat-checkout-copy-mode');
    root = path.join(temp.root, 'root');
    // A real package tree (the yaml library's files), as a curator would ingest one.
    source = path.join(temp.root, 'yaml');
    cpSync(path.join(projectRoot, 'node_modules', 'yaml'), source, { recursive: true, dereference: true });
    const ingested = runOntocat(['ingest', source, '--service', 'yaml', '--version', '2'], { root });
    expect(ingested.code, ingested.stderr).toBe(0);
  }, 120_000);
  afterAll(() => temp.cleanup());

  it('every copied file has the source\'s bytes and, where the source is 644, mode 644', () => {
    const dest = path.join(temp.root, 'copy');
    const run = runOntocat(['checkout', 'yaml/2', dest, '--copy'], { root });
    expect(run.code, run.stderr).toBe(0);
    expect(hashFiles(dest)).toEqual(hashFiles(source));
    const want = findModes(source);
    const got = findModes(dest);
    const plain = Object.keys(want).filter((relpath) => want[relpath] === '644');
    expect(plain.length).toBeGreaterThan(100);
    expect(plain.filter((relpath) => got[relpath] !== '644').map((relpath) => `${relpath} ${got[relpath]}`)).toEqual([]);
    // Every copy, an executable's too, can be written by its owner.
    expect(Object.entries(got).filter(([, mode]) => (parseInt(mode, 8) & 0o200) === 0).map(([relpath, mode]) => `${relpath} ${mode}`)).toEqual([]);
  });

  it('a linked checkout stays read-only, since its files are the store\'s objects', () => {
    const dest = path.join(temp.root, 'linked');
    mkdirSync(dest);
    const run = runOntocat(['checkout', 'yaml/2', dest], { root });
    expect(run.code, run.stderr).toBe(0);
    expect(hashFiles(dest)).toEqual(hashFiles(source));
    expect(new Set(Object.values(findModes(dest)))).toEqual(new Set(['444']));
    rmSync(dest, { recursive: true, force: true });
  });
});
