import type { CatalogEvent, FileRecord, VersionSummary } from '../../shared/models.js';
import { describeReleaseDate, describeReleaseMove } from '../../shared/release-order.js';
import { OLDER_RULES_MISS } from '../../shared/term-names.js';
import { describeDamage, describeDiskState } from '../../shared/finding-words.js';
import { intOption, stringOption, UsageError, type CliCommand, versionRefArg } from '../command-types.js';
import { formatBytes, formatFields, formatTable, pageNote } from '../output.js';
import { describeHealth, errorCount, formatParseRate } from '../../shared/validation-health.js';
import { countOf } from '../../shared/count-noun.js';
import { eventFields, eventSentence } from '../../shared/events/event-sentence.js';
import { formatLatestPreview, previewLatest, warnIfWentBack } from '../latest-preview.js';

const versionColumns = [
  { header: 'SERVICE', value: (v: VersionSummary) => v.service },
  { header: 'VERSION', value: (v: VersionSummary) => v.version },
  { header: 'LATEST', value: (v: VersionSummary) => (v.is_latest ? '*' : '') },
  { header: 'PINNED', value: (v: VersionSummary) => (v.pinned ? 'yes' : '') },
  { header: 'FILES', value: (v: VersionSummary) => v.files },
  { header: 'BYTES', value: (v: VersionSummary) => formatBytes(v.bytes), align: 'right' as const },
  { header: 'PARSE', value: (v: VersionSummary) => formatParseRate(v.health), align: 'right' as const },
  { header: 'ERRORS', value: (v: VersionSummary) => errorCount(v.health) },
  { header: 'WARNINGS', value: (v: VersionSummary) => v.health.warnings },
  { header: 'RELEASED', value: (v: VersionSummary) => describeReleaseDate(v.release_date, v.release_date_source) },
  { header: 'CREATED (UTC)', value: (v: VersionSummary) => v.created_at.slice(0, 19).replace('T', ' ') },
];

const fileColumns = [
  { header: 'PATH', value: (f: FileRecord) => f.relpath },
  // The extension decides the format; say so when the content looks like something else.
  { header: 'FORMAT', value: (f: FileRecord) => (f.sniffed_format && f.sniffed_format !== f.format ? `${f.format} (looks like ${f.sniffed_format})` : f.format) },
  { header: 'SIZE', value: (f: FileRecord) => formatBytes(f.size_bytes), align: 'right' as const },
  { header: 'SHA256', value: (f: FileRecord) => f.sha256.slice(0, 12) },
];

