// The fast delta queries against the reference semantics of the `version_delta` macros
// (migrations/0003_file_delta.sql), on random version pairs full of traps: renames into,
// out of and across folders, case-only moves, splits, collapses, shared hashes, format
// changes on a move, identical and empty versions.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDelta, deltaTree } from '../../../electron/catalog/delta-queries.js';
import { versionId } from '../../../electron/catalog/ids.js';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import type { NewFile } from '../../../electron/catalog/write-records.js';
import { ingest } from '../../../electron/ingest/ingest.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { catalogWith, f, type VersionFixture } from './fixtures.js';

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dirs = ['', 'a', 'a/b', 'A', 'c', 'c/d/e', 'cd'];
const names = ['x.ttl', 'X.ttl', 'y.owl', 'z.obo', 'w.csv', 'v.ttl'];
const labels = ['one', 'two', 'three', 'four', 'five', 'six', 'seven'];
const formats = ['turtle', 'rdfxml'];
const allPaths = dirs.flatMap((dir) => names.map((name) => (dir ? `${dir}/${name}` : name)));

function randomPair(seed: number): [NewFile[], NewFile[]] {
  const rnd = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const file = (relpath: string, label: string): NewFile => f(relpath, label, label.length * 10, pick(formats));
  // Few labels over many paths: shared hashes, splits and collapses are common.
  const a = allPaths.filter(() => rnd() < 0.5).map((relpath) => file(relpath, pick(labels)));
  const b: NewFile[] = [];
  for (const old of a) {
    const roll = rnd();
    if (roll < 0.5) b.push(old);
    else if (roll < 0.65) b.push(file(old.relpath, pick(labels)));
  }
  const taken = new Set(b.map((x) => x.relpath));
  for (const relpath of allPaths) {
    if (!taken.has(relpath) && rnd() < 0.3) b.push(file(relpath, rnd() < 0.7 && a.length > 0 ? labelOf(pick(a)) : pick(labels)));
  }
  return [a, b];
}

const labelByHash = new Map(labels.map((label) => [f('', label).sha256, label]));
const labelOf = (file: NewFile): string => labelByHash.get(file.sha256)!;

const seeds = Array.from({ length: 6 }, (_, i) => i + 1);
const ref = (version: string) => ({ service: 'r', version });
let catalog: Catalog;
const temp = makeTempRoot('ontocat-delta-eq');

beforeAll(async () => {
  const versions: VersionFixture[] = [{ service: 'r', version: 'empty', files: [] }];
  for (const seed of seeds) {
    const [a, b] = randomPair(seed);
    versions.push({ service: 'r', version: `a${seed}`, files: a }, { service: 'r', version: `b${seed}`, files: b });
  }
  catalog = await catalogWith(temp.root, versions);
});
afterAll(async () => {
  await catalog.close();
  temp.cleanup();
});

// The reference: the macros, read as the queries read them before they were made fast.
// The folder comes in here, not from the macro: `version_delta_in(a, b, folder)` keeps only
// changes located in the folder (their new path when they have one), so it loses the files
// that moved out. A change belongs to a folder when either of its paths is in it; it sits
// at its new path when that is in the folder, else at its old one; and the folder's before
// and after totals count a side only where its path is in the folder.
const inFolder = (path: string): string => `COALESCE(${path} IS NOT NULL AND ($folder = '' OR starts_with(${path}, $folder || '/')), false)`;
const scoped = `(SELECT *, ${inFolder('old_relpath')} AS old_in, ${inFolder('new_relpath')} AS new_in
  FROM version_delta_in($a, $b, '') WHERE ${inFolder('old_relpath')} OR ${inFolder('new_relpath')})`;
const changeColumns = `kind, relpath, old_relpath, new_relpath, old_size, new_size, old_sha256, new_sha256,
    format, old_format, new_format, old_file_id::VARCHAR AS old_file_id, new_file_id::VARCHAR AS new_file_id`;
