/**
 * The trash: what prune and doctor moved aside, per plan with its files, bytes, age and
 * the space emptying it gives back; restore or empty one plan, empty those older than N
 * days, or empty all, each after a confirmation.
 */
import { Fragment, useState, type ReactNode } from 'react';
import type { TrashEntry } from '../../../electron/shared/contract/housekeeping.js';
import { useMutation, useQuery } from '../api/api-context.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { JobProgressBar, useJobProgress } from '../components/job-progress.js';
import { ErrorState, Skeleton } from '../components/states.js';
import { useToast } from '../components/toast.js';
import { formatBytes, formatCount, formatCountOf, formatDate } from '../lib/format.js';

const DAY = 86_400_000;
/** Files of one entry listed when it is opened. */
const FILES_SHOWN = 200;

const rowsText = (rows: TrashEntry['rows']): string =>
  Object.entries(rows).filter(([, n]) => n > 0).map(([table, n]) => `${table}: ${formatCount(n)}`).join(', ') || '—';

/** "today", "1 day", "12 days". */
export function ageText(iso: string, now = Date.now()): string {
  const days = Math.floor((now - Date.parse(iso)) / DAY);
  return days <= 0 ? 'today' : `${days} day${days === 1 ? '' : 's'}`;
}

function TrashFiles({ planId }: { planId: string }): ReactNode {
  const files = useQuery('trash:files', { plan_id: planId, limit: FILES_SHOWN }, [planId]);
  if (files.error) return <ErrorState error={files.error} />;
  if (!files.data) return <Skeleton rows={2} label="Loading trashed files" />;
  return (
    <>
      <ul className="trash-files mono" aria-label={`Files of ${planId}`}>
        {files.data.items.map((f) => <li key={f.relpath}>{f.relpath} <span className="muted">({formatBytes(f.bytes)})</span></li>)}
      </ul>
      {files.data.total > files.data.items.length && <p className="muted">…and {formatCount(files.data.total - files.data.items.length)} more.</p>}
    </>
  );
}

type Pending =
  | { readonly kind: 'restore'; readonly entry: TrashEntry }
  | { readonly kind: 'empty-one'; readonly entry: TrashEntry }
  | { readonly kind: 'empty-older'; readonly days: number; readonly entries: readonly TrashEntry[] }
  | { readonly kind: 'empty-all'; readonly entries: readonly TrashEntry[] };

