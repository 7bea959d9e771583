import { scanRoot, type ListedFile, type ScanSummary } from '../storage/fs-scan.js';
import type { WorkControl } from '../shared/progress.js';
import { totalmem } from 'node:os';
import type { Catalog, WriteTx } from './open-catalog.js';

/**
 * DuckDB's memory limit while a listing is loaded and compared. A million-file root
 * lists ~130 MB of rows and its joins want several times that; past the limit DuckDB
 * evicts and spills to the root's `.tmp/duckdb/`, so the process's peak RSS stays near
 * its baseline plus this limit whatever the root's size (1M files: ~330 MB, against
 * ~720 MB unbounded), for a few hundred ms more of join.
 */
export const LISTING_MEMORY_LIMIT = '160MB';

/**
 * The limit of a second try when the first ran out of memory: a quarter of the machine's
 * memory, at least 1 GB. Spilling covers joins, but not every operator can spill (and a
 * catalog can hold blocks that must be pinned whole), so a limit sized for the common
 * case must not be the reason a doctor run fails.
 */
export function listingRetryLimit(): string {
  return `${Math.max(1024, Math.floor(totalmem() / 4 / 1024 / 1024))}MB`;
}

/**
 * Runs a listing transaction under `LISTING_MEMORY_LIMIT`, and once more under
 * `listingRetryLimit()` if DuckDB ran out of memory. The listing lives in temp tables, so
 * the failed try rolls back cleanly (no catalog blocks to undo) and the retry starts afresh.
 */
export async function writeWithListingMemory<T>(catalog: Catalog, task: (tx: WriteTx) => Promise<T>): Promise<T> {
  try {
    return await catalog.write(task, { memoryLimit: LISTING_MEMORY_LIMIT });
  } catch (error) {
    if (!/Out of Memory/i.test((error as Error).message ?? '')) throw error;
    await catalog.write((tx) => tx.event('doctor.memory_retry', { first_limit: LISTING_MEMORY_LIMIT, retry_limit: listingRetryLimit() }, 'warn'));
    return catalog.write(task, { memoryLimit: listingRetryLimit() });
  }
}

const insertBlock = `INSERT INTO temp.fs_listing
  SELECT f[1], f[2], CAST(f[3] AS BIGINT), make_timestamp(CAST(f[4] AS BIGINT) * 1000), CAST(f[5] AS INTEGER)
  FROM (SELECT string_split(line, chr(9)) AS f FROM (SELECT unnest(string_split($1, chr(10))) AS line) WHERE line <> '')`;

/**
 * Scans the storage root into the temp table `temp.fs_listing`, for this transaction's checks.
 *
 * A temp table, not a table of the catalog: a scratch listing never touches the catalog
 * file (DuckDB writes large inserts into a persistent table's blocks before commit, and
 * a failure then has to undo them), and past the memory limit it spills to the temp folder.
 *
 * The walk hands over tab-separated blocks of 20,000 rows; each is split into rows by
 * one INSERT … SELECT as soon as it arrives, so DuckDB loads while the walkers walk (a
 * per-value appender would cost more than the walk itself), and the walkers wait when
 * a few blocks are queued, so the listing never piles up in JS memory. Names that cannot be
 * framed go through the appender row by row; there are normally none.
 */
export async function loadFsListing(tx: WriteTx, root: string, control: WorkControl = {}): Promise<ScanSummary> {
  await tx.run('CREATE OR REPLACE TEMP TABLE fs_listing (scope VARCHAR, relpath VARCHAR, size_bytes BIGINT, mtime TIMESTAMP, nlink INTEGER)');
  const odd: ListedFile[] = [];
  // One statement at a time on the connection: each block waits for the one before.
  let loading: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  const summary = await scanRoot(root, {
    block(text) {
      loading = loading.then(() => tx.run(insertBlock, [text])).catch((error: unknown) => { failure ??= error; });
      // Holding the walkers back until DuckDB has taken the block bounds the backlog of blocks.
      return loading;
    },
    odd(file) { odd.push(file); },
  }, control);
  await loading;
  if (failure) throw failure;
  for (const f of odd) {
    await tx.run('INSERT INTO temp.fs_listing VALUES ($1, $2, $3, make_timestamp(CAST($4 AS BIGINT) * 1000), $5)', [f.scope, f.relpath, f.size_bytes, Math.trunc(f.mtime_ms), f.nlink ?? 0]);
  }
  return summary;
}

/** Drops the listing at the end of the transaction that loaded it: it is worthless once the checks ran. */
export async function clearFsListing(tx: WriteTx): Promise<void> {
  await tx.run('DROP TABLE IF EXISTS temp.fs_listing');
}
