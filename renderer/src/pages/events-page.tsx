/**
 * Events: the audit log, filtered and paged in the catalog.
 */
import { Fragment, useMemo, useState, type ReactNode } from 'react';
import type { CatalogEvent, EventLevel } from '../../../electron/shared/models.js';
import { useQuery } from '../api/api-context.js';
import { DataTable, type DataColumn } from '../components/data-table.js';
import { Pager } from '../components/pager.js';
import { EmptyState, ErrorState, Skeleton } from '../components/states.js';
import { formatDate } from '../lib/format.js';
import { eventFields, eventSentence } from '../../../electron/shared/events/event-sentence.js';

const PAGE = 50;

/** The event as a sentence; an unknown type as its readable fields. With `full`, the fields follow too. */
function EventDetails({ event, full }: { event: CatalogEvent; full: boolean }): ReactNode {
  const sentence = eventSentence(event.type, event.payload);
  const fields = eventFields(event.payload);
  const list = (
    <dl className="event-fields">
      {fields.map((f) => <Fragment key={f.label}><dt>{f.label}</dt><dd>{f.value}</dd></Fragment>)}
    </dl>
  );
  if (!sentence) return fields.length === 0 ? <span className="muted">No details.</span> : list;
  return <>{sentence}{full && fields.length > 0 && list}</>;
}

/** `/events` */
export function EventsPage(): ReactNode {
  const [type, setType] = useState('');
  const [level, setLevel] = useState<EventLevel | ''>('');
  const [draft, setDraft] = useState('');
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const events = useQuery('events:list', {
    type: type || undefined, level: level || undefined, search: search || undefined, offset, limit: PAGE,
  }, [type, level, search, offset], { keepWithin: [] });

  const columns = useMemo<DataColumn<CatalogEvent>[]>(() => [
    { id: 'ts', header: 'Time', cell: (e) => formatDate(e.ts) },
    { id: 'level', header: 'Level', cell: (e) => <span className={`level level-${e.level}`}>{e.level}</span> },
    { id: 'type', header: 'Type', className: 'event-type', cell: (e) => e.type },
    { id: 'actor', header: 'By', cell: (e) => e.actor ?? <span className="muted">—</span> },
    { id: 'payload', header: 'What happened', className: 'event-sentence', cell: (e) => <EventDetails event={e} full={open === e.event_id} /> },
  ], [open]);

  return (
    <section className="page" aria-labelledby="events-title">
      <header className="page-header"><h1 id="events-title">Events</h1></header>
      <form className="toolbar" role="search" aria-label="Filter events" onSubmit={(e) => { e.preventDefault(); setSearch(draft.trim()); setOffset(0); }}>
        <span className="field">
          <label htmlFor="ev-type">Type</label>
          <input id="ev-type" value={type} placeholder="e.g. latest.set" onChange={(e) => { setType(e.target.value.trim()); setOffset(0); }} />
        </span>
        <span className="field">
          <label htmlFor="ev-level">Level</label>
          <select id="ev-level" value={level} onChange={(e) => { setLevel(e.target.value as EventLevel | ''); setOffset(0); }}>
            <option value="">All levels</option>
            <option value="info">Info</option>
            <option value="warn">Warning</option>
            <option value="error">Error</option>
          </select>
        </span>
        <span className="field">
          <label htmlFor="ev-search">Search</label>
          <input id="ev-search" type="search" value={draft} onChange={(e) => setDraft(e.target.value)} />
        </span>
        <button type="submit">Search</button>
      </form>
      {events.error ? <ErrorState error={events.error} onRetry={events.refetch} /> : !events.data ? <Skeleton label="Loading events" /> : (
        events.data.total === 0 && !events.stale ? <EmptyState title="No events match"><p>Every change to the catalog is recorded here.</p></EmptyState> : (
          <>
            <DataTable label="Events" columns={columns} rows={events.data.items} rowKey={(e) => e.event_id} busy={events.loading}
              rowLabel={(e) => `${eventSentence(e.type, e.payload) ?? e.type} ${formatDate(e.ts)}`} selectedKey={open}
              onActivate={(e) => setOpen(open === e.event_id ? null : e.event_id)} />
            <Pager label="Event pages" offset={offset} limit={PAGE} total={events.data.total} onOffset={setOffset} />
          </>
        )
      )}
    </section>
  );
}
