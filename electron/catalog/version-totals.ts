/**
 * Each version's file count and bytes (`version_file_totals`, migration 0019).
 *
 * Lists and health read these few rows instead of counting every file row of the catalog.
 * They are derived data, so every path that adds or removes file rows writes them in the
 * same transaction, recounted from the rows themselves (or, for a whole version recorded
 * at once, from exactly what was recorded); a writable open compares the whole table
 * with the rows and rebuilds it should they ever disagree.
 */
import { OntocatError } from '../shared/errors.js';
import type { WriteTx } from './open-catalog.js';

/** The totals of one version recorded as a whole (its previous rows replaced). */
export async function setVersionTotals(tx: WriteTx, versionId: string, files: number, bytes: number): Promise<void> {
  await tx.run('DELETE FROM version_file_totals WHERE version_id = $1::UUID', [versionId]);
  if (files > 0) await tx.run('INSERT INTO version_file_totals VALUES ($1::UUID, $2, $3)', [versionId, files, bytes]);
}

/** Recounts the totals of `versionIds` from their file rows (none left: no row). */
export async function recountVersionTotals(tx: WriteTx, versionIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(versionIds)];
  if (ids.length === 0) return;
  if (!ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))) {
    throw new OntocatError('INTERNAL', 'A version id to recount is not a UUID.');
  }
  const list = ids.map((id) => `'${id}'::UUID`).join(', ');
  await tx.run(`DELETE FROM version_file_totals WHERE version_id IN (${list})`);
  await tx.run(`INSERT INTO version_file_totals
    SELECT version_id, count(*), COALESCE(sum(size_bytes), 0) FROM extracted_files WHERE version_id IN (${list}) GROUP BY version_id`);
}

/** What a reconcile found: whether the totals agreed with the file rows. */
export interface TotalsCheck {
  readonly agreed: boolean;
  readonly versions_off: number;
}

/**
 * Compares every version's totals with its file rows and, where any differ, rebuilds the
 * table and records a warning (a write path that forgot them is a bug to report). One
 * aggregate over the file rows: about 10-30 ms at a million rows, on a writable open only.
 */
export async function reconcileVersionTotals(tx: WriteTx): Promise<TotalsCheck> {
  const off = await tx.scalar<number>(`WITH counted AS MATERIALIZED (
      SELECT version_id, count(*) AS files, COALESCE(sum(size_bytes), 0) AS bytes FROM extracted_files GROUP BY version_id
    )
    SELECT (SELECT count(*) FROM (SELECT * FROM counted EXCEPT ALL SELECT version_id, files, bytes FROM version_file_totals))
         + (SELECT count(*) FROM (SELECT version_id, files, bytes FROM version_file_totals EXCEPT ALL SELECT * FROM counted))`);
  const versionsOff = Number(off ?? 0);
  if (versionsOff === 0) return { agreed: true, versions_off: 0 };
  await tx.run('DELETE FROM version_file_totals');
  await tx.run(`INSERT INTO version_file_totals
    SELECT version_id, count(*), COALESCE(sum(size_bytes), 0) FROM extracted_files GROUP BY version_id`);
  await tx.event('catalog.totals_rebuilt', { versions_off: versionsOff }, 'warn');
  return { agreed: false, versions_off: versionsOff };
}
