/**
 * Prune: a retention policy, a preview of what it removes (and why the rest is kept),
 * a large-deletion guard, confirm-to-apply, and the trash with restore. The Review page
 * links here with `?rejected=1&service=S`: the preview of pruning rejected candidates.
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { ChannelInput } from '../../../electron/shared/contract.js';
import type { ApplyResult, PrunePlan } from '../../../electron/shared/contract/housekeeping.js';
import { RoleHint } from '../api/access.js';
import { useMutation, useQuery } from '../api/api-context.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { JobProgressBar, useJobProgress } from '../components/job-progress.js';
import { StatCard } from '../components/stat-card.js';
import { EmptyState, ErrorState } from '../components/states.js';
import { useToast } from '../components/toast.js';
import { describeReleaseDate } from '../../../electron/shared/release-order.js';
import { formatBytes, formatCount, formatCountOf, formatDate } from '../lib/format.js';
import { ApplySummary, ChangedSince, StalePlan, useChangedSince } from './housekeeping-parts.js';
import { Link, useSearchParams } from 'react-router';
import { trashComposition } from '../../../electron/shared/trash-composition.js';

/** Files listed in the preview before the rest collapse into a count. */
const FILE_PREVIEW_LIMIT = 200;

function PlanPreview({ plan, leftOut, onToggle }: { plan: PrunePlan; leftOut: ReadonlySet<string>; onToggle: (ref: string) => void }): ReactNode {
  const nothing = plan.removals.length === 0 && plan.files.length === 0;
  const anyRejected = plan.removals.some((v) => v.rejected);
  return (
    <>
      <div className="cards" aria-label="Prune figures">
        <StatCard label="Versions to remove" value={formatCount(plan.removals.length)} tone={plan.removals.length ? 'warn' : undefined} />
        <StatCard label="Files to the trash" value={formatCount(plan.files.length)} note={trashComposition(plan.files)} />
        <StatCard label="Catalog bytes removed" value={formatBytes(plan.bytes)} note={`of ${formatBytes(plan.catalog_bytes)}`} />
        <StatCard label="Freed when the trash is emptied" value={formatBytes(plan.reclaimed_bytes)} note="content that kept versions or a linked checkout still hold stays" />
        <StatCard label="Versions kept" value={formatCount(plan.kept.length)} />
      </div>
      <p className="muted" role="note">Nothing is deleted yet: files move to the trash and disk space is freed only when the trash is emptied (
        {formatBytes(plan.reclaimed_bytes)} then).</p>
      {nothing ? <EmptyState title="Nothing to prune"><p>Every version is kept by this policy and no stray files were found.</p></EmptyState> : (
        <>
          {plan.removals.length > 0 && (
            <>
              <h2>Versions to remove</h2>
              <table className="data-table" aria-label="Versions to remove">
                <thead><tr>
                  <th scope="col">Remove</th><th scope="col">Version</th><th scope="col">Released</th><th scope="col">Ingested</th><th scope="col" className="num">Files</th><th scope="col" className="num">Size</th>
                  {anyRejected && <th scope="col">Why</th>}
                </tr></thead>
                <tbody>
                  {plan.removals.map((v) => (
                    <tr key={v.version_id} className={leftOut.has(`${v.service}/${v.version}`) ? 'left-out' : undefined}>
                      <td><input type="checkbox" aria-label={`Remove ${v.service}/${v.version}`} checked={!leftOut.has(`${v.service}/${v.version}`)}
                        onChange={() => onToggle(`${v.service}/${v.version}`)} /></td>
                      <td>{v.service}/{v.version}</td><td>{describeReleaseDate(v.release_date, v.release_date_source)}</td><td>{formatDate(v.created_at)}</td>
                      <td className="num">{formatCount(v.files)}</td><td className="num">{formatBytes(v.bytes)}</td>
                      {anyRejected && <td>{v.rejected ?? ''}</td>}
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <details className="group" open={plan.files.length <= 20}>
            <summary>Files moved to the trash <span className="muted">— {formatCount(plan.files.length)}</span></summary>
            <table className="data-table" aria-label="Files to remove">
              <thead><tr><th scope="col">Path</th><th scope="col">What</th><th scope="col" className="num">Size</th></tr></thead>
              <tbody>
                {plan.files.slice(0, FILE_PREVIEW_LIMIT).map((f) => (
                  <tr key={f.path}><td className="mono">{f.path}</td><td>{f.what}</td><td className="num">{formatBytes(f.bytes)}</td></tr>
                ))}
              </tbody>
            </table>
            {plan.files.length > FILE_PREVIEW_LIMIT && <p className="muted">…and {formatCount(plan.files.length - FILE_PREVIEW_LIMIT)} more (the CLI&apos;s <code className="mono">ontocat plan {plan.plan_id}</code> lists all).</p>}
          </details>
        </>
      )}
      {plan.kept.length > 0 && (
        <>
          <h2>Kept, and why</h2>
          <p className="muted">Newest first by {plan.order}.</p>
          <table className="data-table" aria-label="Versions kept">
            <thead><tr><th scope="col">Version</th><th scope="col" className="num">Size</th><th scope="col">Reasons</th></tr></thead>
            <tbody>
              {plan.kept.map((k) => (
                <tr key={k.version_id} tabIndex={0}><td>{k.service}/{k.version}</td><td className="num">{formatBytes(k.bytes)}</td><td>{k.why.join('; ')}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}

/** `/prune` */
export function PrunePage(): ReactNode {
  const notify = useToast();
  const [params] = useSearchParams();
  // Arriving from a rejection: rejected candidates only (no keep-last), of that service.
  const fromReview = params.get('rejected') === '1';
  const [keepLast, setKeepLast] = useState(fromReview ? '' : '3');
  const [newerThan, setNewerThan] = useState('');
  const [service, setService] = useState(fromReview ? params.get('service') ?? '' : '');
  const [rejected, setRejected] = useState(fromReview);
  const [orphansOnly, setOrphansOnly] = useState(false);
  const [allowLarge, setAllowLarge] = useState(false);
  const [plan, setPlan] = useState<PrunePlan | null>(null);
  const [result, setResult] = useState<ApplyResult | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [leftOut, setLeftOut] = useState<ReadonlySet<string>>(new Set());
  const services = useQuery('services:list', {}, []);
  const planner = useMutation('prune:plan');
  const apply = useMutation('prune:apply');
  const choose = useMutation('prune:choose');
  const planProgress = useJobProgress('prune-plan', planner.pending, planner.requestId);
  const applyProgress = useJobProgress('prune-apply', apply.pending, apply.requestId);

  const policy = (): ChannelInput<'prune:plan'> => ({
    keep_last: keepLast ? Number(keepLast) : undefined,
    newer_than_days: newerThan ? Number(newerThan) : undefined,
    service: service || undefined,
    orphans_only: orphansOnly || undefined,
    allow_large: allowLarge || undefined,
    rejected: rejected || undefined,
  });
  // A write heard since the preview was asked for: the plan shown may no longer hold, and Prune
  // waits for a new preview, as Doctor waits for a new scan.
  const since = useChangedSince();
  const preview = (event?: FormEvent): void => {
    event?.preventDefault();
    since.planned();
    setPlan(null); setResult(null); apply.reset(); setLeftOut(new Set());
    planner.run(policy()).then(setPlan, () => {});
  };
  // The link from Review opens on its preview (a plan is only a preview; applying still asks).
  const previewed = useRef(false);
  useEffect(() => {
    if (!fromReview || previewed.current) return;
    previewed.current = true;
    preview();
  }, []);
  const toggle = (ref: string): void => setLeftOut((set) => {
    const next = new Set(set);
    if (next.has(ref)) next.delete(ref); else next.add(ref);
    return next;
  });
  const remake = (): void => {
    if (!plan) return;
    choose.run({ plan_id: plan.plan_id, without: [...leftOut] }).then((next) => { setPlan(next); setLeftOut(new Set()); }, () => {});
  };
  const runApply = (): void => {
    if (!plan) return;
    apply.run({ plan_id: plan.plan_id }).then((done) => {
      since.applied();
      notify(`Moved ${formatCountOf(done.files_moved, 'file')} to the trash.`, 'success');
      setConfirming(false); setPlan(null); setResult(done);
    }, () => setConfirming(false));
  };
  // A preview shows what the policy it was made with removes: after a field changed, Prune
  // would still apply that one (the service picked after previewing all of them, say), so it
  // waits for a new preview.
  const asked = policy();
  const outdated = plan !== null && (
    (asked.keep_last ?? null) !== plan.policy.keep_last || (asked.newer_than_days ?? null) !== plan.policy.newer_than_days
    || (asked.service ?? null) !== plan.policy.service || (asked.orphans_only ?? false) !== plan.policy.orphans_only
    || (asked.allow_large ?? false) !== plan.policy.allow_large || (asked.rejected ?? false) !== (plan.policy.rejected ?? false));
  const blocked = plan !== null && plan.large && !plan.policy.allow_large;
  const empty = plan !== null && plan.removals.length === 0 && plan.files.length === 0;

  return (
    <section className="page" aria-labelledby="prune-title">
      <header className="page-header"><h1 id="prune-title">Prune</h1></header>
      <form className="policy" aria-label="Retention policy" onSubmit={preview}>
        <span className="field">
          <label htmlFor="prune-keep">Keep the last N versions</label>
          <input id="prune-keep" type="number" min={0} value={keepLast} onChange={(e) => setKeepLast(e.target.value)} />
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
        <label className="check"><input type="checkbox" checked={rejected} onChange={(e) => setRejected(e.target.checked)} /> Rejected candidates</label>
        <label className="check"><input type="checkbox" checked={orphansOnly} onChange={(e) => setOrphansOnly(e.target.checked)} /> Only stray files</label>
        <label className="check"><input type="checkbox" checked={allowLarge} onChange={(e) => setAllowLarge(e.target.checked)} /> Allow a large deletion</label>
        <button type="submit" className="primary" disabled={planner.pending || apply.pending || planner.refusal !== null}>{planner.pending ? 'Planning…' : 'Preview'}</button>
        <RoleHint refusal={planner.refusal} />
      </form>
      <p className="muted">Latest and pinned versions are always kept. With “Rejected candidates”, versions rejected in Review are removed too (alone, when the other fields are empty).
        Pruned files go to the trash and can be restored until it is emptied.</p>
      {planner.pending && <JobProgressBar label="Planning progress" progress={planProgress} />}
      {planner.error && (planner.error.code === 'CANCELLED' ? <p role="status">Preview cancelled.</p> : <ErrorState error={planner.error} onRetry={() => preview()} />)}
      {apply.error && (apply.error.code === 'STALE_PLAN'
        ? <StalePlan what="preview" onRedo={() => preview()}>The catalog or the disk changed since this preview, so it was not applied: {apply.error.message}</StalePlan>
        : <ErrorState error={apply.error} title="Prune failed" />)}
      {choose.error && <ErrorState error={choose.error} title="Could not make the new plan" />}
      {result && <ApplySummary title="Pruned" result={result} sizesAddUp={false} />}
      {plan?.derived_from && <p className="muted" role="note">Plan <code className="mono">{plan.plan_id}</code>, made from <code className="mono">{plan.derived_from}</code> with
        {' '}{(plan.policy.keep_versions ?? []).join(', ')} left out (kept).</p>}
      {plan && plan.large && (
        <div className="state state-warn" role="alert">
          <strong>Large deletion</strong>
          <p>This plan removes {formatBytes(plan.bytes)} of {formatBytes(plan.catalog_bytes)}, more than half of the catalog.{' '}
            {plan.policy.allow_large ? 'You allowed a large deletion.' : 'Tick “Allow a large deletion” and preview again to be able to apply it.'}</p>
        </div>
      )}
      {plan && since.changed && !apply.error && <ChangedSince what="preview" change={since.changed} pending={planner.pending} onRedo={() => preview()} />}
      {outdated && (
        <div className="state state-warn" role="status" aria-label="Policy changed">
          <p>The policy above changed since this preview, which shows what the earlier policy removes. Preview again to see, and prune, what this one removes.</p>
          <button type="button" className="primary" disabled={planner.pending} onClick={() => preview()}>Preview again</button>
        </div>
      )}
      {plan && <PlanPreview plan={plan} leftOut={leftOut} onToggle={toggle} />}
      {plan && leftOut.size > 0 && (
        <div className="state state-warn" role="status" aria-label="Your choice">
          <p>You left out {[...leftOut].join(', ')}. Make a new plan from your choice and review it before pruning.</p>
          <button type="button" className="primary" disabled={choose.pending} onClick={remake}>
            {choose.pending ? 'Making the plan…' : `Make a new plan without ${formatCount(leftOut.size)} ${leftOut.size === 1 ? 'version' : 'versions'}`}
          </button>
        </div>
      )}
      {plan && !empty && (
        <div className="toolbar">
          <button type="button" className="danger" disabled={blocked || outdated || since.changed !== null || leftOut.size > 0 || choose.pending || apply.refusal !== null} onClick={() => setConfirming(true)}>Prune {formatCountOf(plan.files.length, 'file')}…</button>
          <RoleHint refusal={apply.refusal} />
        </div>
      )}
      {confirming && plan && (
        <ConfirmDialog title="Prune these versions?" confirmLabel="Move to trash" danger busy={apply.pending} confirmDisabled={since.changed !== null}
          onCancel={() => setConfirming(false)} onConfirm={runApply}>
          <p>{formatCountOf(plan.removals.length, 'version')} and {formatCountOf(plan.files.length, 'file')}{plan.files.length > 0 ? ` (${trashComposition(plan.files)})` : ''} move to the trash.
            Disk space ({formatBytes(plan.reclaimed_bytes)}) is freed only when the trash is emptied.</p>
          <ul>{plan.removals.slice(0, 10).map((v) => <li key={v.version_id}>{v.service}/{v.version}</li>)}</ul>
          {plan.removals.length > 10 && <p className="muted">…and {plan.removals.length - 10} more.</p>}
          {since.changed && <p className="warn-text" role="alert">The catalog changed since this preview; cancel and preview again.</p>}
          {apply.pending && <JobProgressBar label="Prune progress" progress={applyProgress} />}
        </ConfirmDialog>
      )}
      <p><Link to="/trash">Open the Trash</Link> to restore pruned versions or empty it.</p>
    </section>
  );
}
