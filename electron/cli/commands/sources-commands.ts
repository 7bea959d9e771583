import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Candidate, RunRecord, SourceSummary, SyncResult } from '../../shared/contract/sources.js';
import { intOption, stringOption, UsageError, versionRefArg, type CliCommand } from '../command-types.js';
import { formatLatestPreview, previewLatest, warnIfWentBack } from '../latest-preview.js';
import { parseVersionRef } from '../../shared/version-ref.js';
import { formatBytes, formatTable, pageNote } from '../output.js';
import { withJobProgress } from '../progress-bar.js';

const day = (iso: string | null): string => (iso ? iso.slice(0, 16).replace('T', ' ') : '-');

function sourcesTable(sources: readonly SourceSummary[]): string {
  if (sources.length === 0) return 'No sources yet; add some with `ontocat sources import FILE`.';
  return formatTable(sources, [
    { header: 'SOURCE', value: (s) => s.id },
    { header: 'SERVICE', value: (s) => s.service },
    { header: 'SCHEDULE', value: (s) => (s.enabled ? s.spec.schedule ?? 'manual' : 'paused') },
    { header: 'LAST RUN (UTC)', value: (s) => (s.last_run ? `${s.last_run.status} ${day(s.last_run.started_at)}` : '-') },
    { header: 'NEXT RUN (UTC)', value: (s) => day(s.next_run) },
    // As the Sources page says it: "ok" only when neither overdue nor failing (it read "ok, 3 failed").
    { header: 'HEALTH', value: (s) => [s.health.overdue ? 'OVERDUE' : '', s.health.consecutive_failures ? `${s.health.consecutive_failures} failed` : ''].filter(Boolean).join(', ') || 'ok' },
    { header: 'PENDING', value: (s) => s.pending_candidates },
  ]);
}

function runLine(run: RunRecord): string {
  const output = run.manifest.output;
  switch (run.status) {
    case 'changed': return `${run.source_id}: new version ${output?.service}/${run.version} (${output?.files ?? 0} files${output?.bytes ? `, ${formatBytes(output.bytes)}` : ''}; ` +
      `version ${output?.version_rule?.rule}: ${output?.version_rule?.evidence})${output?.promotion ? ` — ${output.promotion.promoted ? 'promoted' : 'not promoted'}: ${output.promotion.reason}` : ' — awaiting review'}`;
    case 'unchanged': return `${run.source_id}: unchanged (${output?.reason ?? ''})`;
    default: return `${run.source_id}: ${run.status}${run.error_message ? ` — ${run.error_message}` : ''}`;
  }
}

function syncHuman(result: SyncResult): string {
  if (result.runs.length === 0) return 'No enabled sources to check.';
  return [...result.runs.map(runLine), '', `${result.changed} changed, ${result.unchanged} unchanged, ${result.failed} failed in ${(result.duration_ms / 1000).toFixed(1)} s.`].join('\n');
}

function candidatesTable(candidates: readonly Candidate[]): string {
  if (candidates.length === 0) return 'No candidates awaiting review.';
  return formatTable(candidates, [
    { header: 'VERSION', value: (c) => `${c.service}/${c.version}` },
    { header: 'SOURCE', value: (c) => c.source_id || '-' },
    { header: 'STATE', value: (c) => c.state },
    { header: 'LATEST', value: (c) => c.latest ?? '-' },
    { header: 'FILES', value: (c) => (c.impact ? `+${c.impact.files_added} -${c.impact.files_removed} ~${c.impact.files_modified}` : '-') },
    { header: 'BYTES', value: (c) => (c.impact ? `${formatBytes(c.impact.bytes_from)} → ${formatBytes(c.impact.bytes_to)}` : '-') },
    { header: 'NEW ERRORS', value: (c) => (c.impact ? c.impact.new_errors : '-') },
    { header: 'TERMS', value: (c) => (c.impact?.terms ? `+${c.impact.terms.added} -${c.impact.terms.removed}` : '-') },
  ]);
}

