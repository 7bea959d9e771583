import { scanRoot, type ListedFile, type ScanSummary } from '../storage/fs-scan.js';
import type { WorkControl } from '../shared/progress.js';
import type { ColumnSpec, WriteTx } from './open-catalog.js';

const listingColumns: readonly ColumnSpec[] = [
  { name: 'scope', type: 'varchar' },
  { name: 'relpath', type: 'varchar' },
  { name: 'size_bytes', type: 'bigint' },
  { name: 'mtime', type: 'timestamp' },
];

/**
 * Scans the storage root into `staging_fs_listing`, replacing the previous listing.
 *
 * The walk hands over tab-separated blocks of 20,000 rows; each block is one appender
 * value, split into rows by a single INSERT … SELECT at the end (per-value appender calls
 * would cost more than the walk itself). Names that cannot be framed go through the
 * appender row by row; there are normally none.
 */
export async function loadFsListing(tx: WriteTx, root: string, control: WorkControl = {}): Promise<ScanSummary> {
  await tx.run('DELETE FROM staging_fs_listing');
  await tx.run('CREATE TEMP TABLE IF NOT EXISTS stage_listing_blocks (block VARCHAR)');
  await tx.run('DELETE FROM temp.stage_listing_blocks');
  const odd: ListedFile[] = [];
  const appender = await tx.raw.createAppender('stage_listing_blocks', 'main', 'temp');
  let summary: ScanSummary;
  try {
    summary = await scanRoot(root, {
      block(text) {
        appender.appendVarchar(text);
        appender.endRow();
      },
      odd(file) { odd.push(file); },
    }, control);
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  await tx.run(`INSERT INTO staging_fs_listing
    SELECT f[1], f[2], CAST(f[3] AS BIGINT), make_timestamp(CAST(f[4] AS BIGINT) * 1000)
    FROM (SELECT string_split(line, chr(9)) AS f
          FROM (SELECT unnest(string_split(block, chr(10))) AS line FROM temp.stage_listing_blocks)
          WHERE line <> '')`);
  await tx.run('DELETE FROM temp.stage_listing_blocks');
  if (odd.length > 0) {
    await tx.append('staging_fs_listing', listingColumns, odd.map((f) => [f.scope, f.relpath, f.size_bytes, f.mtime_ms]));
  }
  return summary;
}

/**
 * Empties the listing at the end of the transaction that loaded it.
 *
 * The listing is a working table of one scan, worthless once the checks ran: rows
 * appended and deleted in one transaction never reach the WAL, which saves writing a
 * million-row snapshot to disk on every doctor run.
 */
export async function clearFsListing(tx: WriteTx): Promise<void> {
  await tx.run('DELETE FROM staging_fs_listing');
}
