import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { PublicationStatus, PublishReport } from '../shared/contract/publish.js';
import { OntocatError } from '../shared/errors.js';
import { fsyncDir, tempPathFor, writeFileAtomicSync, TEMP_NAME, TEMP_SUFFIX } from '../storage/atomic-write.js';
import { crashPoint } from '../storage/crash-point.js';
import { PARQUET_DIR } from '../storage/layout.js';
import { blockedPathError, findBlockedComponent } from '../storage/safe-path.js';
import type { Catalog } from './open-catalog.js';
import { naiveTimeColumns } from './export-table.js';
import { sqlText, type SqlConnection } from './sql.js';

/** Version of the published layout and columns; readers check it before they rely on a column (3: times are instants, TIMESTAMPTZ). */
export const PARQUET_SCHEMA_VERSION = 3;
export const PARQUET_MANIFEST = 'manifest.json';

/** One published table: where its rows come from and how its files are partitioned. */
interface PublishedTable {
  readonly name: string;
  /** Hive partition keys (folder `key=value`) and the SQL giving each. */
  readonly partitions: readonly { readonly key: string; readonly expr: string }[];
  /** Columns stored in the files (partition keys are not: readers get them from the path). */
  readonly columns: readonly { readonly name: string; readonly expr: string }[];
  readonly from: string;
  /**
   * One value per partition that selects its rows through an index-friendly column (a
   * version's id, a UUID), so writing a partition does not scan the whole table for its keys.
   */
  readonly scope?: string;
  /** A unique order, so the same rows always make the same file. */
  readonly orderBy: string;
}

const tables: readonly PublishedTable[] = [
  {
    name: 'versions',
    partitions: [],
    columns: [
      { name: 'version_id', expr: 'r.version_id::VARCHAR' },
      { name: 'service', expr: 'r.service' },
      { name: 'version', expr: 'r.version' },
      { name: 'created_at', expr: 'r.created_at' },
      { name: 'release_date', expr: 'r.release_date' },
      { name: 'release_date_source', expr: 'r.release_date_source' },
      { name: 'release_rank', expr: 'r.release_rank::BIGINT' },
      { name: 'pinned', expr: 'v.pinned' },
      { name: 'note', expr: 'v.note' },
      { name: 'is_latest', expr: '(lp.version_id IS NOT NULL)' },
    ],
    from: `v_release_order r JOIN versions v USING (version_id)
           LEFT JOIN latest_pointer lp ON lp.slot = r.service AND lp.version_id = r.version_id`,
    orderBy: 'r.service, r.release_rank, r.version_id',
  },
  {
    name: 'artifacts',
    partitions: [],
    columns: [
      { name: 'artifact_id', expr: 'a.artifact_id::VARCHAR' },
      { name: 'version_id', expr: 'a.version_id::VARCHAR' },
      { name: 'service', expr: 'a.service' },
      { name: 'version', expr: 'v.version' },
      { name: 'name', expr: 'a.name' },
      { name: 'source_url', expr: 'a.source_url' },
      { name: 'etag', expr: 'a.etag' },
      { name: 'last_modified', expr: 'a.last_modified' },
      { name: 'content_type', expr: 'a.content_type' },
      { name: 'size_bytes', expr: 'a.size_bytes' },
      { name: 'sha256', expr: 'a.sha256' },
      { name: 'status', expr: 'a.status' },
      { name: 'fetched_at', expr: 'a.fetched_at' },
    ],
    from: 'artifacts a JOIN versions v USING (version_id)',
    orderBy: 'a.artifact_id',
  },
  {
    name: 'files',
    partitions: [{ key: 'service', expr: 'v.service' }, { key: 'version', expr: 'v.version' }],
    columns: [
      { name: 'file_id', expr: 'f.file_id::VARCHAR' },
      { name: 'version_id', expr: 'f.version_id::VARCHAR' },
      { name: 'relpath', expr: 'f.relpath' },
      { name: 'dir', expr: 'f.dir' },
      { name: 'name', expr: 'f.name' },
      { name: 'format', expr: 'f.format' },
      { name: 'sniffed_format', expr: 'f.sniffed_format' },
      { name: 'size_bytes', expr: 'f.size_bytes' },
      { name: 'sha256', expr: 'f.sha256' },
      { name: 'mtime', expr: 'f.mtime' },
    ],
    from: 'extracted_files f JOIN versions v USING (version_id)',
    scope: 'f.version_id',
    orderBy: 'f.relpath, f.file_id',
  },
  {
    name: 'validations',
    partitions: [{ key: 'service', expr: 'v.service' }, { key: 'version', expr: 'v.version' }],
    columns: [
      { name: 'validation_id', expr: 'x.validation_id::VARCHAR' },
      { name: 'file_id', expr: 'x.file_id::VARCHAR' },
      { name: 'relpath', expr: 'f.relpath' },
      { name: 'validator', expr: 'x.validator' },
      { name: 'rule', expr: 'x.rule' },
      { name: 'severity', expr: 'x.severity' },
      { name: 'passed', expr: 'x.passed' },
      { name: 'message', expr: 'x.message' },
      { name: 'line', expr: 'x.line' },
      { name: 'col', expr: 'x.col' },
      { name: 'subject', expr: 'x.subject' },
      { name: 'run_at', expr: 'x.run_at' },
    ],
    from: 'validations x JOIN versions v USING (version_id) LEFT JOIN extracted_files f ON f.file_id = x.file_id',
    scope: 'x.version_id',
    orderBy: 'x.validation_id',
  },
  {
    name: 'events',
    partitions: [{ key: 'month', expr: "strftime(e.ts, '%Y-%m')" }],
    columns: [
      { name: 'event_id', expr: 'e.event_id::VARCHAR' },
      { name: 'ts', expr: 'e.ts' },
      { name: 'type', expr: 'e.type' },
      { name: 'level', expr: 'e.level' },
      // Who caused it (schema version 2): a team-server user, else the front door (cli, desktop, web).
      { name: 'actor', expr: 'e.actor' },
      { name: 'run_id', expr: 'e.run_id' },
      { name: 'payload_json', expr: 'e.payload_json' },
    ],
    from: 'events e',
    orderBy: 'e.ts, e.event_id',
  },
];