/** Lists the trash; `refreshKey` changes when something was moved in. */
export function TrashSection({ refreshKey }: { refreshKey: number }): ReactNode {
  const notify = useToast();
  const trash = useQuery('trash:list', {}, [refreshKey]);
  const restore = useMutation('trash:restore');
  const empty = useMutation('trash:empty');
  const [pending, setPending] = useState<Pending | null>(null);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const [olderThan, setOlderThan] = useState('30');
  const progress = useJobProgress('trash-restore', restore.pending, restore.requestId);

  if (trash.error) return <ErrorState error={trash.error} onRetry={trash.refetch} />;
  if (!trash.data) return <Skeleton rows={2} label="Loading trash" />;
  const entries = trash.data;
  const emptiable = entries.filter((t) => t.status === 'trashed');
  const sum = (list: readonly TrashEntry[], key: 'disk_bytes' | 'freed_bytes'): number => list.reduce((n, t) => n + t[key], 0);
  const busy = restore.pending || empty.pending;
  const toggle = (planId: string): void => setOpen((set) => {
    const next = new Set(set);
    if (next.has(planId)) next.delete(planId); else next.add(planId);
    return next;
  });
  const done = (): void => { setPending(null); trash.refetch(); };
  const failed = (error: Error): void => { setPending(null); notify(error.message, 'error'); };

  const confirm = (): void => {
    if (!pending) return;
    if (pending.kind === 'restore') {
      restore.run({ plan_id: pending.entry.plan_id }).then((r) => {
        const stored = r.already_stored > 0 ? ` ${formatCountOf(r.already_stored, 'stored object')} had been stored again by a later version; the restored files link to ${r.already_stored === 1 ? 'it' : 'them'}.` : '';
        notify(`Restored ${formatCountOf(r.files, 'file')} (${formatBytes(r.bytes)}) from the trash.${stored}`, 'success');
        done();
      }, failed);
      return;
    }
    // The entries the dialog listed, by id: emptying "all" or "older than" as the server sees
    // them then would also delete, unseen, what another client moved to the trash meanwhile.
    const input = pending.kind === 'empty-one' ? { plan_id: pending.entry.plan_id }
      : pending.kind === 'empty-older' ? { older_than_days: pending.days, plan_ids: pending.entries.map((t) => t.plan_id) }
      : { plan_ids: pending.entries.map((t) => t.plan_id) };
    empty.run(input).then((r) => {
      notify(`Emptied ${formatCount(r.removed.length)} trash ${r.removed.length === 1 ? 'entry' : 'entries'}: ${formatBytes(r.bytes)} deleted for good, ${formatBytes(r.freed_bytes)} of disk space freed.`, 'success');
      done();
    }, failed);
  };
  const olderDays = Number(olderThan);
  const olderEntries = Number.isFinite(olderDays) && olderThan !== '' ? emptiable.filter((t) => Date.now() - Date.parse(t.created_at) >= olderDays * DAY) : [];

  return (
    <>
      {entries.length === 0 ? <p className="muted">The trash is empty.</p> : (
        <>
          <p aria-label="Trash totals">
            {formatCount(entries.length)} {entries.length === 1 ? 'entry' : 'entries'}, {formatBytes(sum(entries, 'disk_bytes'))} in the trash;
            emptying it frees <strong>{formatBytes(sum(entries, 'freed_bytes'))}</strong> of disk space (files still linked from kept versions free nothing).
          </p>
          {empty.refusal && <p className="muted small">Restoring and emptying the trash: {empty.refusal.toLowerCase()}</p>}
          <table className="data-table" aria-label="Trash">
            <thead>
              <tr><th scope="col">Plan</th><th scope="col">Kind</th><th scope="col">Versions</th><th scope="col">Moved</th><th scope="col">Age</th><th scope="col">Status</th>
                <th scope="col" className="num">Files</th><th scope="col" className="num" title="Disk space its files take (a file and its content-store copy are one)">Size on disk</th><th scope="col" className="num">Freed when emptied</th>
                <th scope="col">Catalog rows</th><th scope="col">Actions</th></tr>
            </thead>
            <tbody>
              {entries.map((t) => (
                <Fragment key={t.plan_id}>
                  <tr aria-label={t.plan_id}>
                    <td className="mono" title={t.plan_id}>{t.plan_id}</td>
                    <td>{t.kind}</td>
                    <td className="wrap-cell">{t.versions.join(', ') || '—'}</td>
                    <td>{formatDate(t.created_at)}</td>
                    <td>{ageText(t.created_at)}</td>
                    <td>{t.status === 'unreadable_manifest' ? <span className="badge badge-bad" title={t.problem}>unreadable manifest</span> : t.status}</td>
                    <td className="num">{formatCount(t.files)}</td>
                    <td className="num">{formatBytes(t.disk_bytes)}</td>
                    <td className="num">{formatBytes(t.freed_bytes)}</td>
                    <td className="wrap-cell">{rowsText(t.rows)}</td>
                    <td className="actions">
                      <button type="button" aria-expanded={open.has(t.plan_id)} aria-label={`Files of plan ${t.plan_id}`} onClick={() => toggle(t.plan_id)}>
                        {open.has(t.plan_id) ? 'Hide files' : 'Files'}
                      </button>
                      <button type="button" disabled={busy || t.status !== 'trashed' || restore.refusal !== null} title={restore.refusal ?? undefined} aria-label={`Restore plan ${t.plan_id}`}
                        onClick={() => setPending({ kind: 'restore', entry: t })}>Restore…</button>
                      <button type="button" className="danger" disabled={busy || t.status !== 'trashed' || empty.refusal !== null} title={empty.refusal ?? undefined} aria-label={`Empty plan ${t.plan_id}`}
                        onClick={() => setPending({ kind: 'empty-one', entry: t })}>Empty…</button>
                    </td>
                  </tr>
                  {open.has(t.plan_id) && (
                    <tr><td colSpan={11}><TrashFiles planId={t.plan_id} /></td></tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
          {restore.pending && <JobProgressBar label="Restore progress" progress={progress} />}
          <div className="toolbar">
            <span className="field">
              <label htmlFor="trash-older">Older than (days)</label>
              <input id="trash-older" type="number" min={0} value={olderThan} onChange={(e) => setOlderThan(e.target.value)} />
            </span>
            <button type="button" className="danger" disabled={busy || olderEntries.length === 0}
              onClick={() => setPending({ kind: 'empty-older', days: olderDays, entries: olderEntries })}>Empty older…</button>
            <button type="button" className="danger" disabled={busy || emptiable.length === 0} onClick={() => setPending({ kind: 'empty-all', entries: emptiable })}>Empty trash…</button>
          </div>
        </>
      )}
      {pending && (
        <ConfirmDialog
          title={pending.kind === 'restore' ? 'Restore this plan?' : pending.kind === 'empty-one' ? 'Empty this plan from the trash?' : pending.kind === 'empty-older' ? `Empty entries older than ${pending.days} days?` : 'Empty the trash?'}
          confirmLabel={pending.kind === 'restore' ? 'Restore' : 'Delete for good'} danger={pending.kind !== 'restore'} busy={busy}
          onCancel={() => setPending(null)} onConfirm={confirm}>
          {pending.kind === 'restore' ? (
            <p>{formatCountOf(pending.entry.files, 'file')} ({formatBytes(pending.entry.bytes)}) of <code className="mono">{pending.entry.plan_id}</code> go back where they were
              {pending.entry.versions.length > 0 && <>, and {pending.entry.versions.join(', ')} return{pending.entry.versions.length === 1 ? 's' : ''} to the catalog</>}.
              A file whose place is taken again stops the restore before anything moves.</p>
          ) : (() => {
            const list = pending.kind === 'empty-one' ? [pending.entry] : pending.entries;
            return (
              <p>{formatCount(list.length)} trash {list.length === 1 ? 'entry' : 'entries'} ({formatBytes(sum(list, 'disk_bytes'))}) {list.length === 1 ? 'is' : 'are'} deleted for good,
                freeing {formatBytes(sum(list, 'freed_bytes'))} of disk space. {list.length === 1 ? 'It' : 'They'} can no longer be restored.</p>
            );
          })()}
        </ConfirmDialog>
      )}
    </>
  );
}
