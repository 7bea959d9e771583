import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { foldersUnder, makeDurable, type WrittenPaths } from '../../../electron/storage/durable.js';
import { sessionOn } from '../../helpers/temp-root.js';

// Where `sync -f` is missing (macOS, Windows, a minimal Linux), durability comes from an
// fsync of every file and folder an ingest wrote. A PATH without `sync` takes that path here.
let scratch: string;
let savedPath: string | undefined;
beforeEach(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'ontocat-durable-'));
  savedPath = process.env.PATH;
  const empty = path.join(scratch, 'empty-path');
  mkdirSync(empty);
  process.env.PATH = empty;
});
afterEach(() => {
  process.env.PATH = savedPath;
  rmSync(scratch, { recursive: true, force: true });
});

describe('durability without sync -f', { timeout: 120_000 }, () => {
  it('lists what was written only when it must, and opens every listed file', async () => {
    const file = path.join(scratch, 'a.txt');
    writeFileSync(file, 'a\n');
    let asked = 0;
    const written = async (): Promise<WrittenPaths> => { asked += 1; return { files: [file], dirs: [scratch] }; };
    await makeDurable(scratch, written);
    expect(asked).toBe(1);
    // A listed file that is not there is an error, not silently skipped.
    await expect(makeDurable(scratch, async () => ({ files: [path.join(scratch, 'gone.txt')], dirs: [] }))).rejects.toThrow(/ENOENT/);
  });

  it('foldersUnder lists every folder of a tree and follows no link', async () => {
    const tree = path.join(scratch, 'tree');
    mkdirSync(path.join(tree, 'a', 'b', 'c'), { recursive: true });
    mkdirSync(path.join(tree, 'd'));
    writeFileSync(path.join(tree, 'a', 'f.txt'), 'x');
    symlinkSync(path.join(scratch), path.join(tree, 'link'));
    expect((await foldersUnder(tree)).map((dir) => path.relative(tree, dir)).sort()).toEqual(['', 'a', 'a/b', 'a/b/c', 'd']);
  });

  it('a folder ingest commits with every file in place', async () => {
    const source = path.join(scratch, 'source');
    const files: Record<string, string> = { 'go.obo': 'format-version: 1.2\n', 'sub/deeper/x.txt': 'x\n', 'sub/y.txt': 'y\n' };
    for (const [relpath, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(source, relpath)), { recursive: true });
      writeFileSync(path.join(source, relpath), text);
    }
    const root = path.join(scratch, 'root');
    mkdirSync(root);
    await sessionOn(() => root)(async (session) => {
      const summary = await session.call('ingest:run', { source, service: 'go', version: 'v1' });
      expect(summary).toMatchObject({ files: 3 });
    });
    for (const [relpath, text] of Object.entries(files)) expect(readFileSync(path.join(root, 'go', 'v1', 'data', relpath), 'utf8')).toBe(text);
  });
});
