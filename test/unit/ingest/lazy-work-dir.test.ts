import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lazyWorkDir } from '../../../electron/ingest/work-dir.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

describe('lazyWorkDir (the work folder of a source check)', () => {
  const temps: { cleanup: () => void }[] = [];
  const temp = (): string => {
    const made = makeTempRoot('ontocat-lazy-work');
    temps.push(made);
    return made.root;
  };
  afterEach(() => { for (const made of temps.splice(0)) made.cleanup(); });

  it('names a folder under .tmp without making it; a check that writes nothing leaves the disk as it was', async () => {
    const root = temp();
    const work = lazyWorkDir(root, 'sync');
    expect(path.dirname(work.path)).toBe(path.join(root, '.tmp'));
    expect(path.basename(work.path)).toMatch(/^sync-[0-9a-f-]{36}$/);
    expect(existsSync(path.join(root, '.tmp'))).toBe(false);
    await work.remove();
    expect(readdirSync(root)).toEqual([]);
  });

  it('makes the folder once, on the first write, and removes it with its files', async () => {
    const root = temp();
    const work = lazyWorkDir(root, 'sync');
    const [first, second] = await Promise.all([work.make(), work.make()]);
    expect(first).toBe(work.path);
    expect(second).toBe(work.path);
    writeFileSync(path.join(work.path, 'a.obo'), 'format-version: 1.2\n');
    await work.remove();
    expect(existsSync(work.path)).toBe(false);
    expect(readdirSync(path.join(root, '.tmp'))).toEqual([]);
  });

  it('refuses a .tmp that is a link out of the root, and removes nothing through it', async () => {
    const root = temp();
    const outside = temp();
    const work = lazyWorkDir(root, 'sync');
    // What an attacker (or a confused curator) would want deleted: the folder the link leads to.
    mkdirSync(path.join(outside, path.basename(work.path)));
    writeFileSync(path.join(outside, path.basename(work.path), 'precious.txt'), 'keep me');
    symlinkSync(outside, path.join(root, '.tmp'));
    await expect(work.make()).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
    await work.remove();
    expect(readdirSync(path.join(outside, path.basename(work.path)))).toEqual(['precious.txt']);
  });
});
