/**
 * The Catalog's note on acquisition: candidates awaiting review and overdue or failing
 * sources, each linking to where the curator acts on it. Shows nothing when all is well.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useChannelAvailable, useQuery } from '../api/api-context.js';

export function SourcesNotice(): ReactNode {
  const available = useChannelAvailable('sources:list');
  const sources = useQuery('sources:list', available ? {} : null, [available]);
  if (!sources.data) return null;
  const pending = sources.data.reduce((sum, source) => sum + source.pending_candidates, 0);
  const overdue = sources.data.filter((source) => source.health.overdue).map((source) => source.id);
  const failing = sources.data.filter((source) => source.health.consecutive_failures > 0).map((source) => source.id);
  if (pending === 0 && overdue.length === 0 && failing.length === 0) return null;
  return (
    <div className="cards" role="status" aria-label="Sources">
      {pending > 0 && <p className="card"><Link to="/review">{pending} candidate{pending === 1 ? '' : 's'} awaiting review</Link></p>}
      {overdue.length > 0 && <p className="card card-warn"><Link to="/sources">Overdue: {overdue.join(', ')}</Link></p>}
      {failing.length > 0 && <p className="card card-bad"><Link to="/sources">Failing: {failing.join(', ')}</Link></p>}
    </div>
  );
}
