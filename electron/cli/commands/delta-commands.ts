import type { DeltaResult, DeltaTreeEntry, FileChange, FindingChange, KindFilter, ValidationDeltaResult } from '../../shared/contract/delta.js';
import { FINDING_FILTERS, KIND_FILTERS, TERM_CHANGE_KINDS, type FindingFilter } from '../../shared/delta-kinds.js';
import type { Page, TermChange, TermDelta, TermImpact } from '../../shared/models.js';
import { ONTOLOGY_FORMATS, type FileFormat } from '../../shared/formats.js';
import { intOption, stringOption, UsageError, type CliCommand, type CommandSession, type ParsedArgs, versionRefArg } from '../command-types.js';
import { formatBytes, formatFields, formatTable, pageNote } from '../output.js';
import { maybeProfile, outputFormat, tableOutput, tableOutputOptions } from '../table-output.js';
import { withJobProgress } from '../progress-bar.js';
import { changeDetail, renderVersionTermDelta, termCountsText } from './terms-commands.js';
import { countOf } from '../../shared/count-noun.js';

function kindArg(args: ParsedArgs): KindFilter | undefined {
  const kind = stringOption(args, 'kind');
  if (kind === undefined) return undefined;
  const lower = kind.toLowerCase() as KindFilter;
  if (!KIND_FILTERS.includes(lower)) throw new UsageError(`--kind takes one of ${KIND_FILTERS.join(', ')}, got '${kind}'.`);
  return lower;
}

