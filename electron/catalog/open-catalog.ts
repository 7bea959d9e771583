import type { DuckDBAppender } from '@duckdb/node-api';
import { DuckDBInstance, DuckDBTimestampValue } from './duckdb.js';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { OntocatError } from '../shared/errors.js';
import type { EventLevel } from '../shared/models.js';
import { BACKUPS_DIR, DB_TEMP_DIR, TEMP_DIR } from '../storage/layout.js';
import { currentActor } from './actor-context.js';
import { migrate, requireCurrentSchema, type MigrationReport } from './migrations.js';
import { recordRootIdentity } from './folder-identity.js';
import { SerialQueue } from './serial-queue.js';
import { SqlConnection } from './sql.js';
import type { StagedBlock } from './staged-block.js';
import { commitFailureError, fatalWriteError, isFatalDuckDbError, missingCatalogError, openFailureError, rootHasStorage } from './catalog-health.js';
import { acquireWriterLock, type WriterLock } from './writer-lock.js';
import { dropEmptyWal, guardWal, OWNER_DIR_MODE, OWNER_FILE_MODE, restrictBackups, restrictToOwner, walPathOf, withOwnerOnlyUmask } from './owner-only.js';
import { reconcileVersionTotals } from './version-totals.js';

export const CATALOG_FILE = 'catalog.duckdb';

export interface OpenCatalogOptions {
  /** Storage root; holds the lock and, by default, the database file. */
  readonly root: string;
  /** Database file; defaults to `<root>/catalog.duckdb`. */
  readonly dbPath?: string;
  /** Open without the writer lock; every write is refused. */
  readonly readOnly?: boolean;
  /** DuckDB worker threads; defaults to DuckDB's own choice (all cores). */
  readonly threads?: number;
  /** Names the holder in the lock file (`ontocat-cli`, `ontocat-desktop`, …). */
  readonly app?: string;
  /** Apply pending migrations on open (default true when writable). */
  readonly migrate?: boolean;
  /** Read-only: refuse a catalog with migrations pending (`requireCurrentSchema`), rather than fail in a query. */
  readonly requireCurrentSchema?: boolean;
  /** Read connections in the pool (default 2). */
  readonly readers?: number;
  /**
   * Create the catalog file even though the root holds stored data (`init --force`, a
   * restore). Without it a root whose catalog file is gone is refused, naming the newest backup.
   */
  readonly create?: boolean;
  /** A writer lock this process already holds on the root (a restore takes it first); its holder releases it, not `close`. */
  readonly lock?: WriterLock;
}

export type ColumnType = 'varchar' | 'bigint' | 'integer' | 'boolean' | 'timestamp' | 'double';
export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
}

export interface WriteOptions {
  readonly runId?: string;
  /**
   * DuckDB's memory limit while this transaction runs (`'256MB'`): beyond it, joins,
   * sorts and temp tables spill to the root's `.tmp/duckdb/` instead of growing the process.
   */
  readonly memoryLimit?: string;
}

/** A memory limit as DuckDB parses it (`256MB`, `1.5 GiB`); anything else is refused. */
function memoryLimitValue(value: string): string {
  if (!/^\d+(\.\d+)?\s?[KMGT]i?B$/.test(value)) throw new OntocatError('INTERNAL', `Not a memory limit: ${value}`);
  return value;
}

/** One transaction of a multi-step write (`Catalog.writeSteps`). */
export type WriteStep = <T>(task: (tx: WriteTx) => Promise<T>, options?: WriteOptions) => Promise<T>;

/** Rows appended per flush: big enough to amortise, small enough to bound memory. */
export const APPEND_CHUNK_ROWS = 20_000;

function appendValue(appender: DuckDBAppender, type: ColumnType, value: unknown): void {
  if (value === null || value === undefined) {
    appender.appendNull();
    return;
  }
  switch (type) {
    case 'varchar': appender.appendVarchar(String(value)); return;
    case 'bigint': appender.appendBigInt(BigInt(Math.trunc(Number(value)))); return;
    case 'integer': appender.appendInteger(Math.trunc(Number(value))); return;
    case 'double': appender.appendDouble(Number(value)); return;
    case 'boolean': appender.appendBoolean(Boolean(value)); return;
    case 'timestamp': {
      const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(String(value));
      appender.appendTimestamp(new DuckDBTimestampValue(BigInt(Math.trunc(ms)) * 1000n));
      return;
    }
  }
}

