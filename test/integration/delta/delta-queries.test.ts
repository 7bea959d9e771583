import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDelta, deltaTree } from '../../../electron/catalog/delta-queries.js';
import type { Catalog } from '../../../electron/catalog/open-catalog.js';
import type { FileChange } from '../../../electron/shared/contract/delta.js';
import { isOntocatError } from '../../../electron/shared/errors.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { catalogWith, f } from './fixtures.js';

const ref = (version: string) => ({ service: 'onto', version });

// Every trap of the file-level delta in one pair of versions.
const filesA = [
  f('keep.ttl', 'keep'),
  f('mod.ttl', 'mod-1'),
  f('old/moved.ttl', 'move'),
  f('renmod/a.ttl', 'renmod-1'),
  f('dup/1.ttl', 'dup'), f('dup/2.ttl', 'dup'), f('dup/3.ttl', 'dup'),
  f('m/x1.ttl', 'merge'), f('m/x2.ttl', 'merge'),
  f('split/one.ttl', 'split'),
  f('a/File.ttl', 'case'),
  f('ünï code/my file.ttl', 'uni-1'),
  f('ünï code/space name.ttl', 'uni-3'),
  f('c/orig.ttl', 'copy'),
];
const filesB = [
  f('keep.ttl', 'keep'),
  f('mod.ttl', 'mod-2-longer'),
  f('new/moved.ttl', 'move'),
  f('renmod/b.ttl', 'renmod-2'),
  f('dup2/1.ttl', 'dup'), f('dup2/2.ttl', 'dup'), f('dup2/3.ttl', 'dup'),
  f('m/y.ttl', 'merge'),
  f('split/a.ttl', 'split'), f('split/b.ttl', 'split'),
  f('a/file.ttl', 'case'),
  f('ünï code/my file.ttl', 'uni-2'),
  f('ünï code/späce name.ttl', 'uni-3'),
  f('c/orig.ttl', 'copy'), f('c/copy.ttl', 'copy'),
];

let catalog: Catalog;
const temp = makeTempRoot('ontocat-delta');

beforeAll(async () => {
  catalog = await catalogWith(temp.root, [
    { service: 'onto', version: 'a', files: filesA },
    { service: 'onto', version: 'b', files: filesB },
    { service: 'onto', version: 'b-again', files: filesB },
    { service: 'onto', version: 'empty', files: [] },
    { service: 'onto', version: 'empty-too', files: [] },
  ]);
});
afterAll(async () => {
  await catalog.close();
  temp.cleanup();
});

function byPath(changes: readonly FileChange[]): Record<string, string> {
  return Object.fromEntries(changes.map((c) => [c.kind === 'RENAMED' ? `${c.old_relpath} -> ${c.new_relpath}` : c.relpath, c.kind]));
}

