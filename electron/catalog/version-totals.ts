/**
 * Each version's file count, bytes and validation health counts (`version_totals`, migration 0019).
 *
 * Lists and health read these few rows instead of aggregating every file row and every
 * validation of the catalog. They are derived data, defined once by the
 * `version_totals_counted` macro: every path that writes file rows or validations
 * recounts its versions in the same transaction (a version's files recorded as a whole
 * set its count and bytes to what was recorded); a writable open compares files and
 * bytes with the rows, and the doctor compares everything, rebuilding the table should
 * they ever disagree.
 */
import { OntocatError } from '../shared/errors.js';
import { UUID_TEXT } from './ids.js';
import type { WriteTx } from './open-catalog.js';

/** Recounts the totals of `versionIds` from their rows (a version with none left: no row). */
export async function recountVersionTotals(tx: WriteTx, versionIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(versionIds)];
  if (ids.length === 0) return;
  if (!ids.every((id) => UUID_TEXT.test(id))) throw new OntocatError('INTERNAL', 'A version id to recount is not a UUID.');
  const list = ids.map((id) => `'${id}'::UUID`).join(', ');
  await tx.run(`DELETE FROM version_totals WHERE version_id IN (${list})`);
  await tx.run(`INSERT INTO version_totals SELECT * FROM version_totals_counted([${list}])`);
}

/**
 * A version's file count and bytes after its file rows were recorded as a whole: exactly
 * what was recorded (every staged line became a row, or the insert failed), with its
 * health counts as they were (they count validations, which recording files leaves
 * alone). Saves a recount's scan of the catalog's file rows and validations on every
 * ingest (10-25 ms at a million of each).
 */
export async function setVersionFileTotals(tx: WriteTx, versionId: string, files: number, bytes: number): Promise<void> {
  if (!UUID_TEXT.test(versionId)) throw new OntocatError('INTERNAL', 'A version id to count is not a UUID.');
  const health = await tx.one<Record<(typeof HEALTH_COLUMNS)[number], number>>(
    `SELECT ${HEALTH_COLUMNS.join(', ')} FROM version_totals WHERE version_id = $1::UUID`, [versionId],
  );
  await tx.run('DELETE FROM version_totals WHERE version_id = $1::UUID', [versionId]);
  const counts = HEALTH_COLUMNS.map((column) => Number(health?.[column] ?? 0));
  // No files and no validations: no row, as a recount leaves it.
  if (files === 0 && counts.every((count) => count === 0)) return;
  await tx.run(`INSERT INTO version_totals (version_id, files, bytes, ${HEALTH_COLUMNS.join(', ')})
    VALUES ($1::UUID, $2, $3, ${HEALTH_COLUMNS.map((_, i) => `$${i + 4}`).join(', ')})`, [versionId, files, bytes, ...counts]);
}

/** The kept health counts of a version (version_totals' columns after files and bytes). */
const HEALTH_COLUMNS = ['files_checked', 'files_unparsable', 'files_with_errors', 'files_with_warnings', 'errors', 'warnings', 'infos'] as const;

/** What a reconcile found: how many kept rows disagreed with a count from the rows (0: none). */
export interface TotalsCheck {
  readonly rows_off: number;
}

/**
 * The kept rows a check compares, next to the same rows counted afresh: `files` compares
 * file counts and bytes (one aggregate over the file rows: about 10-30 ms at a million
 * rows, done on every writable open; a version with validations and no files keeps a row
 * of 0 files, left out here); `all` also the health counts, which read every validation
 * (the doctor's check).
 */
const CHECKS = {
  files: {
    counted: 'SELECT version_id, count(*) AS files, COALESCE(sum(size_bytes), 0) AS bytes FROM extracted_files GROUP BY version_id',
    kept: 'SELECT version_id, files, bytes FROM version_totals WHERE files > 0',
  },
  all: {
    counted: 'SELECT * FROM version_totals_counted(NULL)',
    kept: 'SELECT * FROM version_totals',
  },
} as const;

/**
 * Compares the kept totals with a count from the rows and, where any differ, rebuilds the
 * table and records a warning (a write path that forgot them is a bug to report).
 */
export async function reconcileVersionTotals(tx: WriteTx, scope: keyof typeof CHECKS = 'files'): Promise<TotalsCheck> {
  const { counted, kept } = CHECKS[scope];
  const off = Number(await tx.scalar<number>(`WITH counted AS MATERIALIZED (${counted}), kept AS MATERIALIZED (${kept})
    SELECT (SELECT count(*) FROM (SELECT * FROM counted EXCEPT ALL SELECT * FROM kept))
         + (SELECT count(*) FROM (SELECT * FROM kept EXCEPT ALL SELECT * FROM counted))`) ?? 0);
  if (off === 0) return { rows_off: 0 };
  await tx.run('DELETE FROM version_totals');
  await tx.run('INSERT INTO version_totals SELECT * FROM version_totals_counted(NULL)');
  await tx.event('catalog.totals_rebuilt', { rows_off: off, compared: scope }, 'warn');
  return { rows_off: off };
}
