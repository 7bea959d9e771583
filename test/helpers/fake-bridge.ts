/**
 * A typed in-memory Bridge for renderer component tests.
 *
 * Every core channel must have a handler (a contract change breaks this file at compile
 * time); the delta, ingest, jobs, trash and backup-list channels have defaults computed
 * from the fixtures below with the real output shapes; other contract channels (doctor,
 * prune, backups) are optional and tests supply them. Inputs of contract channels are checked
 * with the contract's own zod schemas, so a page sending an input the real handlers would
 * refuse fails the test. Every call is recorded.
 */
import { methodName, type Bridge, type CallOptions } from '../../electron/shared/api-protocol.js';
import { channelNames, contract, type Channel, type ChannelInput, type ChannelOutput, type EventMap, type EventName, type Result } from '../../electron/shared/contract.js';
import type { coreContract } from '../../electron/shared/contract/core.js';
import { OntocatError } from '../../electron/shared/errors.js';
import { emptyHealth } from '../../electron/shared/validation-health.js';
import { parseReleaseDate } from '../../electron/shared/release-order.js';
import type { ChangeKind, DeltaSummary, DeltaTreeEntry, FileChange, FindingChange, KindTotals } from '../../electron/shared/contract/delta.js';
import type { JobInfo } from '../../electron/shared/contract/jobs.js';
import type {
  CatalogEvent, DirEntry, FileRecord, Page, TermChange, ValidationHealth, ValidationRecord, VersionSummary,
} from '../../electron/shared/models.js';

type CoreChannel = keyof typeof coreContract;
type Handler<I, O> = (input: I) => O | Promise<O>;
export type CoreHandlers = { [C in CoreChannel]: Handler<ChannelInput<C>, ChannelOutput<C>> };
export type ExtraHandlers = { [C in Exclude<Channel, CoreChannel>]?: Handler<ChannelInput<C>, ChannelOutput<C>> };
export type FakeHandlers = CoreHandlers & ExtraHandlers;

export interface FakeCall {
  readonly channel: string;
  readonly input: unknown;
  /** The CallOptions the page passed (its request id), as the real bridges send them on. */
  readonly options?: CallOptions;
}

export type FakeBridge = Bridge & {
  readonly calls: FakeCall[];
  /** Inputs sent to one channel, in order. */
  inputsOf(channel: string): unknown[];
  /** The request ids the calls to one channel carried, in order (undefined for none). */
  requestIdsOf(channel: string): (string | undefined)[];
  /** Pushes an event to subscribers, as the main process or SSE would. */
  emit<E extends EventName>(event: E, payload: EventMap[E]): void;
  /** Channel names the fake offers (the contract's). */
  readonly channels: readonly string[];
  /** Reports the server gone (false) or back (true), as the HTTP bridge's event stream does. */
  setConnected(connected: boolean): void;
};

/** A valid v4-shaped UUID from a small number (the contract checks file ids). */
export function fakeUuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

const sha = (n: number): string => n.toString(16).padStart(64, 'a');

function page<T>(items: readonly T[], offset = 0, limit = 100): Page<T> {
  return { items: items.slice(offset, offset + limit), total: items.length, offset, limit };
}

/** A health where every file was checked; odd versions have one unparsable file and one WARN. */
export function fakeHealth(files: number, n: number, extra: Partial<ValidationHealth> = {}): ValidationHealth {
  const unparsable = n % 2;
  return {
    files, files_checked: files, files_parsed: files - unparsable, files_unparsable: unparsable, files_unchecked: 0,
    files_with_errors: unparsable, files_with_warnings: n % 2, errors: 0, warnings: n % 2, infos: 0, ...extra,
  };
}

function version(service: string, name: string, n: number, extra: Partial<VersionSummary> = {}): VersionSummary {
  const files = extra.files ?? 4;
  return {
    version_id: fakeUuid(1000 + n), service, version: name, created_at: `2024-0${n}-01T10:00:00.000Z`, pinned: false, note: null,
    is_latest: false, files, bytes: 1000 * n, health: fakeHealth(files, n),
    release_date: `2024-0${n}-01T00:00:00.000Z`, release_date_source: 'obo-header', release_rank: n, ...extra,
  };
}