const referenceChanges = `SELECT ${changeColumns} FROM ${scoped} ORDER BY relpath, kind`;
/** What the macro itself lists in the folder: the same rows but the moves out of it. */
const macroInFolder = `SELECT ${changeColumns} FROM version_delta_in($a, $b, $folder) ORDER BY relpath, kind`;
// Each side is counted under what it was where it was: a file's before side under its old
// format and in its old path's folder, its after side under the new ones (a file read as
// another format, or moved to another folder, leaves one group and joins another); each
// change is counted once per format, under the format it has where it sits, and in the tree
// in every entry one of its paths is in.
const referenceFormats = `WITH s AS MATERIALIZED ${scoped} SELECT format, sum(from_n)::BIGINT AS files_from, sum(to_n)::BIGINT AS files_to,
    sum(from_b)::BIGINT AS bytes_from, sum(to_b)::BIGINT AS bytes_to,
    ${['ADDED', 'REMOVED', 'MODIFIED', 'RENAMED', 'UNCHANGED'].map((kind) => `count(*) FILTER (WHERE change AND kind = '${kind}') AS ${kind.toLowerCase()}_files,
    COALESCE(sum(${kind === 'REMOVED' ? 'old_size' : 'new_size'}) FILTER (WHERE change AND kind = '${kind}'), 0)::BIGINT AS ${kind.toLowerCase()}_bytes`).join(',\n    ')},
    sum(mnet)::BIGINT AS modified_net_bytes
  FROM (SELECT format, kind, true AS change, old_size, new_size, 0 AS from_n, 0 AS to_n, 0 AS from_b, 0 AS to_b,
               CASE WHEN kind = 'MODIFIED' THEN new_size ELSE 0 END AS mnet FROM s
        UNION ALL SELECT old_format, kind, false, old_size, new_size, 1, 0, old_size, 0, CASE WHEN kind = 'MODIFIED' THEN -old_size ELSE 0 END
        FROM s WHERE old_in
        UNION ALL SELECT new_format, kind, false, old_size, new_size, 0, 1, 0, new_size, 0 FROM s WHERE new_in)
  GROUP BY format ORDER BY format`;
const rest = (path: string): string => `CASE WHEN $folder = '' THEN ${path} ELSE ${path}[length($folder) + 2:] END`;
const seg = (path: string): string => `split_part(${rest(path)}, '/', 1)`;
const deep = (path: string): string => `contains(${rest(path)}, '/')`;
/** Whether a move leaves its old entry: it changed entry, and not from one file of this level to another. */
const leaves = (x: string, y: string): string => `(NOT (${seg(x)} = ${seg(y)} AND ${deep(x)} = ${deep(y)}) AND (${deep(x)} OR ${deep(y)}))`;
/** A file entry shows its own change, else that of the file that left its path. */
const shown = (value: string): string => `CASE WHEN NOT deep THEN CASE WHEN bool_or(NOT departure)
    THEN any_value(${value}) FILTER (WHERE NOT departure) ELSE any_value(${value}) END END`;
const referenceTree = `SELECT CASE WHEN deep THEN 'dir' ELSE 'file' END AS entry, seg AS name,
    ${shown('kind')} AS kind,
    ${shown("CASE WHEN kind = 'RENAMED' THEN old_relpath END")} AS old_relpath,
    ${shown("CASE WHEN kind = 'RENAMED' THEN new_relpath END")} AS new_relpath,
    count(*) AS files, count(*) FILTER (WHERE kind = 'UNCHANGED') AS unchanged_files, count(*) FILTER (WHERE kind = 'RENAMED') AS renamed_files,
    sum(to_b) - sum(from_b) AS net_bytes
  FROM (SELECT *, ${seg('at_path')} AS seg, ${deep('at_path')} AS deep, false AS departure,
               CASE WHEN new_in THEN new_size ELSE 0 END AS to_b,
               CASE WHEN old_in AND NOT ${leaves('old_relpath', 'at_path')} THEN old_size ELSE 0 END AS from_b
        FROM located
        UNION ALL BY NAME
        SELECT *, ${seg('old_relpath')} AS seg, ${deep('old_relpath')} AS deep, true AS departure, 0 AS to_b, old_size AS from_b
        FROM located WHERE old_in AND ${leaves('old_relpath', 'at_path')})
  GROUP BY seg, deep ORDER BY entry, name`;
const referenceTreeSql = `WITH located AS MATERIALIZED (SELECT *, CASE WHEN new_in THEN new_relpath ELSE old_relpath END AS at_path FROM ${scoped}) ${referenceTree}`;

async function reference(sql: string, a: string, b: string, folder: string): Promise<Record<string, unknown>[]> {
  return catalog.read((conn) => conn.all(sql, { a: versionId('r', a), b: versionId('r', b), folder }));
}

const pairs: ReadonlyArray<readonly [string, string]> = [
  ...seeds.flatMap((seed) => [[`a${seed}`, `b${seed}`], [`b${seed}`, `a${seed}`]] as const),
  ['empty', 'a1'], ['b2', 'empty'], ['a3', 'a3'], ['empty', 'empty'],
];
const folders = ['', 'a', 'a/b', 'c', 'c/d', 'nowhere'];