describe('computeDelta', () => {
  it('classifies every path, pairing renames by content without splits or double pairing', async () => {
    const { summary, changes } = await catalog.read((conn) => computeDelta(conn, ref('a'), ref('b'), { kind: 'all' }));
    expect(byPath(changes.items)).toEqual({
      'keep.ttl': 'UNCHANGED',
      'mod.ttl': 'MODIFIED',
      'old/moved.ttl -> new/moved.ttl': 'RENAMED',
      // moved and changed: not a rename
      'renmod/a.ttl': 'REMOVED',
      'renmod/b.ttl': 'ADDED',
      // three paths sharing one hash pair in path order, each source once
      'dup/1.ttl -> dup2/1.ttl': 'RENAMED',
      'dup/2.ttl -> dup2/2.ttl': 'RENAMED',
      'dup/3.ttl -> dup2/3.ttl': 'RENAMED',
      // two identical files collapsed into one: one rename, one removal
      'm/x1.ttl -> m/y.ttl': 'RENAMED',
      'm/x2.ttl': 'REMOVED',
      // one file became two identical ones: a split, not a rename
      'split/one.ttl': 'REMOVED',
      'split/a.ttl': 'ADDED',
      'split/b.ttl': 'ADDED',
      'a/File.ttl -> a/file.ttl': 'RENAMED',
      'ünï code/my file.ttl': 'MODIFIED',
      'ünï code/space name.ttl -> ünï code/späce name.ttl': 'RENAMED',
      'c/orig.ttl': 'UNCHANGED',
      'c/copy.ttl': 'ADDED',
    });
    expect(changes.total).toBe(18);
    expect(summary.added).toEqual({ count: 4, bytes: (8 + 5 + 5 + 4) * 10 });
    expect(summary.removed).toEqual({ count: 3, bytes: (8 + 5 + 5) * 10 });
    expect(summary.modified).toEqual({ count: 2, bytes: (12 + 5) * 10 });
    expect(summary.renamed.count).toBe(7);
    expect(summary.unchanged.count).toBe(2);
    expect(summary.files_from).toBe(filesA.length);
    expect(summary.files_to).toBe(filesB.length);
    const sum = (files: typeof filesA) => files.reduce((acc, file) => acc + file.size_bytes, 0);
    expect(summary.net_growth).toBe(sum(filesB) - sum(filesA));
    expect(summary.bytes_added).toBe(summary.added.bytes);
    expect(summary.churn_bytes).toBe(summary.modified.bytes);
    expect(summary.identical).toBe(false);
    expect(summary.by_format).toHaveLength(1);
    expect(summary.by_format[0]).toMatchObject({ format: 'turtle', files_from: filesA.length, files_to: filesB.length });
  });

  it('carries both file ids and sizes of a rename, for term-level deltas later', async () => {
    const { changes } = await catalog.read((conn) => computeDelta(conn, ref('a'), ref('b'), { kind: 'renamed', prefix: 'new' }));
    expect(changes.items).toHaveLength(1);
    const move = changes.items[0]!;
    expect(move).toMatchObject({ old_relpath: 'old/moved.ttl', new_relpath: 'new/moved.ttl', old_format: 'turtle', new_format: 'turtle' });
    expect(move.old_file_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(move.new_file_id).not.toBe(move.old_file_id);
  });

  it('lists only changes by default, in path order, paged, with the total', async () => {
    const first = await catalog.read((conn) => computeDelta(conn, ref('a'), ref('b'), { limit: 5 }));
    expect(first.changes.total).toBe(16);
    expect(first.changes.items.map((c) => c.kind)).not.toContain('UNCHANGED');
    const second = await catalog.read((conn) => computeDelta(conn, ref('a'), ref('b'), { limit: 5, offset: 5 }));
    const paths = [...first.changes.items, ...second.changes.items].map((c) => c.relpath);
    expect(paths).toEqual([...paths].sort());
    expect(new Set(paths).size).toBe(10);
  });

  it('scopes the summary to a folder prefix', async () => {
    const { summary } = await catalog.read((conn) => computeDelta(conn, ref('a'), ref('b'), { prefix: 'dup2/' }));
    expect(summary.renamed.count).toBe(3);
    expect(summary.added.count + summary.removed.count + summary.modified.count + summary.unchanged.count).toBe(0);
    expect(summary.prefix).toBe('dup2');
  });

  it('reports identical versions as a no-op and an empty version as all added or removed', async () => {
    const same = await catalog.read((conn) => computeDelta(conn, ref('b'), ref('b-again')));
    expect(same.summary.identical).toBe(true);
    expect(same.summary.unchanged.count).toBe(filesB.length);
    expect(same.summary.net_growth).toBe(0);
    expect(same.changes.items).toEqual([]);

    const fromEmpty = await catalog.read((conn) => computeDelta(conn, ref('empty'), ref('a')));
    expect(fromEmpty.summary.added.count).toBe(filesA.length);
    expect(fromEmpty.summary.identical).toBe(false);
    const toEmpty = await catalog.read((conn) => computeDelta(conn, ref('a'), ref('empty')));
    expect(toEmpty.summary.removed.count).toBe(filesA.length);
    expect(toEmpty.summary.renamed.count).toBe(0);
    const empties = await catalog.read((conn) => computeDelta(conn, ref('empty'), ref('empty-too')));
    expect(empties.summary).toMatchObject({ identical: true, files_from: 0, files_to: 0, net_growth: 0, by_format: [] });
  });

  it('fails with NOT_FOUND for an unknown version and BAD_INPUT for a bad kind', async () => {
    const unknown = await catalog.read((conn) => computeDelta(conn, ref('a'), ref('nope'))).catch((e: unknown) => e);
    expect(isOntocatError(unknown, 'NOT_FOUND')).toBe(true);
    expect((unknown as Error).message).toContain('onto/nope');
    const bad = await catalog.read((conn) => computeDelta(conn, ref('a'), ref('b'), { kind: 'weird' as 'all' })).catch((e: unknown) => e);
    expect(isOntocatError(bad, 'BAD_INPUT')).toBe(true);
  });
});

describe('deltaTree', () => {
  it('lists one folder level with counts and bytes per kind, hiding unchanged entries', async () => {
    const page = await catalog.read((conn) => deltaTree(conn, ref('a'), ref('b')));
    const names = page.items.map((e) => `${e.entry}:${e.name}`);
    expect(names).toEqual([
      'dir:a', 'dir:c', 'dir:dup', 'dir:dup2', 'dir:m', 'dir:new', 'dir:old', 'dir:renmod', 'dir:split', 'dir:ünï code', 'file:mod.ttl',
    ]);
    const split = page.items.find((e) => e.name === 'split')!;
    expect(split).toMatchObject({ files: 3, added_files: 2, removed_files: 1, renamed_files: 0, relpath: 'split' });
    expect(split.added_bytes).toBe(100);
    // A move shows in the folder it left and in the one it reached, each with the bytes it
    // took or brought: what opening either folder says.
    const [dup, dup2] = ['dup', 'dup2'].map((name) => page.items.find((e) => e.name === name)!);
    const [left, reached] = await Promise.all(['dup', 'dup2'].map((prefix) => catalog.read((conn) => computeDelta(conn, ref('a'), ref('b'), { prefix }))));
    expect(dup).toMatchObject({ renamed_files: 3, net_bytes: left!.summary.net_growth });
    expect(dup2).toMatchObject({ renamed_files: 3, net_bytes: reached!.summary.net_growth });
    expect(left!.summary.net_growth).toBeLessThan(0);
    expect(reached!.summary.net_growth).toBe(-left!.summary.net_growth);
    const mod = page.items.find((e) => e.name === 'mod.ttl')!;
    expect(mod).toMatchObject({ kind: 'MODIFIED', modified_files: 1, net_bytes: 70 });

    const all = await catalog.read((conn) => deltaTree(conn, ref('a'), ref('b'), { changed_only: false }));
    expect(all.items.map((e) => e.name)).toContain('keep.ttl');
  });

  it('expands a sub-folder lazily and refuses a folder in neither version', async () => {
    const page = await catalog.read((conn) => deltaTree(conn, ref('a'), ref('b'), { dir: 'ünï code' }));
    expect(page.items.map((e) => [e.name, e.kind, e.old_relpath])).toEqual([
      ['my file.ttl', 'MODIFIED', null],
      ['späce name.ttl', 'RENAMED', 'ünï code/space name.ttl'],
    ]);
    const missing = await catalog.read((conn) => deltaTree(conn, ref('a'), ref('b'), { dir: 'nowhere' })).catch((e: unknown) => e);
    expect(isOntocatError(missing, 'NOT_FOUND')).toBe(true);
  });
});