/** One Parquet file of the published catalog, relative to `ROOT/parquet`. */
export interface PublishedFile {
  readonly path: string;
  readonly rows: number;
  readonly bytes: number;
}

/** A table in the manifest. */
export interface PublishedTableEntry {
  readonly partitioned_by: readonly string[];
  readonly columns: readonly string[];
  readonly rows: number;
  readonly files: readonly PublishedFile[];
}

/** `ROOT/parquet/manifest.json`: the one consistent snapshot readers should use. */
export interface ParquetManifest {
  readonly format: 'ontocat-parquet';
  readonly schema_version: number;
  readonly generation: number;
  readonly published_at: string;
  /** Republish after every committed change of the owning process. */
  readonly auto: boolean;
  readonly tables: Readonly<Record<string, PublishedTableEntry>>;
}

/** Where a root's published Parquet lives. */
export function parquetDirectory(root: string): string {
  return path.join(path.resolve(root), PARQUET_DIR);
}

/** Reads the current manifest, or null when the catalog was never published (or the file is not one). */
export function readParquetManifest(root: string): ParquetManifest | null {
  try {
    const parsed = JSON.parse(readFileSync(path.join(parquetDirectory(root), PARQUET_MANIFEST), 'utf8')) as Partial<ParquetManifest>;
    if (parsed.format !== 'ontocat-parquet' || typeof parsed.generation !== 'number' || typeof parsed.tables !== 'object') return null;
    return parsed as ParquetManifest;
  } catch {
    return null;
  }
}

/**
 * A Hive partition folder name: `key=value`, the value percent-encoded except for
 * letters, digits and `._-`, as Hive, Spark and DuckDB decode it.
 */
