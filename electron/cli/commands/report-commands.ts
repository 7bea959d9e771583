import type { CadenceRow, HotspotRow, LatestReportRow, ValidationHealthRow } from '../../shared/contract/report.js';
import { nameProblem } from '../../shared/name-rules.js';
import { isOntocatError } from '../../shared/errors.js';
import { errorCount } from '../../shared/validation-health.js';
import { knownReleaseDay } from '../../shared/release-order.js';
import { PROFILE_NAMES, type ProfileName } from '../../shared/profile-names.js';
import type { DeltaFormatRow } from '../../shared/contract/delta.js';
import { intOption, stringOption, UsageError, type CliCommand, type ParsedArgs, versionRefArg } from '../command-types.js';
import { formatBytes, formatFields, formatTable } from '../output.js';
import { validationHealthColumns } from '../health-columns.js';
import { maybeProfile, renderProfile, tableOutput, tableOutputOptions } from '../table-output.js';

const serviceOption = { service: { type: 'string', description: 'only this service' } } as const;

function serviceArg(args: ParsedArgs): string | undefined {
  const service = stringOption(args, 'service');
  const problem = service === undefined ? null : nameProblem('service', service);
  if (problem) throw new UsageError(problem);
  return service;
}

/** A version of `service`: `VERSION` or `SERVICE/VERSION`. */
function versionOf(service: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return versionRefArg(text.includes('/') ? text : `${service}/${text}`);
}

const pct = (share: number): string => `${(share * 100).toFixed(1)}%`;
const signed = (bytes: number | null): string => (bytes === null ? '' : `${bytes > 0 ? '+' : ''}${formatBytes(bytes)}`);

