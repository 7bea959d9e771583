import { OntocatError } from '../shared/errors.js';
import { normaliseRelpath } from '../storage/safe-path.js';
import type { ArtifactStatus, Severity } from '../shared/models.js';
import { assertNameSegment } from '../shared/version-ref.js';
import { artifactId, contentKeysSql, fileId, fileIdSql, validationId, versionId } from './ids.js';
import { APPEND_CHUNK_ROWS, type ColumnSpec, type WriteTx } from './open-catalog.js';

/** A version to record; `created_at` defaults to now. */
export interface NewVersion {
  readonly service: string;
  readonly version: string;
  readonly created_at?: string | Date;
  readonly plan_hash?: string | null;
  readonly note?: string | null;
}

export interface NewArtifact {
  readonly service: string;
  readonly version: string;
  readonly name: string;
  readonly source_url?: string | null;
  readonly etag?: string | null;
  readonly last_modified?: string | null;
  readonly content_type?: string | null;
  readonly size_bytes: number;
  readonly sha256?: string | null;
  readonly fs_relpath?: string | null;
  readonly status: ArtifactStatus;
}

export interface NewFile {
  readonly relpath: string;
  readonly format: string;
  readonly size_bytes: number;
  readonly sha256: string;
  readonly mtime?: string | number | Date | null;
  readonly cas_relpath?: string | null;
  readonly artifact_id?: string | null;
}

export interface NewValidation {
  readonly relpath: string;
  readonly validator: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly passed: boolean;
  readonly message?: string | null;
  readonly line?: number | null;
  readonly col?: number | null;
  readonly subject?: string | null;
  readonly details?: Readonly<Record<string, unknown>> | null;
}

/** Checks a path relative to a version's `data/`: normalised, forward slashes, no escape. */
export function assertRelpath(relpath: string): string {
  // Same rules as every other path input (safe-path.ts), plus: already normalised, and no
  // control characters (they frame the bulk blocks).
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(relpath) || normaliseRelpath(relpath) !== relpath) {
    throw new OntocatError('UNSAFE_PATH', `Unsafe relative path '${relpath}': it must be normalised and stay inside the version.`);
  }
  return relpath;
}

/** Inserts or updates a version row; returns its id. */
export async function upsertVersion(tx: WriteTx, input: NewVersion): Promise<string> {
  const service = assertNameSegment('service', input.service);
  const version = assertNameSegment('version', input.version);
  const id = versionId(service, version);
  const createdAt = input.created_at ? new Date(input.created_at).toISOString() : new Date().toISOString();
  const existed = await tx.scalar<number>('SELECT count(*) FROM versions WHERE version_id = $1', [id]);
  await tx.run(
    `INSERT INTO versions (version_id, service, version, created_at, plan_hash, pinned, note)
     VALUES ($1, $2, $3, $4::TIMESTAMP, $5, false, $6)
     ON CONFLICT (version_id) DO UPDATE SET plan_hash = excluded.plan_hash, note = COALESCE(excluded.note, versions.note)`,
    [id, service, version, createdAt, input.plan_hash ?? null, input.note ?? null],
  );
  await tx.event(existed ? 'version.updated' : 'version.created', { service, version, version_id: id });
  return id;
}

/** Inserts or updates an artifact row; returns its id. */
export async function upsertArtifact(tx: WriteTx, input: NewArtifact): Promise<string> {
  const vid = versionId(input.service, input.version);
  await requireVersion(tx, vid, input.service, input.version);
  const id = artifactId(vid, input.name);
  await tx.run(
    `INSERT OR REPLACE INTO artifacts VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now()::TIMESTAMP)`,
    [
      id, vid, input.service, input.name, input.source_url ?? null, input.etag ?? null, input.last_modified ?? null,
      input.content_type ?? null, input.size_bytes, input.sha256 ?? null, input.fs_relpath ?? null, input.status,
    ],
  );
  await tx.event('artifact.recorded', { service: input.service, version: input.version, artifact_id: id, name: input.name, status: input.status, bytes: input.size_bytes });
  return id;
}

async function requireVersion(tx: WriteTx, vid: string, service: string, version: string): Promise<void> {
  const found = await tx.scalar<number>('SELECT count(*) FROM versions WHERE version_id = $1', [vid]);
  if (!found) throw new OntocatError('NOT_FOUND', `Unknown version ${service}/${version}.`);
}

/** Characters that cannot appear in a catalogued path or field (they frame bulk blocks). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const controlCharacter = /[\u0000-\u001f\u007f]/;

const REJECT_MARKER = '\u0001ontocat-reject\u0001';

/** Turns DuckDB's failure of the bulk insert into a clear, actionable error. */
function fileInsertError(error: unknown, ref: { service: string; version: string }): OntocatError {
  const message = error instanceof Error ? error.message : String(error);
  const parts = message.split(REJECT_MARKER);
  if (parts.length >= 3) {
    const [, relpath, problem] = parts;
    const code = problem!.startsWith('unsafe') ? 'UNSAFE_PATH' : 'BAD_INPUT';
    return new OntocatError(code, `Cannot record '${relpath}' in ${ref.service}/${ref.version}: ${problem!.split('\n')[0]}.`);
  }
  return new OntocatError('INTERNAL', `Recording the files of ${ref.service}/${ref.version} failed: ${message.split('\n')[0]}`);
}