describe('fast delta = the version_delta macro', () => {
  it('lists, totals and groups into a tree the same changes, in every folder', async () => {
    let renamedAcrossFolders = 0;
    let movedOutOfFolders = 0;
    for (const [a, b] of pairs) {
      for (const folder of folders) {
        const where = `${a} -> ${b} in '${folder}'`;
        const changes = await reference(referenceChanges, a, b, folder);
        const [present] = await reference(`SELECT count(*) AS n FROM extracted_files WHERE version_id IN ($a::UUID, $b::UUID) AND ${inFolder('relpath')}`, a, b, folder);
        if (folder !== '' && Number(present!.n) === 0) {
          // A folder neither version has is an error, not "nothing changed".
          await expect(catalog.read((conn) => computeDelta(conn, ref(a), ref(b), { prefix: folder }))).rejects.toThrow(`No folder '${folder}'`);
          continue;
        }
        const got = await catalog.read((conn) => computeDelta(conn, ref(a), ref(b), { kind: 'all', prefix: folder, limit: 1000 }));
        expect(got.changes.items, where).toEqual(changes);
        expect(got.changes.total).toBe(changes.length);
        const movedOut = (row: Record<string, unknown>): boolean => folder !== '' && row.kind === 'RENAMED'
          && !String(row.new_relpath).startsWith(`${folder}/`);
        expect(got.changes.items.filter((row) => !movedOut(row as unknown as Record<string, unknown>)), `${where}: the macro's rows`)
          .toEqual(await reference(macroInFolder, a, b, folder));
        movedOutOfFolders += changes.filter(movedOut).length;
        // Before and after, the folder holds what its delta says.
        const [held] = await reference(`SELECT
            count(*) FILTER (WHERE version_id = $a::UUID) AS files_from, count(*) FILTER (WHERE version_id = $b::UUID) AS files_to,
            COALESCE(sum(size_bytes) FILTER (WHERE version_id = $a::UUID), 0)::BIGINT AS bytes_from,
            COALESCE(sum(size_bytes) FILTER (WHERE version_id = $b::UUID), 0)::BIGINT AS bytes_to
          FROM extracted_files WHERE version_id IN ($a::UUID, $b::UUID) AND ${inFolder('relpath')}`, a, b, folder);
        const { files_from, files_to, bytes_from, bytes_to } = got.summary;
        expect({ files_from, files_to, bytes_from, bytes_to }, where).toEqual(held);
        expect(got.summary.by_format.map(({ net_bytes: _net, ...row }) => row), where).toEqual(await reference(referenceFormats, a, b, folder));
        // And each format's before and after are what the folder held of that format.
        const heldByFormat = await reference(`SELECT format,
            count(*) FILTER (WHERE version_id = $a::UUID) AS files_from, count(*) FILTER (WHERE version_id = $b::UUID) AS files_to,
            COALESCE(sum(size_bytes) FILTER (WHERE version_id = $a::UUID), 0)::BIGINT AS bytes_from,
            COALESCE(sum(size_bytes) FILTER (WHERE version_id = $b::UUID), 0)::BIGINT AS bytes_to
          FROM extracted_files WHERE version_id IN ($a::UUID, $b::UUID) AND ${inFolder('relpath')} GROUP BY format ORDER BY format`, a, b, folder);
        expect(got.summary.by_format.filter((row) => row.files_from + row.files_to > 0)
          .map(({ format, files_from, files_to, bytes_from, bytes_to }) => ({ format, files_from, files_to, bytes_from, bytes_to })), where).toEqual(heldByFormat);
        renamedAcrossFolders += changes.filter((row) => row.kind === 'RENAMED' && folder !== ''
          && !String(row.old_relpath).startsWith(`${folder}/`)).length;

        const tree = await reference(referenceTreeSql, a, b, folder);
        if (tree.length === 0) continue;
        const entries = await catalog.read((conn) => deltaTree(conn, ref(a), ref(b), { dir: folder, changed_only: false, limit: 1000 }));
        expect(entries.items.map((e) => ({
          entry: e.entry, name: e.name, kind: e.kind, old_relpath: e.old_relpath, new_relpath: e.new_relpath, files: e.files,
          unchanged_files: e.unchanged_files, renamed_files: e.renamed_files, net_bytes: e.net_bytes,
        })), where).toEqual(tree);
      }
    }
    // The random pairs really do exercise renames whose other side is outside the folder.
    expect(renamedAcrossFolders).toBeGreaterThan(5);
    expect(movedOutOfFolders).toBeGreaterThan(5);
    // Every folder of every pair against the reference: 28 s in CI, past the 60 s default at load 10.
  }, 240_000);
});