export const reportCommands: readonly CliCommand[] = [
  {
    name: 'report latest',
    summary: 'The current version of each service: files, bytes, formats, validation results',
    args: '', minArgs: 0, maxArgs: 0, access: 'read',
    options: { ...serviceOption, ...tableOutputOptions },
    async run(args, session) {
      const input = { service: serviceArg(args) };
      const rows = await session.call('report:latest', input);
      await maybeProfile(args, session, { name: 'report-latest', service: input.service });
      const human = formatTable(rows, [
        { header: 'SERVICE', value: (r: LatestReportRow) => r.service },
        { header: 'VERSION', value: (r: LatestReportRow) => `${r.version}${r.pointer_set ? '' : ' (newest; no latest set)'}` },
        { header: 'VERSIONS', value: (r: LatestReportRow) => r.versions },
        { header: 'FILES', value: (r: LatestReportRow) => r.files },
        { header: 'BYTES', value: (r: LatestReportRow) => formatBytes(r.bytes), align: 'right' },
        { header: 'FORMATS', value: (r: LatestReportRow) => r.formats },
        { header: 'UNPARSABLE', value: (r: LatestReportRow) => r.files_unparsable },
        // Every ERROR, unparsable files included, as the versions list counts them; UNPARSABLE is that part.
        { header: 'ERRORS', value: (r: LatestReportRow) => errorCount(r) },
        { header: 'WARNINGS', value: (r: LatestReportRow) => r.warnings },
        { header: 'CREATED', value: (r: LatestReportRow) => r.created_at.slice(0, 10) },
      ]);
      return tableOutput(args, session, { json: rows, human }, 'report-latest', input);
    },
  },
  {
    name: 'report growth',
    summary: 'Growth of a service between two versions (default: previous -> current), by format',
    args: 'SERVICE', minArgs: 1, maxArgs: 1, access: 'read',
    options: {
      from: { type: 'string', description: 'older version (default: the one before --to)' },
      to: { type: 'string', description: 'newer version (default: latest, else newest)' },
      ...tableOutputOptions,
    },
    async run(args, session) {
      const service = args.positionals[0]!;
      const problem = nameProblem('service', service);
      if (problem) throw new UsageError(problem);
      const input = { service, from: versionOf(service, stringOption(args, 'from')), to: versionOf(service, stringOption(args, 'to')) };
      // Every BAD_INPUT of this channel is about the versions given (a version of another
      // service, a pair newer first): a usage error, exit 2.
      const report = await session.call('report:growth', input).catch((error: unknown) => {
        throw isOntocatError(error, 'BAD_INPUT') ? new UsageError(error.message) : error;
      });
      await maybeProfile(args, session, { name: 'report-growth', service });
      const s = report.summary;
      const human = [
        formatFields([
          ['growth', `${report.from} -> ${report.to}${s.identical ? '  (no-op release)' : ''}`],
          ['files', `${s.files_from} -> ${s.files_to} (${s.files_to - s.files_from >= 0 ? '+' : ''}${s.files_to - s.files_from})`],
          ['bytes', `${formatBytes(s.bytes_from)} -> ${formatBytes(s.bytes_to)} (net ${signed(s.net_growth)})`],
          ['changes', `${s.added.count} added, ${s.removed.count} removed, ${s.modified.count} modified, ${s.renamed.count} renamed`],
        ]),
        '',
        formatTable(report.rows, [
          { header: 'FORMAT', value: (r: DeltaFormatRow) => r.format },
          { header: 'FILES', value: (r: DeltaFormatRow) => `${r.files_from} -> ${r.files_to}` },
          { header: 'BYTES', value: (r: DeltaFormatRow) => `${formatBytes(r.bytes_from)} -> ${formatBytes(r.bytes_to)}`, align: 'right' },
          { header: 'NET', value: (r: DeltaFormatRow) => signed(r.net_bytes), align: 'right' },
          { header: 'ADDED', value: (r: DeltaFormatRow) => r.added_files },
          { header: 'REMOVED', value: (r: DeltaFormatRow) => r.removed_files },
          { header: 'MODIFIED', value: (r: DeltaFormatRow) => r.modified_files },
          { header: 'RENAMED', value: (r: DeltaFormatRow) => r.renamed_files },
        ]),
      ].join('\n');
      return tableOutput(args, session, { json: report, human }, 'report-growth', input);
    },
  },
  {
    name: 'report validation',
    summary: 'Validation health per validator and format of the current versions (or --ref)',
    args: '', minArgs: 0, maxArgs: 0, access: 'read',
    options: { ...serviceOption, ref: { type: 'string', description: 'one version (SERVICE/VERSION) instead' }, ...tableOutputOptions },
    async run(args, session) {
      const ref = stringOption(args, 'ref');
      const input = { service: serviceArg(args), ref: ref === undefined ? undefined : versionRefArg(ref) };
      const rows = await session.call('report:validation', input);
      await maybeProfile(args, session, { name: 'report-validation', service: input.service });
      const human = formatTable(rows, [
        { header: 'VALIDATOR', value: (r: ValidationHealthRow) => r.validator },
        { header: 'FORMAT', value: (r: ValidationHealthRow) => r.format },
        ...validationHealthColumns,
      ]);
      return tableOutput(args, session, { json: rows, human }, 'report-validation', input);
    },
  },
  {
    name: 'report hotspots',
    summary: 'Services, formats and folders that dominate bytes or validation errors',
    args: '', minArgs: 0, maxArgs: 0, access: 'read',
    options: {
      ...serviceOption,
      top: { type: 'string', description: 'top N of each dimension (default 10)' },
      depth: { type: 'string', description: 'folder levels below the service (default 1)' },
      ...tableOutputOptions,
    },
    async run(args, session) {
      const input = { service: serviceArg(args), top: intOption(args, 'top', 1, 1000), depth: intOption(args, 'depth', 1, 20) };
      const rows = await session.call('report:hotspots', input);
      await maybeProfile(args, session, { name: 'report-hotspots', service: input.service });
      const human = formatTable(rows, [
        { header: 'DIMENSION', value: (r: HotspotRow) => r.dimension },
        { header: 'KEY', value: (r: HotspotRow) => r.key },
        { header: 'FILES', value: (r: HotspotRow) => r.files },
        { header: 'BYTES', value: (r: HotspotRow) => formatBytes(r.bytes), align: 'right' },
        { header: 'SHARE', value: (r: HotspotRow) => pct(r.bytes_share), align: 'right' },
        { header: 'ERRORS', value: (r: HotspotRow) => r.errors },
        { header: 'SHARE', value: (r: HotspotRow) => pct(r.errors_share), align: 'right' },
      ]);
      return tableOutput(args, session, { json: rows, human }, 'report-hotspots', input);
    },
  },
  {
    name: 'report cadence',
    summary: 'Release cadence per service: days between versions, no-op releases, growth',
    args: '', minArgs: 0, maxArgs: 0, access: 'read',
    options: { ...serviceOption, ...tableOutputOptions },
    async run(args, session) {
      const input = { service: serviceArg(args) };
      const report = await session.call('report:cadence', input);
      await maybeProfile(args, session, { name: 'report-cadence', service: input.service });
      const human = [
        formatTable(report.services, [
          { header: 'SERVICE', value: (r) => r.service },
          { header: 'VERSIONS', value: (r) => r.versions },
          { header: 'MEAN DAYS', value: (r) => r.mean_days ?? '' },
          { header: 'MEDIAN', value: (r) => r.median_days ?? '' },
          { header: 'MAX', value: (r) => r.max_days ?? '' },
          { header: 'NO-OPS', value: (r) => r.noop_releases },
          { header: 'GROWTH/RELEASE', value: (r) => signed(r.mean_growth_bytes), align: 'right' },
        ]),
        '',
        formatTable(report.rows, [
          { header: 'SERVICE', value: (r: CadenceRow) => r.service },
          { header: 'VERSION', value: (r: CadenceRow) => r.version },
          { header: 'RELEASED', value: (r: CadenceRow) => knownReleaseDay(r) ?? 'not known' },
          { header: 'INGESTED', value: (r: CadenceRow) => r.created_at.slice(0, 10) },
          { header: 'DAYS', value: (r: CadenceRow) => r.days_since_previous ?? '' },
          { header: 'FILES', value: (r: CadenceRow) => r.files },
          { header: 'GROWTH', value: (r: CadenceRow) => signed(r.growth_bytes), align: 'right' },
          { header: 'NO-OP', value: (r: CadenceRow) => (r.noop ? 'yes' : '') },
        ]),
      ].join('\n');
      return tableOutput(args, session, { json: report, human }, 'report-cadence', input);
    },
  },
  {
    name: 'profile',
    summary: `Run a catalog query under DuckDB's profiler (${PROFILE_NAMES.join(', ')})`,
    args: 'NAME [SERVICE/VERSION ...]', minArgs: 1, maxArgs: 3, access: 'read',
    options: {
      ...serviceOption,
      prefix: { type: 'string', description: 'folder for files-list, delta and validation-delta' },
      dir: { type: 'string', description: 'folder for dir-list and delta-tree' },
    },
    async run(args, session) {
      const name = args.positionals[0] as ProfileName;
      if (!PROFILE_NAMES.includes(name)) throw new UsageError(`Unknown query '${name}'; profile one of: ${PROFILE_NAMES.join(', ')}.`);
      const profile = await session.call('catalog:profile', {
        name, refs: args.positionals.slice(1).map((ref) => versionRefArg(ref)), service: serviceArg(args),
        prefix: stringOption(args, 'prefix'), dir: stringOption(args, 'dir'),
      });
      return { json: profile, human: renderProfile(profile) };
    },
  },
  {
    name: 'schema',
    summary: 'Tables, columns, views and macros of the catalog (--markdown FILE writes a page)',
    args: '', minArgs: 0, maxArgs: 0, access: 'read',
    options: { markdown: { type: 'string', description: 'write the schema as Markdown to FILE' } },
    async run(args, session) {
      const schema = await session.call('catalog:schema', {});
      const markdown = stringOption(args, 'markdown');
      if (markdown) {
        const { checkOutputFile, writeSchemaMarkdown } = await import('../../handlers/export-tables.js');
        writeSchemaMarkdown(schema, checkOutputFile(session.root, session.catalog?.dbPath, markdown));
      }
      const human = [
        ...schema.tables.map((t) => `table ${t.name} (~${t.rows} rows)\n${t.columns.map((c) => `  ${c.name.padEnd(16)} ${c.type}${c.nullable ? '' : ' NOT NULL'}`).join('\n')}`),
        ...schema.views.map((v) => `view ${v.name}\n${v.columns.map((c) => `  ${c.name.padEnd(20)} ${c.type}`).join('\n')}`),
        ...schema.macros.map((m) => `${m.kind === 'table_macro' ? 'table macro' : 'macro'} ${m.name}(${m.parameters.join(', ')})`),
        ...(markdown ? [`Wrote ${markdown}.`] : []),
      ].join('\n');
      return { json: markdown ? { ...schema, markdown } : schema, human };
    },
  },
];
