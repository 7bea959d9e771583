/**
 * The term index's coverage, on the Terms page: how many ontology file contents it holds,
 * which ones it still lacks or holds under older rules, and the backfill that reads them,
 * as a job with progress (what `ontocat terms status` and `terms backfill` do).
 */
import type { ReactNode } from 'react';
import { RoleHint } from '../api/access.js';
import { useMutation, useQuery } from '../api/api-context.js';
import { JobProgressBar, useJobProgress } from '../components/job-progress.js';
import { ErrorState, Skeleton } from '../components/states.js';
import { useToast } from '../components/toast.js';
import { OLDER_RULES_MISS } from '../../../electron/shared/term-names.js';
import { formatCount } from '../lib/format.js';

/** Coverage of the term index, and a button that indexes what it lacks. */
export function TermIndexStatus(): ReactNode {
  const notify = useToast();
  const status = useQuery('terms:status', {}, []);
  const backfill = useMutation('terms:backfill');
  const progress = useJobProgress('terms-backfill', backfill.pending);
  if (status.error) return <ErrorState error={status.error} onRetry={status.refetch} />;
  if (!status.data) return <Skeleton rows={1} label="Reading the term index" />;
  const s = status.data;
  const todo = s.contents_pending + s.contents_outdated;
  const run = (): void => {
    backfill.run({}).then((result) => {
      const failed = result.failed.length > 0 ? `; ${formatCount(result.failed.length)} did not parse (${result.failed.slice(0, 3).map((f) => f.relpath).join(', ')}${result.failed.length > 3 ? ', …' : ''})` : '';
      notify(`Indexed ${formatCount(result.indexed)} of ${formatCount(result.contents)} file contents${failed}.`, result.failed.length > 0 ? 'error' : 'success');
      status.refetch();
    }, (error: Error) => {
      notify(error.message, 'error');
      status.refetch();
    });
  };
  return (
    <section className="card" aria-labelledby="term-index-title">
      <h2 id="term-index-title">Term index</h2>
      <p>
        {formatCount(s.distinct_terms)} terms from {formatCount(s.contents)} ontology file contents;{' '}
        {formatCount(s.versions_indexed)} version(s) fully indexed{s.versions_pending > 0 ? `, ${formatCount(s.versions_pending)} not yet` : ''}.
        Validating a version indexes its terms.
      </p>
      {s.contents_pending > 0 && (
        <p className="warn-text" role="status">
          {formatCount(s.contents_pending)} ontology file content(s) are not in the index: validated before it existed. Searches, histories and deltas leave them out until they are indexed.
        </p>
      )}
      {s.contents_outdated > 0 && (
        <p className="warn-text" role="status">
          {formatCount(s.contents_outdated)} file content(s) were indexed under older rules, which missed {OLDER_RULES_MISS}: such a term may read as redefined until they are read again.
        </p>
      )}
      {todo > 0 && (
        <div className="toolbar">
          <button type="button" className="primary" disabled={backfill.pending || backfill.refusal !== null} onClick={run}>
            {backfill.pending ? 'Indexing…' : `Index ${formatCount(todo)} file content(s) now`}
          </button>
          <RoleHint refusal={backfill.refusal} />
        </div>
      )}
      {backfill.pending && <JobProgressBar label="Term index progress" progress={progress} />}
    </section>
  );
}
