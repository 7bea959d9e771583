import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { OntocatError } from '../shared/errors.js';
import { CONTROL_CHARACTER, isNormalisedRelpath } from '../storage/safe-path.js';
import type { ArtifactStatus, Severity } from '../shared/models.js';
import { assertNameSegment, type VersionRef } from '../shared/version-ref.js';
import { artifactId, contentKeysSql, fileId, fileIdSql, UUID_TEXT, versionId } from './ids.js';
import { recordFolder, versionDataFolder } from './folder-identity.js';
import { APPEND_CHUNK_ROWS, type WriteTx } from './open-catalog.js';
import { stagedBlocks, stagedFileSql } from './staged-block.js';
import { copyReusedFindings, type ReusedFiles } from './validation-reuse.js';
import { recountVersionTotals, setVersionFileTotals } from './version-totals.js';

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
  /** What the content looks like where sniffing was conclusive (see detectFormat). */
  readonly sniffed_format?: string | null;
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
  if (CONTROL_CHARACTER.test(relpath) || !isNormalisedRelpath(relpath)) {
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
    // Until evidence says otherwise (catalog/release-order.ts), the release date is the ingest date.
    `INSERT INTO versions (version_id, service, version, created_at, plan_hash, pinned, note, release_date, release_date_source, version_key)
     VALUES ($1, $2, $3, $4::TIMESTAMP, $5, false, $6, $4::TIMESTAMP, 'ingest', release_version_key($3))
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

const HEX_DIGIT = new Uint8Array(128);
for (const digit of '0123456789abcdef') HEX_DIGIT[digit.charCodeAt(0)] = 1;

/** Whether `text` is 64 lower-case hex digits: a loop over char codes, about half the time of the regular expression per row. */
function isSha256Hex(text: unknown): boolean {
  if (typeof text !== 'string' || text.length !== 64) return false;
  for (let i = 0; i < 64; i += 1) {
    const code = text.charCodeAt(i);
    if (code > 127 || HEX_DIGIT[code] === 0) return false;
  }
  return true;
}

function refuseFile(file: NewFile, ref: VersionRef, code: 'UNSAFE_PATH' | 'BAD_INPUT', problem: string): OntocatError {
  return new OntocatError(code, `Cannot record '${String(file.relpath).replace(CONTROL_CHARACTER, '?')}' in ${ref.service}/${ref.version}: ${problem}.`);
}

/**
 * Checks file rows and turns each into a tab-separated line of the staged file.
 *
 * Format, sniffed format and artifact id mostly repeat from row to row (one artifact, a
 * handful of formats), so a value equal to the previous row's, already checked, is not
 * checked again; every other check runs on every row.
 */
function stagedFileLines(ref: VersionRef): (file: NewFile) => string {
  let checkedFormat: unknown = null;
  let checkedSniffed: unknown = null;
  let checkedArtifact: unknown = null;
  return (file) => {
    const { relpath, format, size_bytes: size, sha256 } = file;
    const cas = file.cas_relpath ?? '';
    const sniffed = file.sniffed_format ?? '';
    if (typeof relpath !== 'string' || CONTROL_CHARACTER.test(relpath) || CONTROL_CHARACTER.test(cas)
      || (format !== checkedFormat && CONTROL_CHARACTER.test(format)) || (sniffed !== checkedSniffed && CONTROL_CHARACTER.test(sniffed))) {
      throw new OntocatError('BAD_INPUT', `The path '${String(relpath).replace(CONTROL_CHARACTER, '?')}' or one of its fields contains a control character.`);
    }
    if (!isNormalisedRelpath(relpath)) throw refuseFile(file, ref, 'UNSAFE_PATH', 'unsafe path: it must be relative, normalised and stay inside the version');
    if (!format) throw refuseFile(file, ref, 'BAD_INPUT', 'missing format');
    checkedFormat = format;
    checkedSniffed = sniffed;
    if (!Number.isSafeInteger(size) || size < 0) throw refuseFile(file, ref, 'BAD_INPUT', 'invalid size');
    if (!isSha256Hex(sha256)) throw refuseFile(file, ref, 'BAD_INPUT', 'invalid sha256');
    let mtime = '';
    if (file.mtime !== null && file.mtime !== undefined) {
      const ms = typeof file.mtime === 'number' ? Math.trunc(file.mtime) : new Date(file.mtime).getTime();
      if (!Number.isFinite(ms)) throw refuseFile(file, ref, 'BAD_INPUT', 'invalid mtime');
      mtime = String(ms);
    }
    const artifact = file.artifact_id ?? '';
    if (artifact !== '' && artifact !== checkedArtifact) {
      if (!UUID_TEXT.test(artifact)) throw refuseFile(file, ref, 'BAD_INPUT', 'invalid artifact id');
      checkedArtifact = artifact;
    }
    // The four content keys are cut from the hash in SQL, on DuckDB's threads: measured A/B
    // (2026-12-02), that beats four slices per row here and 76 more bytes a line to parse.
    return `${relpath}\t${format}\t${size}\t${sha256}\t${mtime}\t${cas}\t${artifact}\t${sniffed}\n`;
  };
}

/**
 * Replaces the file set of a version in bulk.
 *
 * Rows are checked in Node (cheap expressions only) and written straight into UTF-8 blocks
 * of tab-separated lines, all into one staged file loaded by one INSERT … SELECT over
 * DuckDB's CSV reader (parsing on every core) that derives ids, folder, name and content
 * keys. Handing values to DuckDB one by one from Node costs more than the insert itself,
 * so this is the fast path for whole versions. `chunkRows` is the rows of a block: what
 * Node holds in memory at once. A path listed twice is caught by the primary key, not by
 * a set in Node.
 * The extract boundary records a version's files as a whole, so the previous rows of the
 * version are removed first, in the same transaction; the ids stay the same.
 * `formatDetection`: the detection rules every row's format was found by (ingest's
 * FORMAT_DETECTION_RULES), recorded in the `files.recorded` event; null when unknown.
 */
export async function replaceVersionFiles(
  tx: WriteTx,
  ref: VersionRef,
  files: Iterable<NewFile>,
  chunkRows = APPEND_CHUNK_ROWS,
  formatDetection: number | null = null,
): Promise<{ files: number; bytes: number }> {
  const vid = versionId(ref.service, ref.version);
  await requireVersion(tx, vid, ref.service, ref.version);
  // What the version held before: results about content that is replaced or gone must go with it.
  const prior = (await tx.scalar<number>('SELECT count(*) FROM extracted_files WHERE version_id = $1', [vid])) ?? 0;
  if (prior > 0) await tx.run('CREATE OR REPLACE TEMP TABLE prior_files AS SELECT file_id, sha256 FROM extracted_files WHERE version_id = $1', [vid]);
  await tx.run('DELETE FROM extracted_files WHERE version_id = $1', [vid]);
  let bytes = 0;
  let count = 0;
  const lineOf = stagedFileLines(ref);
  const blocks = stagedBlocks(files, (file) => {
    const line = lineOf(file);
    bytes += file.size_bytes;
    count += 1;
    return line;
  }, chunkRows);
  await tx.loadStagedFile(blocks, async (staged, longestLine) => {
    // Empty fields read as NULL (no mtime, no content-store path, no artifact, nothing sniffed).
    await tx.run(
      `INSERT INTO extracted_files
       SELECT ${fileIdSql('$vid', 'relpath')}, artifact_id, $vid::UUID, $service, relpath,
              CASE WHEN contains(relpath, '/') THEN relpath[:len(relpath) - len(parse_filename(relpath)) - 1] ELSE '' END,
              parse_filename(relpath), format, size_bytes, sha256, make_timestamp(mtime_ms * 1000), cas_relpath,
              ${contentKeysSql('sha256')}, sniffed_format
       FROM ${stagedFileSql(longestLine, {
         relpath: 'VARCHAR', format: 'VARCHAR', size_bytes: 'BIGINT', sha256: 'VARCHAR', mtime_ms: 'BIGINT', cas_relpath: 'VARCHAR',
         artifact_id: 'UUID', sniffed_format: 'VARCHAR',
       })}`,
      { vid, service: ref.service, staged },
    ).catch(async (error: unknown) => {
      throw (await duplicatePathError(error, staged, vid, ref)) ?? error;
    });
  });
  if (prior > 0 && await forgetReplacedContent(tx)) await recountVersionTotals(tx, [vid]);
  else await setVersionFileTotals(tx, vid, count, bytes);
  // The files are on disk before their rows: the data folder they are in is the one recorded.
  await recordFolder(tx, versionDataFolder(ref.service, ref.version), 'version_data', { version_id: vid }, 'ingest');
  // `format_detection`: every row's sniffed format came from those detection rules (ingest
  // says so; rows merged from elsewhere, as import-manifest's, say nothing).
  await tx.event('files.recorded', {
    service: ref.service, version: ref.version, files: count, bytes, ...(formatDetection === null ? {} : { format_detection: formatDetection }),
  });
  return { files: count, bytes };
}

/**
 * Drops what the catalog says about content a version no longer holds at a path: findings,
 * damage marks and cached term changes of a file whose bytes were replaced (the same path
 * keeps its file id) or that is gone. An `import-manifest` that recorded new bytes for a
 * path left the old bytes' syntax ERROR on them, and doctor saw nothing wrong. Needs the
 * `prior_files` temp table; answers whether any finding went (the health counts move).
 */
async function forgetReplacedContent(tx: WriteTx): Promise<boolean> {
  await tx.run(`CREATE OR REPLACE TEMP TABLE replaced_files AS
    SELECT p.file_id FROM temp.prior_files p LEFT JOIN extracted_files f USING (file_id)
    WHERE f.file_id IS NULL OR f.sha256 <> p.sha256`);
  const replaced = (await tx.scalar<number>('SELECT count(*) FROM temp.replaced_files')) ?? 0;
  let findings = 0;
  if (replaced > 0) {
    findings = (await tx.scalar<number>('SELECT count(*) FROM validations WHERE file_id IN (SELECT file_id FROM temp.replaced_files)')) ?? 0;
    await tx.run('DELETE FROM validations WHERE file_id IN (SELECT file_id FROM temp.replaced_files)');
    await tx.run('DELETE FROM file_damage WHERE file_id IN (SELECT file_id FROM temp.replaced_files)');
    for (const table of ['term_changes', 'term_delta_runs']) {
      await tx.run(`DELETE FROM ${table} WHERE old_file_id IN (SELECT file_id FROM temp.replaced_files) OR new_file_id IN (SELECT file_id FROM temp.replaced_files)`);
    }
  }
  await tx.run('DROP TABLE temp.replaced_files');
  await tx.run('DROP TABLE temp.prior_files');
  return findings > 0;
}

/**
 * A clear error for a path listed twice, from DuckDB's primary-key violation.
 *
 * The file id is a hash of the version and the path, so a repeated path is a repeated
 * key; the index finds it for free, where a set in Node would cost a hash of every path.
 * The staged file is read again, line by line, to name the path: only on this failure.
 */
async function duplicatePathError(error: unknown, staged: string, vid: string, ref: VersionRef): Promise<OntocatError | null> {
  const key = /duplicate key "([0-9a-f-]{36})"/.exec(String(error))?.[1];
  if (!key) return null;
  let relpath: string | undefined;
  const input = createReadStream(staged, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    const candidate = line.slice(0, line.indexOf('\t'));
    if (candidate !== '' && fileId(vid, candidate) === key) {
      relpath = candidate;
      break;
    }
  }
  lines.close();
  // Stopping at the path leaves the stream open; its file descriptor must not wait for the GC.
  input.destroy();
  return new OntocatError('BAD_INPUT', `Cannot record '${relpath ?? '(unknown)'}' in ${ref.service}/${ref.version}: duplicate path.`);
}

/** A name column of a finding (validator, rule): non-empty, no control characters. */
function findingName(value: string, what: string, relpath: string): string {
  if (typeof value !== 'string' || value === '' || CONTROL_CHARACTER.test(value)) {
    throw new OntocatError('BAD_INPUT', `Cannot record a finding on '${relpath}': its ${what} must be a non-empty name without control characters.`);
  }
  return value;
}

/** An integer column of a finding (line, col) as a staged field: empty for none. */
function findingInteger(value: number | null | undefined, what: string, relpath: string): string {
  if (value === null || value === undefined) return '';
  if (!Number.isFinite(value)) throw new OntocatError('BAD_INPUT', `Cannot record a finding on '${relpath}': its ${what} is not a number.`);
  return String(Math.trunc(value));
}

const SEVERITIES: ReadonlySet<string> = new Set(['ERROR', 'WARN', 'INFO']);

/**
 * Checks findings and turns each into a tab-separated line of the staged file.
 *
 * Free text (message, subject) can hold tabs, newlines or nothing at all (''), which the
 * line cannot carry as is: such a row is marked and its text fields are JSON strings, which
 * DuckDB decodes exactly. `id_subject` is the subject the id is made from when it differs
 * from the subject (a second finding of one rule on one subject gets `subject#2`, as
 * `validationId` numbers it); empty otherwise. Details are JSON already (no raw control
 * characters).
 */
