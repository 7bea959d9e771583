/**
 * Doctor: scan for drift between the catalog and the disk, preview the exact fixes,
 * confirm, apply, and show the result.
 */
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { ApplyResult, DoctorFinding, DoctorFindingKind, DoctorFix, DoctorPlan } from '../../../electron/shared/contract/housekeeping.js';
import { FINDING_GROUP_WORDS, FIX_WORDS } from '../../../electron/shared/finding-words.js';
import { RoleHint } from '../api/access.js';
import { useMutation } from '../api/api-context.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { JobProgressBar, useJobProgress } from '../components/job-progress.js';
import { StatCard } from '../components/stat-card.js';
import { EmptyState, ErrorState } from '../components/states.js';
import { useToast } from '../components/toast.js';
import { formatBytes, formatCount, formatCountOf } from '../lib/format.js';
import { ApplySummary, ChangedSince, StalePlan, useChangedSince } from './housekeeping-parts.js';

/** People's names for finding kinds: the one mapping the CLI uses too. */
const KIND_LABELS: Readonly<Record<DoctorFindingKind, string>> = FINDING_GROUP_WORDS;

interface Group { readonly kind: DoctorFindingKind; readonly findings: readonly DoctorFinding[]; readonly bytes: number }

function groupFindings(findings: readonly DoctorFinding[]): Group[] {
  const map = new Map<DoctorFindingKind, DoctorFinding[]>();
  for (const f of findings) map.set(f.kind, [...(map.get(f.kind) ?? []), f]);
  // Doctor sorts findings by how much they matter; groups keep that order.
  return [...map.entries()].map(([kind, list]) => ({ kind, findings: list, bytes: list.reduce((n, f) => n + f.bytes, 0) }));
}

/** Rows listed per group before the rest collapse into a count (a timestamp sweep can touch every file). */
const GROUP_ROW_LIMIT = 200;

const fixLabel = (fix: DoctorFix): string => FIX_WORDS[fix] ?? fix;

/** A curator's choice on the plan shown: findings left out, strays to adopt instead of trash. */
interface Choice { readonly without: ReadonlySet<string>; readonly adopt: ReadonlySet<string> }
const noChoice: Choice = { without: new Set(), adopt: new Set() };
const changed = (choice: Choice): boolean => choice.without.size + choice.adopt.size > 0;
const totalBytes = (plan: DoctorPlan): number => plan.findings.reduce((n, f) => n + f.bytes, 0);