/** Writes all of `data` at the handle's position (a single `write` may write less). */
async function writeAll(handle: FileHandle, data: Uint8Array): Promise<void> {
  for (let at = 0; at < data.length;) {
    const { bytesWritten } = await handle.write(data, at);
    at += bytesWritten;
  }
}

/**
 * The write side of one transaction: statements, bulk appends and audit events.
 *
 * Only ever handed out by `Catalog.write`, inside BEGIN … COMMIT on the single write
 * connection.
 */
export class WriteTx extends SqlConnection {
  constructor(raw: SqlConnection['raw'], readonly runId: string | null, readonly root: string) {
    super(raw);
  }

  /**
   * Writes blocks of lines into one scratch file under the root's `.tmp/`, then runs `load` on it once.
   *
   * DuckDB's CSV reader parses such a file on all cores, far faster than values handed
   * over one by one from Node. One statement over the whole file beats one per block
   * loaded while Node builds the next (measured 2026-12-02, see the README): on two cores
   * Node's work competed with DuckDB's threads instead of overlapping them, and each
   * statement paid its own start and finish. Blocks bound Node's memory: each is written
   * out before the next is built. `longestLine` is the longest line of any block. The file
   * is removed afterwards whatever happens; one left behind by a crash is a doctor finding
   * like any other leftover. Nothing is loaded when there are no lines. (Building the rest
   * while DuckDB loaded the first block from a file of its own measured no better.)
   */
  async loadStagedFile(blocks: Iterable<StagedBlock>, load: (file: string, longestLine: number) => Promise<void>): Promise<void> {
    const dir = path.join(this.root, TEMP_DIR);
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `stage-${randomUUID()}.tsv`);
    let longestLine = 0;
    let bytes = 0;
    const handle = await open(file, 'wx', 0o600);
    try {
      try {
        for (const block of blocks) {
          await writeAll(handle, block.data);
          longestLine = Math.max(longestLine, block.longestLine);
          bytes += block.data.length;
        }
      } finally {
        await handle.close();
      }
      if (bytes > 0) await load(file, longestLine);
    } finally {
      await rm(file, { force: true });
    }
  }

  /**
   * Appends rows to `table` through DuckDB's appender, flushing every chunk.
   *
   * `columns` must list every column of the table in order; rows are arrays in that order.
   */
  async append(table: string, columns: readonly ColumnSpec[], rows: Iterable<readonly unknown[]>, chunkRows = APPEND_CHUNK_ROWS): Promise<number> {
    const appender = await this.raw.createAppender(table);
    let count = 0;
    try {
      for (const row of rows) {
        for (let i = 0; i < columns.length; i += 1) {
          appendValue(appender, columns[i]!.type, row[i]);
        }
        appender.endRow();
        count += 1;
        if (count % chunkRows === 0) appender.flushSync();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    return count;
  }

  /** Records an audit event in this transaction. */
  async event(type: string, payload: Readonly<Record<string, unknown>>, level: EventLevel = 'info'): Promise<void> {
    await this.run('INSERT INTO events (event_id, ts, type, level, run_id, payload_json, actor) VALUES ($1, now()::TIMESTAMP, $2, $3, $4, $5, $6)', [
      randomUUID(),
      type,
      level,
      this.runId,
      JSON.stringify(payload),
      currentActor(),
    ]);
  }
}

/**
 * An open catalog: one DuckDB instance, one write connection behind a serial queue, a
 * small pool of read connections, and (when writable) the root's writer lock.
 */
/**
 * Opens the DuckDB instance with every session in UTC. TIMESTAMP columns hold UTC (their
 * readers add the Z), but `now()::TIMESTAMP` is the wall time of the session's zone, which
 * DuckDB takes from the machine: on a desktop in Los Angeles every event and index time
 * was stored 8 hours early. (The zone cannot be set in the open's config: ICU loads later.)
 */
async function createInstance(dbPath: string, config: Record<string, string>): Promise<DuckDBInstance> {
  const instance = await DuckDBInstance.create(dbPath, config);
  const setup = await instance.connect();
  try {
    await setup.run("SET GLOBAL TimeZone = 'UTC'");
  } finally {
    setup.closeSync();
  }
  return instance;
}

export class Catalog {
  private readonly writeQueue = new SerialQueue();
  private readonly readQueues: SerialQueue[];
  private closed = false;
  private changes = 0;
  private readonly commitListeners = new Set<() => void>();

  private constructor(
    readonly root: string,
    readonly dbPath: string,
    readonly readOnly: boolean,
    private instance: DuckDBInstance,
    private writer: SqlConnection | null,
    private readers: readonly SqlConnection[],
    private readonly lock: WriterLock | null,
    readonly migrations: MigrationReport | null,
    private readonly config: Record<string, string>,
  ) {
    this.readQueues = readers.map(() => new SerialQueue());
  }

  /** Opens (creating if needed) the catalog of a storage root. */
  static async open(options: OpenCatalogOptions): Promise<Catalog> {
    const root = path.resolve(options.root);
    const dbPath = path.resolve(options.dbPath ?? path.join(root, CATALOG_FILE));
    const readOnly = options.readOnly ?? false;

    if (!existsSync(dbPath)) {
      if (rootHasStorage(root) && !options.create) throw missingCatalogError(root, dbPath);
      if (readOnly) throw new OntocatError('NOT_FOUND', `No catalog at ${dbPath}; run 'ontocat init' first.`);
    }
    let lock: WriterLock | null = options.lock ?? null;
    if (!readOnly && !lock) {
      mkdirSync(root, { recursive: true });
      mkdirSync(path.dirname(dbPath), { recursive: true });
      lock = acquireWriterLock(root, options.app ?? 'ontocat');
    }
    const ownedLock = options.lock ? null : lock;

    let instance: DuckDBInstance | null = null;
    try {
      const config: Record<string, string> = { access_mode: readOnly ? 'READ_ONLY' : 'READ_WRITE' };
      // Bulk inserts of a whole version would otherwise trigger a checkpoint inside their
      // commit; checkpoints happen on close (and when the WAL grows past this) instead.
      if (!readOnly) config.checkpoint_threshold = '256MB';
      if (options.threads) config.threads = String(options.threads);
      // Spills stay inside the root (same disk, cleaned with it), under the scan-skipped temp
      // area. A read-only root that cannot take the folder simply cannot spill.
      config.temp_directory = path.join(root, ...DB_TEMP_DIR.split('/'));
      try {
        // Spilled blocks are catalog data (password hashes, webhook URLs) in files and a folder
        // DuckDB makes with the umask (0644, 0755), and only once it spills: the temp area they
        // sit in is owner-only, so no one else can enter it. The spill folder itself is left to
        // DuckDB, which removes it again; made here, it would stay behind as scratch.
        const tempArea = path.dirname(config.temp_directory);
        mkdirSync(tempArea, { recursive: true, mode: OWNER_DIR_MODE });
        restrictToOwner(tempArea, OWNER_DIR_MODE);
      } catch (error) {
        if (!readOnly) throw error;
      }
      // The catalog holds password hashes and webhook URLs: owner-only, new or not (owner-only.ts).
      if (existsSync(dbPath)) {
        restrictToOwner(dbPath, OWNER_FILE_MODE);
        restrictToOwner(walPathOf(dbPath), OWNER_FILE_MODE);
        instance = await createInstance(dbPath, config);
      } else {
        instance = await withOwnerOnlyUmask(() => createInstance(dbPath, config));
      }
      restrictBackups(path.join(root, BACKUPS_DIR));
      if (!readOnly) guardWal(dbPath);
      const writer = readOnly ? null : new SqlConnection(await instance.connect());
      const readerCount = Math.max(1, options.readers ?? 2);
      const readers: SqlConnection[] = [];
      for (let i = 0; i < readerCount; i += 1) readers.push(new SqlConnection(await instance.connect()));

      let report: MigrationReport | null = null;
      if (writer && options.migrate !== false) report = await migrate(writer);
      if (!writer && options.requireCurrentSchema) await requireCurrentSchema(readers[0]!);

      const catalog = new Catalog(root, dbPath, readOnly, instance, writer, readers, ownedLock, report, config);
      // The root's device and inode, the reference the folder checks compare against (folder-identity.ts).
      if (report) await catalog.write((tx) => recordRootIdentity(tx));
      // Derived rows checked against their source on every writable open (version-totals.ts).
      if (report) await catalog.write((tx) => reconcileVersionTotals(tx));
      if (lock?.recovered && report) {
        await catalog.write((tx) => tx.event('lock.recovered', { previous_holder: lock!.recovered }, 'warn'));
      }
      return catalog;
    } catch (error) {
      instance?.closeSync();
      ownedLock?.release();
      if (error instanceof OntocatError) throw error;
      throw openFailureError(root, dbPath, error);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new OntocatError('INTERNAL', 'The catalog is closed.');
  }

  /** Runs `task` on a read connection; reads see the last committed state. */
  read<T>(task: (conn: SqlConnection) => Promise<T>): Promise<T> {
    this.assertOpen();
    let best = 0;
    for (let i = 1; i < this.readQueues.length; i += 1) {
      if (this.readQueues[i]!.size < this.readQueues[best]!.size) best = i;
    }
    return this.readQueues[best]!.run(() => {
      const conn = this.readers[best]!;
      conn.readGeneration = this.changes;
      return task(conn);
    });
  }

  /**
   * Like `read`, with every statement of `task` in one read transaction: all see the catalog
   * as it was at the first, whatever commits meanwhile. Outside one, each statement sees the
   * last commit, so an answer read in several statements can mix states, e.g. a preview's
   * figures from before another client's write and the stamp vouching for them from after.
   */
  readSnapshot<T>(task: (conn: SqlConnection) => Promise<T>): Promise<T> {
    return this.read(async (conn) => {
      await conn.run('BEGIN TRANSACTION');
      try {
        const result = await task(conn);
        await conn.run('COMMIT');
        return result;
      } catch (error) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /**
   * Runs `task` in one write transaction on the write connection.
   *
   * Transactions are queued, never interleaved; a thrown error rolls back everything
   * the task did, events included.
   */
  write<T>(task: (tx: WriteTx) => Promise<T>, options: WriteOptions = {}): Promise<T> {
    this.assertOpen();
    if (!this.writer) return Promise.reject(new OntocatError('READ_ONLY', `The catalog ${this.dbPath} is open read-only.`));
    return this.writeQueue.run(() => this.transaction(task, options));
  }

  /**
   * Holds the writer for a boundary of several steps: `task` runs transactions one after
   * another through `step`, with disk work between them, and no other write can land in
   * between (a prune's rows are gone before its files move, and nothing else sees that).
   */
  writeSteps<T>(task: (step: WriteStep) => Promise<T>): Promise<T> {
    this.assertOpen();
    if (!this.writer) return Promise.reject(new OntocatError('READ_ONLY', `The catalog ${this.dbPath} is open read-only.`));
    return this.writeQueue.run(() => task((stepTask, options = {}) => this.transaction(stepTask, options)));
  }

  private async transaction<T>(task: (tx: WriteTx) => Promise<T>, options: WriteOptions): Promise<T> {
    // Read the connection now, not when queued: a reopen may have replaced it meanwhile.
    const tx = new WriteTx(this.writer!.raw, options.runId ?? null, this.root);
    // The limit is the instance's, not the transaction's: set it before BEGIN and go back to
    // the default after COMMIT/ROLLBACK (an aborted transaction refuses SET). The catalog
    // otherwise runs with DuckDB's default; RESET restores it exactly, where setting back
    // the printed value would round it down a little on every call.
    if (options.memoryLimit) await tx.run(`SET memory_limit = '${memoryLimitValue(options.memoryLimit)}'`);
    try {
      await tx.run('BEGIN TRANSACTION');
      try {
        const result = await task(tx);
        await tx.run('COMMIT').catch((error: unknown) => {
          // Refused at the commit (the WAL could not be written): nothing of it is in the catalog.
          throw isFatalDuckDbError(error) ? error : commitFailureError(this.dbPath, error);
        });
        guardWal(this.dbPath);
        this.committed();
        return result;
      } catch (error) {
        await tx.run('ROLLBACK').catch(() => undefined);
        if (isFatalDuckDbError(error)) throw fatalWriteError(this.root, this.dbPath, error);
        throw error;
      }
    } finally {
      // After a fatal error the instance refuses everything; the error above says so.
      if (options.memoryLimit) await tx.run('RESET memory_limit').catch(() => undefined);
    }
  }

  /** Runs `task` on the write connection outside any transaction (CHECKPOINT, migrate). */
  exclusive<T>(task: (conn: SqlConnection) => Promise<T>): Promise<T> {
    this.assertOpen();
    const writer = this.writer;
    if (!writer) return Promise.reject(new OntocatError('READ_ONLY', `The catalog ${this.dbPath} is open read-only.`));
    return this.writeQueue.run(async () => {
      const result = await task(this.writer ?? writer);
      guardWal(this.dbPath);
      this.committed();
      return result;
    });
  }

  private committed(): void {
    this.changes += 1;
    for (const listener of this.commitListeners) listener();
  }

  /**
   * Calls `listener` after every committed write of this process (not for reads); returns
   * the unsubscribe function. Listeners must not throw and should defer their work.
   */
  onCommitted(listener: () => void): () => void {
    this.commitListeners.add(listener);
    return () => { this.commitListeners.delete(listener); };
  }

  /**
   * A number that changes whenever this session may have changed the catalog (a write
   * committed, an exclusive task or a reopen ran): derived results cached against it stay
   * exact. A read-only session sees a constant, as nothing it can see changes.
   */
  get generation(): number {
    return this.changes;
  }

  /**
   * Closes the database file, lets `swap` replace it, then reopens and migrates it.
   *
   * Restore and compact use this to put a different file in place atomically. Every
   * queued read and write finishes first and none runs until the file is open again;
   * the writer lock stays held throughout, so no other process can slip in. When the
   * reopen fails the catalog is left closed and the error names the file.
   */
  reopenAfter<T>(swap: (dbPath: string) => Promise<T> | T): Promise<{ result: T; migrations: MigrationReport }> {
    this.assertOpen();
    this.changes += 1;
    if (!this.writer) return Promise.reject(new OntocatError('READ_ONLY', `The catalog ${this.dbPath} is open read-only.`));
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => { openGate = resolve; });
    const parked = this.readQueues.map((queue) => new Promise<void>((arrived) => {
      void queue.run(async () => { arrived(); await gate; });
    }));
    return this.writeQueue.run(async () => {
      try {
        await Promise.all(parked);
        await this.writer!.run('CHECKPOINT');
        for (const reader of this.readers) reader.raw.closeSync();
        this.writer!.raw.closeSync();
        this.instance.closeSync();
        // A failed swap must leave the old file in place; reopen it either way.
        let swapError: unknown = null;
        let result: T | undefined;
        try {
          result = await swap(this.dbPath);
        } catch (error) {
          swapError = error;
        }
        try {
          // The file swapped in (a backup, a compacted copy) is owner-only like the one it replaces.
          restrictToOwner(this.dbPath, OWNER_FILE_MODE);
          this.instance = await createInstance(this.dbPath, this.config);
          this.writer = new SqlConnection(await this.instance.connect());
          const readers: SqlConnection[] = [];
          for (let i = 0; i < this.readQueues.length; i += 1) readers.push(new SqlConnection(await this.instance.connect()));
          this.readers = readers;
          const migrations = await migrate(this.writer);
          guardWal(this.dbPath);
          if (swapError) throw swapError;
          for (const listener of this.commitListeners) listener();
          return { result: result as T, migrations };
        } catch (error) {
          if (error === swapError) throw error;
          this.closed = true;
          this.lock?.release();
          throw new OntocatError('IO_ERROR', `Could not reopen the catalog ${this.dbPath} after replacing it: ${(error as Error).message.split('\n')[0]}`);
        }
      } finally {
        openGate();
      }
    });
  }

  /**
   * Writes into the lock file where this owner takes calls from other Ontocat processes.
   *
   * Read-only catalogs hold no lock and so own nothing to advertise.
   */
  advertiseEndpoint(endpoint: string, web?: string): void {
    if (!this.lock) throw new OntocatError('READ_ONLY', 'A read-only catalog holds no writer lock to advertise an endpoint in.');
    this.lock.advertise(endpoint, web);
  }

  /**
   * Waits for queued work, checkpoints, closes every connection and releases the lock.
   *
   * With `processExiting` (a CLI command ends next) a read-only catalog is only marked
   * closed: it has nothing to write back, the OS frees it with the process, and DuckDB's
   * teardown was about a tenth of a short read command's time.
   */
  async close(options: { readonly processExiting?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    await this.writeQueue.drain();
    await Promise.all(this.readQueues.map((queue) => queue.drain()));
    this.closed = true;
    if (this.readOnly && !this.lock && options.processExiting) return;
    try {
      if (this.writer) await this.writer.run('CHECKPOINT').catch(() => undefined);
      for (const reader of this.readers) reader.raw.closeSync();
      this.writer?.raw.closeSync();
      this.instance.closeSync();
      // The empty owner-only WAL made for the next commit (guardWal) has none to come.
      if (this.writer) dropEmptyWal(this.dbPath);
    } finally {
      this.lock?.release();
    }
  }
}

/** Opens the catalog of a storage root; see `Catalog.open`. */
export function openCatalog(options: OpenCatalogOptions): Promise<Catalog> {
  return Catalog.open(options);
}
