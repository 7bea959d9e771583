// Issue 18 item 4 as a soak: rounds of "lose a version's data folder, gain stray files,
// doctor, apply" through the real handlers (a session per round, closed before measuring),
// watching for FATALs and the catalog file's growth.
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openSession } from '../../electron/handlers/session.js';
import { addVersion } from '../helpers/housekeeping-fixtures.js';

/** What one round left behind, measured after both CLI children exited. */
export interface RoundSize {
  /** catalog.duckdb bytes. */
  readonly file: number;
  /** catalog.duckdb.wal bytes (0 when absent: every CLI run checkpoints on close). */
  readonly wal: number;
  /** DuckDB's own block counts (`PRAGMA database_size`). */
  readonly used_blocks: number;
  readonly free_blocks: number;
  /** Row counts of the tables the rounds write. */
  readonly plans: number;
  readonly events: number;
  readonly file_damage: number;
}

export interface RoundsResult {
  readonly rounds: number;
  readonly failed_rounds: number;
  readonly fatals: number;
  /** Catalog file bytes (plus WAL) after each round. */
  readonly sizes: readonly number[];
  readonly details: readonly RoundSize[];
  readonly problems: readonly string[];
}

function sizeOf(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

/** Measures the catalog read-only with DuckDB alone, outside Ontocat's code. */
async function measure(root: string): Promise<RoundSize> {
  const dbPath = path.join(root, 'catalog.duckdb');
  const file = sizeOf(dbPath);
  const wal = sizeOf(`${dbPath}.wal`);
  const instance = await DuckDBInstance.create(dbPath, { access_mode: 'READ_ONLY' });
  try {
    const conn = await instance.connect();
    const one = async (sql: string): Promise<Record<string, unknown>> => (await conn.runAndReadAll(sql)).getRowObjects()[0]!;
    const size = await one('PRAGMA database_size');
    const counts = await one('SELECT (SELECT count(*) FROM plans) AS plans, (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM file_damage) AS file_damage');
    conn.closeSync();
    return {
      file, wal,
      used_blocks: Number(size.used_blocks), free_blocks: Number(size.free_blocks),
      plans: Number(counts.plans), events: Number(counts.events), file_damage: Number(counts.file_damage),
    };
  } finally {
    instance.closeSync();
  }
}

/** Seeds three versions of `files` files each, then runs `rounds` doctor rounds with `strays` stray files each. */
export async function doctorRounds(base: string, options: { files: number; strays: number; rounds: number; log: (line: string) => void }): Promise<RoundsResult> {
  const root = path.join(base, 'rounds');
  const session = await openSession({ actor: 'soak', root });
  try {
    for (const version of ['v1', 'v2', 'v3']) {
      const files = Object.fromEntries(Array.from({ length: options.files }, (_, i) => [`d${i % 50}/f${i}.txt`, `${version} file ${i}`]));
      await addVersion(session.catalog, { service: 'svc', version, files });
    }
  } finally {
    await session.close();
  }
  const sizes: number[] = [];
  const details: RoundSize[] = [];
  const problems: string[] = [];
  let fatals = 0;
  let failed = 0;
  for (let round = 1; round <= options.rounds; round += 1) {
    const versions = ['v1', 'v2', 'v3'];
    rmSync(path.join(root, 'svc', versions[round % 3]!, 'data'), { recursive: true, force: true });
    const strays = path.join(root, 'svc', versions[(round + 1) % 3]!, 'data', `stray${round}`);
    mkdirSync(strays, { recursive: true });
    for (let i = 0; i < options.strays; i += 1) writeFileSync(path.join(strays, `s${i}.txt`), `stray ${round} ${i}`);
    // Doctor and apply through the same handlers the CLI runs, each round in a session of its
    // own that closes (and checkpoints) before the file is measured, as a CLI run would: the
    // rounds run in this process because on a loaded machine starting two Node processes a
    // round cost far more than the round's work (a kill trial needs a child; a round does not).
    const roundStarted = Date.now();
    let ok = true;
    let session: Awaited<ReturnType<typeof openSession>> | null = null;
    try {
      session = await openSession({ actor: 'soak', root });
      const plan = await session.call('doctor:plan', {});
      await session.call('doctor:apply', { plan_id: plan.plan_id });
    } catch (error) {
      ok = false;
      const message = error instanceof Error ? error.message : String(error);
      if (/FATAL|database has been invalidated/i.test(message)) fatals += 1;
      problems.push(`round ${round}: ${message.split('\n')[0]}`);
    } finally {
      try {
        await session?.close();
      } catch (error) {
        ok = false;
        problems.push(`round ${round}: closing the catalog failed: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    if (!ok) failed += 1;
    const size = await measure(root);
    details.push(size);
    sizes.push(size.file + size.wal);
    options.log(`  round ${round}: ${ok ? 'ok' : 'FAILED'} in ${((Date.now() - roundStarted) / 1000).toFixed(0)} s, catalog ${(size.file / 1e6).toFixed(2)} MB + WAL ${(size.wal / 1e6).toFixed(2)} MB, `
      + `blocks ${size.used_blocks} used / ${size.free_blocks} free, rows: ${size.plans} plans, ${size.events} events, ${size.file_damage} damage`);
  }
  return { rounds: options.rounds, failed_rounds: failed, fatals, sizes, details, problems };
}
