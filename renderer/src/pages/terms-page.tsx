/**
 * Terms: search every indexed version's terms by id, IRI, CURIE or label, and one term's
 * history over its service's releases (timeline plus a small chart of label and
 * definition changes per release). State lives in the URL (`#/terms?q=…`,
 * `#/terms?term=…&service=…`) so results and histories are deep links.
 */
import { useMemo, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { TermEvent, TermMatch, TermSearchHit, TermTimeline } from '../../../electron/shared/contract/terms.js';
import { countOf } from '../../../electron/shared/count-noun.js';
import { matchedOnText, quotedLabels, splitLabels } from '../../../electron/shared/term-labels.js';
import { useQuery } from '../api/api-context.js';
import { DataTable, type DataColumn } from '../components/data-table.js';
import { ExportButtons } from '../components/export-buttons.js';
import { Pager, useScopedOffset } from '../components/pager.js';
import { EmptyState, ErrorState, Skeleton } from '../components/states.js';
import { formatCountOf } from '../lib/format.js';
import { termHistoryHref } from '../lib/term-links.js';
import { TermIndexStatus } from './term-index-status.js';
import { useSearchDraft } from '../lib/use-search-draft.js';

const PAGE = 50;

function versionsText(versions: readonly string[]): string {
  return versions.length <= 5 ? versions.join(', ') : `${versions[0]} … ${versions.at(-1)} (${versions.length} releases)`;
}

function SearchResults({ q, match, service, latest }: { q: string; match: TermMatch; service: string; latest: boolean }): ReactNode {
  // A new query, match, service or latest filter starts at the first page of its results.
  const [offset, setOffset] = useScopedOffset(JSON.stringify([q, match, service, latest]));
  const result = useQuery('terms:search', { query: q, match, service: service || undefined, latest_only: latest, offset, limit: PAGE }, [q, match, service, latest, offset], { keepWithin: [] });
  const columns = useMemo<DataColumn<TermSearchHit>[]>(() => [
    { id: 'term', header: 'Term', className: 'mono term-cell term-key', cell: (h) => <Link to={termHistoryHref(h.ident, h.service)}>{h.ident}</Link> },
    { id: 'label', header: 'Label', className: 'wrap-cell', cell: (h) => <>{h.label ?? ''}{h.deprecated_in_last && <span className="badge badge-warn">deprecated</span>}</> },
    { id: 'service', header: 'Service', cell: (h) => h.service },
    { id: 'match', header: 'Matched on', cell: matchedOnText },
    { id: 'versions', header: 'In releases', className: 'wrap-cell', cell: (h) => versionsText(h.versions) },
    { id: 'latest', header: 'In latest', cell: (h) => (h.in_latest ? 'yes' : 'no') },
  ], []);
  if (result.error) return <ErrorState error={result.error} onRetry={result.refetch} />;
  if (!result.data) return <Skeleton label="Searching terms" />;
  if (result.data.total === 0 && !result.stale) {
    return <EmptyState title="No term matches"><p>Try another match mode, or index older versions with <code>ontocat terms backfill</code>.</p></EmptyState>;
  }
  return (
    <>
      <div className="toolbar">
        {/* Every hit of what was searched (the IRI a CURIE stands for, when that is what matched).
            While another search loads, the rows shown are the last one's: its query is not this one's. */}
        <ExportButtons table="term-search" input={{ query: result.data.query, match, service: service || undefined, latest_only: latest || undefined }} what="matching terms"
          disabled={result.stale} />
      </div>
      <p className="muted" aria-live="polite">
        {formatCountOf(result.data.total, 'term')}
        {!result.stale && result.data.query !== q && <> for <span className="mono">{result.data.query}</span>, the IRI <span className="mono">{q}</span> stands for (nothing matched it as typed)</>}
      </p>
      <DataTable label="Matching terms" columns={columns} rows={result.data.items} rowKey={(h) => `${h.service} ${h.ident}`} busy={result.loading}
        rowLabel={(h) => `${h.ident} ${h.label ?? ''} in ${h.service}`} />
      <Pager label="Term result pages" offset={offset} limit={PAGE} total={result.data.total} onOffset={setOffset} />
    </>
  );
}

const CHART_HEIGHT = 60;

/** Values shown before the rest fold away behind "N more". */
const SHOWN_VALUES = 8;

/**
 * A list of texts (labels, synonyms, files): the first few inline, the rest in a
 * disclosure, so a vocabulary with a label in 40 languages keeps its card short.
 */
function ValueList({ values: all, mono = false }: { values: readonly string[]; mono?: boolean }): ReactNode {
  const values = [...new Set(all)];
  const item = (value: string): ReactNode => <li key={value} className={mono ? 'mono' : undefined}>{value}</li>;
  return (
    <>
      <ul className="value-list">{values.slice(0, SHOWN_VALUES).map(item)}</ul>
      {values.length > SHOWN_VALUES && (
        <details>
          <summary>{values.length - SHOWN_VALUES} more</summary>
          <ul className="value-list">{values.slice(SHOWN_VALUES).map(item)}</ul>
        </details>
      )}
    </>
  );
}

/** Terms as links to their histories in `service`. */
function TermLinks({ terms, service }: { terms: readonly string[]; service: string }): ReactNode {
  return <>{terms.map((t) => <Link key={t} className="mono" to={termHistoryHref(t, service)}>{t} </Link>)}</>;
}

/** Bars per release: label changes above, definition changes below the line. */
function ChangesChart({ timeline }: { timeline: TermTimeline }): ReactNode {
  const versions = timeline.versions.map((v) => v.version);
  const count = (version: string, kind: TermEvent['kind']): number => timeline.events.filter((e) => e.to_version === version && e.kind === kind).length;
  const width = Math.max(120, versions.length * 14);
  const step = width / Math.max(1, versions.length);
  const labelled = versions.map((v) => count(v, 'RELABELLED'));
  const redefined = versions.map((v) => count(v, 'REDEFINED'));
  const summary = `Label changes in ${labelled.filter(Boolean).length} and definition changes in ${redefined.filter(Boolean).length} of ${versions.length} releases`;
  // An empty chart reads as something not loaded: say it in words instead.
  if (!labelled.some(Boolean) && !redefined.some(Boolean)) {
    return <p className="muted small">{`No label or definition change over the ${versions.length} indexed releases.`}</p>;
  }
  return (
    <figure className="term-chart">
      <svg width={width} height={CHART_HEIGHT} viewBox={`0 0 ${width} ${CHART_HEIGHT}`} role="img" aria-label={summary}>
        <line x1={0} x2={width} y1={CHART_HEIGHT / 2} y2={CHART_HEIGHT / 2} stroke="var(--border)" />
        {versions.map((version, i) => (
          <g key={version}>
            <title>{`${version}: ${countOf(labelled[i]!, 'label change')}, ${countOf(redefined[i]!, 'definition change')}`}</title>
            {labelled[i]! > 0 && <rect x={i * step + 2} y={4} width={Math.max(2, step - 4)} height={CHART_HEIGHT / 2 - 4} fill="var(--accent)" />}
            {redefined[i]! > 0 && <rect x={i * step + 2} y={CHART_HEIGHT / 2} width={Math.max(2, step - 4)} height={CHART_HEIGHT / 2 - 4} fill="var(--warn, #b26b00)" />}
          </g>
        ))}
      </svg>
      <figcaption className="muted small">{summary} (top: label, bottom: definition)</figcaption>
    </figure>
  );
}

/**
 * What an event changed, in words: "none" for a side left empty (parents removed), and
 * a deprecation's replacement named as such rather than as a bare value.
 */
function EventDetail({ event }: { event: TermEvent }): ReactNode {
  const quoted = (value: string | null): string => (value ? `“${value}”` : 'none');
  switch (event.kind) {
    case 'DEPRECATED':
      return event.after ? <span className="muted"> replaced by {event.after}</span> : null;
    case 'UNDEPRECATED':
      return null;
    case 'FIRST_SEEN':
    case 'READDED':
      return event.after ? <span className="muted"> {quoted(event.after)}</span> : null;
    case 'REMOVED':
      return event.before ? <span className="muted"> {quoted(event.before)}</span> : null;
    case 'RELABELLED':
    case 'REDEFINED': {
      // One label (definition) for another reads as a rename; those gained or lost are listed.
      const gone = splitLabels(event.before);
      const added = splitLabels(event.after);
      if (gone.length === 1 && added.length === 1) return <span className="muted"> {quoted(event.before)} → {quoted(event.after)}</span>;
      const parts = [gone.length > 0 ? `removed ${quotedLabels(gone)}` : '', added.length > 0 ? `added ${quotedLabels(added)}` : ''].filter(Boolean);
      return <span className="muted"> {parts.join('; ')}</span>;
    }
    default:
      return <span className="muted"> {event.kind === 'REPLACED' ? 'replacement ' : ''}{quoted(event.before)} → {quoted(event.after)}</span>;
  }
}

/**
 * Where a deprecated term leads: its replaced_by and consider chains to the live terms,
 * step by step as each step's newest release says.
 */
function TermLineageView({ term, service }: { term: string; service: string }): ReactNode {
  const lineage = useQuery('terms:lineage', { term, service }, [term, service]);
  if (lineage.error) return <ErrorState error={lineage.error} onRetry={lineage.refetch} />;
  if (!lineage.data) return <Skeleton label="Following the replacements" />;
  const { steps, live, cycle } = lineage.data;
  return (
    <section aria-labelledby={`lineage-${service}`}>
      <h3 id={`lineage-${service}`}>Lineage</h3>
      <ol className="lineage" aria-label={`Lineage of ${lineage.data.start} in ${service}`}>
        {steps.map((step, i) => (
          <li key={`${step.ident}-${i}`} style={{ paddingLeft: `${step.depth * 20}px` }}>
            {step.via !== 'start' && <span className="muted">{step.via.replace('_', ' ')} </span>}
            <Link className="mono" to={termHistoryHref(step.ident, service)}>{step.ident}</Link>
            {step.label && <> {step.label}</>}
            {step.version === null
              ? <span className="badge">not in {service}</span>
              : step.deprecated ? <span className="badge badge-warn">deprecated</span> : !step.removed && <span className="badge">live</span>}
            {step.removed && <span className="badge badge-warn">removed after {step.version}</span>}
            {step.version && <span className="muted small"> (as in {step.version})</span>}
          </li>
        ))}
      </ol>
      <p>
        {live.length > 0
          ? <>Live: <TermLinks terms={live} service={service} /></>
          : 'No chain reaches a live term.'}
        {cycle && <span className="muted"> A chain came back to a term already on it and was cut there.</span>}
      </p>
    </section>
  );
}

function TermHistoryView({ term, service }: { term: string; service: string }): ReactNode {
  const history = useQuery('terms:history', { term, service: service || undefined }, [term, service]);
  if (history.error?.code === 'NOT_FOUND') {
    // Not a failure: the index has no such term (yet). A search may find it by label or another spelling.
    return (
      <EmptyState title="No such term in the index">
        <p>{history.error.message}</p>
        <p><Link to={`/terms?${new URLSearchParams({ q: term }).toString()}`}>Search the index for {term}</Link></p>
      </EmptyState>
    );
  }
  if (history.error) return <ErrorState error={history.error} onRetry={history.refetch} />;
  if (!history.data) return <Skeleton label="Loading the term's history" />;
  return (
    <>
      {history.data.timelines.map((timeline) => {
        const present = timeline.versions.filter((v) => v.present);
        const last = present.at(-1);
        // The label a term is shown by (English first); a multilingual vocabulary has more.
        const otherLabels = last ? last.labels.filter((label) => label !== last.label) : [];
        // The same for definitions, folded: each is a sentence or more.
        const otherDefinitions = last ? last.definitions.slice(1) : [];
        return (
          <section key={timeline.service} aria-labelledby={`tl-${timeline.service}`} className="card">
            <h2 id={`tl-${timeline.service}`}>{history.data!.idents.join(', ')} in {timeline.service}</h2>
            {last && <p className="muted small">As in {last.version}, the newest release that has it.</p>}
            <dl className="fields">
              {history.data!.aliases.length > 0 && <><dt>Also written</dt><dd><ValueList values={history.data!.aliases} mono /></dd></>}
              <dt>Label</dt><dd>{last?.label ?? '—'}</dd>
              {otherLabels.length > 0 && <><dt>Other labels</dt><dd><ValueList values={otherLabels} /></dd></>}
              {last && last.synonyms.length > 0 && <><dt>Synonyms</dt><dd><ValueList values={last.synonyms} /></dd></>}
              <dt>Definition</dt><dd>{last?.definition ?? '—'}</dd>
              {otherDefinitions.length > 0 && (
                <><dt>Other definitions</dt><dd>
                  <details>
                    <summary>{otherDefinitions.length} more (other languages or wordings)</summary>
                    <ul className="value-list">{otherDefinitions.map((value) => <li key={value}>{value}</li>)}</ul>
                  </details>
                </dd></>
              )}
              <dt>Parents</dt><dd>{last && last.parents.length > 0 ? <TermLinks terms={last.parents} service={timeline.service} /> : '—'}</dd>
              <dt>Present in</dt><dd>{present.length} of {timeline.versions.length} indexed releases</dd>
              {last && last.files.length > 0 && <><dt>{last.files.length === 1 ? 'File' : 'Files'}</dt><dd><ValueList values={last.files} mono /></dd></>}
              {last?.deprecated && <><dt>Deprecated</dt><dd>{last.replaced_by.length > 0
                ? <>replaced by <TermLinks terms={last.replaced_by} service={timeline.service} /></> : 'yes'}</dd></>}
              {last?.deprecated && last.consider.length > 0 && <><dt>Consider</dt><dd><TermLinks terms={last.consider} service={timeline.service} /></dd></>}
            </dl>
            {last?.deprecated && <TermLineageView term={history.data!.idents[0] ?? term} service={timeline.service} />}
            <ChangesChart timeline={timeline} />
            <h3>Timeline</h3>
            {/* Every release's state of the term, one row each, with the changes it shows. */}
            <ExportButtons table="term-history" input={{ term: history.data!.idents[0] ?? term, service: timeline.service }} what={`the history of ${history.data!.idents[0] ?? term} in ${timeline.service}`} />
            <ol className="timeline">
              {timeline.events.map((event, i) => (
                <li key={`${event.kind}-${event.to_version}-${i}`}>
                  <strong>{event.kind === 'RETYPED' ? 'kind changed' : event.kind.replace('_', ' ').toLowerCase()}</strong>{' in '}
                  {event.from_version
                    ? <Link to={`/delta?from=${encodeURIComponent(`${timeline.service}/${event.from_version}`)}&to=${encodeURIComponent(`${timeline.service}/${event.to_version}`)}`}>{event.from_version} → {event.to_version}</Link>
                    : event.to_version}
                  <EventDetail event={event} />
                </li>
              ))}
            </ol>
          </section>
        );
      })}
    </>
  );
}

/** `/terms` */
export function TermsPage(): ReactNode {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const term = params.get('term') ?? '';
  const match = (params.get('match') as TermMatch | null) ?? 'contains';
  const service = params.get('service') ?? '';
  const latest = params.get('latest') === '1';
  const [draft, setDraft] = useSearchDraft(q);
  const update = (next: Record<string, string>): void => {
    const merged = new URLSearchParams(params);
    for (const [key, value] of Object.entries(next)) { if (value) merged.set(key, value); else merged.delete(key); }
    setParams(merged);
  };
  return (
    <section className="page" aria-labelledby="terms-title">
      <header className="page-header"><h1 id="terms-title">{term ? `Term ${term}` : 'Terms'}</h1></header>
      <form className="toolbar" role="search" aria-label="Search terms" onSubmit={(e) => { e.preventDefault(); update({ q: draft.trim(), term: '' }); }}>
        <span className="field">
          <label htmlFor="terms-q">Id, IRI, CURIE or label</label>
          <input id="terms-q" type="search" value={draft} placeholder="e.g. GO:0008150 or cell" onChange={(e) => setDraft(e.target.value)} />
        </span>
        <span className="field">
          <label htmlFor="terms-match">Match</label>
          <select id="terms-match" value={match} onChange={(e) => update({ match: e.target.value })}>
            <option value="contains">Contains</option>
            <option value="prefix">Starts with</option>
            <option value="exact">Exact</option>
          </select>
        </span>
        <span className="field">
          <label htmlFor="terms-service">Service</label>
          <input id="terms-service" value={service} placeholder="all" onChange={(e) => update({ service: e.target.value.trim() })} />
        </span>
        <label className="check"><input type="checkbox" checked={latest} onChange={(e) => update({ latest: e.target.checked ? '1' : '' })} /> In latest only</label>
        <button type="submit">Search</button>
      </form>
      {term ? <TermHistoryView term={term} service={service} />
        : q ? <SearchResults q={q} match={match} service={service} latest={latest} />
          : <TermIndexStatus />}
    </section>
  );
}
