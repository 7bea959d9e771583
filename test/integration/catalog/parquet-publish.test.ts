/**
 * The catalog published as open Parquet (issue 17): what another engine reads from
 * ROOT/parquet must be exactly what the catalog holds. Everything goes through the real
 * CLI on real files (EDAM releases, W3C Turtle tests, some of which fail validation), and
 * the published files are read back by a separate DuckDB with `read_parquet`.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hivePartition } from '../../../electron/catalog/parquet-publish.js';
import { openSession } from '../../../electron/handlers/session.js';
import { projectRoot, runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { outsideQuery as query } from '../../helpers/outside-duckdb.js';

const edam = path.join(projectRoot, 'test', 'fixtures', 'edam');
const turtle = path.join(projectRoot, 'test', 'fixtures', 'w3c-rdf11', 'rdf-turtle');

interface Manifest {
  schema_version: number;
  generation: number;
  auto: boolean;
  tables: Record<string, { rows: number; files: { path: string; rows: number }[] }>;
}
interface Report { generation: number; written: number; kept: number; removed: number; tables: { name: string; rows: number; files: number }[] }

const lit = (text: string): string => `'${text.replace(/'/g, "''")}'`;

describe('ontocat publish: the catalog as Hive-partitioned Parquet', () => {
  const { root, cleanup } = makeTempRoot('ontocat-parquet');
  const sources = makeTempRoot('ontocat-parquet-src');
  const parquet = path.join(root, 'parquet');
  const manifest = (): Manifest => JSON.parse(readFileSync(path.join(parquet, 'manifest.json'), 'utf8')) as Manifest;
  const listed = (table: string): string => `[${manifest().tables[table]!.files.map((f) => lit(path.join(parquet, f.path))).join(', ')}]`;
  const catalogDb = path.join(root, 'catalog.duckdb');
  const fromCatalog = (sql: string): string => `ATTACH ${lit(catalogDb)} AS cat (READ_ONLY); ${sql}`;

  /** A release folder: one EDAM OBO file plus W3C Turtle tests (good and bad ones). */
  const makeRelease = (name: string, edamFile: string, turtleFiles: readonly string[]): string => {
    const dir = path.join(sources.root, name);
    mkdirSync(path.join(dir, 'turtle'), { recursive: true });
    copyFileSync(path.join(edam, edamFile), path.join(dir, 'EDAM.obo'));
    for (const file of turtleFiles) copyFileSync(path.join(turtle, file), path.join(dir, 'turtle', file));
    return dir;
  };
  const turtleTests = readdirSync(turtle).filter((f) => f.endsWith('.ttl')).sort();
  const good = turtleTests.filter((f) => !f.includes('-bad-')).slice(0, 6);
  const bad = turtleTests.filter((f) => f.includes('-bad-')).slice(0, 4);

  beforeAll(async () => {
    const ingest = (dir: string, service: string, version: string): void => {
      const run = runOntocat(['ingest', dir, '--service', service, '--version', version], { root });
      expect(run.code, run.stderr).toBe(0);
    };
    expect(runOntocat(['init'], { root }).code).toBe(0);
    ingest(makeRelease('b10', 'EDAM_beta10.obo', [...good, ...bad]), 'edam+obo', 'beta10');
    ingest(makeRelease('r10', 'EDAM_1.0.obo', [...good, ...bad.slice(0, 2)]), 'edam+obo', '1.0');
    ingest(makeRelease('r11', 'EDAM_1.1.obo', good), 'edam+obo', '1.1');
    ingest(makeRelease('other', 'EDAM_1.2.obo', good.slice(0, 2)), 'other', '2024-05-01');
    // A named user sets the latest pointer (as a team-server curator would), so the
    // events carry an actor other than the CLI's front door.
    const session = await openSession({ root, actor: 'ann' });
    try {
      await session.call('latest:set', { ref: 'edam+obo/1.0' });
    } finally {
      await session.close();
    }
  }, 300_000);
  afterAll(() => { cleanup(); sources.cleanup(); });

  it('publishes every reader table, and another engine reads exactly the catalog rows back', async () => {
    const run = runOntocat(['publish', '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
    const report = run.json<Report>();
    expect(report.generation).toBe(1);
    expect(report.written).toBeGreaterThan(0);
    expect(report.kept).toBe(0);
    expect(report.tables.map((t) => t.name)).toEqual(['versions', 'artifacts', 'files', 'validations', 'events']);
    // Hive folders, one per service and version; '+' is percent-encoded as Hive does.
    expect(existsSync(path.join(parquet, 'table=files', 'service=edam%2Bobo', 'version=beta10'))).toBe(true);

    // Files: the same rows, by a set difference both ways (and the same count).
    const files = await query<{ n: number }>(fromCatalog(`
      WITH published AS (SELECT service, version, relpath, sha256, size_bytes, format FROM read_parquet(${listed('files')}, hive_partitioning = true)),
           catalog AS (SELECT v.service, v.version, f.relpath, f.sha256, f.size_bytes, f.format FROM cat.extracted_files f JOIN cat.versions v USING (version_id))
      SELECT (SELECT count(*) FROM published)::INTEGER AS n,
             (SELECT count(*) FROM catalog)::INTEGER AS c,
             (SELECT count(*) FROM (SELECT * FROM published EXCEPT ALL SELECT * FROM catalog))::INTEGER AS extra,
             (SELECT count(*) FROM (SELECT * FROM catalog EXCEPT ALL SELECT * FROM published))::INTEGER AS missing`));
    expect(files[0]).toMatchObject({ extra: 0, missing: 0 });
    expect((files[0] as unknown as { c: number }).c).toBe(files[0]!.n);
    expect(files[0]!.n).toBe(1 + 10 + 1 + 8 + 1 + 6 + 1 + 2);

    // Validations, including the failures of the W3C negative tests.
    const validations = await query<{ extra: number; missing: number; failed: number }>(fromCatalog(`
      WITH published AS (SELECT service, version, relpath, validator, rule, severity, passed, line FROM read_parquet(${listed('validations')}, hive_partitioning = true)),
           catalog AS (SELECT v.service, v.version, f.relpath, x.validator, x.rule, x.severity, x.passed, x.line
                       FROM cat.validations x JOIN cat.versions v USING (version_id) LEFT JOIN cat.extracted_files f ON f.file_id = x.file_id)
      SELECT (SELECT count(*) FROM (SELECT * FROM published EXCEPT ALL SELECT * FROM catalog))::INTEGER AS extra,
             (SELECT count(*) FROM (SELECT * FROM catalog EXCEPT ALL SELECT * FROM published))::INTEGER AS missing,
             (SELECT count(*) FROM published WHERE NOT passed AND version = 'beta10' AND relpath LIKE 'turtle/%-bad-%')::INTEGER AS failed`));
    expect(validations[0]).toEqual({ extra: 0, missing: 0, failed: 4 });

    // Versions carry the release order and the latest flag as the catalog defines them.
    const versions = await query<{ service: string; version: string; release_rank: number; is_latest: boolean }>(
      `SELECT service, version, release_rank::INTEGER AS release_rank, is_latest FROM read_parquet(${listed('versions')}) ORDER BY service, release_rank`);
    expect(versions).toEqual([
      { service: 'edam+obo', version: 'beta10', release_rank: 1, is_latest: false },
      { service: 'edam+obo', version: '1.0', release_rank: 2, is_latest: true },
      { service: 'edam+obo', version: '1.1', release_rank: 3, is_latest: false },
      { service: 'other', version: '2024-05-01', release_rank: 1, is_latest: false },
    ]);
    // Events: every catalog event, in month partitions.
    const events = await query<{ n: number; c: number }>(fromCatalog(`SELECT
      (SELECT count(*) FROM read_parquet(${listed('events')}, hive_partitioning = true))::INTEGER AS n,
      (SELECT count(*) FROM cat.events)::INTEGER AS c`));
    expect(events[0]!.n).toBe(events[0]!.c);
    // …each with who caused it: the same (event, type, actor) rows both ways.
    const actors = await query<{ extra: number; missing: number }>(fromCatalog(`
      WITH published AS (SELECT event_id, type, actor FROM read_parquet(${listed('events')}, hive_partitioning = true)),
           catalog AS (SELECT event_id::VARCHAR AS event_id, type, actor FROM cat.events)
      SELECT (SELECT count(*) FROM (SELECT * FROM published EXCEPT ALL SELECT * FROM catalog))::INTEGER AS extra,
             (SELECT count(*) FROM (SELECT * FROM catalog EXCEPT ALL SELECT * FROM published))::INTEGER AS missing`));
    expect(actors[0]).toEqual({ extra: 0, missing: 0 });
    const byActor = await query<{ type: string; actor: string }>(
      `SELECT DISTINCT type, actor FROM read_parquet(${listed('events')}, hive_partitioning = true) WHERE type IN ('ingest.completed', 'latest.set') ORDER BY type, actor`);
    expect(byActor).toEqual([{ type: 'ingest.completed', actor: 'cli' }, { type: 'latest.set', actor: 'ann' }]);
    expect(manifest()).toMatchObject({ schema_version: 3 });
  });

  // Parquet says whether a time is an instant (isAdjustedToUTC); one that is not is read in the
  // reader's own zone. A DuckDB elsewhere, in Auckland, must read the instants the CLI gives.
  it('publishes times as instants: a DuckDB in another time zone reads the instants --json gives', async () => {
    expect(runOntocat(['publish'], { root }).code).toBe(0);
    const expected = runOntocat(['versions', '--json'], { root }).json<{ service: string; version: string; created_at: string; release_date: string }[]>()
      .map((v) => ({ ref: `${v.service}/${v.version}`, created: Date.parse(v.created_at), released: Date.parse(v.release_date) }))
      .sort((a, b) => a.ref.localeCompare(b.ref));
    const read = await query<{ ref: string; created: string; released: string }>(`SET TimeZone = 'Pacific/Auckland';
      SELECT service || '/' || version AS ref, epoch_ms(created_at::TIMESTAMPTZ) AS created, epoch_ms(release_date::TIMESTAMPTZ) AS released
      FROM read_parquet(${listed('versions')}) ORDER BY ref`);
    expect(read.map((row) => ({ ref: row.ref, created: Number(row.created), released: Number(row.released) })).sort((a, b) => a.ref.localeCompare(b.ref))).toEqual(expected);
    const events = await query<{ n: number; naive: number }>(`SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE typeof(ts) <> 'TIMESTAMP WITH TIME ZONE')::INTEGER AS naive
      FROM read_parquet(${listed('events')}, hive_partitioning = true)`);
    expect(events[0]!.naive).toBe(0);
  });

  it('a glob over the table folder sees the same rows as the manifest (nothing stale is left behind)', async () => {
    const [glob] = await query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM read_parquet(${lit(`${parquet}/table=files/*/*/*.parquet`)}, hive_partitioning = true)`);
    expect(glob!.n).toBe(manifest().tables.files!.rows);
  });

  it('republishing an unchanged catalog rewrites nothing; a new version writes only its own partitions', () => {
    const before = manifest();
    const again = runOntocat(['publish', '--json'], { root }).json<Report>();
    expect(again).toMatchObject({ generation: before.generation + 1, written: 0, removed: 0 });
    expect(manifest().tables.files!.files).toEqual(before.tables.files!.files);

    const allPaths = (m: Manifest): string[] => Object.values(m.tables).flatMap((t) => t.files.map((f) => f.path));
    const pathsBefore = new Set(allPaths(before));
    const filesBefore = new Set(before.tables.files!.files.map((f) => f.path));
    const mtimes = new Map([...filesBefore].map((f) => [f, statSync(path.join(parquet, f)).mtimeMs]));
    expect(runOntocat(['ingest', makeRelease('r12', 'EDAM_1.2.obo', good.slice(0, 3)), '--service', 'edam+obo', '--version', '1.2'], { root }).code).toBe(0);
    const third = runOntocat(['publish', '--json'], { root }).json<Report>();
    const added = manifest().tables.files!.files.filter((f) => !filesBefore.has(f.path));
    expect(added.map((f) => f.path)).toEqual([expect.stringMatching(/^table=files\/service=edam%2Bobo\/version=1\.2\/part-[0-9a-f]{20}\.parquet$/)]);
    // What was written is exactly what the new manifest lists and the old one did not: the
    // versions table and this month's events (every ingest changes them) and 1.2's own
    // files and validations. A folder ingest records no artifact, so that table is kept.
    const newPaths = allPaths(manifest()).filter((p) => !pathsBefore.has(p));
    expect(third.written).toBe(newPaths.length);
    expect(newPaths.map((p) => p.split('/')[0]).sort()).toEqual(['table=events', 'table=files', 'table=validations', 'table=versions']);
    expect(newPaths.filter((p) => p.startsWith('table=files/') || p.startsWith('table=validations/')).every((p) => p.includes('/version=1.2/'))).toBe(true);
    for (const [file, mtime] of mtimes) expect(statSync(path.join(parquet, file)).mtimeMs).toBe(mtime);
  });

  it('a pruned version disappears from the published files', async () => {
    const plan = runOntocat(['prune', '--keep-last', '3', '--service', 'edam+obo', '--json'], { root });
    expect(plan.code, plan.stderr).toBe(0);
    const { plan_id: planId, removals } = plan.json<{ plan_id: string; removals: { version: string }[] }>();
    expect(removals.map((r) => r.version)).toEqual(['beta10']);
    expect(runOntocat(['prune', '--apply', planId], { root }).code).toBe(0);
    expect(runOntocat(['publish'], { root }).code).toBe(0);
    expect(existsSync(path.join(parquet, 'table=files', 'service=edam%2Bobo', 'version=beta10'))).toBe(false);
    const [row] = await query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM read_parquet(${listed('files')}, hive_partitioning = true) WHERE version = 'beta10'`);
    expect(row!.n).toBe(0);
  });

  it('with --auto on, every later change is published by the process that made it', async () => {
    expect(runOntocat(['publish', '--auto', 'on'], { root }).code).toBe(0);
    const generation = manifest().generation;
    expect(runOntocat(['latest', 'set', 'edam+obo', '1.2'], { root }).code).toBe(0);
    expect(manifest()).toMatchObject({ generation: generation + 1, auto: true });
    const latest = await query<{ version: string }>(`SELECT version FROM read_parquet(${listed('versions')}) WHERE is_latest AND service = 'edam+obo'`);
    expect(latest).toEqual([{ version: '1.2' }]);
    // A read command commits nothing and publishes nothing.
    expect(runOntocat(['versions'], { root }).code).toBe(0);
    expect(manifest().generation).toBe(generation + 1);
    // A catalog restored from a backup is what outside readers see next, not the one before it.
    const backup = runOntocat(['backup', '--json'], { root }).json<{ timestamp: string }>().timestamp;
    expect(runOntocat(['pin', 'edam+obo/1.2', '--reason', 'after the backup'], { root }).code).toBe(0);
    const pinned = async (): Promise<boolean[]> => (await query<{ pinned: boolean }>(
      `SELECT pinned FROM read_parquet(${listed('versions')}) WHERE service = 'edam+obo' AND version = '1.2'`)).map((row) => row.pinned);
    expect(await pinned()).toEqual([true]);
    const restored = runOntocat(['restore', backup], { root });
    expect(restored.code, restored.stderr).toBe(0);
    expect(await pinned()).toEqual([false]);
    expect(runOntocat(['publish', '--auto', 'off'], { root }).code).toBe(0);
    expect(runOntocat(['latest', 'set', 'edam+obo', '1.1'], { root }).code).toBe(0);
    expect(manifest()).toMatchObject({ generation: generation + 5, auto: false });
    expect(runOntocat(['publish', '--auto', 'maybe'], { root }).code).toBe(2);
  });

  it('doctor does not take the published files for strays', () => {
    const doctor = runOntocat(['doctor', '--json'], { root });
    expect(doctor.code, doctor.stderr).toBe(0);
    expect(doctor.stdout).not.toContain('parquet/');
  });

  it('refuses to publish through a symlinked parquet folder, writing nothing outside the root', () => {
    const elsewhere = makeTempRoot('ontocat-parquet-outside');
    const linked = makeTempRoot('ontocat-parquet-linked');
    try {
      expect(runOntocat(['init'], { root: linked.root }).code).toBe(0);
      symlinkSync(elsewhere.root, path.join(linked.root, 'parquet'));
      const run = runOntocat(['publish'], { root: linked.root });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/'parquet' is a symbolic link inside the storage root/);
      expect(readdirSync(elsewhere.root)).toEqual([]);
    } finally {
      elsewhere.cleanup();
      linked.cleanup();
    }
  });
});

describe('Hive partition names', () => {
  it('decode in DuckDB to the value they encode, whatever its characters', async () => {
    const { root, cleanup } = makeTempRoot('ontocat-hive');
    try {
      const values = ['plain-1.0', 'a+b', 'x=y', '100%', 'with space', 'é/ü', "it's"];
      const instance = await DuckDBInstance.create(':memory:');
      const conn = await instance.connect();
      for (const [i, value] of values.entries()) {
        const dir = path.join(root, 't', hivePartition('v', value));
        mkdirSync(dir, { recursive: true });
        await conn.run(`COPY (SELECT ${i} AS i) TO ${lit(path.join(dir, 'part.parquet'))} (FORMAT parquet)`);
      }
      const rows = (await conn.runAndReadAll(`SELECT i, v FROM read_parquet(${lit(`${root}/t/*/part.parquet`)}, hive_partitioning = true, hive_types_autocast = false) ORDER BY i`)).getRowObjectsJson();
      conn.closeSync();
      instance.closeSync();
      expect(rows.map((r) => r.v)).toEqual(values);
    } finally {
      cleanup();
    }
  });
});