/** Appends one block of tab-separated rows to the temp staging table. */
async function appendBlocks(tx: WriteTx, table: string, blocks: Iterable<string>): Promise<void> {
  await tx.run(`CREATE TEMP TABLE IF NOT EXISTS ${table} (block VARCHAR)`);
  await tx.run(`DELETE FROM ${table}`);
  const appender = await tx.raw.createAppender(table, 'main', 'temp');
  try {
    for (const block of blocks) {
      appender.appendVarchar(block);
      appender.endRow();
      appender.flushSync();
    }
  } finally {
    appender.closeSync();
  }
}

/**
 * Replaces the file set of a version in bulk.
 *
 * Rows go through DuckDB's appender in chunks of APPEND_CHUNK_ROWS, each chunk one
 * tab-separated block, then a single INSERT … SELECT splits them and derives ids, folder
 * and name in SQL. Per-value appender calls cost more than the insert itself from
 * Node, so this is what reaches hundreds of thousands of rows a second.
 * The extract boundary records a version's files as a whole, so the previous rows of the
 * version are removed first, in the same transaction; the ids stay the same.
 */
export async function replaceVersionFiles(
  tx: WriteTx,
  ref: { service: string; version: string },
  files: Iterable<NewFile>,
  chunkRows = APPEND_CHUNK_ROWS,
): Promise<{ files: number; bytes: number }> {
  const vid = versionId(ref.service, ref.version);
  await requireVersion(tx, vid, ref.service, ref.version);
  await tx.run('DELETE FROM extracted_files WHERE version_id = $1', [vid]);
  let bytes = 0;
  let count = 0;
  const seen = new Set<string>();
  function* blocks(): Generator<string> {
    let block = '';
    let rows = 0;
    for (const file of files) {
      // Only framing is checked here; everything else is validated in SQL, vectorised.
      const line = `${file.relpath}\t${file.format}\t${file.size_bytes}\t${file.sha256}\t${file.mtime === null || file.mtime === undefined ? '' : new Date(file.mtime).getTime()}\t${file.cas_relpath ?? ''}\t${file.artifact_id ?? ''}`;
      if (controlCharacter.test(file.relpath + file.format + (file.cas_relpath ?? ''))) {
        throw new OntocatError('BAD_INPUT', `The path '${file.relpath.replace(controlCharacter, '?')}' or one of its fields contains a control character.`);
      }
      if (seen.has(file.relpath)) throw new OntocatError('BAD_INPUT', `Cannot record '${file.relpath}' in ${ref.service}/${ref.version}: duplicate path.`);
      seen.add(file.relpath);
      bytes += file.size_bytes;
      count += 1;
      block += line + '\n';
      rows += 1;
      if (rows === chunkRows) {
        yield block;
        block = '';
        rows = 0;
      }
    }
    if (rows > 0) yield block;
  }
  await appendBlocks(tx, 'stage_file_blocks', blocks());
  // One statement splits, checks and inserts. A bad row raises through DuckDB's error()
  // with a marker, and the transaction rolls back; duplicates hit the primary key.
  const reject = (problem: string): string => `error('${REJECT_MARKER}' || f[1] || '${REJECT_MARKER}${problem}')`;
  try {
    await tx.run(
      `INSERT INTO extracted_files
       SELECT ${fileIdSql('$vid', 'f[1]')},
              CASE WHEN f[7] = '' THEN NULL ELSE COALESCE(TRY_CAST(f[7] AS UUID), ${reject('invalid artifact id')}) END,
              $vid::UUID, $service,
              CASE WHEN len(f) <> 7 THEN ${reject('malformed row')}
                   WHEN f[1] = '' OR regexp_matches(f[1], '(^|/)\\.{1,2}(/|$)|^/|//|/$|\\\\|^[A-Za-z]:')
                     THEN ${reject('unsafe path: it must be relative, normalised and stay inside the version')}
                   ELSE f[1] END,
              CASE WHEN contains(f[1], '/') THEN f[1][:len(f[1]) - len(parse_filename(f[1])) - 1] ELSE '' END,
              parse_filename(f[1]),
              CASE WHEN f[2] = '' THEN ${reject('missing format')} ELSE f[2] END,
              CASE WHEN TRY_CAST(f[3] AS BIGINT) >= 0 THEN f[3]::BIGINT ELSE ${reject('invalid size')} END,
              CASE WHEN regexp_full_match(f[4], '[0-9a-f]{64}') THEN f[4] ELSE ${reject('invalid sha256')} END,
              CASE WHEN f[5] = '' THEN NULL ELSE make_timestamp(COALESCE(TRY_CAST(f[5] AS BIGINT), ${reject('invalid mtime')}) * 1000) END,
              nullif(f[6], ''),
              ${contentKeysSql('f[4]')}
       FROM (SELECT string_split(line, chr(9)) AS f
             FROM (SELECT unnest(string_split(block, chr(10))) AS line FROM temp.stage_file_blocks)
             WHERE line <> '')`,
      { vid, service: ref.service },
    );
  } catch (error) {
    // The transaction is aborted now; its rollback also empties the staging table.
    throw fileInsertError(error, ref);
  }
  await tx.run('DELETE FROM temp.stage_file_blocks');
  await tx.event('files.recorded', { service: ref.service, version: ref.version, files: count, bytes });
  return { files: count, bytes };
}