export function hivePartition(key: string, value: string): string {
  const encoded = Array.from(Buffer.from(value, 'utf8'))
    .map((byte) => (/[A-Za-z0-9._-]/.test(String.fromCharCode(byte)) && byte < 0x80 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
  return `${key}=${encoded}`;
}


interface PartitionPrint {
  readonly values: readonly string[];
  readonly scope: string | null;
  readonly rows: number;
  readonly print: string;
}

/** Each partition's row count and a fingerprint of its rows, in one grouped scan. */
async function partitionPrints(conn: SqlConnection, table: PublishedTable): Promise<PartitionPrint[]> {
  const keys = table.partitions.map((p, i) => `${p.expr} AS k${i}`);
  const rowHash = `hash(${table.columns.map((c) => c.expr).join(', ')})`;
  const scope = table.scope ? [`any_value(${table.scope})::VARCHAR AS scope`] : [];
  const select = [...keys, ...scope, 'count(*)::BIGINT AS n', `COALESCE(sum(${rowHash})::HUGEINT, 0)::VARCHAR AS s`, `COALESCE(bit_xor(${rowHash}), 0)::VARCHAR AS x`];
  const group = table.partitions.length > 0 ? ` GROUP BY ${table.partitions.map((_, i) => `k${i}`).join(', ')}` : '';
  const rows = await conn.all<Record<string, unknown>>(`SELECT ${select.join(', ')} FROM ${table.from}${group}`);
  return rows.map((row) => {
    const values = table.partitions.map((_, i) => String(row[`k${i}`]));
    const rowsCount = Number(row.n);
    const print = createHash('sha256')
      .update(JSON.stringify([PARQUET_SCHEMA_VERSION, table.name, table.columns.map((c) => c.name), values, rowsCount, row.s, row.x]))
      .digest('hex')
      .slice(0, 20);
    return { values, scope: table.scope ? String(row.scope) : null, rows: rowsCount, print };
  });
}

/** Copies one partition's rows into a Parquet file atomically (temp, fsync, rename). */
async function writePartition(conn: SqlConnection, table: PublishedTable, partition: PartitionPrint, target: string): Promise<number> {
  mkdirSync(path.dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  const [where, values] = table.scope && partition.scope !== null
    ? [` WHERE ${table.scope} = $1::UUID`, [partition.scope]]
    : [table.partitions.length > 0 ? ` WHERE ${table.partitions.map((p, i) => `${p.expr} = $${i + 1}`).join(' AND ')}` : '', partition.values];
  // Times as instants (TIMESTAMPTZ; the session's zone is UTC): a naive TIMESTAMP is a local
  // time in Parquet (isAdjustedToUTC=false), which Spark, pandas or a DuckDB elsewhere read in
  // their own zone, hours off.
  const times = await naiveTimeColumns(conn, `SELECT ${table.columns.map((c) => `${c.expr} AS ${c.name}`).join(', ')} FROM ${table.from}`);
  const columns = table.columns.map((c) => (times.has(c.name) ? `(${c.expr})::TIMESTAMPTZ AS ${c.name}` : `${c.expr} AS ${c.name}`)).join(', ');
  try {
    // COPY takes no parameter for its target; the temp name is generated, and quoted.
    await conn.run(
      `COPY (SELECT ${columns} FROM ${table.from}${where} ORDER BY ${table.orderBy}) TO ${sqlText(temp)} (FORMAT parquet, COMPRESSION zstd)`,
      [...values],
    );
    const fd = openSync(temp, 'r');
    try { fsyncSync(fd); } finally { closeSync(fd); }
    renameSync(temp, target);
    fsyncDir(path.dirname(target));
    return statSync(target).size;
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Removes Parquet files (and temp leftovers) under the table folders that the manifest no longer lists. */
function removeUnlisted(directory: string, keep: ReadonlySet<string>): number {
  let removed = 0;
  const walk = (abs: string, rel: string): boolean => {
    let empty = true;
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      const childAbs = path.join(abs, entry.name);
      if (entry.isDirectory()) {
        if (walk(childAbs, childRel)) rmdirSync(childAbs);
        else empty = false;
      } else if ((entry.isFile() && entry.name.endsWith('.parquet') && !keep.has(childRel)) || entry.name.endsWith(TEMP_SUFFIX)) {
        rmSync(childAbs, { force: true });
        removed += entry.name.endsWith(TEMP_SUFFIX) ? 0 : 1;
      } else {
        empty = false;
      }
    }
    return empty;
  };
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name.startsWith('table=')) {
      if (walk(path.join(directory, entry.name), entry.name)) rmdirSync(path.join(directory, entry.name));
    }
  }
  return removed;
}

/** Serialises publishes of one root within this process (the owner is the only writer). */
const running = new Map<string, Promise<unknown>>();

/** Whether a publish of this root runs (or waits to run) in this process now. */
export function publishRunning(root: string): boolean {
  return running.has(root);
}

/**
 * What a publish killed part-way left under `ROOT/parquet`: Parquet parts in the table
 * folders that the manifest does not list (written before the manifest swap the kill
 * prevented) and temp files of its writes, as root-relative paths with their sizes, by
 * path. A reader that globs `table=files/**` counts such a part's rows beside the
 * published ones. Empty while a publish of this root runs here: its fresh parts are
 * unlisted until its manifest lands, and it removes leftovers itself.
 */
export function unlistedParquetFiles(root: string): { path: string; bytes: number }[] {
  if (publishRunning(root) || findBlockedComponent(root, PARQUET_DIR)) return [];
  const directory = parquetDirectory(root);
  const listed = listedParquetParts(root);
  const found: { path: string; bytes: number }[] = [];
  const entries = (abs: string) => {
    try {
      return readdirSync(abs, { withFileTypes: true });
    } catch {
      return [];
    }
  };
  const walk = (abs: string, rel: string): void => {
    for (const entry of entries(abs)) {
      const childRel = `${rel}/${entry.name}`;
      const childAbs = path.join(abs, entry.name);
      // Links are never followed (the root is a closed world); a link here is no part of a publish.
      if (entry.isDirectory()) walk(childAbs, childRel);
      else if (entry.isFile() && ((entry.name.endsWith('.parquet') && !listed.has(childRel)) || TEMP_NAME.test(entry.name))) {
        found.push({ path: `${PARQUET_DIR}/${childRel}`, bytes: statSync(childAbs, { throwIfNoEntry: false })?.size ?? 0 });
      }
    }
  };
  for (const entry of entries(directory)) {
    if (entry.isDirectory() && entry.name.startsWith('table=')) walk(path.join(directory, entry.name), entry.name);
    // The manifest's own temp file, of a kill during its write.
    else if (entry.isFile() && TEMP_NAME.test(entry.name)) found.push({ path: `${PARQUET_DIR}/${entry.name}`, bytes: statSync(path.join(directory, entry.name), { throwIfNoEntry: false })?.size ?? 0 });
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The parts the current manifest lists, relative to `ROOT/parquet`. */
function listedParquetParts(root: string): Set<string> {
  return new Set(Object.values(readParquetManifest(root)?.tables ?? {}).flatMap((entry) => entry.files.map((file) => file.path)));
}

/**
 * Why a file `unlistedParquetFiles` named may not be removed now, or null: a publish runs,
 * or the manifest lists it since (a publish whose rows came out the same reuses the name).
 */
export function parquetFileInUse(root: string, relpath: string): string | null {
  if (publishRunning(root)) return 'cannot be removed while the catalog is being published (the publish removes what its manifest does not list itself)';
  if (listedParquetParts(root).has(relpath.slice(PARQUET_DIR.length + 1))) return 'is now listed in the published manifest (a publish since took it)';
  return null;
}

/**
 * Publishes the catalog's reader tables as Hive-partitioned Parquet under `ROOT/parquet`.
 *
 * Every table is read in one transaction, so the files are one consistent snapshot. A
 * partition whose rows did not change keeps its file (its name is a fingerprint of its
 * rows); changed ones are written beside, the manifest is swapped atomically, and only then
 * are files it no longer lists removed. A reader that follows the manifest never sees a mix;
 * one that globs `table=files/**` may, for the moment between the swap and the removal.
 */
export function publishParquet(catalog: Catalog, options: { readonly auto?: boolean } = {}): Promise<PublishReport> {
  const key = catalog.root;
  const previous = running.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => publishNow(catalog, options));
  running.set(key, next);
  void next.finally(() => { if (running.get(key) === next) running.delete(key); }).catch(() => undefined);
  return next;
}

async function publishNow(catalog: Catalog, options: { readonly auto?: boolean }): Promise<PublishReport> {
  const started = Date.now();
  const block = findBlockedComponent(catalog.root, PARQUET_DIR);
  if (block) throw blockedPathError(PARQUET_DIR, block);
  const directory = parquetDirectory(catalog.root);
  mkdirSync(directory, { recursive: true });
  const before = readParquetManifest(catalog.root);
  const auto = options.auto ?? before?.auto ?? false;

  let written = 0;
  let kept = 0;
  let bytes = 0;
  const entries: Record<string, PublishedTableEntry> = {};
  // Parts this run wrote: until the manifest lists them, a glob reader would take them for
  // rows beside the published ones (a version twice), so a failed publish removes them.
  const fresh: string[] = [];
  const dropFresh = (): void => {
    for (const file of fresh) rmSync(file, { force: true });
  };
  try {
    await catalog.read(async (conn) => {
      // One snapshot for every table: a write committed meanwhile waits for the next publish.
      await conn.run('BEGIN TRANSACTION');
      try {
        for (const table of tables) {
          const files: PublishedFile[] = [];
          for (const partition of await partitionPrints(conn, table)) {
            const folders = [`table=${table.name}`, ...table.partitions.map((p, i) => hivePartition(p.key, partition.values[i]!))];
            const rel = [...folders, `part-${partition.print}.parquet`].join('/');
            const target = path.join(directory, ...rel.split('/'));
            const existing = statSync(target, { throwIfNoEntry: false });
            let size: number;
            if (existing?.isFile()) {
              size = existing.size;
              kept += 1;
            } else {
              size = await writePartition(conn, table, partition, target);
              fresh.push(target);
              written += 1;
            }
            bytes += size;
            files.push({ path: rel, rows: partition.rows, bytes: size });
          }
          files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
          entries[table.name] = {
            partitioned_by: table.partitions.map((p) => p.key),
            columns: table.columns.map((c) => c.name),
            rows: files.reduce((sum, f) => sum + f.rows, 0),
            files,
          };
        }
      } finally {
        await conn.run('COMMIT').catch(() => undefined);
      }
    });
  } catch (error) {
    dropFresh();
    if (error instanceof OntocatError) throw error;
    throw new OntocatError('IO_ERROR', `Could not publish the catalog as Parquet in ${directory}: ${(error as Error).message.split('\n')[0]}`);
  }

  const manifest: ParquetManifest = {
    format: 'ontocat-parquet',
    schema_version: PARQUET_SCHEMA_VERSION,
    generation: (before?.generation ?? 0) + 1,
    published_at: new Date().toISOString(),
    auto,
    tables: entries,
  };
  // A kill here leaves the fresh parts unlisted: the next publish, or doctor, removes them.
  crashPoint('publish.before-manifest');
  try {
    writeFileAtomicSync(path.join(directory, PARQUET_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  } catch (error) {
    dropFresh();
    throw error;
  }
  const listed = new Set(Object.values(entries).flatMap((entry) => entry.files.map((f) => f.path)));
  const removed = removeUnlisted(directory, listed);
  return {
    directory,
    generation: manifest.generation,
    auto,
    tables: Object.entries(entries).map(([name, entry]) => ({ name, rows: entry.rows, files: entry.files.length })),
    written,
    kept,
    removed,
    bytes,
    duration_ms: Date.now() - started,
  };
}

/** The last publish of a root, from its manifest. */
export function publicationStatus(root: string): PublicationStatus {
  const manifest = readParquetManifest(root);
  return {
    directory: parquetDirectory(root),
    generation: manifest?.generation ?? null,
    published_at: manifest?.published_at ?? null,
    auto: manifest?.auto ?? false,
    tables: Object.entries(manifest?.tables ?? {}).map(([name, entry]) => ({ name, rows: entry.rows, files: entry.files.length })),
  };
}