export const fakeVersions: readonly VersionSummary[] = [
  version('go', '2024-03-01', 3, { is_latest: true, files: 5, bytes: 5_000_000 }),
  version('go', '2024-02-01', 2, { bytes: 4_000_000 }),
  version('go', '2024-01-01', 1, { bytes: 3_000_000 }),
  version('hp', 'v1', 4, { is_latest: true, files: 2, bytes: 2048, health: emptyHealth(2), release_rank: 1, release_date_source: 'ingest' }),
];

function file(v: VersionSummary, relpath: string, format: string, size: number, n: number, sniffed: string | null = format): FileRecord {
  return {
    file_id: fakeUuid(n), artifact_id: null, version_id: v.version_id, service: v.service, version: v.version, relpath, format,
    sniffed_format: sniffed, size_bytes: size, sha256: sha(n % 50), mtime: '2024-03-01T10:00:00.000Z', cas_relpath: null,
  };
}

const goLatest = fakeVersions[0]!;
const goPrev = fakeVersions[1]!;
export const fakeFiles: readonly FileRecord[] = [
  file(goLatest, 'go.owl', 'rdfxml', 4_000_000, 1),
  file(goLatest, 'README.txt', 'other', 1200, 2),
  file(goLatest, 'subsets/goslim-agr.obo', 'obo', 300_000, 3),
  // Its content looks like Turtle: the details pane says so beside the declared format.
  file(goLatest, 'subsets/goslim-generic.obo', 'obo', 200_000, 4, 'turtle'),
  file(goLatest, 'subsets/extra/mapping.json', 'json', 5000, 5),
  file(goPrev, 'go.owl', 'rdfxml', 3_900_000, 51),
  file(goPrev, 'README.txt', 'other', 1200, 2),
  file(goPrev, 'subsets/goslim-old.obo', 'obo', 250_000, 53),
];

export const fakeValidations: readonly ValidationRecord[] = [
  {
    validation_id: fakeUuid(201), file_id: fakeUuid(3), version_id: goLatest.version_id, relpath: 'subsets/goslim-agr.obo', format: 'obo',
    validator: 'obo-syntax', rule: 'missing-id', severity: 'ERROR', passed: false, message: 'Term stanza without id', line: 12, col: 1,
    subject: null, details: null, run_at: '2024-03-01T10:00:00.000Z',
  },
  {
    validation_id: fakeUuid(202), file_id: fakeUuid(1), version_id: goLatest.version_id, relpath: 'go.owl', format: 'rdfxml',
    validator: 'rdf-parse', rule: 'parse', severity: 'INFO', passed: true, message: null, line: null, col: null,
    subject: null, details: null, run_at: '2024-03-01T10:00:00.000Z',
  },
];

export const fakeEvents: readonly CatalogEvent[] = Array.from({ length: 120 }, (_, i) => ({
  event_id: fakeUuid(5000 + i), ts: new Date(Date.UTC(2024, 2, 1, 10, i)).toISOString(),
  type: i % 3 === 0 ? 'latest.set' : 'ingest.done', level: i % 10 === 0 ? 'warn' : 'info', run_id: null, actor: i % 2 === 0 ? 'alice' : null,
  payload: { n: i },
}));

function refOf(text: string): { service: string; version: string } {
  const [service = '', name = ''] = text.split('/');
  return { service, version: name };
}

function versionByRef(text: string): VersionSummary {
  const { service, version: name } = refOf(text);
  const found = fakeVersions.find((v) => v.service === service && v.version === name);
  if (!found) throw new OntocatError('NOT_FOUND', `No version ${text}.`);
  return found;
}

function dirEntries(files: readonly FileRecord[], dir: string): DirEntry[] {
  const prefix = dir ? `${dir}/` : '';
  const dirs = new Map<string, { files: number; bytes: number }>();
  const out: DirEntry[] = [];
  for (const f of files) {
    if (!f.relpath.startsWith(prefix)) continue;
    const rest = f.relpath.slice(prefix.length);
    const cut = rest.indexOf('/');
    if (cut < 0) {
      const failed = fakeValidations.filter((v) => v.file_id === f.file_id && !v.passed);
      out.push({
        kind: 'file', name: rest, relpath: f.relpath, files: 1, bytes: f.size_bytes, format: f.format, sha256: f.sha256, file_id: f.file_id,
        errors: failed.filter((v) => v.severity === 'ERROR').length, warnings: failed.filter((v) => v.severity === 'WARN').length,
      });
    } else {
      const name = rest.slice(0, cut);
      const agg = dirs.get(name) ?? { files: 0, bytes: 0 };
      dirs.set(name, { files: agg.files + 1, bytes: agg.bytes + f.size_bytes });
    }
  }
  const folders = [...dirs.entries()].map(([name, agg]): DirEntry => ({
    kind: 'dir', name, relpath: `${prefix}${name}`, files: agg.files, bytes: agg.bytes, format: null, sha256: null, file_id: null, errors: 0, warnings: 0,
  }));
  return [...folders.sort((a, b) => a.name.localeCompare(b.name)), ...out.sort((a, b) => a.name.localeCompare(b.name))];
}