/** A path as one shell word. */
const shellWord = (text: string): string => (/^[\w./@+:=-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`);

const signed = (bytes: number): string => `${bytes > 0 ? '+' : ''}${formatBytes(bytes)}`;

function renderDelta(result: DeltaResult): string {
  const s = result.summary;
  const kinds = (['added', 'removed', 'modified', 'renamed', 'unchanged'] as const).map(
    (kind) => [kind, `${countOf(s[kind].count, 'file')}, ${formatBytes(s[kind].bytes)}`] as const,
  );
  const head = formatFields([
    ['delta', `${s.from} -> ${s.to}${s.prefix ? ` (under ${s.prefix}/)` : ''}${s.identical ? '  (identical: nothing changed)' : ''}`],
    ...kinds,
    ['files', `${s.files_from} -> ${s.files_to}`],
    ['bytes', `${formatBytes(s.bytes_from)} -> ${formatBytes(s.bytes_to)} (net ${signed(s.net_growth)}, churn ${formatBytes(s.churn_bytes)})`],
  ]);
  const changes = formatTable(result.changes.items, [
    { header: 'KIND', value: (c: FileChange) => c.kind },
    // A rename, or a version-named file (EDAM_1.1.obo -> EDAM_1.2.obo) MODIFIED under its new name.
    { header: 'PATH', value: (c: FileChange) => (c.old_relpath && c.new_relpath && c.old_relpath !== c.new_relpath ? `${c.old_relpath} -> ${c.new_relpath}` : c.relpath) },
    { header: 'FORMAT', value: (c: FileChange) => c.format },
    { header: 'OLD', value: (c: FileChange) => (c.old_size === null ? '' : formatBytes(c.old_size)), align: 'right' },
    { header: 'NEW', value: (c: FileChange) => (c.new_size === null ? '' : formatBytes(c.new_size)), align: 'right' },
  ]);
  return `${head}\n\n${changes}${pageNote(result.changes)}`;
}

function renderTree(page: Page<DeltaTreeEntry>): string {
  return formatTable(page.items, [
    // A file that moved out of the folder is listed where it was: say where it went; one
    // renamed, or named by its version, is listed at its new name: say where it came from.
    { header: 'NAME', value: (e) => (e.entry === 'dir' ? `${e.name}/`
      : e.new_relpath && e.new_relpath !== e.relpath ? `${e.name} -> ${e.new_relpath}`
        : e.old_relpath && e.old_relpath !== e.relpath ? `${e.name} (from ${e.old_relpath})` : e.name) },
    { header: 'CHANGE', value: (e) => e.kind ?? '' },
    { header: 'ADDED', value: (e) => e.added_files },
    { header: 'REMOVED', value: (e) => e.removed_files },
    { header: 'MODIFIED', value: (e) => e.modified_files },
    { header: 'RENAMED', value: (e) => e.renamed_files },
    { header: 'UNCHANGED', value: (e) => e.unchanged_files },
    { header: 'NET', value: (e) => signed(e.net_bytes), align: 'right' },
  ]) + pageNote(page);
}

function renderValidationDelta(result: ValidationDeltaResult): string {
  const s = result.summary;
  const head = formatFields([
    ['findings', `${s.from} -> ${s.to}`],
    ['new', s.new],
    ['fixed', s.fixed],
    ['persisting', s.persisting],
    ['gone', `${s.gone} (file removed)`],
  ]);
  const bySeverity = formatTable(s.by_severity, [
    { header: 'SEVERITY', value: (r) => r.severity }, { header: 'NEW', value: (r) => r.new },
    { header: 'FIXED', value: (r) => r.fixed }, { header: 'PERSISTING', value: (r) => r.persisting },
    { header: 'GONE', value: (r) => r.gone },
  ]);
  const list = formatTable(result.findings.items, [
    { header: 'STATUS', value: (f: FindingChange) => f.status },
    { header: 'SEVERITY', value: (f: FindingChange) => f.severity },
    { header: 'PATH', value: (f: FindingChange) => (f.old_relpath && f.old_relpath !== f.relpath ? `${f.old_relpath} -> ${f.relpath}` : f.relpath) },
    { header: 'VALIDATOR', value: (f: FindingChange) => f.validator },
    { header: 'RULE', value: (f: FindingChange) => f.rule },
    { header: 'LINE', value: (f: FindingChange) => f.line ?? f.old_line ?? '' },
    { header: 'MESSAGE', value: (f: FindingChange) => (f.message ?? '').slice(0, 80) },
  ]);
  return `${head}\n\n${bySeverity}\n\n${list}${pageNote(result.findings)}`;
}

/** Term deltas of the modified or renamed ontology files among `changes`. */
async function termDeltasOf(session: CommandSession, from: string, to: string, changes: readonly FileChange[]): Promise<TermDelta[]> {
  const deltas: TermDelta[] = [];
  for (const change of changes) {
    if ((change.kind !== 'MODIFIED' && change.kind !== 'RENAMED') || !ONTOLOGY_FORMATS.has(change.format as FileFormat)) continue;
    deltas.push(await session.call('delta:terms', {
      from, to, relpath: change.new_relpath ?? change.relpath, old_relpath: change.old_relpath ?? undefined, limit: 50,
    }));
  }
  return deltas;
}

/** `pagedBy`: the command whose --offset pages a file's term changes, when the caller's own --offset pages something else. */
function renderTermDeltas(deltas: readonly TermDelta[], pagedBy?: (delta: TermDelta) => string): string {
  if (deltas.length === 0) return 'Term changes: no modified or renamed ontology files on this page.';
  return deltas.map((delta) => {
    const head = `Terms of ${delta.old_relpath === delta.new_relpath ? delta.new_relpath : `${delta.old_relpath} -> ${delta.new_relpath}`}: ` +
      `${delta.old_terms} -> ${delta.new_terms} (${termCountsText(delta.summary)})`;
    const rows = formatTable(delta.changes.items, [
      { header: 'CHANGE', value: (c: TermChange) => c.change },
      { header: 'TERM', value: (c: TermChange) => c.term },
      { header: 'LABEL', value: (c: TermChange) => c.new_label ?? c.old_label ?? '' },
      { header: 'DETAIL', value: (c: TermChange) => changeDetail(c) },
    ]);
    return `${head}\n${rows}${pageNote(delta.changes, pagedBy?.(delta))}`;
  }).join('\n\n');
}

function renderTermImpact(impact: TermImpact): string {
  const t = impact.totals;
  const byFile = impact.files.length - impact.failed;
  const head = `Terms ${impact.from} -> ${impact.to}: ${termCountsText(t)}, from the term index over ${impact.index.files_from} -> ${countOf(impact.index.files_to, 'file')}` +
    `${byFile ? `, plus ${countOf(byFile, 'changed file')} compared one by one` : ''}${impact.failed ? `; ${impact.failed} could not be compared` : ''}.` +
    `${impact.unchanged_unindexed ? `\n${countOf(impact.unchanged_unindexed, 'unchanged ontology file')} ${impact.unchanged_unindexed === 1 ? 'is' : 'are'} not in the index (same content in both: no term change).` : ''}`;
  // The impact is a summary; the index lists the terms themselves.
  const list = `\nEach term: ontocat terms delta ${impact.from} ${impact.to} (--change KIND, --search TEXT)`;
  if (impact.files.length === 0) return `${head}${list}`;
  return `${head}${list}
Changed ontology files the term index lacks:
${formatTable(impact.files, [
    { header: 'FILE', value: (f) => (f.old_relpath === f.relpath ? f.relpath : `${f.old_relpath} -> ${f.relpath}`) },
    { header: 'ADDED', value: (f) => f.summary?.added ?? '' },
    { header: 'REMOVED', value: (f) => f.summary?.removed ?? '' },
    { header: 'RELABELLED', value: (f) => f.summary?.relabelled ?? '' },
    { header: 'REDEFINED', value: (f) => f.summary?.redefined ?? '' },
    { header: 'RE-PARENTED', value: (f) => f.summary?.reparented ?? '' },
    { header: 'KIND CHANGED', value: (f) => f.summary?.retyped ?? '' },
    { header: 'DEPRECATED', value: (f) => f.summary?.deprecated ?? '' },
    { header: 'WHY NOT FROM THE INDEX', value: (f) => f.reason },
    { header: 'NOT COMPARED', value: (f) => f.error ?? '' },
  ])}`;
}

const pagingOptions = {
  limit: { type: 'string', description: 'at most N rows (default 100, max 1000)' },
  offset: { type: 'string', description: 'skip N rows' },
} as const;

export const deltaCommands: readonly CliCommand[] = [
  {
    name: 'delta',
    summary: 'What changed between two versions: summary and the changed paths (--terms: down to the term)',
    args: 'SERVICE/A SERVICE/B', minArgs: 2, maxArgs: 2,
    // Term deltas are cached in the catalog, so --terms needs it writable.
    access: (args) => (args.options.terms === true ? 'write' : 'read'),
    options: {
      terms: { type: 'boolean', description: 'also list term changes: from the term index when both versions are indexed, else per changed ontology file on this page' },
      kind: { type: 'string', description: `only this kind: ${KIND_FILTERS.join(', ')} (default changed)` },
      prefix: { type: 'string', description: 'only paths under this folder' },
      ...pagingOptions,
      ...tableOutputOptions,
    },
    async run(args, session) {
      if (args.options.terms === true) {
        // An export is one table, the changed files: it would drop the term changes asked for.
        const format = outputFormat(args);
        if (format === 'csv' || format === 'parquet' || (format === 'json' && args.options.rows === true)) {
          throw new UsageError(`--terms lists term changes beside the changed files, and a ${format}${format === 'json' ? ' --rows' : ''} export holds the files alone: `
            + `export the term changes with ontocat terms delta ${args.positionals[0] ?? 'SERVICE/A'} ${args.positionals[1] ?? 'SERVICE/B'} --format ${format}${format === 'json' ? ' --rows' : ''}, the files without --terms.`);
        }
      }
      const input = {
        from: versionRefArg(args.positionals[0], 'SERVICE/A'), to: versionRefArg(args.positionals[1], 'SERVICE/B'),
        kind: kindArg(args), prefix: stringOption(args, 'prefix'),
        limit: intOption(args, 'limit', 1, 1000), offset: intOption(args, 'offset'),
      };
      const result = await session.call('delta:compute', input);
      await maybeProfile(args, session, { name: 'delta', refs: [input.from, input.to], prefix: input.prefix });
      // The term index answers for the whole pair at once; per-file parsing is the fallback
      // while either version still has ontology files the index lacks.
      const indexed = args.options.terms === true ? await session.call('terms:version-delta', { a: input.from, b: input.to, limit: 100 }) : undefined;
      const fromIndex = indexed?.complete ? indexed : undefined;
      const terms = args.options.terms === true && !fromIndex ? await termDeltasOf(session, input.from, input.to, result.changes.items) : undefined;
      const json = {
        summary: result.summary, changes: result.changes.items, total: result.changes.total, offset: result.changes.offset, limit: result.changes.limit,
        ...(terms ? { terms } : {}),
        ...(fromIndex ? { term_index: fromIndex } : {}),
      };
      const human = renderDelta(result) + (terms ? `\n\n${renderTermDeltas(terms, (delta) => `ontocat delta terms ${input.from} ${input.to} ${shellWord(delta.new_relpath)}`
        + (delta.old_relpath !== delta.new_relpath ? ` --old-path ${shellWord(delta.old_relpath)}` : ''))}` : '') + (fromIndex ? `\n\n${renderVersionTermDelta(fromIndex, `ontocat terms delta ${input.from} ${input.to}`)}` : '');
      return tableOutput(args, session, { json, human }, 'delta', input);
    },
  },
  {
    name: 'delta tree',
    summary: 'One folder level of the changes between two versions, with counts per kind',
    args: 'SERVICE/A SERVICE/B [FOLDER]', minArgs: 2, maxArgs: 3, access: 'read',
    options: {
      all: { type: 'boolean', description: 'also list unchanged files and folders' }, ...pagingOptions,
      // A folder level pages as `ls` does (delta-queries' tree window), not by delta's 100.
      limit: { type: 'string', description: 'at most N rows (default 500, max 1000)' },
      ...tableOutputOptions,
    },
    async run(args, session) {
      const input = {
        from: versionRefArg(args.positionals[0], 'SERVICE/A'), to: versionRefArg(args.positionals[1], 'SERVICE/B'), dir: args.positionals[2],
        changed_only: args.options.all !== true, limit: intOption(args, 'limit', 1, 1000), offset: intOption(args, 'offset'),
      };
      const page = await session.call('delta:tree', input);
      await maybeProfile(args, session, { name: 'delta-tree', refs: [input.from, input.to], dir: input.dir });
      return tableOutput(args, session, { json: page.items, human: renderTree(page) }, 'delta-tree', input);
    },
  },
  {
    name: 'delta terms',
    summary: 'Terms added, removed, relabelled, redefined, re-parented, changed in kind, deprecated and no longer deprecated between two versions: in one ontology file, or (without PATH) over every changed one',
    args: 'SERVICE/A SERVICE/B [PATH]', minArgs: 2, maxArgs: 3, access: 'write',
    options: {
      'old-path': { type: 'string', description: 'the path in A when the file was renamed' },
      change: { type: 'string', description: `only this kind: ${TERM_CHANGE_KINDS.join(', ')}` },
      search: { type: 'string', description: 'term id or label contains this text' },
      ...pagingOptions,
    },
    async run(args, session) {
      const change = stringOption(args, 'change')?.toUpperCase();
      if (change !== undefined && !(TERM_CHANGE_KINDS as readonly string[]).includes(change)) {
        throw new UsageError(`--change takes ${TERM_CHANGE_KINDS.join(', ')}, got '${change}'.`);
      }
      if (args.positionals[2] === undefined) {
        const impact = await withJobProgress(session, args, 'terms', 'delta:term-impact', {
          from: versionRefArg(args.positionals[0], 'SERVICE/A'), to: versionRefArg(args.positionals[1], 'SERVICE/B'),
        });
        return { json: impact, human: renderTermImpact(impact) };
      }
      const delta = await session.call('delta:terms', {
        from: versionRefArg(args.positionals[0], 'SERVICE/A'), to: versionRefArg(args.positionals[1], 'SERVICE/B'), relpath: args.positionals[2]!,
        old_relpath: stringOption(args, 'old-path'), change: change as TermChange['change'] | undefined, search: stringOption(args, 'search'),
        limit: intOption(args, 'limit', 1, 1000), offset: intOption(args, 'offset'),
      });
      return { json: delta, human: renderTermDeltas([delta]) };
    },
  },
  {
    name: 'delta validations',
    summary: 'Validation findings between two versions: NEW, FIXED, PERSISTING and GONE (file removed)',
    args: 'SERVICE/A SERVICE/B', minArgs: 2, maxArgs: 2, access: 'read',
    options: {
      status: { type: 'string', description: `${FINDING_FILTERS.join(', ')} (default all)` },
      severity: { type: 'string', description: 'ERROR, WARN or INFO' },
      validator: { type: 'string', description: 'only this validator' },
      prefix: { type: 'string', description: 'only paths under this folder' },
      ...pagingOptions,
      ...tableOutputOptions,
    },
    async run(args, session) {
      const status = stringOption(args, 'status')?.toLowerCase();
      if (status !== undefined && !(FINDING_FILTERS as readonly string[]).includes(status)) {
        throw new UsageError(`--status takes ${FINDING_FILTERS.join(', ')}, got '${status}'.`);
      }
      const severity = stringOption(args, 'severity')?.toUpperCase();
      if (severity !== undefined && !['ERROR', 'WARN', 'INFO'].includes(severity)) {
        throw new UsageError(`--severity takes ERROR, WARN or INFO, got '${severity}'.`);
      }
      const input = {
        from: versionRefArg(args.positionals[0], 'SERVICE/A'), to: versionRefArg(args.positionals[1], 'SERVICE/B'),
        status: status as FindingFilter | undefined, severity: severity as 'ERROR' | undefined,
        validator: stringOption(args, 'validator'), prefix: stringOption(args, 'prefix'),
        limit: intOption(args, 'limit', 1, 1000), offset: intOption(args, 'offset'),
      };
      const result = await session.call('delta:validations', input);
      await maybeProfile(args, session, { name: 'validation-delta', refs: [input.from, input.to], prefix: input.prefix });
      const json = { summary: result.summary, findings: result.findings.items, total: result.findings.total, offset: result.findings.offset, limit: result.findings.limit };
      return tableOutput(args, session, { json, human: renderValidationDelta(result) }, 'validation-delta', input);
    },
  },
];
