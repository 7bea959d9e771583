import path from 'node:path';
import type { IngestResult, VerifyResult } from '../../shared/contract.js';
import { formatVersionRef, parseVersionRef } from '../../shared/version-ref.js';
import { intOption, stringOption, UsageError, type CliCommand, type ParsedArgs } from '../command-types.js';
import { formatBytes, formatFields, formatTable } from '../output.js';
import { describeHealth } from '../../shared/validation-health.js';
import { withJobProgress } from '../progress-bar.js';
import { countOf } from '../../shared/count-noun.js';
import { limitInputsFromEnv } from '../../shared/ingest-limit-env.js';

function required(args: ParsedArgs, name: string): string {
  const value = stringOption(args, name);
  if (!value) throw new UsageError(`--${name} is required.`);
  return value;
}

/**
 * A file or folder argument made absolute against this process's folder: the call may run
 * in another process (the root's owner), whose working folder is not ours. URLs pass as is.
 */
function localPathArg(text: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : path.resolve(text);
}

function ingestHuman(summary: IngestResult): string {
  const head = summary.status === 'unchanged'
    ? `${summary.service}/${summary.version} is unchanged (${countOf(summary.files, 'file')}); nothing written.`
    : summary.restored_on_disk !== undefined
      ? `${summary.service}/${summary.version} is unchanged in the catalog (${countOf(summary.files, 'file')}); put back ${countOf(summary.restored_on_disk, 'file')} not on disk as recorded (deleted, cut short or edited).`
      : `Ingested ${summary.service}/${summary.version}: ${countOf(summary.files, 'file')}, ${formatBytes(summary.bytes)} (${formatBytes(summary.bytes_deduplicated)} already stored).`;
  const extra = [
    summary.skipped ? `${summary.skipped} ${summary.skipped === 1 ? 'entry' : 'entries'} skipped (links to nothing or to folders).` : '',
    summary.empty_folders ? `${countOf(summary.empty_folders, 'empty folder')} not kept (a version records files only).` : '',
    `Validation: ${describeHealth(summary.validation)}${summary.validation.files_with_errors + summary.validation.warnings > 0 ? ` (ontocat findings ${summary.service}/${summary.version})` : ''}.`,
    summary.set_latest ? `Latest ${summary.service} is now ${summary.version}.` : '',
  ].filter(Boolean);
  return [head, ...extra].join('\n');
}

function verifyHuman(result: VerifyResult): string {
  // The size of what was checked is the catalog's; what was found on disk is said beside it when it differs.
  const size = result.bytes === result.recorded_bytes ? formatBytes(result.recorded_bytes)
    : `${formatBytes(result.recorded_bytes)} as recorded; ${formatBytes(result.bytes)} found on disk`;
  const head = `Checked ${countOf(result.checked, 'file')} (${size}): ${result.ok} ok, ${result.mismatches.length} mismatched.`;
  if (result.mismatches.length === 0) return head;
  return `${head}\n\n${formatTable(result.mismatches, [
    { header: 'VERSION', value: (m) => `${m.service}/${m.version}` },
    // An archive's path is beside data/, not in it: said, so it is not read as a data file.
    { header: 'PATH', value: (m) => (m.kind === 'archive' ? `${m.relpath} (downloaded archive)` : m.relpath) },
    { header: 'PROBLEM', value: (m) => m.problem },
    { header: 'EXPECTED', value: (m) => m.expected_sha256.slice(0, 12) },
    { header: 'ACTUAL', value: (m) => m.actual_sha256?.slice(0, 12) ?? '-' },
  ])}`;
}