export const coreCommands: readonly CliCommand[] = [
  {
    name: 'init',
    summary: 'Create the storage root and its catalog (or bring an existing one up to date)',
    args: '', minArgs: 0, maxArgs: 0, access: 'write',
    options: {
      force: { type: 'boolean', description: 'create an empty catalog even where stored versions or backups are (a lost catalog: prefer restore)' },
      s3: { type: 'string', description: 'keep content objects in a bucket: s3://BUCKET/PREFIX (credentials: the AWS default chain)' },
      endpoint: { type: 'string', description: 'with --s3: the S3-compatible endpoint (MinIO, Ceph RGW, R2), e.g. https://minio.example.org:9000' },
      region: { type: 'string', description: 'with --s3: the region (default AWS_REGION, else us-east-1; R2: auto)' },
      'path-style': { type: 'boolean', description: 'with --s3: path-style addressing (MinIO, Ceph RGW)' },
      profile: { type: 'string', description: 'with --s3: the AWS shared-config profile to take credentials from' },
    },
    create: (args) => args.options.force === true,
    async run(args, session) {
      const info = await session.call('catalog:info', {});
      const s3 = stringOption(args, 's3');
      if (s3 === undefined) {
        if (['endpoint', 'region', 'path-style', 'profile'].some((name) => args.options[name] !== undefined)) throw new UsageError('--endpoint, --region, --path-style and --profile go with --s3.');
        return { json: info, human: `Catalog ready at ${info.db_path} (schema version ${info.schema_version}).` };
      }
      const storage = await session.call('bucket:configure', {
        url: s3, endpoint: stringOption(args, 'endpoint') ?? null, region: stringOption(args, 'region') ?? null,
        path_style: args.options['path-style'] === true, profile: stringOption(args, 'profile') ?? null,
      });
      const human = `Catalog ready at ${info.db_path} (schema version ${info.schema_version}); content objects go to ${storage.url}${storage.endpoint ? ` at ${storage.endpoint}` : ''}.` +
        (info.files > 0 ? `\nThe catalog already has ${countOf(info.files, 'file')}: upload their objects with 'ontocat bucket push'.` : '');
      return { json: { ...info, storage }, human };
    },
  },
  {
    name: 'migrate',
    summary: 'Apply pending schema migrations (--dry-run lists them)',
    args: '', minArgs: 0, maxArgs: 0,
    access: (args) => (args.options['dry-run'] === true ? 'read' : 'write-no-migrate'),
    options: { 'dry-run': { type: 'boolean', description: 'list what would run, change nothing' } },
    async run(args, session) {
      const result = await session.call('catalog:migrate', { dry_run: args.options['dry-run'] === true });
      const list = result.dry_run ? result.pending : result.applied;
      const human = list.length === 0
        ? 'Schema is up to date; nothing to apply.'
        : `${result.dry_run ? 'Would apply' : 'Applied'}:\n${list.map((m) => `  ${m.name}`).join('\n')}`;
      // A migration can leave term index contents to re-read (0023): say so where the upgrade is made.
      const outdated = result.dry_run ? 0 : (await session.call('terms:status', {})).contents_outdated;
      const hint = outdated > 0
        ? `\n${countOf(outdated, 'file content')} of the term index ${outdated === 1 ? 'was' : 'were'} indexed under older rules, which missed ${OLDER_RULES_MISS}; re-read them with: ontocat terms backfill`
        : '';
      return { json: result, human: human + hint };
    },
  },
  {
    name: 'info',
    summary: 'Show the catalog location, schema version and counts',
    args: '', minArgs: 0, maxArgs: 0, access: 'read',
    async run(_args, session) {
      const info = await session.call('catalog:info', {});
      return {
        json: info,
        human: formatFields([
          ['root', info.root], ['catalog', info.db_path],
          ['schema', info.migrations_pending.length === 0 ? info.schema_version
            : `${info.schema_version} (${countOf(info.migrations_pending.length, 'migration')} pending: run 'ontocat migrate')`],
          ['versions', info.versions], ['files', info.files],
          ['timezone', `${info.time_zone} (source schedules run in it)`],
        ]),
      };
    },
  },
  {
    name: 'services',
    summary: 'List services with their version counts and latest version',
    args: '', minArgs: 0, maxArgs: 0, access: 'read',
    async run(_args, session) {
      const rows = await session.call('services:list', {});
      return {
        json: rows,
        human: formatTable(rows, [
          { header: 'SERVICE', value: (r) => r.service },
          { header: 'VERSIONS', value: (r) => r.versions },
          { header: 'LATEST', value: (r) => r.latest ?? '' },
          { header: 'BYTES', value: (r) => formatBytes(r.bytes), align: 'right' },
        ]),
      };
    },
  },
  {
    name: 'versions',
    summary: 'List versions, newest release first (release date, then version string)',
    args: '', minArgs: 0, maxArgs: 0, access: 'read',
    options: {
      service: { type: 'string', description: 'only this service' },
      sort: { type: 'string', description: 'release (default), created_at, service, version, files or bytes' },
      desc: { type: 'boolean', description: 'sort descending' },
      limit: { type: 'string', description: 'at most N rows (default 100, max 1000)' },
      offset: { type: 'string', description: 'skip N rows' },
    },
    async run(args, session) {
      const sort = stringOption(args, 'sort') as 'created_at' | undefined;
      const page = await session.call('versions:list', {
        service: stringOption(args, 'service'),
        sort,
        direction: args.options.desc === true ? 'desc' : sort ? 'asc' : undefined,
        limit: intOption(args, 'limit', 1, 1000),
        offset: intOption(args, 'offset'),
      });
      return { json: page.items, human: formatTable(page.items, versionColumns) + pageNote(page) };
    },
  },
  {
    name: 'stats',
    summary: 'Files, bytes, formats, validation results and largest files of a version',
    args: 'SERVICE/VERSION', minArgs: 1, maxArgs: 1, access: 'read',
    async run(args, session) {
      const stats = await session.call('versions:stats', { ref: versionRefArg(args.positionals[0]) });
      const human = [
        formatFields([
          ['version', `${stats.service}/${stats.version}${stats.is_latest ? ' (latest)' : ''}`],
          ['files', stats.files],
          ['bytes', `${formatBytes(stats.bytes)} (${stats.bytes})`],
          ['validation', describeHealth(stats.health)],
        ]),
        '',
        formatTable(stats.by_format, [
          { header: 'FORMAT', value: (f) => f.format },
          { header: 'FILES', value: (f) => f.files },
          { header: 'BYTES', value: (f) => formatBytes(f.bytes), align: 'right' },
        ]),
        '',
        'Largest files:',
        formatTable(stats.largest_files, fileColumns),
      ].join('\n');
      return { json: stats, human };
    },
  },
  {
    name: 'files',
    summary: 'List the files of a version',
    args: 'SERVICE/VERSION', minArgs: 1, maxArgs: 1, access: 'read',
    options: {
      prefix: { type: 'string', description: 'only files under this folder' },
      format: { type: 'string', description: 'only this format (turtle, rdfxml, obo, …)' },
      search: { type: 'string', description: 'file name contains this text' },
      status: { type: 'string', description: 'failed, passed or unvalidated' },
      sort: { type: 'string', description: 'relpath, name, size_bytes, format or mtime (when the content was stored, not the source file\'s date)' },
      desc: { type: 'boolean', description: 'sort descending' },
      limit: { type: 'string', description: 'at most N rows (default 100, max 1000)' },
      offset: { type: 'string', description: 'skip N rows' },
    },
    async run(args, session) {
      const page = await session.call('files:list', {
        ref: versionRefArg(args.positionals[0]),
        prefix: stringOption(args, 'prefix'),
        format: stringOption(args, 'format'),
        search: stringOption(args, 'search'),
        status: stringOption(args, 'status') as 'failed' | undefined,
        sort: stringOption(args, 'sort') as 'relpath' | undefined,
        direction: args.options.desc === true ? 'desc' : undefined,
        limit: intOption(args, 'limit', 1, 1000),
        offset: intOption(args, 'offset'),
      });
      return { json: page.items, human: formatTable(page.items, fileColumns) + pageNote(page) };
    },
  },
  {
    name: 'ls',
    summary: 'List one folder level of a version with sizes and counts',
    args: 'SERVICE/VERSION [FOLDER]', minArgs: 1, maxArgs: 2, access: 'read',
    options: { limit: { type: 'string', description: 'at most N entries (default 500)' }, offset: { type: 'string', description: 'skip N entries' } },
    async run(args, session) {
      const page = await session.call('files:dir', {
        ref: versionRefArg(args.positionals[0]), dir: args.positionals[1], limit: intOption(args, 'limit', 1, 1000), offset: intOption(args, 'offset'),
      });
      return {
        json: page.items,
        human: formatTable(page.items, [
          { header: 'NAME', value: (e) => (e.kind === 'dir' ? `${e.name}/` : e.name) },
          { header: 'FILES', value: (e) => e.files },
          { header: 'SIZE', value: (e) => formatBytes(e.bytes), align: 'right' },
          { header: 'FORMAT', value: (e) => e.format ?? '' },
          { header: 'ERRORS', value: (e) => e.errors || '' },
          { header: 'WARNINGS', value: (e) => e.warnings || '' },
          { header: 'STATE', value: (e) => (e.kind === 'file' && e.damage ? describeDamage(e.damage, null).state : e.disk ? describeDiskState(e.disk, e.kind).state : '') },
        ]) + pageNote(page),
      };
    },
  },
  {
    name: 'latest get',
    summary: 'Show the latest version of a service',
    args: 'SERVICE', minArgs: 1, maxArgs: 1, access: 'read',
    async run(args, session) {
      const service = args.positionals[0]!;
      const latest = await session.call('latest:get', { service });
      return {
        json: latest,
        human: latest ? `${latest.service}/${latest.version} (set ${latest.updated_at} by ${latest.by})` : `No latest version set for ${service}.`,
      };
    },
  },
  {
    name: 'latest history',
    summary: 'Every move of a service\'s latest pointer: when, by whom, from and to',
    args: 'SERVICE', minArgs: 1, maxArgs: 1, access: 'read',
    options: {
      limit: { type: 'string', description: 'at most N rows (default 50, max 1000)' },
      offset: { type: 'string', description: 'skip N rows' },
    },
    async run(args, session) {
      const page = await session.call('latest:history', {
        service: args.positionals[0]!, limit: intOption(args, 'limit', 1, 1000), offset: intOption(args, 'offset'),
      });
      return {
        json: page.items,
        // A page past the end is not a service that never had a latest version.
        human: page.total === 0 ? `No latest version was ever set for ${args.positionals[0]}.` : formatTable(page.items, [
          { header: 'WHEN (UTC)', value: (c) => c.ts.slice(0, 19).replace('T', ' ') },
          { header: 'FROM', value: (c) => c.previous ?? '(none)' },
          { header: 'TO', value: (c) => c.version },
          { header: 'BY', value: (c) => c.by },
        ]) + pageNote(page),
      };
    },
  },
  {
    name: 'latest set',
    summary: 'Make a version the latest of its service (writes LATEST.json)',
    // S/V as every other command takes a version, or S V as this one first did.
    args: 'SERVICE/VERSION | SERVICE VERSION', minArgs: 1, maxArgs: 2,
    options: {
      preview: { type: 'boolean', description: 'show what changes against the current latest (files, terms, findings, release order), as the app does before Confirm; write nothing' },
    },
    access: (args) => (args.options.preview === true ? 'read' : 'write'),
    async run(args, session, context) {
      const [first, second] = args.positionals;
      const ref = versionRefArg(second === undefined ? first : `${first}/${second}`);
      const [service, version] = [ref.slice(0, ref.indexOf('/')), ref.slice(ref.indexOf('/') + 1)];
      if (args.options.preview === true) {
        const preview = await previewLatest(session, service, version);
        return { json: preview, human: formatLatestPreview(preview) };
      }
      const result = await session.call('latest:set', { ref });
      // The app warns before Confirm when latest would go back a release; here the command is
      // the confirmation, so the warning comes with what was done, with the way back.
      const older = result.changed ? await warnIfWentBack(session, context, result.service, result.version, result.previous) : null;
      return {
        json: { ...result, older_than_previous: older },
        human: result.changed
          ? `Latest ${result.service} is now ${result.version}${result.previous ? ` (was ${result.previous})` : ''}.`
          : `Latest ${result.service} is already ${result.version}; nothing changed.`,
      };
    },
  },
  {
    name: 'pin',
    summary: 'Pin a version so retention never prunes it (--off to unpin)',
    args: 'SERVICE/VERSION', minArgs: 1, maxArgs: 1, access: 'write',
    options: { off: { type: 'boolean', description: 'unpin' }, reason: { type: 'string', description: 'why it is pinned (shown in prune previews)' } },
    async run(args, session) {
      const reason = typeof args.options.reason === 'string' ? args.options.reason : undefined;
      const result = await session.call('versions:pin', { ref: versionRefArg(args.positionals[0]), pinned: args.options.off !== true, reason });
      return { json: result, human: `${result.ref} is ${result.pinned ? `pinned${result.reason ? ` (${result.reason})` : ''}` : 'no longer pinned'}.` };
    },
  },
  {
    name: 'release-date',
    summary: "Correct a version's release date (YYYY-MM-DD or ISO date-time); release order follows it",
    args: 'SERVICE/VERSION DATE', minArgs: 2, maxArgs: 2, access: 'write',
    async run(args, session) {
      const result = await session.call('versions:set-release', { ref: versionRefArg(args.positionals[0]), release_date: args.positionals[1]! });
      return {
        json: result,
        human: `${result.ref} was released ${result.release_date.slice(0, 10)} (set by a curator; was ${describeReleaseDate(result.previous, result.previous_source)}).` +
          (result.order ? `\n${describeReleaseMove(result.ref, result.order)}` : ''),
      };
    },
  },
  {
    name: 'usage',
    summary: 'Storage used by service, version and format',
    args: '', minArgs: 0, maxArgs: 0, access: 'read',
    options: {
      limit: { type: 'string', description: 'at most N services (default 100, the largest)' },
      offset: { type: 'string', description: 'skip N services' },
    },
    async run(args, session) {
      const offset = intOption(args, 'offset') ?? 0;
      const usage = await session.call('storage:usage', { offset, limit: intOption(args, 'limit', 1, 1000) });
      const table = (rows: typeof usage.by_service, header: string): string =>
        formatTable(rows, [
          { header, value: (r) => r.key },
          { header: 'FILES', value: (r) => r.files },
          { header: 'BYTES', value: (r) => formatBytes(r.bytes), align: 'right' },
        ]);
      const human = [
        formatFields([
          ['files', usage.total_files],
          ['bytes', formatBytes(usage.total_bytes)],
          ['unique content', formatBytes(usage.unique_bytes)],
          ['downloads', `${countOf(usage.downloads.files, 'file')}, ${formatBytes(usage.downloads.bytes)} kept as fetched (S/V/archives/)`],
        ]),
        '', table(usage.by_service, 'SERVICE') + pageNote({ total: usage.by_service_total, offset, items: usage.by_service }),
        '', table(usage.by_format, 'FORMAT'),
      ].join('\n');
      return { json: usage, human };
    },
  },
  {
    name: 'events',
    summary: 'Show the audit log, newest first',
    args: '', minArgs: 0, maxArgs: 0, access: 'read',
    options: {
      limit: { type: 'string', description: 'at most N events (default 50)' },
      offset: { type: 'string', description: 'skip N events' },
      type: { type: 'string', description: 'only events whose type starts with this' },
      level: { type: 'string', description: 'info, warn or error' },
    },
    async run(args, session) {
      const page = await session.call('events:list', {
        limit: intOption(args, 'limit', 1, 1000),
        offset: intOption(args, 'offset'),
        type: stringOption(args, 'type'),
        level: stringOption(args, 'level') as 'info' | undefined,
      });
      return {
        json: page.items,
        human: formatTable(page.items, [
          { header: 'TIME (UTC)', value: (e: CatalogEvent) => e.ts.slice(0, 19).replace('T', ' ') },
          { header: 'LEVEL', value: (e: CatalogEvent) => e.level },
          { header: 'TYPE', value: (e: CatalogEvent) => e.type },
          { header: 'BY', value: (e: CatalogEvent) => e.actor ?? '-' },
          // The sentence the Events page shows (names, not ids; JSON cut at 100 characters ended mid-value).
          { header: 'DETAILS', value: (e: CatalogEvent) => eventSentence(e.type, e.payload) ?? eventFields(e.payload).map((f) => `${f.label}: ${f.value}`).join('; ') },
        ]) + pageNote(page),
      };
    },
  },
];