export const sourcesCommands: readonly CliCommand[] = [
  {
    name: 'sync',
    summary: 'Check sources once (all enabled ones, or those named): new releases become candidates',
    args: '[SOURCE…]', minArgs: 0, maxArgs: 10_000, access: 'write',
    async run(args, session) {
      const ids = [...args.positionals];
      const result = await withJobProgress(session, args, 'sync', 'sources:sync', { ...(ids.length ? { ids } : {}), trigger: 'cli' });
      return { json: result, human: syncHuman(result), exitCode: result.failed > 0 ? 1 : 0 };
    },
  },
  {
    name: 'sources list',
    summary: 'List sources with last run, next run, health and pending candidates',
    args: '', minArgs: 0, maxArgs: 0, access: 'read',
    async run(_args, session) {
      const sources = await session.call('sources:list', {});
      return { json: sources, human: sourcesTable(sources) };
    },
  },
  {
    name: 'sources import',
    summary: 'Add or update sources from a JSON or YAML file (schema ontocat.sources/2; /1 still read)',
    args: 'FILE', minArgs: 1, maxArgs: 1, access: 'write',
    async run(args, session) {
      const document = await readFile(path.resolve(args.positionals[0]!), 'utf8');
      const result = await session.call('sources:import', { document });
      return { json: result, human: `Sources: ${result.added.length} added, ${result.updated.length} updated, ${result.unchanged.length} unchanged.` };
    },
  },
  {
    name: 'sources export',
    summary: 'Write every source to one file (JSON, or YAML for .yaml/.yml or --yaml); stdout without FILE',
    args: '[FILE]', minArgs: 0, maxArgs: 1, access: 'read',
    options: { yaml: { type: 'boolean', description: 'write YAML (default: by the file extension, else JSON)' } },
    async run(args, session) {
      const file = args.positionals[0];
      const format = args.options.yaml === true || (file && /\.ya?ml$/i.test(file)) ? 'yaml' : 'json';
      const result = await session.call('sources:export', { format });
      if (!file) return { json: result, human: result.document.trimEnd() };
      // Atomically (a cut-off export never truncates the file kept in git), and never over the catalog.
      const { checkOutputFile, writeReportFile } = await import('../../handlers/export-tables.js');
      const target = checkOutputFile(session.root, session.catalog?.dbPath, file);
      writeReportFile(target, result.document);
      return { json: { ...result, file: target }, human: `Wrote ${result.count} sources to ${file}.` };
    },
  },
  {
    name: 'sources pause',
    summary: 'Pause a source (sync and schedules skip it unless it is named)',
    args: 'SOURCE', minArgs: 1, maxArgs: 1, access: 'write',
    async run(args, session) {
      const result = await session.call('sources:set-enabled', { id: args.positionals[0]!, enabled: false });
      return { json: result, human: `Source ${result.id} is paused.` };
    },
  },
  {
    name: 'sources resume',
    summary: 'Resume a paused source',
    args: 'SOURCE', minArgs: 1, maxArgs: 1, access: 'write',
    async run(args, session) {
      const result = await session.call('sources:set-enabled', { id: args.positionals[0]!, enabled: true });
      return { json: result, human: `Source ${result.id} is enabled.` };
    },
  },
  {
    name: 'sources runs',
    summary: 'Run history (newest first), of one source or all, with manifests in --json',
    args: '[SOURCE]', minArgs: 0, maxArgs: 1, access: 'read',
    options: {
      limit: { type: 'string', description: 'at most N runs (default 50, max 1000)' },
      offset: { type: 'string', description: 'skip N runs' },
    },
    async run(args, session) {
      const page = await session.call('sources:runs', {
        ...(args.positionals[0] ? { id: args.positionals[0] } : {}), limit: intOption(args, 'limit', 1, 1000), offset: intOption(args, 'offset'),
      });
      return {
        json: page,
        // A page past the end is not a source that never ran.
        human: page.total === 0 ? 'No runs yet.' : formatTable(page.items, [
          { header: 'STARTED (UTC)', value: (r) => day(r.started_at) },
          { header: 'SOURCE', value: (r) => r.source_id },
          { header: 'TRIGGER', value: (r) => r.trigger },
          { header: 'STATUS', value: (r) => r.status },
          { header: 'VERSION', value: (r) => r.version ?? '-' },
          { header: 'MS', value: (r) => r.duration_ms ?? '-' },
          { header: 'DETAIL', value: (r) => r.error_message ?? r.manifest.output?.reason ?? '' },
        ]) + pageNote(page),
      };
    },
  },
  {
    name: 'review list',
    summary: 'Candidates awaiting review, with their impact against the latest',
    args: '', minArgs: 0, maxArgs: 0, access: 'read',
    options: {
      state: { type: 'string', description: 'pending (default), approved, rejected or all' },
      limit: { type: 'string', description: 'at most N candidates (default 100, max 1000)' },
      offset: { type: 'string', description: 'skip N candidates' },
    },
    async run(args, session) {
      const state = stringOption(args, 'state') ?? 'pending';
      if (!['pending', 'approved', 'rejected', 'all'].includes(state)) throw new UsageError(`--state takes pending, approved, rejected or all, got '${state}'.`);
      const page = await session.call('review:list', { state: state as 'pending', limit: intOption(args, 'limit', 1, 1000), offset: intOption(args, 'offset') });
      // A page past the end is not an empty queue.
      return { json: page, human: page.total === 0 ? 'No candidates awaiting review.' : `${page.items.length > 0 ? candidatesTable(page.items) : ''}${pageNote(page)}`.trimStart() };
    },
  },
  {
    name: 'review approve',
    summary: 'Approve a candidate: it becomes the latest of its service',
    args: 'SERVICE/VERSION', minArgs: 1, maxArgs: 1,
    options: {
      preview: { type: 'boolean', description: 'show what changes against the current latest (files, terms, findings, release order), as the app does before Approve; write nothing' },
    },
    access: (args) => (args.options.preview === true ? 'read' : 'write'),
    async run(args, session, context) {
      const ref = versionRefArg(args.positionals[0]);
      if (args.options.preview === true) {
        const { service, version } = parseVersionRef(ref);
        const preview = await previewLatest(session, service, version);
        return { json: preview, human: formatLatestPreview(preview, `ontocat review approve ${ref}`) };
      }
      const result = await session.call('review:approve', { ref });
      const older = await warnIfWentBack(session, context, result.service, result.version, result.previous_latest);
      return {
        json: { ...result, older_than_previous: older },
        human: `Approved: latest ${result.service} is now ${result.version}${result.previous_latest ? ` (was ${result.previous_latest})` : ''}.`,
      };
    },
  },
  {
    name: 'review reject',
    summary: 'Reject a candidate (prune can then remove it)',
    args: 'SERVICE/VERSION', minArgs: 1, maxArgs: 1, access: 'write',
    options: { reason: { type: 'string', description: 'why, recorded with the decision' } },
    async run(args, session) {
      const reason = stringOption(args, 'reason');
      const result = await session.call('review:reject', { ref: versionRefArg(args.positionals[0]), ...(reason ? { reason } : {}) });
      return { json: result, human: `Rejected ${result.service}/${result.version}; it stays stored until pruned (preview: ontocat prune --rejected --service ${result.service}).` };
    },
  },
];
