import type { LineageStep, TermDeltaKind, TermHistory, TermMatch, VersionTermChange, VersionTermDelta } from '../../shared/contract/terms.js';
import type { TermDeltaSummary } from '../../shared/models.js';
import { matchedOnText, otherLabelCount } from '../../shared/term-labels.js';
import { OLDER_RULES_MISS, TERM_DELTA_KINDS, TERM_MATCHES } from '../../shared/term-names.js';
import { intOption, stringOption, UsageError, type CliCommand, type ParsedArgs, versionRefArg } from '../command-types.js';
import { formatFields, formatTable, pageNote } from '../output.js';
import { withJobProgress } from '../progress-bar.js';
import { tableOutput, tableOutputOptions } from '../table-output.js';
import { countOf } from '../../shared/count-noun.js';

const pagingOptions = {
  limit: { type: 'string', description: 'at most N rows (default 50 for search, 100 for delta; max 1000)' },
  offset: { type: 'string', description: 'skip N rows' },
} as const;

/** A lineage step's state: a term no release of the service has may still be another service's. */
function lineageState(step: LineageStep, service: string): string {
  if (step.version === null) return `not in ${service}`;
  const state = step.deprecated ? 'deprecated' : 'live';
  return step.removed ? `${state}, removed after ${step.version}` : state;
}

function matchArg(args: ParsedArgs): TermMatch | undefined {
  const match = stringOption(args, 'match');
  if (match === undefined) return undefined;
  if (!TERM_MATCHES.includes(match as TermMatch)) throw new UsageError(`--match takes ${TERM_MATCHES.join(', ')}, got '${match}'.`);
  return match as TermMatch;
}


/** Versions as a short list: all when few, else the first and last few. */
function versionList(versions: readonly string[]): string {
  return versions.length <= 6 ? versions.join(', ') : `${versions.slice(0, 2).join(', ')}, … ${versions.slice(-3).join(', ')} (${versions.length})`;
}

/** Up to eight values, then how many more (`--json` has them all). */
function shortList(values: readonly string[]): string {
  return values.length <= 8 ? values.join(' | ') : `${values.slice(0, 8).join(' | ')} (and ${values.length - 8} more)`;
}

/** One term's timelines as text: the term as its newest release has it, then every event with its release pair. */
export function renderTermHistory(history: TermHistory): string {
  return history.timelines.map((timeline) => {
    const present = timeline.versions.filter((v) => v.present);
    const last = present.at(-1);
    // A state's lists are distinct and sorted already (term-version-states.ts).
    const otherLabels = last ? last.labels.filter((label) => label !== last.label) : [];
    const listed = (name: string, values: readonly string[]): (readonly [string, string])[] => (values.length > 0 ? [[name, shortList(values)]] : []);
    const head = formatFields([
      ['term', history.idents.join(', ')],
      ...listed('also written', history.aliases),
      ['service', timeline.service],
      ['label', last?.label ?? ''],
      ...listed('other labels', otherLabels),
      ...listed('synonyms', last?.synonyms ?? []),
      ...(last?.definition ? [['definition', last.definition.length > 200 ? `${last.definition.slice(0, 199)}…` : last.definition] as const] : []),
      ...(last && last.definitions.length > 1 ? [['other definitions', `${last.definitions.length - 1} (--json lists them)`] as const] : []),
      ...listed('parents', last?.parents ?? []),
      ['in', `${present.length} of ${timeline.versions.length} indexed releases${last ? ` (as shown: ${last.version})` : ''}`],
      ...listed('files', last?.files ?? []),
      ...(last?.deprecated ? [['deprecated', last.replaced_by.length > 0 ? `replaced by ${last.replaced_by.join(', ')}` : 'yes'] as const] : []),
      ...(last?.deprecated ? listed('consider', last.consider) : []),
    ]);
    const events = formatTable(timeline.events, [
      { header: 'RELEASE', value: (e) => (e.from_version ? `${e.from_version} -> ${e.to_version}` : e.to_version) },
      { header: 'CHANGE', value: (e) => e.kind },
      { header: 'BEFORE', value: (e) => (e.before ?? '').slice(0, 60) },
      { header: 'AFTER', value: (e) => (e.after ?? '').slice(0, 60) },
    ]);
    return `${head}\n\n${events}`;
  }).join('\n\n');
}

