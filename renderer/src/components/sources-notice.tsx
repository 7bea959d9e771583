/**
 * The Catalog's note on acquisition: candidates awaiting review and overdue or failing
 * sources, each linking to where the curator acts on it. Shows nothing when all is well.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useChannelAvailable, useQuery } from '../api/api-context.js';
import { formatDay } from '../lib/format.js';

export function SourcesNotice(): ReactNode {
  const available = useChannelAvailable('sources:list');
  const sources = useQuery('sources:list', available ? {} : null, [available]);
  if (!sources.data) return null;
  const pending = sources.data.reduce((sum, source) => sum + source.pending_candidates, 0);
  const overdueSources = sources.data.filter((source) => source.health.overdue);
  const overdue = overdueSources.map((source) => source.id);
  const expected = overdueSources
    .filter((source) => source.health.next_release_due !== null)
    .map((source) => (overdueSources.length === 1 ? '' : `${source.id} `) + formatDay(source.health.next_release_due));
  const failing = sources.data.filter((source) => source.health.consecutive_failures > 0).map((source) => source.id);
  if (pending === 0 && overdue.length === 0 && failing.length === 0) return null;
  return (
    <div className="cards" role="status" aria-label="Sources">
      {pending > 0 && <p className="card"><Link to="/review">{pending} candidate{pending === 1 ? '' : 's'} awaiting review</Link></p>}
      {overdue.length > 0 && (
        <p className="card card-warn">
          <Link to="/sources">Overdue: {overdue.join(', ')}</Link>
          {expected.length > 0 && <span className="muted small"> · release expected {expected.join(', ')}</span>}
        </p>
      )}
      {failing.length > 0 && <p className="card card-bad"><Link to="/sources">Failing: {failing.join(', ')}</Link></p>}
    </div>
  );
}
