/**
 * Doctor: scan for drift between the catalog and the disk, preview the exact fixes,
 * confirm, apply, and show the result.
 */
import { useState, type ReactNode } from 'react';
import { useChannelAvailable, useMutation } from '../api/api-context.js';
import type { ApplyResult, DoctorFinding, DoctorPlan } from '../api/pending-channels.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { JobProgressBar, useJobProgress } from '../components/job-progress.js';
import { StatCard } from '../components/stat-card.js';
import { EmptyState, ErrorState, NotAvailable } from '../components/states.js';
import { useToast } from '../components/toast.js';
import { formatBytes, formatCount } from '../lib/format.js';

interface Group { readonly kind: string; readonly findings: readonly DoctorFinding[]; readonly bytes: number }

function groupFindings(findings: readonly DoctorFinding[]): Group[] {
  const map = new Map<string, DoctorFinding[]>();
  for (const f of findings) map.set(f.kind, [...(map.get(f.kind) ?? []), f]);
  return [...map.entries()].map(([kind, list]) => ({ kind, findings: list, bytes: list.reduce((n, f) => n + f.bytes, 0) }))
    .sort((x, y) => y.findings.length - x.findings.length);
}

/** `/doctor` */
export function DoctorPage(): ReactNode {
  const canPlan = useChannelAvailable('doctor:plan');
  const canApply = useChannelAvailable('doctor:apply');
  const available = canPlan && canApply;
  const notify = useToast();
  const [deep, setDeep] = useState(false);
  const [plan, setPlan] = useState<DoctorPlan | null>(null);
  const [result, setResult] = useState<ApplyResult | null>(null);
  const [confirming, setConfirming] = useState(false);
  const scan = useMutation('doctor:plan');
  const apply = useMutation('doctor:apply');
  const progress = useJobProgress('doctor', scan.pending);

  if (!available) {
    return <section className="page" aria-labelledby="doctor-title"><header className="page-header"><h1 id="doctor-title">Doctor</h1></header><NotAvailable feature="Doctor" /></section>;
  }

  const runScan = (): void => {
    setPlan(null); setResult(null);
    scan.run({ deep }).then(setPlan, () => {});
  };
  const runApply = (): void => {
    if (!plan) return;
    apply.run({ plan_id: plan.plan_id }).then((done) => {
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
          <button type="button" className="primary" onClick={runScan} disabled={scan.pending}>{scan.pending ? 'Scanning…' : 'Scan'}</button>
        </div>
      </header>
      <p className="muted">Doctor compares the catalog with the files on disk. Nothing changes until you review the plan and apply it.</p>
      {scan.pending && <JobProgressBar label="Scan progress" progress={progress} />}
      {scan.error && (scan.error.code === 'CANCELLED' ? <p role="status">Scan cancelled.</p> : <ErrorState error={scan.error} onRetry={runScan} />)}
      {apply.error && <ErrorState error={apply.error} title="Apply failed" />}
      {result && (
        <div className="state state-ok" role="status">
          <strong>Repairs applied</strong>
          <p>{result.applied !== undefined ? `${formatCount(result.applied)} fixes` : 'Plan applied'}{result.bytes !== undefined ? `, ${formatBytes(result.bytes)}` : ''}.{result.message ? ` ${result.message}` : ''}</p>
        </div>
      )}
      {plan && (plan.findings.length === 0 ? <EmptyState title="No problems found"><p>The catalog and the disk agree.</p></EmptyState> : (
        <>
          <div className="cards">
            <StatCard label="Findings" value={formatCount(plan.findings.length)} tone="warn" />
            <StatCard label="Bytes affected" value={formatBytes(plan.findings.reduce((n, f) => n + f.bytes, 0))} />
            {groups.map((g) => <StatCard key={g.kind} label={g.kind} value={formatCount(g.findings.length)} note={formatBytes(g.bytes)} />)}
          </div>
          <h2>What apply will do</h2>
          {groups.map((g) => (
            <details key={g.kind} open className="group">
              <summary>{g.kind} <span className="muted">— {formatCount(g.findings.length)} · {formatBytes(g.bytes)}</span></summary>
              <table className="data-table" aria-label={`${g.kind} findings`}>
                <thead><tr><th scope="col">Path</th><th scope="col" className="num">Size</th><th scope="col">Fix</th></tr></thead>
                <tbody>
                  {g.findings.map((f, i) => (
                    <tr key={`${f.path}|${i}`} tabIndex={0}><td className="mono">{f.path}</td><td className="num">{formatBytes(f.bytes)}</td><td>{f.fix}</td></tr>
                  ))}
                </tbody>
              </table>
            </details>
          ))}
          <div className="toolbar">
            <button type="button" className="danger" onClick={() => setConfirming(true)}>Apply {formatCount(plan.findings.length)} fixes…</button>
          </div>
        </>
      ))}
      {confirming && plan && (
        <ConfirmDialog title="Apply doctor repairs?" confirmLabel="Apply repairs" danger busy={apply.pending}
          onCancel={() => setConfirming(false)} onConfirm={runApply}>
          <p>This applies plan <code className="mono">{plan.plan_id}</code>: {formatCount(plan.findings.length)} fixes affecting {formatBytes(plan.findings.reduce((n, f) => n + f.bytes, 0))}.</p>
          <ul>{groups.map((g) => <li key={g.kind}>{g.kind}: {formatCount(g.findings.length)}</li>)}</ul>
          <p className="muted">If the disk or catalog changed since the scan, apply refuses and you scan again.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