/** A change's term by its label, and how many more labels it has (`--json` has them all). */
function shownLabel(change: VersionTermChange): string {
  const others = otherLabelCount(change.label, change.new_label ?? change.old_label);
  return `${change.label ?? ''}${others > 0 ? ` (+${others} more)` : ''}`;
}

/** What a change changed, cut to a table cell: a relabel's labels removed and added (a file pair's change or a whole version's). */
export function changeDetail(change: Pick<VersionTermChange, 'change' | 'before' | 'after'>): string {
  const cut = (text: string | null): string => (text === null ? '' : text.length > 40 ? `${text.slice(0, 39)}…` : text);
  // Labels and definitions are sets: what one side lacks is shown as removed (-) and added (+).
  if (change.change === 'RELABELLED' || change.change === 'REDEFINED') return [change.before ? `-${cut(change.before)}` : '', change.after ? `+${cut(change.after)}` : ''].filter(Boolean).join(' ');
  if (change.before === null && change.after === null) return '';
  return `${cut(change.before)}${change.before ? ' -> ' : ''}${cut(change.after)}`;
}

/** A term delta's counts in words, every kind in TERM_DELTA_KINDS' order ("changed kind" only when there are any). */
export function termCountsText(s: TermDeltaSummary): string {
  return `+${s.added} added, -${s.removed} removed, ${s.relabelled} relabelled, ${s.redefined} redefined, ` +
    `${s.reparented} re-parented, ${s.retyped > 0 ? `${s.retyped} changed kind, ` : ''}${s.deprecated} deprecated` +
    (s.undeprecated > 0 ? `, ${s.undeprecated} no longer deprecated` : '') + (s.replaced > 0 ? `, ${s.replaced} with a new replacement` : '');
}

/** A whole-version term delta as text. */
/** `pagedBy`: the command whose --offset pages the term changes, when the caller's own --offset pages something else. */
export function renderVersionTermDelta(delta: VersionTermDelta, pagedBy?: string): string {
  const head = `Terms ${delta.from} -> ${delta.to} (term index${delta.complete ? '' : '; INCOMPLETE: some ontology files are not indexed, run ontocat terms backfill'}): ` +
    `${delta.old_terms} -> ${delta.new_terms} (${termCountsText(delta.summary)})`;
  const rows = formatTable(delta.changes.items, [
    { header: 'CHANGE', value: (c) => c.change },
    { header: 'TERM', value: (c) => c.ident },
    { header: 'LABEL', value: (c) => shownLabel(c) },
    { header: 'DETAIL', value: (c) => changeDetail(c) },
  ]);
  const outdated = delta.outdated_files > 0
    ? `\n${countOf(delta.outdated_files, 'file')} ${delta.outdated_files === 1 ? 'was' : 'were'} indexed under older rules, which missed ${OLDER_RULES_MISS}: run ontocat terms backfill to re-read them.` : '';
  return `${head}\n${rows}${pageNote(delta.changes, pagedBy)}${outdated}`;
}

