/**
 * The term index's coverage, on the Terms page: how many ontology file contents it holds,
 * which ones it still lacks or holds under older rules, and the backfill that reads them,
 * as a job with progress (what `ontocat terms status` and `terms backfill` do).
 */
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { RoleHint } from '../api/access.js';
import { useMutation, useQuery } from '../api/api-context.js';
import { DataTable, type DataColumn } from '../components/data-table.js';
import { JobProgressBar, useJobProgress } from '../components/job-progress.js';
import { Pager } from '../components/pager.js';
import { ErrorState, Skeleton } from '../components/states.js';
import type { UnparsableTermContent } from '../../../electron/shared/contract/terms.js';
import { useToast } from '../components/toast.js';
import { OLDER_RULES_MISS } from '../../../electron/shared/term-names.js';
import { formatCount, formatCountOf } from '../lib/format.js';

/** Coverage of the term index, and a button that indexes what it lacks. */
export function TermIndexStatus(): ReactNode {
  const notify = useToast();
  const status = useQuery('terms:status', {}, []);
  const backfill = useMutation('terms:backfill');
  const progress = useJobProgress('terms-backfill', backfill.pending, backfill.requestId);
  if (status.error) return <ErrorState error={status.error} onRetry={status.refetch} />;
  if (!status.data) return <Skeleton rows={1} label="Reading the term index" />;
  const s = status.data;
  const todo = s.contents_pending + s.contents_outdated;
  const run = (): void => {
    backfill.run({}).then((result) => {
      const named = (reason: string): string => {
        const paths = result.failed.filter((f) => f.reason === reason).map((f) => f.relpath);
        return paths.length === 0 ? '' : ` (${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ', …' : ''})`;
      };
      const unparsable = result.unparsable > 0 ? `; ${formatCount(result.unparsable)} do not parse${named('unparsable')}` : '';
      const unreadable = result.unreadable > 0 ? `; ${formatCount(result.unreadable)} could not be read${named('unreadable')}, and the next run tries them again` : '';
      notify(`Indexed ${formatCount(result.indexed)} of ${formatCount(result.contents)} file contents${unparsable}${unreadable}.`,
        result.unparsable + result.unreadable > 0 ? 'error' : 'success');
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
        {formatCountOf(s.versions_indexed, 'version')} fully indexed{s.versions_pending > 0 ? `, ${formatCount(s.versions_pending)} not yet` : ''}
        {s.contents_unparsable > 0 ? ' (as far as their files parse)' : ''}.
        Validating a version indexes its terms.
      </p>
      {s.contents_pending > 0 && (
        <p className="warn-text" role="status">
          {formatCountOf(s.contents_pending, 'ontology file content')} {s.contents_pending === 1 ? 'is' : 'are'} not in the index: validated before it existed. Searches, histories and deltas leave them out until they are indexed.
        </p>
      )}
      {s.contents_unparsable > 0 && <UnparsableContents count={s.contents_unparsable} />}
      {s.contents_outdated > 0 && (
        <p className="warn-text" role="status">
          {formatCountOf(s.contents_outdated, 'file content')} {s.contents_outdated === 1 ? 'was' : 'were'} indexed under older rules, which missed {OLDER_RULES_MISS}: such a term may read as redefined until they are read again.
        </p>
      )}
      {todo > 0 && (
        <div className="toolbar">
          <button type="button" className="primary" disabled={backfill.pending || backfill.refusal !== null} onClick={run}>
            {backfill.pending ? 'Indexing…' : `Index ${formatCountOf(todo, 'file content')} now`}
          </button>
          <RoleHint refusal={backfill.refusal} />
        </div>
      )}
      {backfill.pending && <JobProgressBar label="Term index progress" progress={progress} />}
    </section>
  );
}

const PAGE = 20;

const UNPARSABLE_COLUMNS: readonly DataColumn<UnparsableTermContent>[] = [
  {
    id: 'file', header: 'File',
    cell: (c) => <Link to={`/versions/${c.service}/${c.version}?path=${encodeURIComponent(c.relpath)}`}>{`${c.service}/${c.version}/${c.relpath}`}</Link>,
  },
  { id: 'files', header: 'Files', align: 'right', cell: (c) => formatCount(c.files) },
  { id: 'problem', header: 'Problem', cell: (c) => c.message },
];

/** The contents the index cannot hold, counted, and listed a page at a time on request. */
function UnparsableContents({ count }: { readonly count: number }): ReactNode {
  const [shown, setShown] = useState(false);
  return (
    <>
      <p role="status">
        {formatCountOf(count, 'ontology file content')} {count === 1 ? 'does' : 'do'} not parse, so the index cannot hold them; a backfill leaves them be until the parsers change.{' '}
        <button type="button" className="link" aria-expanded={shown} onClick={() => setShown(!shown)}>{shown ? 'Hide them' : 'Show them'}</button>
      </p>
      {shown && <UnparsableList />}
    </>
  );
}

function UnparsableList(): ReactNode {
  const [offset, setOffset] = useState(0);
  const page = useQuery('terms:unparsable', { offset, limit: PAGE }, [offset], { keepWithin: [] });
  if (page.error) return <ErrorState error={page.error} onRetry={page.refetch} />;
  if (!page.data) return <Skeleton rows={3} label="Reading the contents that do not parse" />;
  return (
    <>
      <DataTable label="Ontology file contents that do not parse" columns={UNPARSABLE_COLUMNS} rows={page.data.items} rowKey={(c) => c.sha256} busy={page.loading} />
      <Pager offset={offset} limit={PAGE} total={page.data.total} onOffset={setOffset} label="Pages of contents that do not parse" />
    </>
  );
}