function stagedFindingLines(): (result: NewValidation) => string {
  const seen = new Set<string>();
  return (result) => {
    const relpath = assertRelpath(result.relpath);
    const validator = findingName(result.validator, 'validator', relpath);
    const rule = findingName(result.rule, 'rule', relpath);
    if (!SEVERITIES.has(result.severity)) throw new OntocatError('BAD_INPUT', `Cannot record a finding on '${relpath}': severity '${String(result.severity)}' is not ERROR, WARN or INFO.`);
    const subject = result.subject ?? null;
    // Two findings of one rule on one subject (e.g. two parse errors) stay distinct.
    let idSubject = subject ?? '';
    for (let n = 2; seen.has(`${relpath}\0${validator}\0${rule}\0${idSubject}`); n += 1) idSubject = `${subject ?? ''}#${n}`;
    seen.add(`${relpath}\0${validator}\0${rule}\0${idSubject}`);
    const ownId = idSubject === (subject ?? '') ? null : idSubject;
    const message = result.message ?? null;
    const needsEncoding = (text: string | null): boolean => text !== null && (text === '' || CONTROL_CHARACTER.test(text));
    const encoded = needsEncoding(message) || needsEncoding(subject) || needsEncoding(ownId);
    const text = (value: string | null): string => (value === null ? '' : encoded ? JSON.stringify(value) : value);
    return `${relpath}\t${validator}\t${rule}\t${result.severity}\t${result.passed ? 't' : 'f'}\t${text(message)}\t` +
      `${findingInteger(result.line, 'line', relpath)}\t${findingInteger(result.col, 'column', relpath)}\t${text(subject)}\t` +
      `${result.details ? JSON.stringify(result.details) : ''}\t${text(ownId)}\t${encoded ? 't' : 'f'}\n`;
  };
}