export const termsCommands: readonly CliCommand[] = [
  {
    name: 'terms search',
    summary: 'Find terms across every indexed version by id, IRI, CURIE or label, with the versions that have them',
    args: 'QUERY', minArgs: 1, maxArgs: 1, access: 'read',
    options: {
      service: { type: 'string', description: 'only this service' },
      latest: { type: 'boolean', description: "only terms that match in the service's latest version: by id, or by a label that version gives them" },
      match: { type: 'string', description: 'exact, prefix or contains (default contains; always case-insensitive)' },
      ...pagingOptions,
      ...tableOutputOptions,
    },
    async run(args, session) {
      const input = {
        query: args.positionals[0]!, match: matchArg(args), service: stringOption(args, 'service'), latest_only: args.options.latest === true,
        limit: intOption(args, 'limit', 1, 1000), offset: intOption(args, 'offset'),
      };
      const result = await session.call('terms:search', input);
      const human = formatTable(result.items, [
        { header: 'TERM', value: (h) => h.ident },
        { header: 'SERVICE', value: (h) => h.service },
        { header: 'LABEL', value: (h) => `${h.label ?? ''}${h.deprecated_in_last ? ' (deprecated)' : ''}` },
        { header: 'MATCH', value: matchedOnText },
        { header: 'VERSIONS', value: (h) => versionList(h.versions) },
        { header: 'LATEST', value: (h) => (h.in_latest ? 'yes' : '') },
      ]) + pageNote(result);
      const searched = result.query === input.query ? '' : `Nothing matched ${input.query}; showing ${result.query}, the IRI it stands for.\n`;
      // An export lists what was searched, as the table does.
      return tableOutput(args, session, { json: result, human: searched + human }, 'term-search', { ...input, query: result.query });
    },
  },
  {
    name: 'terms history',
    summary: "One term's history over its service's releases (release order): first seen, relabels, redefinitions, parents, deprecation, removal",
    args: 'ID', minArgs: 1, maxArgs: 1, access: 'read',
    options: { service: { type: 'string', description: 'only this service' }, ...tableOutputOptions },
    async run(args, session) {
      const input = { term: args.positionals[0]!, service: stringOption(args, 'service') };
      const history = await session.call('terms:history', input);
      // CSV and Parquet (and JSON --rows): one row per release, its state and the changes it shows.
      return tableOutput(args, session, { json: history, human: renderTermHistory(history) }, 'term-history', input);
    },
  },
  {
    name: 'terms lineage',
    summary: 'Follow replaced_by / consider from a deprecated term to the live terms it leads to',
    args: 'ID', minArgs: 1, maxArgs: 1, access: 'read',
    options: { service: { type: 'string', description: 'the service whose releases to follow (needed only when several hold the term)' } },
    async run(args, session) {
      const lineage = await session.call('terms:lineage', { term: args.positionals[0]!, service: stringOption(args, 'service') });
      const { service } = lineage;
      const human = formatTable(lineage.steps, [
        { header: 'DEPTH', value: (s) => s.depth },
        { header: 'VIA', value: (s) => s.via },
        { header: 'TERM', value: (s) => s.ident },
        { header: 'LABEL', value: (s) => s.label ?? '' },
        { header: 'STATE', value: (s) => lineageState(s, service) },
        { header: 'AS OF', value: (s) => s.version ?? '' },
      ]) + `\nLive: ${lineage.live.join(', ') || 'none'}${lineage.cycle ? '\n(a chain came back to a term already on it and was cut there)' : ''}`;
      return { json: lineage, human };
    },
  },
  {
    name: 'terms delta',
    summary: 'Every term change between two versions over all their ontology files, from the term index',
    args: 'SERVICE/A SERVICE/B', minArgs: 2, maxArgs: 2, access: 'read',
    options: {
      change: { type: 'string', description: TERM_DELTA_KINDS.join(', ') },
      search: { type: 'string', description: 'term id or label contains this text' },
      ...pagingOptions,
      ...tableOutputOptions,
    },
    async run(args, session) {
      const change = stringOption(args, 'change')?.toUpperCase();
      if (change !== undefined && !TERM_DELTA_KINDS.includes(change as TermDeltaKind)) {
        throw new UsageError(`--change takes ${TERM_DELTA_KINDS.join(', ')}, got '${change}'.`);
      }
      const input = {
        a: versionRefArg(args.positionals[0], 'SERVICE/A'), b: versionRefArg(args.positionals[1], 'SERVICE/B'),
        change: change as TermDeltaKind | undefined, search: stringOption(args, 'search'),
        limit: intOption(args, 'limit', 1, 1000), offset: intOption(args, 'offset'),
      };
      const delta = await session.call('terms:version-delta', input);
      return tableOutput(args, session, { json: delta, human: renderVersionTermDelta(delta) }, 'term-delta', input);
    },
  },
  {
    name: 'terms status',
    summary: 'How much of the catalog the term index covers',
    args: '', minArgs: 0, maxArgs: 0, access: 'read',
    async run(_args, session) {
      const status = await session.call('terms:status', {});
      return {
        json: status,
        human: formatFields([
          ['contents', `${status.contents} indexed (${status.contents_pending} pending${status.contents_outdated > 0 ? `, ${status.contents_outdated} under older rules` : ''}${status.contents_unparsable > 0 ? `; ${status.contents_unparsable} do not parse` : ''})`],
          ['term rows', status.term_rows],
          ['distinct terms', status.distinct_terms],
          ['versions', `${status.versions_indexed} fully indexed, ${status.versions_pending} not yet`],
        ]) + (status.contents_pending > 0 ? '\nIndex the rest with: ontocat terms backfill' : '')
          + (status.contents_unparsable > 0
            ? `\n${countOf(status.contents_unparsable, 'file content')} ${status.contents_unparsable === 1 ? 'does' : 'do'} not parse, so the index cannot hold them; ontocat terms unparsable lists them (a backfill leaves them be until the parsers change).` : '')
          + (status.contents_outdated > 0
            ? `\nContents under older rules miss ${OLDER_RULES_MISS}; ontocat terms backfill re-reads them (so do validations that meet them).` : ''),
      };
    },
  },
  {
    name: 'terms backfill',
    summary: 'Index the terms of ontology files validated before the term index existed, or indexed under older rules (a job with progress)',
    args: '', minArgs: 0, maxArgs: 0, access: 'write',
    options: { service: { type: 'string', description: 'only this service' } },
    async run(args, session) {
      const result = await withJobProgress(session, args, 'terms', 'terms:backfill', { service: stringOption(args, 'service') });
      const named = result.failed.length < result.unparsable + result.unreadable ? ` (the first ${result.failed.length})` : '';
      const human = `Indexed ${result.indexed} of ${countOf(result.contents, 'file content')} in ${(result.duration_ms / 1000).toFixed(1)} s.` +
        (result.unparsable > 0 ? `\n${result.unparsable} did not parse and stay out of the index (ontocat terms unparsable lists them all).` : '') +
        (result.unreadable > 0 ? `\n${result.unreadable} could not be read (missing from disk? ontocat doctor checks the store); the next backfill tries them again.` : '') +
        (result.failed.length > 0 ? `\n${formatTable(result.failed, [
          { header: 'FILE', value: (f) => `${f.service}/${f.version}/${f.relpath}` },
          { header: 'WHY', value: (f) => (f.reason === 'unparsable' ? 'does not parse' : 'unreadable') },
          { header: 'PROBLEM', value: (f) => f.message.slice(0, 100) },
        ])}${named}` : '');
      return { json: result, human };
    },
  },
  {
    name: 'terms unparsable',
    summary: 'Ontology file contents that do not parse, so the term index cannot hold them',
    args: '', minArgs: 0, maxArgs: 0, access: 'read',
    options: { service: { type: 'string', description: 'only contents a file of this service holds' }, ...pagingOptions },
    async run(args, session) {
      const page = await session.call('terms:unparsable', {
        service: stringOption(args, 'service'), limit: intOption(args, 'limit', 1, 1000), offset: intOption(args, 'offset'),
      });
      const human = page.total === 0
        ? 'Every ontology file content the index lacks parses (or is still to be read: ontocat terms status).'
        : `${formatTable(page.items, [
          { header: 'FILE', value: (c) => `${c.service}/${c.version}/${c.relpath}` },
          { header: 'FILES', value: (c) => c.files },
          { header: 'FORMAT', value: (c) => c.format },
          { header: 'PROBLEM', value: (c) => c.message.slice(0, 100) },
        ])}${pageNote(page)}`;
      return { json: page, human };
    },
  },
];