// Outside truth for folder-scoped deltas: two real trees ingested from disk, and the test's
// own walk of those trees (sizes from the filesystem, its own SHA-256) saying what each
// folder held before and after and which files moved in or out.
const treeA: Readonly<Record<string, string>> = {
  'extra/keep.ttl': '<a> <b> <c> .\n',
  'extra/mod.ttl': '<a> <b> "old" .\n',
  'extra/out1.ttl': '<moved> <out> <one> .\n',
  'extra/out2.obo': 'format-version: 1.2\n\n[Term]\nid: X:1\nname: out two\n',
  'extra/sub/out3.ttl': '<moved> <out> <three> . # from a sub-folder\n',
  'extra/gone.csv': 'id,label\n1,removed\n',
  'other/in1.ttl': '<moved> <in> <one> .\n',
  'other/stay.ttl': '<stays> <put> <here> .\n',
  'root.ttl': '<root> <file> <a> .\n',
};
const treeB: Readonly<Record<string, string>> = {
  'extra/keep.ttl': treeA['extra/keep.ttl']!,
  'extra/mod.ttl': '<a> <b> "new and longer" .\n',
  'moved/out1.ttl': treeA['extra/out1.ttl']!,
  'elsewhere/deep/out2.obo': treeA['extra/out2.obo']!,
  'out3.ttl': treeA['extra/sub/out3.ttl']!,
  'extra/in1.ttl': treeA['other/in1.ttl']!,
  'extra/new.ttl': '<brand> <new> <file> .\n',
  'other/stay.ttl': treeA['other/stay.ttl']!,
  'root.ttl': treeA['root.ttl']!,
};

interface Walked { readonly size: number; readonly sha256: string }