/**
 * Replaces the validation results of a version in bulk.
 *
 * A validation run covers a whole version, so its previous results are dropped first;
 * rows are keyed by file, validator, rule and subject. Findings go through a staged file
 * and one INSERT over DuckDB's CSV reader, which derives the file and validation ids (the
 * SQL twins of `fileId` and `validationId`), as file rows do: through the appender, a
 * value at a time, 100,000 findings took about 2 s of this thread. `reused` files get their
 * findings copied inside DuckDB from files of other versions with the same content
 * (`copyReusedFindings`).
 */
export async function replaceVersionValidations(
  tx: WriteTx,
  ref: VersionRef,
  results: Iterable<NewValidation>,
  options: { readonly chunkRows?: number; readonly reused?: ReusedFiles } = {},
): Promise<{ passed: number; failed: number }> {
  const vid = versionId(ref.service, ref.version);
  await requireVersion(tx, vid, ref.service, ref.version);
  await tx.run('DELETE FROM validations WHERE version_id = $1', [vid]);
  const runAt = Date.now();
  let passed = 0;
  let failed = 0;
  const lineOf = stagedFindingLines();
  const blocks = stagedBlocks(results, (result) => {
    const line = lineOf(result);
    if (result.passed) passed += 1;
    else failed += 1;
    return line;
  }, options.chunkRows ?? APPEND_CHUNK_ROWS);
  const decoded = (column: string): string => `CASE WHEN encoded THEN json_extract_string(${column}, '$') ELSE ${column} END`;
  await tx.loadStagedFile(blocks, async (staged, longestLine) => {
    await tx.run(
      `INSERT INTO validations
       SELECT md5('validation' || chr(0) || file_id::VARCHAR || chr(0) || validator || chr(0) || rule || chr(0) || COALESCE(id_subject, subject, ''))::UUID,
              file_id, $vid::UUID, validator, rule, severity, passed, message, line, col, subject, details_json, make_timestamp($run_at::BIGINT * 1000)
       FROM (SELECT ${fileIdSql('$vid', 'relpath')} AS file_id, validator, rule, severity, passed, ${decoded('message')} AS message, line, col,
                    ${decoded('subject')} AS subject, details_json, ${decoded('id_subject')} AS id_subject
             FROM ${stagedFileSql(longestLine, {
               relpath: 'VARCHAR', validator: 'VARCHAR', rule: 'VARCHAR', severity: 'VARCHAR', passed: 'BOOLEAN', message: 'VARCHAR',
               line: 'INTEGER', col: 'INTEGER', subject: 'VARCHAR', details_json: 'VARCHAR', id_subject: 'VARCHAR', encoded: 'BOOLEAN',
             })})`,
      { vid, staged, run_at: runAt },
    );
  });
  if (options.reused && options.reused.relpaths.length > 0) {
    await copyReusedFindings(tx, vid, options.reused, runAt);
    const counted = await tx.one<{ passed: number; failed: number }>(
      'SELECT count(*) FILTER (WHERE passed) AS passed, count(*) FILTER (WHERE NOT passed) AS failed FROM validations WHERE version_id = $1', [vid],
    );
    passed = Number(counted?.passed ?? 0);
    failed = Number(counted?.failed ?? 0);
  }
  await recountVersionTotals(tx, [vid]);
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
  ref: VersionRef,
  by: string,
  beforeCommit?: () => Promise<void>,
): Promise<{ previous: string | null; changed: boolean }> {
  const vid = versionId(ref.service, ref.version);
  await requireVersion(tx, vid, ref.service, ref.version);
  const previous = await tx.one<{ version: string }>(
    'SELECT v.version FROM latest_pointer lp JOIN versions v USING (version_id) WHERE lp.slot = $1',
    [ref.service],
  );
  if (previous?.version === ref.version) {
    // Already the latest: no move to record (the history would read V → V), and LATEST.json is
    // not written again (on a full disk that failed, and it named this caller, not the setter).
    return { previous: previous.version, changed: false };
  }
  await tx.run(
    `INSERT INTO latest_pointer VALUES ($1, $2, now()::TIMESTAMP, $3)
     ON CONFLICT (slot) DO UPDATE SET version_id = excluded.version_id, updated_at = excluded.updated_at, "by" = excluded."by"`,
    [ref.service, vid, by],
  );
  await tx.event('latest.set', { service: ref.service, version: ref.version, previous: previous?.version ?? null, by });
  await beforeCommit?.();
  return { previous: previous?.version ?? null, changed: true };
}

