/**
 * Prune: a retention policy, a preview of what it removes (and why the rest is kept),
 * a large-deletion guard, confirm-to-apply, and the trash with restore.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useChannelAvailable, useMutation, useQuery } from '../api/api-context.js';
import type { PendingInput, PrunePlan } from '../api/pending-channels.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { StatCard } from '../components/stat-card.js';
import { EmptyState, ErrorState, NotAvailable, Skeleton } from '../components/states.js';
import { useToast } from '../components/toast.js';
import { formatBytes, formatCount, formatDate } from '../lib/format.js';

function Trash(): ReactNode {
  const notify = useToast();
  const available = useChannelAvailable('trash:list');
  const trash = useQuery('trash:list', available ? {} : null, [available]);
  const restore = useMutation('trash:restore');
  if (!available) return <NotAvailable feature="The trash" />;
  if (trash.error) return <ErrorState error={trash.error} onRetry={trash.refetch} />;
  if (!trash.data) return <Skeleton rows={2} label="Loading trash" />;
  if (trash.data.length === 0) return <p className="muted">The trash is empty.</p>;
  return (
    <table className="data-table" aria-label="Trash">
      <thead><tr><th scope="col">Plan</th><th scope="col">Pruned</th><th scope="col">Versions</th><th scope="col" className="num">Files</th><th scope="col" className="num">Size</th><th scope="col">Actions</th></tr></thead>
      <tbody>
        {trash.data.map((t) => (
          <tr key={t.plan_id} tabIndex={0}>
            <td className="mono">{t.plan_id.slice(0, 12)}</td>
            <td>{formatDate(t.created_at)}</td>
            <td>{(t.versions ?? []).map((v) => `${v.service}/${v.version}`).join(', ') || '—'}</td>
            <td className="num">{formatCount(t.files)}</td>
            <td className="num">{formatBytes(t.bytes)}</td>
            <td>
              <button type="button" disabled={restore.pending} aria-label={`Restore plan ${t.plan_id}`} onClick={() => {
                restore.run({ plan_id: t.plan_id }).then(() => { notify('Restored from the trash.', 'success'); trash.refetch(); },
                  (error: Error) => notify(error.message, 'error'));
              }}>Restore</button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `/prune` */