const validationColumns: readonly ColumnSpec[] = [
  { name: 'validation_id', type: 'varchar' },
  { name: 'file_id', type: 'varchar' },
  { name: 'version_id', type: 'varchar' },
  { name: 'validator', type: 'varchar' },
  { name: 'rule', type: 'varchar' },
  { name: 'severity', type: 'varchar' },
  { name: 'passed', type: 'boolean' },
  { name: 'message', type: 'varchar' },
  { name: 'line', type: 'integer' },
  { name: 'col', type: 'integer' },
  { name: 'subject', type: 'varchar' },
  { name: 'details_json', type: 'varchar' },
  { name: 'run_at', type: 'timestamp' },
];

/**
 * Replaces the validation results of a version in bulk.
 *
 * A validation run covers a whole version, so its previous results are dropped first;
 * rows are keyed by file, validator, rule and subject.
 */
export async function replaceVersionValidations(
  tx: WriteTx,
  ref: { service: string; version: string },
  results: Iterable<NewValidation>,
): Promise<{ passed: number; failed: number }> {
  const vid = versionId(ref.service, ref.version);
  await requireVersion(tx, vid, ref.service, ref.version);
  await tx.run('DELETE FROM validations WHERE version_id = $1', [vid]);
  const runAt = Date.now();
  let passed = 0;
  let failed = 0;
  const seen = new Set<string>();
  function* rows(): Generator<unknown[]> {
    for (const result of results) {
      const fid = fileId(vid, assertRelpath(result.relpath));
      let id = validationId(fid, result.validator, result.rule, result.subject ?? '');
      // Two findings of one rule on one subject (e.g. two parse errors) stay distinct.
      for (let n = 2; seen.has(id); n += 1) id = validationId(fid, result.validator, result.rule, `${result.subject ?? ''}#${n}`);
      seen.add(id);
      if (result.passed) passed += 1;
      else failed += 1;
      yield [
        id, fid, vid, result.validator, result.rule, result.severity, result.passed, result.message ?? null,
        result.line ?? null, result.col ?? null, result.subject ?? null,
        result.details ? JSON.stringify(result.details) : null, runAt,
      ];
    }
  }
  await tx.append('validations', validationColumns, rows());
  await tx.event('validations.recorded', { service: ref.service, version: ref.version, passed, failed });
  return { passed, failed };
}

/**
 * Points the latest slot of a service at a version.
 *
 * `beforeCommit` runs inside the transaction after the pointer row is written; the
 * set-latest boundary uses it to write `LATEST.json`, and if that throws, nothing changes.
 */
export async function setLatestPointer(
  tx: WriteTx,
  ref: { service: string; version: string },
  by: string,
  beforeCommit?: () => Promise<void>,
): Promise<{ previous: string | null }> {
  const vid = versionId(ref.service, ref.version);
  await requireVersion(tx, vid, ref.service, ref.version);
  const previous = await tx.one<{ version: string }>(
    'SELECT v.version FROM latest_pointer lp JOIN versions v USING (version_id) WHERE lp.slot = $1',
    [ref.service],
  );
  await tx.run(
    `INSERT INTO latest_pointer VALUES ($1, $2, now()::TIMESTAMP, $3)
     ON CONFLICT (slot) DO UPDATE SET version_id = excluded.version_id, updated_at = excluded.updated_at, "by" = excluded."by"`,
    [ref.service, vid, by],
  );
  await tx.event('latest.set', { service: ref.service, version: ref.version, previous: previous?.version ?? null, by });
  await beforeCommit?.();
  return { previous: previous?.version ?? null };
}

/** Pins or unpins a version (pinned versions are never pruned). */
export async function setPinned(tx: WriteTx, ref: { service: string; version: string }, pinned: boolean): Promise<void> {
  const vid = versionId(ref.service, ref.version);
  await requireVersion(tx, vid, ref.service, ref.version);
  await tx.run('UPDATE versions SET pinned = $1 WHERE version_id = $2', [pinned, vid]);
  await tx.event(pinned ? 'version.pinned' : 'version.unpinned', { service: ref.service, version: ref.version });
}
