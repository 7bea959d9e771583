/**
 * Catalog backups on the Storage page: list, create, restore (after a confirm) and compact.
 */
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { BackupInfo, CompactResult, RestoreResult } from '../../../electron/shared/contract/housekeeping.js';
import { RoleHint } from '../api/access.js';
import { useMutation, useQuery } from '../api/api-context.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { ErrorState, Skeleton } from '../components/states.js';
import { useToast } from '../components/toast.js';
import { formatBytes, formatCount, formatCountOf, formatDate } from '../lib/format.js';

function RestoreSummary({ result }: { result: RestoreResult }): ReactNode {
  return (
    <div className={`state ${result.doctor.findings ? 'state-warn' : 'state-ok'}`} role="status">
      <strong>Restored the catalog from {result.timestamp}</strong>
      <p>Versions {formatCount(result.before.versions)} → {formatCount(result.after.versions)}, files {formatCount(result.before.files)} → {formatCount(result.after.files)}.
        {result.safety_backup && <>{' '}The catalog as it was before is kept as backup <code className="mono">{result.safety_backup}</code>.</>}</p>
      <p>{result.doctor.findings === 0 ? 'Doctor: the disk agrees with the restored catalog.' : (
        <>Doctor found {formatCount(result.doctor.findings)} differences with the disk ({Object.entries(result.doctor.kinds).map(([k, n]) => `${k} ${n}`).join(', ')}). <Link to="/doctor">Review them on the Doctor page</Link>.</>
      )}</p>
    </div>
  );
}

/** The Backups section. */
export function BackupsSection(): ReactNode {
  const notify = useToast();
  const backups = useQuery('backup:list', {}, []);
  const create = useMutation('backup:create');
  const restore = useMutation('backup:restore');
  const compact = useMutation('catalog:compact');
  const [confirming, setConfirming] = useState<BackupInfo | null>(null);
  const [restored, setRestored] = useState<RestoreResult | null>(null);
  const [compacted, setCompacted] = useState<CompactResult | null>(null);
  const busy = create.pending || restore.pending || compact.pending;

  const runCreate = (): void => {
    create.run({}).then((info) => { notify(`Backed up the catalog (${formatBytes(info.bytes)}).`, 'success'); backups.refetch(); }, () => {});
  };
  const runRestore = (): void => {
    if (!confirming) return;
    restore.run({ timestamp: confirming.timestamp }).then((done) => {
      setConfirming(null); setRestored(done); backups.refetch();
    }, () => setConfirming(null));
  };
  const runCompact = (): void => {
    compact.run({}).then((done) => { setCompacted(done); backups.refetch(); }, () => {});
  };

  return (
    <section aria-labelledby="backups-title">
      <div className="page-header">
        <h2 id="backups-title">Catalog backups</h2>
        <div className="toolbar">
          <button type="button" onClick={runCreate} disabled={busy || create.refusal !== null}>{create.pending ? 'Backing up…' : 'Create backup'}</button>
          <RoleHint refusal={create.refusal} />
          <button type="button" onClick={runCompact} disabled={busy}>{compact.pending ? 'Compacting…' : 'Compact catalog'}</button>
        </div>
      </div>
      <p className="muted">A backup copies the catalog database (not the data files). Compacting rebuilds the catalog file to reclaim space left by deleted rows.</p>
      {create.error && <ErrorState error={create.error} title="Backup failed" />}
      {compact.error && <ErrorState error={compact.error} title="Compact failed" />}
      {restore.error && <ErrorState error={restore.error} title="Restore failed" />}
      {compacted && (
        <div className="state state-ok" role="status">
          <strong>Compacted the catalog</strong>
          <p>{formatBytes(compacted.bytes_before)} → {formatBytes(compacted.bytes_after)}: {formatBytes(compacted.bytes_reclaimed)} reclaimed.</p>
        </div>
      )}
      {restored && <RestoreSummary result={restored} />}
      {backups.error ? <ErrorState error={backups.error} onRetry={backups.refetch} /> : !backups.data ? <Skeleton rows={2} label="Loading backups" /> : backups.data.length === 0
        ? <p className="muted">No backups yet.</p> : (
          <table className="data-table" aria-label="Backups">
            <thead>
              <tr><th scope="col">Backup</th><th scope="col">Created</th><th scope="col" className="num">Versions</th><th scope="col" className="num">Files</th>
                <th scope="col" className="num">Size</th><th scope="col" className="num">Schema</th><th scope="col">Actions</th></tr>
            </thead>
            <tbody>
              {backups.data.map((b) => (
                <tr key={b.timestamp} tabIndex={0}>
                  <td className="mono" title={b.sha256}>{b.timestamp}</td><td>{formatDate(b.created_at)}</td><td className="num">{formatCount(b.versions)}</td>
                  <td className="num">{formatCount(b.files)}</td><td className="num">{formatBytes(b.bytes)}</td><td className="num">v{b.schema_version}</td>
                  <td>{b.status === 'ok'
                    ? <button type="button" disabled={busy} aria-label={`Restore backup ${b.timestamp}`} onClick={() => setConfirming(b)}>Restore…</button>
                    : <span className="state-warn" title={b.problem ?? undefined}>{b.status === 'missing_file' ? 'File missing' : b.status === 'size_mismatch' ? 'File cut short or changed' : 'Unreadable manifest'}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      {confirming && (
        <ConfirmDialog title="Restore this backup?" confirmLabel="Restore catalog" danger busy={restore.pending}
          onCancel={() => setConfirming(null)} onConfirm={runRestore}>
          <p>The catalog is replaced by backup <code className="mono">{confirming.timestamp}</code> ({formatCountOf(confirming.versions, 'version')}, {formatCountOf(confirming.files, 'file')}).</p>
          <p>The current catalog is backed up first, so this can be undone by restoring that backup. Data files are not touched; afterwards Doctor lists any differences with the disk.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