/** Core handlers over the fixtures above; tests override what they need. */
export function defaultHandlers(): CoreHandlers {
  return {
    'catalog:info': () => ({ root: '/data/ontocat', db_path: '/data/ontocat/catalog.duckdb', read_only: false, schema_version: 2, migrations_pending: [], versions: 4, files: 6, time_zone: 'Europe/Berlin' }),
    'catalog:migrate': (input) => ({ dry_run: input.dry_run ?? false, applied: [], pending: [] }),
    'services:list': () => [
      { service: 'go', versions: 3, latest: '2024-03-01', newest: '2024-03-01', bytes: 12_000_000 },
      { service: 'hp', versions: 1, latest: 'v1', newest: 'v1', bytes: 2048 },
    ],
    'versions:list': (input) => {
      const items = fakeVersions.filter((v) => !input.service || v.service === input.service);
      // Release order, as the catalog sorts it; other sorts keep the list's own order.
      if (input.sort === 'release') items.sort((a, b) => (input.direction === 'desc' ? b.release_rank - a.release_rank : a.release_rank - b.release_rank));
      return page(items, input.offset, input.limit);
    },
    'versions:stats': (input) => {
      const v = versionByRef(input.ref);
      return {
        service: v.service, version: v.version, version_id: v.version_id, is_latest: v.is_latest, files: v.files, bytes: v.bytes,
        release_date: v.release_date, release_date_source: v.release_date_source, release_rank: v.release_rank,
        by_format: [{ format: 'rdfxml', files: 1, bytes: 4_000_000 }, { format: 'obo', files: 2, bytes: 500_000 }],
        health: v.health, largest_files: [],
        // As versions:stats stamps when asked: one text per version, sent back by Confirm and Undo.
        ...(input.stamp ? { stamp: `stamp-${v.service}/${v.version}` } : {}),
        ...(input.order_against ? { order_against: { ref: input.order_against, older: v.release_rank < versionByRef(input.order_against).release_rank } } : {}),
      };
    },
    'versions:previous': (input) => {
      const v = versionByRef(input.ref);
      const before = fakeVersions.find((other) => other.service === v.service && other.release_rank === v.release_rank - 1);
      return { previous: before ? `${before.service}/${before.version}` : null };
    },
    'versions:pin': (input) => ({ ref: input.ref, pinned: input.pinned, reason: input.pinned ? input.reason ?? null : null }),
    'versions:set-release': (input) => {
      const v = versionByRef(input.ref);
      return {
        ref: input.ref, release_date: parseReleaseDate(input.release_date), release_date_source: 'curator',
        previous: v.release_date, previous_source: v.release_date_source,
      };
    },
    'files:list': (input) => {
      const v = versionByRef(input.ref);
      const items = fakeFiles.filter((f) => f.version_id === v.version_id && (!input.search || f.relpath.includes(input.search))
        && (!input.format || f.format === input.format));
      return page(items, input.offset, input.limit);
    },
    'files:dir': (input) => {
      const v = versionByRef(input.ref);
      const files = fakeFiles.filter((f) => f.version_id === v.version_id && (!input.format || f.format === input.format));
      return page(dirEntries(files, input.dir ?? ''), input.offset, input.limit ?? 500);
    },
    'files:get': (input) => {
      const v = versionByRef(input.ref);
      const found = fakeFiles.find((f) => f.version_id === v.version_id && f.relpath === input.relpath);
      if (!found) throw new OntocatError('NOT_FOUND', `No file ${input.relpath} in ${input.ref}.`);
      return found;
    },
    'files:where': (input) => ({ files: fakeFiles.filter((f) => f.sha256 === input.sha256), artifacts: [] }),
    'artifacts:get': () => { throw new OntocatError('NOT_FOUND', 'No artifacts in the fake.'); },
    'artifacts:list': () => [],
    'validations:list': (input) => {
      const v = versionByRef(input.ref);
      const items = fakeValidations.filter((r) => r.version_id === v.version_id && (input.passed === undefined || r.passed === input.passed)
        && (!input.file_id || r.file_id === input.file_id) && (!input.validation_id || r.validation_id === input.validation_id) && (!input.validator || r.validator === input.validator)
        && (!input.severity || r.severity === input.severity) && (!input.format || r.format === input.format));
      return page(items, input.offset, input.limit);
    },
    'validations:summary': (input) => {
      versionByRef(input.ref);
      return [
        { validator: 'obo-syntax', format: 'obo', severity: 'ERROR', passed: 1, failed: 1 },
        { validator: 'rdf-parse', format: 'rdfxml', severity: 'ERROR', passed: 1, failed: 0 },
      ];
    },
    'validations:rules': (input) => {
      versionByRef(input.ref);
      return { oldest: 8, newest: 8, current: 8 };
    },
    'latest:get': (input) => {
      const v = fakeVersions.find((x) => x.service === input.service && x.is_latest);
      return v ? { slot: v.service, version_id: v.version_id, service: v.service, version: v.version, updated_at: v.created_at, by: 'test' } : null;
    },
    'latest:list': () => fakeVersions.filter((v) => v.is_latest)
      .map((v) => ({ slot: v.service, version_id: v.version_id, service: v.service, version: v.version, updated_at: v.created_at, by: 'test' })),
    'latest:set': (input) => {
      const v = versionByRef(input.ref);
      const previous = fakeVersions.find((x) => x.service === v.service && x.is_latest)?.version ?? null;
      return { service: v.service, version: v.version, previous, changed: previous !== v.version };
    },
    'latest:history': (input) => page(fakeVersions.filter((v) => v.service === input.service && v.is_latest).map((v) => ({
      event_id: fakeUuid(2000), ts: v.created_at, service: v.service, version: v.version, previous: null, by: 'test',
    })), input.offset, input.limit ?? 50),
    'storage:usage': () => ({
      versions: 2, total_files: 6, total_bytes: 8_406_200, unique_bytes: 4_506_200, downloads: { files: 1, bytes: 1_250_000 },
      by_service: [{ key: 'go', files: 6, bytes: 8_406_200 }], by_service_total: 1,
      by_version: [{ key: 'go/2024-03-01', files: 5, bytes: 4_506_200 }, { key: 'go/2024-02-01', files: 1, bytes: 3_900_000 }],
      by_format: [{ key: 'rdfxml', files: 2, bytes: 7_900_000 }, { key: 'obo', files: 2, bytes: 500_000 }],
    }),
    'events:list': (input) => {
      const items = fakeEvents.filter((e) => (!input.type || e.type === input.type) && (!input.level || e.level === input.level));
      return page(items, input.offset, input.limit ?? 100);
    },
  };
}