/** Every file under `dir` by relative path, with its size on disk and its own SHA-256. */
function walk(dir: string, prefix = ''): Map<string, Walked> {
  const found = new Map<string, Walked>();
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      for (const [key, value] of walk(dir, rel)) found.set(key, value);
    } else {
      const bytes = readFileSync(path.join(dir, rel));
      found.set(rel, { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
  }
  return found;
}

const under = (folder: string) => (relpath: string): boolean => relpath.startsWith(`${folder}/`);

/** Exact-content moves by the walk alone: a gone path and a new path whose content is unique on both sides. */
function walkedMoves(a: Map<string, Walked>, b: Map<string, Walked>): Map<string, string> {
  const gone = [...a.keys()].filter((p) => !b.has(p));
  const came = [...b.keys()].filter((p) => !a.has(p));
  const moves = new Map<string, string>();
  for (const old of gone) {
    const sha = a.get(old)!.sha256;
    const targets = came.filter((p) => b.get(p)!.sha256 === sha);
    if (targets.length === 1 && gone.filter((p) => a.get(p)!.sha256 === sha).length === 1) moves.set(old, targets[0]!);
  }
  return moves;
}

describe('folder-scoped delta = an independent walk of the two trees', () => {
  const work = makeTempRoot('ontocat-delta-walk');
  let walkCatalog: Catalog;
  const trees: Record<'a' | 'b', string> = { a: path.join(work.root, 'src-a'), b: path.join(work.root, 'src-b') };

  beforeAll(async () => {
    for (const [version, files] of [['a', treeA], ['b', treeB]] as const) {
      for (const [relpath, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(trees[version], relpath)), { recursive: true });
        writeFileSync(path.join(trees[version], relpath), text);
      }
    }
    walkCatalog = await openCatalog({ root: path.join(work.root, 'catalog-root'), threads: 1 });
    for (const version of ['a', 'b'] as const) await ingest(walkCatalog, trees[version], { service: 'walk', version });
  });
  afterAll(async () => {
    await walkCatalog.close();
    work.cleanup();
  });

  it.each(['extra', 'extra/sub', 'other', 'moved', 'elsewhere'])('in %s: totals, moves in and out, and the tree match the walk', async (folder) => {
    const a = walk(trees.a);
    const b = walk(trees.b);
    const inA = [...a.keys()].filter(under(folder));
    const inB = [...b.keys()].filter(under(folder));
    const bytes = (files: Map<string, Walked>, paths: readonly string[]): number => paths.reduce((n, p) => n + files.get(p)!.size, 0);
    const walkRef = (version: string) => ({ service: 'walk', version });
    const delta = await walkCatalog.read((conn) => computeDelta(conn, walkRef('a'), walkRef('b'), { prefix: folder, kind: 'all', limit: 1000 }));
    const { files_from, files_to, bytes_from, bytes_to, net_growth } = delta.summary;
    expect({ files_from, files_to, bytes_from, bytes_to, net_growth }).toEqual({
      files_from: inA.length, files_to: inB.length, bytes_from: bytes(a, inA), bytes_to: bytes(b, inB), net_growth: bytes(b, inB) - bytes(a, inA),
    });
    // Every path the folder held lists once on its side, every other side path is a move.
    const rows = delta.changes.items;
    expect(rows.map((r) => r.old_relpath).filter((p): p is string => p !== null && under(folder)(p)).sort()).toEqual([...inA].sort());
    expect(rows.map((r) => r.new_relpath).filter((p): p is string => p !== null && under(folder)(p)).sort()).toEqual([...inB].sort());
    const moves = walkedMoves(a, b);
    const crossing = [...moves].filter(([old, now]) => under(folder)(old) !== under(folder)(now));
    expect(rows.filter((r) => r.kind === 'RENAMED' && under(folder)(r.old_relpath!) !== under(folder)(r.new_relpath!))
      .map((r) => [r.old_relpath, r.new_relpath]).sort()).toEqual(crossing.sort());
    for (const row of rows) expect(row.new_sha256 ?? row.old_sha256).toBe((row.new_relpath ? b.get(row.new_relpath) : a.get(row.old_relpath!))!.sha256);

    // The tree of the folder: a file that left sits where it was and says where it went.
    const tree = await walkCatalog.read((conn) => deltaTree(conn, walkRef('a'), walkRef('b'), { dir: folder, changed_only: false, limit: 1000 }));
    expect(tree.items.reduce((n, e) => n + e.net_bytes, 0)).toBe(bytes(b, inB) - bytes(a, inA));
    for (const [old, now] of crossing.filter(([old]) => under(folder)(old) && old.slice(folder.length + 1).indexOf('/') < 0)) {
      expect(tree.items.find((e) => e.entry === 'file' && e.relpath === old)).toMatchObject({ kind: 'RENAMED', old_relpath: old, new_relpath: now });
    }
  });

  it("the root's tree: each folder's line says what the walk says that folder gained or lost, moves out included", async () => {
    const a = walk(trees.a);
    const b = walk(trees.b);
    const top = (p: string): string | null => (p.includes('/') ? p.slice(0, p.indexOf('/')) : null);
    const folders = new Set([...a.keys(), ...b.keys()].map(top).filter((f): f is string => f !== null));
    const bytes = (files: Map<string, Walked>, folder: string): number => [...files].filter(([p]) => under(folder)(p)).reduce((n, [, w]) => n + w.size, 0);
    const walkRef = (version: string) => ({ service: 'walk', version });
    const tree = await walkCatalog.read((conn) => deltaTree(conn, walkRef('a'), walkRef('b'), { changed_only: false, limit: 1000 }));
    const lines = new Map(tree.items.filter((e) => e.entry === 'dir').map((e) => [e.name, e]));
    expect([...lines.keys()].sort()).toEqual([...folders].sort());
    for (const folder of folders) expect(lines.get(folder)!.net_bytes, folder).toBe(bytes(b, folder) - bytes(a, folder));
    // 'extra' lost three files to other folders: its line counts those moves.
    const movedOut = [...walkedMoves(a, b)].filter(([old, now]) => under('extra')(old) && !under('extra')(now)).length;
    expect(lines.get('extra')!.renamed_files).toBeGreaterThanOrEqual(movedOut);
    expect(tree.items.reduce((n, e) => n + e.net_bytes, 0)).toBe([...b.values()].reduce((n, w) => n + w.size, 0) - [...a.values()].reduce((n, w) => n + w.size, 0));
  });

  it('the walk really moves files across the folders it checks', () => {
    const moves = [...walkedMoves(walk(trees.a), walk(trees.b))];
    expect(moves.filter(([old, now]) => under('extra')(old) && !under('extra')(now))).toHaveLength(3);
    expect(moves.filter(([old, now]) => !under('extra')(old) && under('extra')(now))).toHaveLength(1);
  });
});
