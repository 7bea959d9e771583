/**
 * The trash: what prune and doctor moved aside, with Restore per plan and Empty trash.
 */
import { useState, type ReactNode } from 'react';
import type { TrashEntry } from '../../../electron/shared/contract/housekeeping.js';
import { useMutation, useQuery } from '../api/api-context.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { JobProgressBar, useJobProgress } from '../components/job-progress.js';
import { ErrorState, Skeleton } from '../components/states.js';
import { useToast } from '../components/toast.js';
import { formatBytes, formatCount, formatDate } from '../lib/format.js';

const rowsText = (rows: TrashEntry['rows']): string =>
  Object.entries(rows).filter(([, n]) => n > 0).map(([table, n]) => `${formatCount(n)} ${table}`).join(', ') || '—';

/** Lists the trash; `refreshKey` changes when a prune moved something in. */
export function TrashSection({ refreshKey }: { refreshKey: number }): ReactNode {
  const notify = useToast();
  const trash = useQuery('trash:list', {}, [refreshKey]);
  const restore = useMutation('trash:restore');
  const empty = useMutation('trash:empty');
  const [restoring, setRestoring] = useState<string | null>(null);
  const [emptying, setEmptying] = useState(false);
  const progress = useJobProgress('trash-restore', restore.pending);

  if (trash.error) return <ErrorState error={trash.error} onRetry={trash.refetch} />;
  if (!trash.data) return <Skeleton rows={2} label="Loading trash" />;
  const entries = trash.data;
  const runRestore = (planId: string): void => {
    setRestoring(planId);
    restore.run({ plan_id: planId }).then((done) => {
      notify(`Restored ${formatCount(done.files)} files (${formatBytes(done.bytes)}) from the trash.`, 'success');
      trash.refetch();
    }, (error: Error) => notify(error.message, 'error')).finally(() => setRestoring(null));
  };
  const runEmpty = (): void => {
    empty.run({}).then((done) => {
      setEmptying(false);
      notify(`Emptied the trash: ${formatCount(done.removed.length)} entries, ${formatBytes(done.bytes)} deleted for good.`, 'success');
      trash.refetch();
    }, (error: Error) => { setEmptying(false); notify(error.message, 'error'); });
  };
  const totalBytes = entries.reduce((n, t) => n + t.bytes, 0);

  return (
    <>
      {entries.length === 0 ? <p className="muted">The trash is empty.</p> : (
        <>
          <table className="data-table" aria-label="Trash">
            <thead>
              <tr><th scope="col">Plan</th><th scope="col">Kind</th><th scope="col">Moved</th><th scope="col">Status</th><th scope="col" className="num">Files</th>
                <th scope="col" className="num">Size</th><th scope="col">Catalog rows</th><th scope="col">Actions</th></tr>
            </thead>
            <tbody>
              {entries.map((t) => (
                <tr key={t.plan_id} tabIndex={0}>
                  <td className="mono" title={t.plan_id}>{t.plan_id}</td>
                  <td>{t.kind}</td>
                  <td>{formatDate(t.created_at)}</td>
                  <td>{t.status}</td>
                  <td className="num">{formatCount(t.files)}</td>
                  <td className="num">{formatBytes(t.bytes)}</td>
                  <td>{rowsText(t.rows)}</td>
                  <td>
                    <button type="button" disabled={restore.pending || t.status !== 'trashed'} aria-label={`Restore plan ${t.plan_id}`}
                      onClick={() => runRestore(t.plan_id)}>{restoring === t.plan_id ? 'Restoring…' : 'Restore'}</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {restore.pending && <JobProgressBar label="Restore progress" progress={progress} />}
          <div className="toolbar">
            <button type="button" className="danger" disabled={restore.pending || empty.pending} onClick={() => setEmptying(true)}>Empty trash…</button>
          </div>
        </>
      )}
      {emptying && (
        <ConfirmDialog title="Empty the trash?" confirmLabel="Delete for good" danger busy={empty.pending}
          onCancel={() => setEmptying(false)} onConfirm={runEmpty}>
          <p>{formatCount(entries.length)} trash entries ({formatBytes(totalBytes)}) are deleted for good. They can no longer be restored.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