function filesOf(ref: string): readonly FileRecord[] {
  const v = versionByRef(ref);
  return fakeFiles.filter((f) => f.version_id === v.version_id);
}

/** File-level changes between two fixture versions, by path (no rename detection). */
export function fakeChanges(from: string, to: string): FileChange[] {
  const before = new Map(filesOf(from).map((f) => [f.relpath, f]));
  const after = new Map(filesOf(to).map((f) => [f.relpath, f]));
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  return paths.map((relpath): FileChange => {
    const a = before.get(relpath);
    const b = after.get(relpath);
    const kind: ChangeKind = !a ? 'ADDED' : !b ? 'REMOVED' : a.sha256 !== b.sha256 || a.size_bytes !== b.size_bytes ? 'MODIFIED' : 'UNCHANGED';
    return {
      kind, relpath, old_relpath: a?.relpath ?? null, new_relpath: b?.relpath ?? null, old_size: a?.size_bytes ?? null, new_size: b?.size_bytes ?? null,
      old_sha256: a?.sha256 ?? null, new_sha256: b?.sha256 ?? null, format: (b ?? a)!.format, old_format: a?.format ?? null, new_format: b?.format ?? null,
      old_file_id: a?.file_id ?? null, new_file_id: b?.file_id ?? null,
    };
  });
}