export const ingestCommands: readonly CliCommand[] = [
  {
    name: 'ingest',
    summary: 'Ingest a folder, archive (.zip, .tar, .tar.gz, .tar.xz, .gz) or http(s) URL as a version',
    args: 'SOURCE', minArgs: 1, maxArgs: 1, access: 'write',
    options: {
      service: { type: 'string', description: 'the service the version belongs to (required)' },
      version: { type: 'string', description: 'the version name (required)' },
      'set-latest': { type: 'boolean', description: 'make it the latest version of the service' },
      replace: { type: 'boolean', description: 'replace a version already recorded with different content (refused otherwise)' },
      'max-files': { type: 'string', description: 'most files the source may hold (default 1000000, or $ONTOCAT_MAX_FILES)' },
    },
    async run(args, session) {
      const maxFiles = intOption(args, 'max-files', 1, 1_000_000_000);
      const summary = await withJobProgress(session, args, 'ingest', 'ingest:run', {
        source: localPathArg(args.positionals[0]!), service: required(args, 'service'), version: required(args, 'version'), set_latest: args.options['set-latest'] === true,
        ...(args.options.replace === true ? { replace: true } : {}),
        ...limitInputsFromEnv(process.env),
        ...(maxFiles === undefined ? {} : { max_files: maxFiles }),
      });
      return { json: summary, human: ingestHuman(summary) };
    },
  },
  {
    name: 'fetch',
    summary: "Download one artifact into a version's archives/ (conditional GET, retries)",
    args: 'URL', minArgs: 1, maxArgs: 1, access: 'write',
    options: {
      service: { type: 'string', description: 'the service (required)' },
      version: { type: 'string', description: 'the version (required)' },
      replace: { type: 'boolean', description: 'replace an artifact the version already records with different content (refused otherwise)' },
    },
    async run(args, session) {
      const result = await withJobProgress(session, args, 'fetch', 'ingest:fetch', {
        url: args.positionals[0]!, service: required(args, 'service'), version: required(args, 'version'),
        ...(args.options.replace === true ? { replace: true } : {}),
      });
      return {
        json: result,
        human: `${result.status === 'cached' ? 'Not modified; reused the stored copy' : 'Downloaded'} ${result.name}: ${formatBytes(result.size_bytes)} → ${result.fs_relpath}${result.attempts > 1 ? ` (${result.attempts} attempts)` : ''}.`,
      };
    },
  },
  {
    name: 'verify',
    summary: 'Re-hash stored files against the catalog; exit 1 on any mismatch',
    args: '[SERVICE/VERSION]', minArgs: 0, maxArgs: 1, access: 'read',
    async run(args, session) {
      let ref: string | undefined;
      if (args.positionals[0]) {
        try { ref = formatVersionRef(parseVersionRef(args.positionals[0])); } catch (error) { throw new UsageError((error as Error).message); }
      }
      const result = await withJobProgress(session, args, 'verify', 'storage:verify', ref ? { ref } : {});
      return { json: result, human: verifyHuman(result), exitCode: result.mismatches.length > 0 ? 1 : 0 };
    },
  },
  {
    name: 'where',
    summary: 'Every version and artifact holding this content, and its store object',
    args: 'SHA256', minArgs: 1, maxArgs: 1, access: 'read',
    async run(args, session) {
      const result = await session.call('storage:where', { sha256: args.positionals[0]! });
      const human = [
        // Only data files go to the store: a download's content is kept under archives/ instead.
        formatFields([['sha256', result.sha256], ['store', result.in_store ? result.cas_relpath
          : result.files.length === 0 && result.artifacts.length > 0 ? 'none (a download: kept as fetched, under S/V/archives/)'
            : `${result.cas_relpath} (not in the store)`]]),
        '',
        formatTable(result.files, [
          { header: 'VERSION', value: (f) => `${f.service}/${f.version}` },
          { header: 'PATH', value: (f) => f.relpath },
          { header: 'SIZE', value: (f) => formatBytes(f.size_bytes), align: 'right' },
        ]),
        ...(result.artifacts.length ? ['', formatTable(result.artifacts, [
          { header: 'ARTIFACT', value: (a) => `${a.service}/${a.version}/${a.name}` },
          { header: 'KEPT AT', value: (a) => (a.fs_relpath === null ? 'not kept' : `${a.fs_relpath}${a.kept ? '' : ' (missing)'}`) },
          { header: 'URL', value: (a) => a.source_url ?? '' },
        ])] : []),
      ].join('\n');
      return { json: result, human };
    },
  },
  {
    name: 'dedup-report',
    summary: 'Bytes the content store saves by sharing unchanged files across versions',
    args: '', minArgs: 0, maxArgs: 0, access: 'read',
    async run(_args, session) {
      const report = await session.call('storage:dedup-report', {});
      const human = [
        formatFields([
          ['files', report.files],
          ['logical bytes', formatBytes(report.logical_bytes)],
          ['unique bytes', `${formatBytes(report.unique_bytes)} (${report.unique_files} distinct contents)`],
          ['saved', `${formatBytes(report.bytes_saved)} (${report.ratio}x)`],
        ]),
        '',
        formatTable(report.top_shared, [
          { header: 'SHA256', value: (s) => s.sha256.slice(0, 12) },
          { header: 'COPIES', value: (s) => s.copies },
          { header: 'SAVED', value: (s) => formatBytes(s.bytes_saved), align: 'right' },
          { header: 'EXAMPLE', value: (s) => s.example_relpath },
        ]),
      ].join('\n');
      return { json: report, human };
    },
  },
  {
    name: 'import-manifest',
    summary: 'Backfill the catalog from a legacy JSONL manifest of files already on disk',
    args: 'FILE', minArgs: 1, maxArgs: 1, access: 'write',
    async run(args, session) {
      const result = await session.call('ingest:import-manifest', { path: localPathArg(args.positionals[0]!) });
      const human = [
        `Imported ${result.imported} of ${result.lines} lines into ${countOf(result.versions.length, 'version')}; ${result.failed} failed.`,
        ...result.errors.slice(0, 50).map((e) => `  line ${e.line}: ${e.message}`),
      ].join('\n');
      return { json: result, human, exitCode: result.failed > 0 ? 1 : 0 };
    },
  },
  {
    name: 'demo',
    summary: 'Build a demo catalog from three releases of @zazuko/rdf-vocabularies',
    args: '', minArgs: 0, maxArgs: 0, access: 'write',
    async run(args, session) {
      const result = await withJobProgress(session, args, 'demo', 'ingest:demo', {});
      const human = [
        ...result.versions.map((v) => `${v.service}/${v.version}: ${v.status}, ${countOf(v.files, 'file')}, ${formatBytes(v.bytes)} (${formatBytes(v.bytes_deduplicated)} shared)`),
        `Latest ${result.service} is ${result.latest}.`,
      ].join('\n');
      return { json: result, human };
    },
  },
];
