// The fast delta queries against the reference semantics of the `version_delta` macros
// (migrations/0003_file_delta.sql), on random version pairs full of traps: renames into,
// out of and across folders, case-only moves, splits, collapses, shared hashes, format
// changes on a move, identical and empty versions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDelta, deltaTree } from '../../../electron/catalog/delta-queries.js';
import { versionId } from '../../../electron/catalog/ids.js';
import type { Catalog } from '../../../electron/catalog/open-catalog.js';
import type { NewFile } from '../../../electron/catalog/write-records.js';
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
const referenceFormats = `SELECT format, count(*) FILTER (WHERE old_in) AS files_from, count(*) FILTER (WHERE new_in) AS files_to,
    COALESCE(sum(old_size) FILTER (WHERE old_in), 0)::BIGINT AS bytes_from, COALESCE(sum(new_size) FILTER (WHERE new_in), 0)::BIGINT AS bytes_to,
    ${['ADDED', 'REMOVED', 'MODIFIED', 'RENAMED', 'UNCHANGED'].map((kind) => `count(*) FILTER (WHERE kind = '${kind}') AS ${kind.toLowerCase()}_files,
    COALESCE(sum(${kind === 'REMOVED' ? 'old_size' : 'new_size'}) FILTER (WHERE kind = '${kind}'), 0)::BIGINT AS ${kind.toLowerCase()}_bytes`).join(',\n    ')}
  FROM ${scoped} GROUP BY format ORDER BY format`;
const referenceTree = `SELECT CASE WHEN deep THEN 'dir' ELSE 'file' END AS entry, seg AS name,
    CASE WHEN NOT deep THEN any_value(kind) END AS kind,
    CASE WHEN NOT deep THEN any_value(CASE WHEN kind = 'RENAMED' THEN old_relpath END) END AS old_relpath,
    CASE WHEN NOT deep THEN any_value(CASE WHEN kind = 'RENAMED' THEN new_relpath END) END AS new_relpath,
    count(*) AS files, count(*) FILTER (WHERE kind = 'UNCHANGED') AS unchanged_files, count(*) FILTER (WHERE kind = 'RENAMED') AS renamed_files,
    COALESCE(sum(new_size) FILTER (WHERE new_in), 0) - COALESCE(sum(old_size) FILTER (WHERE old_in), 0) AS net_bytes
  FROM (SELECT *, split_part(rest, '/', 1) AS seg, contains(rest, '/') AS deep
        FROM (SELECT *, CASE WHEN $folder = '' THEN at_path ELSE at_path[length($folder) + 2:] END AS rest
              FROM (SELECT *, CASE WHEN new_in THEN new_relpath ELSE old_relpath END AS at_path FROM ${scoped})))
  GROUP BY seg, deep ORDER BY entry, name`;

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
        renamedAcrossFolders += changes.filter((row) => row.kind === 'RENAMED' && folder !== ''
          && !String(row.old_relpath).startsWith(`${folder}/`)).length;

        const tree = await reference(referenceTree, a, b, folder);
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
  });
});