const KIND_FILTER: Record<string, (kind: ChangeKind) => boolean> = {
  all: () => true, changed: (k) => k !== 'UNCHANGED',
  added: (k) => k === 'ADDED', removed: (k) => k === 'REMOVED', modified: (k) => k === 'MODIFIED', renamed: (k) => k === 'RENAMED', unchanged: (k) => k === 'UNCHANGED',
};

/** The summary the real `delta:compute` would return for these changes (bytes: new size, old for REMOVED). */
export function fakeDeltaSummary(from: string, to: string, changes: readonly FileChange[], prefix = ''): DeltaSummary {
  const totals = (kind: ChangeKind): KindTotals => {
    const rows = changes.filter((c) => c.kind === kind);
    return { count: rows.length, bytes: rows.reduce((n, c) => n + (kind === 'REMOVED' ? c.old_size ?? 0 : c.new_size ?? 0), 0) };
  };
  const bytesFrom = changes.reduce((n, c) => n + (c.old_size ?? 0), 0);
  const bytesTo = changes.reduce((n, c) => n + (c.new_size ?? 0), 0);
  const formats = [...new Set(changes.map((c) => c.format))].sort();
  const sum = (rows: readonly FileChange[], pick: (c: FileChange) => number | null): number => rows.reduce((n, c) => n + (pick(c) ?? 0), 0);
  const added = totals('ADDED');
  const removed = totals('REMOVED');
  const modified = totals('MODIFIED');
  return {
    from, to, prefix, added, removed, modified, renamed: totals('RENAMED'), unchanged: totals('UNCHANGED'),
    files_from: changes.filter((c) => c.old_size !== null).length, files_to: changes.filter((c) => c.new_size !== null).length,
    bytes_from: bytesFrom, bytes_to: bytesTo, bytes_added: added.bytes, bytes_removed: removed.bytes, net_growth: bytesTo - bytesFrom,
    churn_bytes: modified.bytes, identical: added.count + removed.count + modified.count === 0,
    by_format: formats.map((format) => {
      const rows = changes.filter((c) => c.format === format);
      const of = (kind: ChangeKind) => rows.filter((c) => c.kind === kind);
      return {
        format, files_from: rows.filter((c) => c.old_size !== null).length, files_to: rows.filter((c) => c.new_size !== null).length,
        bytes_from: sum(rows, (c) => c.old_size), bytes_to: sum(rows, (c) => c.new_size), net_bytes: sum(rows, (c) => c.new_size) - sum(rows, (c) => c.old_size),
        added_files: of('ADDED').length, added_bytes: sum(of('ADDED'), (c) => c.new_size),
        removed_files: of('REMOVED').length, removed_bytes: sum(of('REMOVED'), (c) => c.old_size),
        modified_files: of('MODIFIED').length, modified_bytes: sum(of('MODIFIED'), (c) => c.new_size),
        modified_net_bytes: sum(of('MODIFIED'), (c) => c.new_size) - sum(of('MODIFIED'), (c) => c.old_size),
        renamed_files: 0, renamed_bytes: 0, unchanged_files: of('UNCHANGED').length, unchanged_bytes: sum(of('UNCHANGED'), (c) => c.new_size),
      };
    }),
  };
}

/** One folder level of the changes, folders first, as `delta:tree` returns it. */
export function fakeDeltaTree(changes: readonly FileChange[], dir: string, changedOnly: boolean): DeltaTreeEntry[] {
  const prefix = dir ? `${dir}/` : '';
  const groups = new Map<string, { entry: 'dir' | 'file'; rows: FileChange[] }>();
  for (const c of changes) {
    if (!c.relpath.startsWith(prefix) || (changedOnly && c.kind === 'UNCHANGED')) continue;
    const rest = c.relpath.slice(prefix.length);
    const cut = rest.indexOf('/');
    const name = cut < 0 ? rest : rest.slice(0, cut);
    const group = groups.get(name) ?? { entry: cut < 0 ? 'file' as const : 'dir' as const, rows: [] };
    group.rows.push(c);
    groups.set(name, group);
  }
  const entries = [...groups.entries()].map(([name, { entry, rows }]): DeltaTreeEntry => {
    const count = (kind: ChangeKind) => rows.filter((c) => c.kind === kind).length;
    const bytes = (kind: ChangeKind) => rows.filter((c) => c.kind === kind).reduce((n, c) => n + ((kind === 'REMOVED' ? c.old_size : c.new_size) ?? 0), 0);
    return {
      entry, name, relpath: `${prefix}${name}`, kind: entry === 'file' ? rows[0]!.kind : null, old_relpath: entry === 'file' ? rows[0]!.old_relpath : null,
      new_relpath: entry === 'file' && rows[0]!.kind === 'RENAMED' ? rows[0]!.new_relpath : null,
      files: rows.length, added_files: count('ADDED'), added_bytes: bytes('ADDED'), removed_files: count('REMOVED'), removed_bytes: bytes('REMOVED'),
      modified_files: count('MODIFIED'), modified_bytes: bytes('MODIFIED'), renamed_files: 0, renamed_bytes: 0,
      unchanged_files: count('UNCHANGED'), unchanged_bytes: bytes('UNCHANGED'),
      net_bytes: rows.reduce((n, c) => n + (c.new_size ?? 0) - (c.old_size ?? 0), 0),
    };
  });
  return [...entries.filter((e) => e.entry === 'dir'), ...entries.filter((e) => e.entry === 'file')];
}

