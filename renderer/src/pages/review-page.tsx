/**
 * Review: candidates the sources brought in, with what making each the latest changes
 * against the current latest (files and bytes, NEW validation errors, terms). Approve is
 * the set-latest boundary; reject marks it rejected and offers the prune preview of the
 * service's rejected candidates (Prune page, `?rejected=1&service=S`).
 */
import { useEffect, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { Candidate } from '../../../electron/shared/contract/sources.js';
import { useMutation, useQuery } from '../api/api-context.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { Pager, useScopedOffset } from '../components/pager.js';
import { EmptyState, ErrorState, Skeleton } from '../components/states.js';
import { useToast } from '../components/toast.js';
import { formatBytes, formatCount, formatDate } from '../lib/format.js';
import { SetLatestDialog } from './set-latest-dialog.js';

function impactCells(candidate: Candidate): ReactNode {
  const impact = candidate.impact;
  if (!impact) return <td colSpan={4} className="muted">No latest to compare with</td>;
  return (
    <>
      <td className="num">+{formatCount(impact.files_added)} −{formatCount(impact.files_removed)} ~{formatCount(impact.files_modified)}</td>
      <td className="num">{formatBytes(impact.bytes_from)} → {formatBytes(impact.bytes_to)}</td>
      <td className="num">{impact.new_errors > 0 ? <span className="badge badge-bad">{formatCount(impact.new_errors)} new</span> : '0'}</td>
      <td className="num"><TermsCell candidate={candidate} /></td>
    </>
  );
}

/** The prune preview of a service's rejected candidates. */
const pruneLink = (service: string): string => `/prune?rejected=1&service=${encodeURIComponent(service)}`;

/** The whole-version term delta of a candidate, with the files compared one by one or not at all named. */
function TermsCell({ candidate }: { candidate: Candidate }): ReactNode {
  const terms = candidate.impact?.terms;
  if (!terms) {
    if (candidate.impact?.terms_error) return <span className="warn-text">not computed: {candidate.impact.terms_error}</span>;
    return <span className="muted" title="Term changes are computed for pending candidates">—</span>;
  }
  const words = `${formatCount(terms.added)} added, ${formatCount(terms.removed)} removed, ${formatCount(terms.relabelled)} relabelled, `
    + `${formatCount(terms.deprecated)} deprecated, ${formatCount(terms.redefined)} redefined, ${formatCount(terms.reparented)} re-parented`
    + (terms.retyped > 0 ? `, ${formatCount(terms.retyped)} changed kind` : '')
    + (terms.undeprecated > 0 ? `, ${formatCount(terms.undeprecated)} no longer deprecated` : '')
    + (terms.replaced > 0 ? `, ${formatCount(terms.replaced)} with a new replacement` : '');
  return (
    <span aria-label={`Terms of ${candidate.service}/${candidate.version}: ${words}`}>
      <span title={words}>+{formatCount(terms.added)} −{formatCount(terms.removed)} ~{formatCount(terms.relabelled)} ⚠{formatCount(terms.deprecated)}</span>
      {terms.by_file > 0 && <span className="muted small"> ({formatCount(terms.by_file)} file(s) compared one by one: not in the term index yet)</span>}
      {terms.not_compared.length > 0 && (
        <ul className="not-compared small" aria-label={`Files of ${candidate.service}/${candidate.version} not compared`}>
          {terms.not_compared.map((file) => <li key={file.relpath}><span className="mono">{file.relpath}</span>: {file.reason}</li>)}
        </ul>
      )}
      {candidate.latest && <> <Link to={`/delta?from=${encodeURIComponent(`${candidate.service}/${candidate.latest}`)}&to=${encodeURIComponent(`${candidate.service}/${candidate.version}`)}`}>
        Open the delta<span className="visually-hidden"> of {candidate.service}/{candidate.version}</span></Link></>}
    </span>
  );
}

/** Candidates a page of the Review page shows. */
const CANDIDATE_PAGE = 50;

/** `/review` */
export function ReviewPage(): ReactNode {
  const [state, setState] = useState<'pending' | 'approved' | 'rejected' | 'all'>('pending');
  const [offset, setOffset] = useScopedOffset(state);
  // Paged in the catalog: each row's impact (a delta against the latest) is worked out for the page shown.
  const candidates = useQuery('review:list', { state, offset, limit: CANDIDATE_PAGE }, [state, offset]);
  // The last candidate of the last page decided (here or by another reviewer): its page is
  // gone, so the page before it shows, not an empty table under "51–50 of 50".
  const pastEnd = candidates.data !== undefined && candidates.data.items.length === 0 && candidates.data.total > 0 && offset > 0;
  const lastPage = candidates.data ? Math.floor((candidates.data.total - 1) / CANDIDATE_PAGE) * CANDIDATE_PAGE : 0;
  useEffect(() => {
    if (pastEnd) setOffset(lastPage);
  }, [pastEnd, lastPage, setOffset]);
  // Approving runs in the set-latest dialog; here only whether this user may approve.
  const approve = useMutation('review:approve');
  const reject = useMutation('review:reject');
  const toast = useToast();
  const busy = reject.pending;
  const [rejectedNow, setRejectedNow] = useState<{ ref: string; service: string } | null>(null);

  const [rejecting, setRejecting] = useState<Candidate | null>(null);
  const [approving, setApproving] = useState<Candidate | null>(null);
  const [reason, setReason] = useState('');

  const rejectCandidate = (candidate: Candidate): void => {
    const ref = `${candidate.service}/${candidate.version}`;
    const note = reason.trim();
    // Only a candidate still pending: another reviewer's decision since is never replaced unseen.
    reject.run({ ref, expected_state: 'pending', ...(note ? { reason: note } : {}) }).then(() => {
      toast(`${ref} rejected; it stays stored until pruned.`, 'success');
      setRejectedNow({ ref, service: candidate.service });
      setRejecting(null);
      setReason('');
      candidates.refetch();
    }).catch(() => setRejecting(null));
  };

  // Approving sets latest: the same preview as on the Catalog (files, errors, terms, and a
  // warning when the candidate is older than the latest), confirmed before anything changes.
  const approved = (candidate: Candidate, changed: boolean): void => {
    setApproving(null);
    if (!changed) return;
    toast(`${candidate.service}/${candidate.version} is now the latest ${candidate.service}.`, 'success');
    setRejectedNow(null);
    candidates.refetch();
  };

  return (
    <section className="page" aria-labelledby="review-title">
      <header className="page-header">
        <h1 id="review-title">Review</h1>
        <span className="field">
          <label htmlFor="review-state">Show</label>
          <select id="review-state" value={state} onChange={(e) => setState(e.target.value as typeof state)}>
            <option value="pending">Pending</option><option value="approved">Approved</option><option value="rejected">Rejected</option><option value="all">All</option>
          </select>
        </span>
      </header>
      {approve.refusal && <p className="muted small">Approving and rejecting candidates: {approve.refusal.toLowerCase()}</p>}
      {reject.error && <p className="error-text" role="alert">{reject.error.message}</p>}
      {rejectedNow && (
        <div className="state" role="status" aria-label="Rejected">
          <p>{rejectedNow.ref} is rejected. It stays stored until pruned; unless pinned or latest, it is offered to prune with its reason.{' '}
            <Link to={pruneLink(rejectedNow.service)}>Preview pruning the rejected {rejectedNow.service} versions</Link></p>
        </div>
      )}
      {candidates.error ? <ErrorState error={candidates.error} onRetry={candidates.refetch} /> : !candidates.data ? <Skeleton label="Loading candidates" /> : (
        candidates.data.total === 0 ? <EmptyState title={state === 'pending' ? 'Nothing to review' : 'No candidates'}><p>New releases that sources bring in appear here.</p></EmptyState> : (<>
          <table className="data-table" aria-label="Candidates">
            <thead><tr>
              <th scope="col">Version</th><th scope="col">Source</th><th scope="col">Found</th><th scope="col">Latest</th>
              <th scope="col" className="num">Files</th><th scope="col" className="num">Size</th><th scope="col" className="num">Errors</th><th scope="col" className="num">Terms</th><th scope="col">Decision</th>
            </tr></thead>
            <tbody>
              {candidates.data.items.map((candidate) => (
                <tr key={`${candidate.service}/${candidate.version}`}>
                  <th scope="row"><Link to={`/versions/${candidate.service}/${candidate.version}`}>{candidate.service}/{candidate.version}</Link></th>
                  <td>{candidate.source_id || '-'}</td>
                  <td>{formatDate(candidate.created_at)}</td>
                  <td>{candidate.latest ?? '-'}</td>
                  {impactCells(candidate)}
                  <td className="actions">
                    {candidate.state === 'pending' ? (
                      <>
                        <button type="button" disabled={busy || approve.refusal !== null} title={approve.refusal ?? undefined} onClick={() => setApproving(candidate)}>Approve…</button>
                        <button type="button" disabled={busy || reject.refusal !== null} title={reject.refusal ?? undefined} onClick={() => { setReason(''); setRejecting(candidate); }}>Reject…</button>
                      </>
                    ) : (
                      <>
                        <span>{candidate.state}{candidate.decided_by ? ` by ${candidate.decided_by}` : ''}{candidate.reason ? `: ${candidate.reason}` : ''}</span>
                        {candidate.state === 'rejected' && <>{' '}<Link to={pruneLink(candidate.service)} aria-label={`Prune ${candidate.service}/${candidate.version}…`}>Prune…</Link></>}
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {candidates.data.total > CANDIDATE_PAGE && <Pager label="Candidate pages" offset={offset} limit={CANDIDATE_PAGE} total={candidates.data.total} onOffset={setOffset} />}
        </>)
      )}
      {approving && (
        <SetLatestDialog service={approving.service} version={approving.version} current={approving.latest} approve
          onClose={(changed) => approved(approving, changed)} />
      )}
      {rejecting && (
        <ConfirmDialog title={`Reject ${rejecting.service}/${rejecting.version}?`} confirmLabel="Reject" danger busy={reject.pending}
          onCancel={() => setRejecting(null)} onConfirm={() => rejectCandidate(rejecting)}>
          <p>It stays stored, marked rejected, and is offered to prune with this reason.</p>
          <span className="field">
            <label htmlFor="reject-reason">Reason (recorded with the decision)</label>
            <input id="reject-reason" maxLength={2000} size={40} value={reason} onChange={(e) => setReason(e.target.value)} />
          </span>
        </ConfirmDialog>
      )}
    </section>
  );
}