export function PrunePage(): ReactNode {
  const canPlan = useChannelAvailable('prune:plan');
  const canApply = useChannelAvailable('prune:apply');
  const notify = useToast();
  const [keepLast, setKeepLast] = useState('3');
  const [newerThan, setNewerThan] = useState('');
  const [service, setService] = useState('');
  const [orphansOnly, setOrphansOnly] = useState(false);
  const [allowLarge, setAllowLarge] = useState(false);
  const [plan, setPlan] = useState<PrunePlan | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [trashKey, setTrashKey] = useState(0);
  const services = useQuery('services:list', {}, []);
  const planner = useMutation('prune:plan');
  const apply = useMutation('prune:apply');

  if (!canPlan || !canApply) {
    return <section className="page" aria-labelledby="prune-title"><header className="page-header"><h1 id="prune-title">Prune</h1></header><NotAvailable feature="Prune" /></section>;
  }

  const policy = (): PendingInput<'prune:plan'> => ({
    keep_last: keepLast ? Number(keepLast) : undefined,
    newer_than_days: newerThan ? Number(newerThan) : undefined,
    service: service || undefined,
    orphans_only: orphansOnly || undefined,
    allow_large: allowLarge || undefined,
  });
  const preview = (event?: FormEvent): void => {
    event?.preventDefault();
    setPlan(null);
    planner.run(policy()).then(setPlan, () => {});
  };
  const runApply = (): void => {
    if (!plan) return;
    apply.run({ plan_id: plan.plan_id }).then(() => {
      notify(`Moved ${formatCount(plan.files_removed)} files (${formatBytes(plan.bytes)}) to the trash.`, 'success');
      setConfirming(false); setPlan(null); setTrashKey((n) => n + 1);
    }, () => setConfirming(false));
  };
  const blocked = plan?.needs_allow_large === true && !allowLarge;

  return (
    <section className="page" aria-labelledby="prune-title">
      <header className="page-header"><h1 id="prune-title">Prune</h1></header>
      <form className="policy" aria-label="Retention policy" onSubmit={preview}>
        <span className="field">
          <label htmlFor="prune-keep">Keep the last N versions</label>
          <input id="prune-keep" type="number" min={1} value={keepLast} onChange={(e) => setKeepLast(e.target.value)} />
        </span>
        <span className="field">
          <label htmlFor="prune-newer">Also keep versions newer than (days)</label>
          <input id="prune-newer" type="number" min={0} value={newerThan} onChange={(e) => setNewerThan(e.target.value)} />
        </span>
        <span className="field">
          <label htmlFor="prune-service">Service</label>
          <select id="prune-service" value={service} onChange={(e) => setService(e.target.value)}>
            <option value="">All services</option>
            {(services.data ?? []).map((s) => <option key={s.service} value={s.service}>{s.service}</option>)}
          </select>
        </span>
        <label className="check"><input type="checkbox" checked={orphansOnly} onChange={(e) => setOrphansOnly(e.target.checked)} /> Only orphaned files</label>
        <label className="check"><input type="checkbox" checked={allowLarge} onChange={(e) => setAllowLarge(e.target.checked)} /> Allow a large deletion</label>
        <button type="submit" className="primary" disabled={planner.pending}>{planner.pending ? 'Planning…' : 'Preview'}</button>
      </form>
      <p className="muted">Latest and pinned versions are always kept. Pruned files go to the trash and can be restored until it is emptied.</p>
      {planner.error && <ErrorState error={planner.error} onRetry={() => preview()} />}
      {apply.error && <ErrorState error={apply.error} title="Prune failed" />}
      {plan && (
        <>
          <div className="cards">
            <StatCard label="Versions to remove" value={formatCount(plan.versions_removed.length)} tone={plan.versions_removed.length ? 'warn' : undefined} />
            <StatCard label="Files to remove" value={formatCount(plan.files_removed)} />
            <StatCard label="Space freed" value={formatBytes(plan.bytes)} />
            <StatCard label="Versions kept" value={formatCount(plan.kept.length)} />
          </div>
          {plan.needs_allow_large && (
            <div className="state state-warn" role="alert">
              <strong>Large deletion</strong>
              <p>This plan removes more than the safety threshold. {allowLarge ? 'You allowed a large deletion.' : 'Tick “Allow a large deletion” and preview again to apply it.'}</p>
            </div>
          )}
          {plan.versions_removed.length === 0 && plan.files_removed === 0 ? <EmptyState title="Nothing to prune"><p>Every version is kept by this policy.</p></EmptyState> : (
            <>
              <h2>Will be removed</h2>
              <table className="data-table" aria-label="Versions to remove">
                <thead><tr><th scope="col">Version</th><th scope="col" className="num">Files</th><th scope="col" className="num">Size</th></tr></thead>
                <tbody>
                  {plan.versions_removed.map((v) => (
                    <tr key={`${v.service}/${v.version}`} tabIndex={0}>
                      <td>{v.service}/{v.version}</td><td className="num">{formatCount(v.files)}</td><td className="num">{formatBytes(v.bytes)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <h2>Kept, and why</h2>
          <table className="data-table" aria-label="Versions kept">
            <thead><tr><th scope="col">Version</th><th scope="col">Reasons</th></tr></thead>
            <tbody>
              {plan.kept.map((k) => (
                <tr key={`${k.service}/${k.version}`} tabIndex={0}><td>{k.service}/{k.version}</td><td>{k.reasons.join('; ')}</td></tr>
              ))}
            </tbody>
          </table>
          <div className="toolbar">
            <button type="button" className="danger" disabled={blocked || (plan.versions_removed.length === 0 && plan.files_removed === 0)}
              onClick={() => setConfirming(true)}>Prune {formatCount(plan.files_removed)} files…</button>
          </div>
        </>
      )}
      {confirming && plan && (
        <ConfirmDialog title="Prune these versions?" confirmLabel="Move to trash" danger busy={apply.pending}
          onCancel={() => setConfirming(false)} onConfirm={runApply}>
          <p>{formatCount(plan.versions_removed.length)} versions and {formatCount(plan.files_removed)} files ({formatBytes(plan.bytes)}) move to the trash.</p>
          <ul>{plan.versions_removed.slice(0, 10).map((v) => <li key={`${v.service}/${v.version}`}>{v.service}/{v.version}</li>)}</ul>
          {plan.versions_removed.length > 10 && <p className="muted">…and {plan.versions_removed.length - 10} more.</p>}
        </ConfirmDialog>
      )}
      <h2>Trash</h2>
      <Trash key={trashKey} />
    </section>
  );
}