export const fakeTermChanges: readonly TermChange[] = [
  { term: 'GO:0000001', term_kind: 'class', change: 'RELABELLED', old_label: 'old name', new_label: 'new name', before: 'old name', after: 'new name' },
  { term: 'GO:0000002', term_kind: 'class', change: 'ADDED', old_label: null, new_label: 'brand new', before: null, after: null },
  { term: 'GO:0000003', term_kind: 'class', change: 'REMOVED', old_label: 'gone', new_label: null, before: null, after: null },
  { term: 'GO:0000004', term_kind: 'class', change: 'ADDED', old_label: null, new_label: 'another', before: null, after: null },
];

/** A job as `jobs:get` / `jobs:cancel` return it. */
export function fakeJob(jobId: string, kind: string, state: JobInfo['state']): JobInfo {
  return {
    job_id: jobId, kind, state, exclusive: true, created_at: '2024-03-01T10:00:00.000Z', started_at: '2024-03-01T10:00:00.000Z', finished_at: null,
    done: 1, total: 4, bytes: 100, current: null, phase: null, eta_ms: null, result: null, error: null,
  };
}

/** Defaults for the delta, ingest and jobs channels, computed from the fixtures. */
export function extraHandlers(): ExtraHandlers {
  return {
    'bucket:status': () => ({ kind: 'local', url: null, endpoint: null, region: null, path_style: false, profile: null, config_file: '/fake/.ontocat-storage.json' }),
    'delta:compute': (input) => {
      const all = fakeChanges(input.from, input.to);
      const prefix = input.prefix ? `${input.prefix}/` : '';
      const scoped = all.filter((c) => c.relpath.startsWith(prefix));
      const rows = scoped.filter((c) => KIND_FILTER[input.kind ?? 'changed']!(c.kind));
      return { summary: fakeDeltaSummary(input.from, input.to, scoped, input.prefix ?? ''), changes: page(rows, input.offset, input.limit ?? 100) };
    },
    'delta:tree': (input) => page(fakeDeltaTree(fakeChanges(input.from, input.to), input.dir ?? '', input.changed_only ?? true), input.offset, input.limit ?? 100),
    'delta:validations': (input) => {
      const to = versionByRef(input.to);
      versionByRef(input.from);
      const findings = fakeValidations.filter((v) => v.version_id === to.version_id && !v.passed).map((v): FindingChange => ({
        status: 'NEW', relpath: v.relpath, old_relpath: null, validator: v.validator, rule: v.rule, severity: v.severity, subject: v.subject,
        message: v.message, line: v.line, old_line: null,
      }));
      const rows = findings.filter((f) => !input.status || input.status === 'all' || f.status === input.status.toUpperCase());
      return {
        summary: {
          from: input.from, to: input.to, new: findings.length, fixed: 0, persisting: 0, gone: 0,
          by_severity: [{ severity: 'ERROR', new: findings.length, fixed: 0, persisting: 0, gone: 0 }],
          by_validator: [{ validator: 'obo-syntax', new: findings.length, fixed: 0, persisting: 0, gone: 0 }],
        },
        findings: page(rows, input.offset, input.limit ?? 100),
      };
    },
    'delta:terms': (input) => {
      const rows = fakeTermChanges.filter((t) => !input.change || t.change === input.change);
      const count = (kind: TermChange['change']) => fakeTermChanges.filter((t) => t.change === kind).length;
      return {
        old_relpath: input.old_relpath ?? input.relpath, new_relpath: input.relpath, old_terms: 40, new_terms: 41,
        summary: {
          added: count('ADDED'), removed: count('REMOVED'), relabelled: count('RELABELLED'), redefined: count('REDEFINED'),
          reparented: count('REPARENTED'), retyped: count('RETYPED'), deprecated: count('DEPRECATED'), undeprecated: count('UNDEPRECATED'), replaced: count('REPLACED'),
        },
        changes: page(rows, input.offset, input.limit ?? 100), cached: false,
      };
    },
    'delta:term-impact': (input) => {
      const count = (kind: TermChange['change']) => fakeTermChanges.filter((t) => t.change === kind).length;
      const summary = {
        added: count('ADDED'), removed: count('REMOVED'), relabelled: count('RELABELLED'), redefined: count('REDEFINED'),
        reparented: count('REPARENTED'), retyped: count('RETYPED'), deprecated: count('DEPRECATED'), undeprecated: count('UNDEPRECATED'), replaced: count('REPLACED'),
      };
      const totals = summary;
      return {
        from: input.from, to: input.to, source: 'index' as const, compared: 0, failed: 0, unchanged_unindexed: 0, totals,
        index: { summary: totals, old_terms: 40, new_terms: 41, files_from: 1, files_to: 1 }, files: [],
      };
    },
    'ingest:run': (input) => ({
      service: input.service, version: input.version, status: 'ingested', files: 3, bytes: 4096, bytes_deduplicated: 0, artifacts: 0, skipped: 0, empty_folders: 0,
      set_latest: input.set_latest ?? false, duration_ms: 12, validation: fakeHealth(3, 0),
    }),
    'jobs:list': () => [],
    'jobs:get': (input) => fakeJob(input.job_id, 'ingest', 'running'),
    'jobs:cancel': (input) => fakeJob(input.job_id, 'ingest', 'cancelled'),
    'trash:list': () => [],
    'backup:list': () => [],
  };
}