/** Pins or unpins a version (pinned versions are never pruned). */
export async function setPinned(tx: WriteTx, ref: VersionRef, pinned: boolean, reason?: string): Promise<{ reason: string | null }> {
  const vid = versionId(ref.service, ref.version);
  await requireVersion(tx, vid, ref.service, ref.version);
  await tx.run('UPDATE versions SET pinned = $1 WHERE version_id = $2', [pinned, vid]);
  if (!pinned) {
    await tx.run('DELETE FROM version_pins WHERE version_id = $1', [vid]);
  } else if (reason !== undefined) {
    await tx.run(`INSERT INTO version_pins VALUES ($1, $2, now()::TIMESTAMP)
      ON CONFLICT (version_id) DO UPDATE SET reason = excluded.reason, pinned_at = excluded.pinned_at`, [vid, reason]);
  } else {
    // Pinning again without a reason keeps the one given before.
    await tx.run(`INSERT INTO version_pins VALUES ($1, '', now()::TIMESTAMP) ON CONFLICT (version_id) DO NOTHING`, [vid]);
  }
  const kept = pinned ? await tx.scalar<string>('SELECT reason FROM version_pins WHERE version_id = $1', [vid]) : null;
  const stated = kept ? kept : null;
  await tx.event(pinned ? 'version.pinned' : 'version.unpinned', { service: ref.service, version: ref.version, ...(pinned ? { reason: stated } : {}) });
  return { reason: stated };
}