function FindingGroup({ group, choice, onChoice }: { group: Group; choice: Choice; onChoice: (next: Choice) => void }): ReactNode {
  const toggle = (set: ReadonlySet<string>, path: string, on: boolean): Set<string> => {
    const next = new Set(set);
    if (on) next.add(path); else next.delete(path);
    return next;
  };
  return (
    <details open={group.findings.length <= 20} className="group">
      <summary>{KIND_LABELS[group.kind] ?? group.kind}{' '}
        <span className="muted">— {formatCount(group.findings.length)} · {formatBytes(group.bytes)}</span></summary>
      <table className="data-table" aria-label={`${KIND_LABELS[group.kind] ?? group.kind} findings`}>
        <thead><tr><th scope="col">Fix</th><th scope="col">Path</th><th scope="col" className="num">Size</th><th scope="col">What apply does</th><th scope="col">Detail</th></tr></thead>
        <tbody>
          {group.findings.slice(0, GROUP_ROW_LIMIT).map((f, i) => {
            const included = !choice.without.has(f.path);
            const adoptable = (f.alternatives ?? []).includes('adopt');
            return (
              <tr key={`${f.path}|${i}`} className={included ? undefined : 'left-out'}>
                <td><input type="checkbox" aria-label={`Fix ${f.path}`} checked={included}
                  onChange={(e) => onChoice({ without: toggle(choice.without, f.path, !e.target.checked), adopt: toggle(choice.adopt, f.path, false) })} /></td>
                <td className="mono">{f.path}</td><td className="num">{formatBytes(f.bytes)}</td>
                <td>
                  {adoptable && included ? (
                    <select aria-label={`Action for ${f.path}`} value={choice.adopt.has(f.path) ? 'adopt' : f.fix}
                      onChange={(e) => onChoice({ ...choice, adopt: toggle(choice.adopt, f.path, e.target.value === 'adopt') })}>
                      <option value={f.fix}>{fixLabel(f.fix)}</option>
                      <option value="adopt">adopt it into {f.path.split('/').slice(0, 2).join('/')}</option>
                    </select>
                  ) : included ? fixLabel(f.fix) : <span className="muted">left out: nothing is done</span>}
                </td>
                <td className="muted">{f.detail}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {group.findings.length > GROUP_ROW_LIMIT && (
        <p className="muted">…and {formatCount(group.findings.length - GROUP_ROW_LIMIT)} more; <code className="mono">ontocat doctor</code> lists them all.</p>
      )}
    </details>
  );
}

/** `/doctor` */
export function DoctorPage(): ReactNode {
  const notify = useToast();
  const [deep, setDeep] = useState(false);
  const [plan, setPlan] = useState<DoctorPlan | null>(null);
  const [result, setResult] = useState<ApplyResult | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [choice, setChoice] = useState<Choice>(noChoice);
  const scan = useMutation('doctor:plan');
  const choose = useMutation('doctor:choose');
  const apply = useMutation('doctor:apply');
  const scanProgress = useJobProgress('doctor-scan', scan.pending, scan.requestId);
  const applyProgress = useJobProgress('doctor-apply', apply.pending, apply.requestId);

  // A write heard since the scan began: the plan shown may no longer hold, and Apply waits for a new scan.
  const since = useChangedSince();
  const changedSince = since.changed;

  const runScan = (): void => {
    since.planned();
    setPlan(null); setResult(null); setConfirming(false); apply.reset(); setChoice(noChoice);
    scan.run({ deep }).then(setPlan, () => {});
  };
  const remake = (): void => {
    if (!plan) return;
    choose.run({ plan_id: plan.plan_id, without: [...choice.without], adopt: [...choice.adopt] }).then((next) => { setPlan(next); setChoice(noChoice); }, () => {});
  };
  const runApply = (): void => {
    if (!plan) return;
    apply.run({ plan_id: plan.plan_id }).then((done) => {
      since.applied();
      setConfirming(false); setResult(done); setPlan(null);
      notify('Doctor repairs applied.', 'success');
    }, () => setConfirming(false));
  };
  const groups = plan ? groupFindings(plan.findings) : [];

  return (
    <section className="page" aria-labelledby="doctor-title">
      <header className="page-header">
        <h1 id="doctor-title">Doctor</h1>
        <div className="toolbar">
          <label className="check"><input type="checkbox" checked={deep} onChange={(e) => setDeep(e.target.checked)} /> Deep scan (re-hash every file)</label>
          <button type="button" className="primary" onClick={runScan} disabled={scan.pending || apply.pending || scan.refusal !== null}>{scan.pending ? 'Scanning…' : 'Scan'}</button>
          <RoleHint refusal={scan.refusal} />
        </div>
      </header>
      <p className="muted">Doctor compares the catalog with the files on disk. Nothing changes until you review the plan and apply it.</p>
      {scan.pending && <JobProgressBar label="Scan progress" progress={scanProgress} />}
      {scan.error && (scan.error.code === 'CANCELLED' ? <p role="status">Scan cancelled.</p> : <ErrorState error={scan.error} onRetry={runScan} />)}
      {apply.error && (apply.error.code === 'STALE_PLAN'
        ? <StalePlan what="scan" onRedo={runScan}>The catalog or the disk changed since this scan, so its plan was not applied: {apply.error.message}</StalePlan>
        : <ErrorState error={apply.error} title="Apply failed" />)}
      {result && <ApplySummary title="Repairs applied" result={result} onAgain={runScan} againLabel="Scan again" />}
      {plan && changedSince && !apply.error && <ChangedSince what="scan" change={changedSince} pending={scan.pending} onRedo={runScan} />}
      {plan && (
        <div className="cards">
          <StatCard label="Findings" value={formatCount(plan.findings.length)} tone={plan.findings.length ? 'warn' : 'good'} />
          <StatCard label="Bytes affected" value={formatBytes(totalBytes(plan))} />
          <StatCard label="Files checked" value={formatCount(plan.scanned_files)} note={plan.deep ? `${formatCount(plan.hashed_files)} re-hashed` : 'quick scan'} />
          {groups.map((g) => <StatCard key={g.kind} label={KIND_LABELS[g.kind] ?? g.kind} value={formatCount(g.findings.length)} note={formatBytes(g.bytes)} />)}
        </div>
      )}
      {plan && plan.damaged_versions.length > 0 && (
        <div className="state state-warn" role="note">
          <strong>Versions marked damaged by an earlier repair</strong>
          <ul>{plan.damaged_versions.map((d) => (
            <li key={`${d.service}/${d.version}`}><Link to={`/versions/${d.service}/${d.version}`}>{d.service}/{d.version}</Link>: {formatCount(d.damaged_files)} damaged files</li>
          ))}</ul>
        </div>
      )}
      {plan && (plan.findings.length === 0 ? <EmptyState title="No problems found"><p>The catalog and the disk agree ({formatCountOf(plan.scanned_files, 'file')} checked).</p></EmptyState> : (
        <>
          <h2>What apply will do</h2>
          <p className="muted">Plan <code className="mono">{plan.plan_id}</code>{plan.derived_from && <>, made from <code className="mono">{plan.derived_from}</code> by your choice
            {(plan.left_out?.length ?? 0) > 0 && <> ({formatCount(plan.left_out!.length)} left out)</>}</>}. Files that are removed go to the trash, from where they can be restored.
            Untick a fix to leave it out; a stray file in a version can be adopted instead of trashed.</p>
          {groups.map((g) => <FindingGroup key={g.kind} group={g} choice={choice} onChoice={setChoice} />)}
          {choose.error && <ErrorState error={choose.error} title="Could not make the new plan" />}
          {changed(choice) && (
            <div className="state state-warn" role="status" aria-label="Your choice">
              <p>{choice.without.size > 0 && `${formatCount(choice.without.size)} left out`}{choice.without.size > 0 && choice.adopt.size > 0 && ', '}
                {choice.adopt.size > 0 && `${formatCount(choice.adopt.size)} to adopt`}. Make a new plan from your choice and review it before applying.</p>
              <button type="button" className="primary" disabled={choose.pending} onClick={remake}>{choose.pending ? 'Making the plan…' : 'Make a new plan from my choice'}</button>
            </div>
          )}
          <div className="toolbar">
            <button type="button" className="danger" disabled={changed(choice) || changedSince !== null || choose.pending || apply.refusal !== null} onClick={() => setConfirming(true)}>Apply {formatCount(plan.findings.length)} fixes…</button>
            <RoleHint refusal={apply.refusal} />
          </div>
        </>
      ))}
      {confirming && plan && (
        <ConfirmDialog title="Apply doctor repairs?" confirmLabel="Apply repairs" danger busy={apply.pending} confirmDisabled={changedSince !== null}
          onCancel={() => setConfirming(false)} onConfirm={runApply}>
          <p>This applies plan <code className="mono">{plan.plan_id}</code>: {formatCount(plan.findings.length)} fixes affecting {formatBytes(totalBytes(plan))}.</p>
          <ul>{groups.map((g) => <li key={g.kind}>{KIND_LABELS[g.kind] ?? g.kind}: {formatCount(g.findings.length)} ({[...new Set(g.findings.map((f) => fixLabel(f.fix)))].join(', ')})</li>)}</ul>
          {changedSince ? <p className="warn-text" role="alert">The catalog changed since this scan; cancel and scan again.</p>
            : <p className="muted">If the disk or the catalog changed since the scan, apply refuses and you scan again.</p>}
          {apply.pending && <JobProgressBar label="Apply progress" progress={applyProgress} />}
        </ConfirmDialog>
      )}
    </section>
  );
}