/** Builds the fake; `overrides` replace or add handlers. */
export function createFakeBridge(overrides: Partial<FakeHandlers> = {}): FakeBridge {
  const handlers: Record<string, Handler<unknown, unknown> | undefined> = { ...defaultHandlers(), ...extraHandlers(), ...overrides } as Record<string, Handler<unknown, unknown> | undefined>;
  const calls: FakeCall[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const offered: readonly string[] = channelNames;
  const bridge: Record<string, unknown> = {};
  for (const name of offered) {
    bridge[methodName(name as Channel)] = async (input: unknown, options?: CallOptions): Promise<Result<unknown>> => {
      calls.push({ channel: name, input, ...(options === undefined ? {} : { options }) });
      const schema = (contract as Record<string, { input: { safeParse(value: unknown): { success: boolean; error?: { message: string } } } } | undefined>)[name];
      if (schema) {
        const parsed = schema.input.safeParse(input);
        if (!parsed.success) return { ok: false, code: 'BAD_INPUT', message: `fake ${name}: ${parsed.error?.message ?? 'invalid input'}` };
      }
      const handler = handlers[name];
      if (!handler) return { ok: false, code: 'INTERNAL', message: `fake: no handler for ${name}` };
      try {
        return { ok: true, data: await handler(input) };
      } catch (error) {
        if (error instanceof OntocatError) return { ok: false, code: error.code, message: error.message };
        throw error;
      }
    };
  }
  bridge.subscribe = (event: string, listener: (payload: unknown) => void) => {
    const set = listeners.get(event) ?? new Set();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  };
  const watchers = new Set<(connected: boolean) => void>();
  bridge.watchConnection = (listener: (connected: boolean) => void) => {
    watchers.add(listener);
    return () => { watchers.delete(listener); };
  };
  return Object.assign(bridge as Bridge, {
    setConnected: (connected: boolean) => { for (const w of watchers) w(connected); },
    calls,
    channels: offered,
    inputsOf: (channel: string) => calls.filter((c) => c.channel === channel).map((c) => c.input),
    requestIdsOf: (channel: string) => calls.filter((c) => c.channel === channel).map((c) => c.options?.requestId),
    emit: <E extends EventName>(event: E, payload: EventMap[E]) => { for (const l of listeners.get(event) ?? []) l(payload); },
  });
}
