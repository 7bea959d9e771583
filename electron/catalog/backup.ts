import { DuckDBInstance } from './duckdb.js';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { isOntocatError, OntocatError } from '../shared/errors.js';
import { describeFsError } from '../shared/fs-error-words.js';
import type { BackupInfo, CompactResult, RestoreResult } from '../shared/contract/housekeeping.js';
import { fsyncDir, fsyncFile, tempPathFor, writeFileAtomicSync } from '../storage/atomic-write.js';
import { crashPoint } from '../storage/crash-point.js';
import { sha256File } from '../storage/file-hash.js';
import { BACKUPS_DIR, TEMP_DIR } from '../storage/layout.js';
import { guardWal, OWNER_DIR_MODE, OWNER_FILE_MODE, restrictToOwner } from './owner-only.js';
import { BACKUP_DB, backupDir, databaseChecksum, readBackupManifest, type BackupManifest } from './backup-manifest.js';
import { checkpointFailureError } from './catalog-health.js';
import { planDoctor } from './doctor.js';
import { Catalog } from './open-catalog.js';
import { SqlConnection } from './sql.js';
import { settleAppliedTrash } from './trash-recovery.js';
import { acquireWriterLock } from './writer-lock.js';
import { publishParquet, readParquetManifest } from './parquet-publish.js';

export { listBackups } from './backup-manifest.js';

/** `20260101T120000123Z`: sortable, safe as a folder name, unique to the millisecond. */
function stampOf(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, '');
}

interface CatalogCounts {
  readonly versions: number;
  readonly files: number;
  readonly schema_version: number;
}

async function counts(conn: SqlConnection): Promise<CatalogCounts> {
  const row = await conn.one<CatalogCounts>(
    `SELECT (SELECT count(*) FROM versions) AS versions, (SELECT count(*) FROM extracted_files) AS files,
            (SELECT COALESCE(max(version), 0) FROM schema_version) AS schema_version`,
  );
  return row ?? { versions: 0, files: 0, schema_version: 0 };
}

function fileBytes(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

/**
 * Copies the catalog into `.backups/<timestamp>/` with a SHA-256 checksum manifest.
 *
 * CHECKPOINT first, so that the file holds everything and the WAL is empty; the copy
 * runs on the write queue, so no write can land while it is taken.
 */
export async function createBackup(catalog: Catalog): Promise<BackupInfo> {
  const now = new Date();
  const timestamp = stampOf(now);
  const dir = backupDir(catalog.root, timestamp);
  // The manifest is written last and inside the same exclusive step: a folder without one is
  // a backup that was killed (doctor reports it), never one still being made by this process.
  const { info, manifest, bytes, sha256 } = await catalog.exclusive(async (conn) => {
    await conn.run('CHECKPOINT').catch((error: unknown) => { throw checkpointFailureError(catalog.dbPath, 'back up the catalog', error); });
    const stats = await counts(conn);
    const target = path.join(dir, BACKUP_DB);
    const temp = tempPathFor(target);
    try {
      // Owner-only: a backup holds the password hashes and webhook URLs the catalog does (owner-only.ts).
      mkdirSync(dir, { recursive: true, mode: OWNER_DIR_MODE });
      restrictToOwner(path.dirname(dir), OWNER_DIR_MODE);
      restrictToOwner(dir, OWNER_DIR_MODE);
      copyFileSync(catalog.dbPath, temp);
      restrictToOwner(temp, OWNER_FILE_MODE);
      fsyncFile(temp);
      renameSync(temp, target);
    } catch (error) {
      // A full disk: the folder would stay behind empty, a backup nobody can restore.
      rmSync(dir, { recursive: true, force: true });
      throw new OntocatError('IO_ERROR', `Could not back up the catalog into ${dir}: ${describeFsError(error, dir)}. Nothing was changed.`);
    }
    fsyncDir(dir);
    crashPoint('backup.before-manifest');
    const checksum = await sha256File(target);
    const size = statSync(target).size;
    const written: BackupManifest = {
      timestamp, created_at: now.toISOString(), schema_version: stats.schema_version, versions: stats.versions, files: stats.files,
      checksums: [{ name: BACKUP_DB, bytes: size, sha256: checksum }],
    };
    writeFileAtomicSync(path.join(dir, 'manifest.json'), `${JSON.stringify(written, null, 2)}\n`, OWNER_FILE_MODE);
    return { info: stats, manifest: written, bytes: size, sha256: checksum };
  });
  await catalog.write((tx) => tx.event('backup.created', { timestamp, bytes, sha256 }));
  return {
    timestamp, path: path.relative(catalog.root, dir).split(path.sep).join('/'), created_at: manifest.created_at, bytes, sha256, ...info,
    status: 'ok', problem: null,
  };
}

/** Reads the counts of a database file opened read-only, outside any catalog session. */
async function countsOfFile(file: string): Promise<CatalogCounts> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  try {
    const conn = await instance.connect();
    try {
      return await counts(new SqlConnection(conn));
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/**
 * Verifies a backup and copies it beside the catalog file, ready to be renamed into place.
 *
 * The checksums prove the bytes are the ones the backup wrote, not that they are a
 * catalog: the staged copy (the exact bytes that will be swapped in) is also opened
 * read-only in DuckDB and its schema version and row counts must match the manifest.
 * Returns the staged file's path; on any failure nothing is left behind.
 */
async function stageBackup(root: string, dbPath: string, timestamp: string): Promise<{ staged: string; manifest: BackupManifest }> {
  const manifest = readBackupManifest(root, timestamp);
  const dir = backupDir(root, timestamp);
  for (const entry of manifest.checksums) {
    const file = path.join(dir, path.basename(entry.name));
    if (!existsSync(file)) throw new OntocatError('IO_ERROR', `Backup ${timestamp} is incomplete: ${entry.name} is missing. Nothing was changed.`);
    const actual = await sha256File(file);
    if (actual !== entry.sha256 || statSync(file).size !== entry.bytes) {
      throw new OntocatError('IO_ERROR', `Backup ${timestamp} is corrupted: ${entry.name} does not match its checksum (expected ${entry.sha256.slice(0, 12)}…, found ${actual.slice(0, 12)}…). Nothing was changed.`);
    }
  }
  const expected = databaseChecksum(manifest);
  mkdirSync(path.dirname(dbPath), { recursive: true });
  const staged = tempPathFor(dbPath);
  try {
    try {
      copyFileSync(path.join(dir, BACKUP_DB), staged);
      restrictToOwner(staged, OWNER_FILE_MODE);
    } catch (error) {
      throw new OntocatError('IO_ERROR', `Could not copy backup ${timestamp} beside the catalog: ${describeFsError(error, path.dirname(dbPath))}. Nothing was changed.`);
    }
    if ((await sha256File(staged)) !== expected.sha256) {
      throw new OntocatError('IO_ERROR', `Copying backup ${timestamp} produced different bytes; nothing was changed.`);
    }
    let found: CatalogCounts;
    try {
      found = await countsOfFile(staged);
    } catch (error) {
      throw new OntocatError('IO_ERROR', `Backup ${timestamp} matches its checksum but is not a readable catalog (${(error as Error).message.split('\n')[0]}). Nothing was changed.`);
    }
    const wanted = { schema_version: manifest.schema_version, versions: manifest.versions, files: manifest.files };
    if (found.schema_version !== wanted.schema_version || found.versions !== wanted.versions || found.files !== wanted.files) {
      throw new OntocatError('IO_ERROR', `Backup ${timestamp} does not hold what its manifest says (schema ${found.schema_version}, ${found.versions} versions, ${found.files} files; the manifest says schema ${wanted.schema_version}, ${wanted.versions} versions, ${wanted.files} files). Nothing was changed.`);
    }
    return { staged, manifest };
  } catch (error) {
    rmSync(staged, { force: true });
    throw error;
  }
}

/** Puts `replacement` in place of the database file; the catalog is closed meanwhile. */
function swapDatabaseFile(dbPath: string, replacement: string, crashPrefix: string): void {
  crashPoint(`${crashPrefix}.before-swap`);
  // The WAL belongs to the old file; CHECKPOINT on close emptied it, and a stale one must not replay.
  const wal = `${dbPath}.wal`;
  if (existsSync(wal)) unlinkSync(wal);
  // The copy's bytes first: renamed while still in the page cache, a crash could leave a torn catalog file.
  fsyncFile(replacement);
  renameSync(replacement, dbPath);
  fsyncDir(path.dirname(dbPath));
  crashPoint(`${crashPrefix}.after-swap`);
}

/**
 * Moves a catalog file that cannot be opened (and its WAL) into `.backups/broken-<ts>/`.
 *
 * It is never deleted: it may still hold rows a specialist can salvage.
 */
function setAsideBroken(root: string, dbPath: string): string {
  const name = `broken-${stampOf(new Date())}`;
  const dir = path.join(root, BACKUPS_DIR, name);
  mkdirSync(dir, { recursive: true, mode: OWNER_DIR_MODE });
  restrictToOwner(path.dirname(dir), OWNER_DIR_MODE);
  for (const file of [dbPath, `${dbPath}.wal`]) {
    if (existsSync(file)) renameSync(file, path.join(dir, path.basename(file)));
  }
  fsyncDir(dir);
  fsyncDir(path.dirname(dbPath));
  return `${BACKUPS_DIR}/${name}`;
}

async function finishRestore(catalog: Catalog, timestamp: string, before: { versions: number; files: number }, safety: string | null, setAside: string | null, migrationsApplied: number): Promise<RestoreResult> {
  const after = await catalog.read(counts);
  await catalog.write((tx) => tx.event('backup.restored', { timestamp, safety_backup: safety, set_aside: setAside, before, after }, 'warn'));
  const doctor = await planDoctor(catalog);
  const kinds: Record<string, number> = {};
  for (const item of doctor.findings) kinds[item.kind] = (kinds[item.kind] ?? 0) + 1;
  return {
    timestamp,
    safety_backup: safety,
    set_aside: setAside,
    before: { versions: before.versions, files: before.files },
    after: { versions: after.versions, files: after.files },
    migrations_applied: migrationsApplied,
    doctor: { plan_id: doctor.plan_id, findings: doctor.findings.length, kinds },
  };
}

/**
 * Restores the open catalog from a backup.
 *
 * Verifies and stages the backup, backs up the current catalog (so the restore can be
 * undone), then closes the catalog, swaps the file in with one rename and reopens it
 * (migrations run), all under the writer lock. Finally a doctor plan compares the
 * restored catalog with the disk.
 */
export async function restoreBackup(catalog: Catalog, timestamp: string): Promise<RestoreResult> {
  const { staged } = await stageBackup(catalog.root, catalog.dbPath, timestamp);
  let safety: BackupInfo;
  let before: CatalogCounts;
  try {
    before = await catalog.read(counts);
    safety = await createBackup(catalog);
    await settleAppliedTrash(catalog);
  } catch (error) {
    rmSync(staged, { force: true });
    throw error;
  }
  const { migrations } = await catalog.reopenAfter((dbPath) => swapDatabaseFile(dbPath, staged, 'restore'));
  return finishRestore(catalog, timestamp, before, safety.timestamp, null, migrations.applied.length);
}

/**
 * Restores a root's catalog from a backup without needing the current catalog to open.
 *
 * Takes the writer lock first. A current catalog that opens is backed up as usual; one
 * that does not (truncated, empty, not a DuckDB file) is moved aside into
 * `.backups/broken-<ts>/`, never deleted; a missing one is simply replaced.
 */
export async function restoreCatalogFile(options: { root: string; dbPath?: string; app?: string }, timestamp: string): Promise<RestoreResult> {
  const root = path.resolve(options.root);
  const dbPath = path.resolve(options.dbPath ?? path.join(root, BACKUP_DB));
  mkdirSync(root, { recursive: true });
  const lock = acquireWriterLock(root, options.app ?? 'ontocat');
  try {
    const { staged } = await stageBackup(root, dbPath, timestamp);
    let before = { versions: 0, files: 0 };
    let safety: string | null = null;
    let setAside: string | null = null;
    try {
      if (existsSync(dbPath)) {
        let current: Catalog | null = null;
        try {
          current = await Catalog.open({ root, dbPath, lock, migrate: false, readers: 1 });
        } catch (error) {
          // Another process holding DuckDB's own lock on the file is not damage.
          if (isOntocatError(error, 'LOCKED')) throw error;
          setAside = setAsideBroken(root, dbPath);
        }
        if (current) {
          try {
            before = await current.read(counts);
            safety = (await createBackup(current)).timestamp;
            await settleAppliedTrash(current);
          } finally {
            await current.close();
          }
        }
      }
      swapDatabaseFile(dbPath, staged, 'restore');
    } catch (error) {
      rmSync(staged, { force: true });
      throw error;
    }
    const catalog = await Catalog.open({ root, dbPath, lock, create: true, app: options.app });
    try {
      const result = await finishRestore(catalog, timestamp, before, safety, setAside, catalog.migrations?.applied.length ?? 0);
      // No session here to publish after the commit: outside readers of `publish --auto`'s
      // Parquet went on seeing the catalog from before the restore until the next write.
      if (readParquetManifest(root)?.auto) {
        // The restore itself is done: a failed publish is said, as the automatic one says it.
        await publishParquet(catalog).catch((error: Error) => { console.error(`[ontocat] publishing the catalog as Parquet failed: ${error.message}`); });
      }
      return result;
    } finally {
      await catalog.close();
    }
  } finally {
    lock.release();
  }
}

/**
 * Rebuilds the catalog into a fresh file (ATTACH + COPY FROM DATABASE) and swaps it in.
 *
 * DuckDB reuses freed blocks but never shrinks its file; a rebuild writes only live data.
 */
export async function compactCatalog(catalog: Catalog): Promise<CompactResult> {
  const dbPath = catalog.dbPath;
  // The copy holds every row of the catalog, and DuckDB makes its file with the umask (0644)
  // before any chmod of ours can follow: it is built inside a folder only the owner can enter
  // (mkdtemp makes it 0700), so nobody else can open it at any moment of its life. Under the
  // root's `.tmp/` when the catalog is the root's (doctor finds what a kill leaves there);
  // beside the catalog file otherwise, so that the rename into place stays on one disk.
  const inRoot = path.dirname(dbPath) === catalog.root;
  const parent = inRoot ? path.join(catalog.root, TEMP_DIR) : path.dirname(dbPath);
  mkdirSync(parent, { recursive: true });
  const folder = mkdtempSync(path.join(parent, inRoot ? 'compact-' : `.${path.basename(dbPath)}.compact-`));
  const fresh = path.join(folder, path.basename(dbPath));
  const dropFolder = (): void => { rmSync(folder, { recursive: true, force: true }); };
  let bytesBefore: number;
  try {
    bytesBefore = await catalog.exclusive(async (conn) => {
      await conn.run('CHECKPOINT').catch((error: unknown) => { throw checkpointFailureError(dbPath, 'compact the catalog', error); });
      const size = fileBytes(dbPath) + fileBytes(`${dbPath}.wal`);
      const source = await conn.scalar<string>('SELECT current_database()');
      await conn.run(`ATTACH '${fresh.replace(/'/g, "''")}' AS ontocat_compact`);
      crashPoint('compact.attached');
      // The files owner-only too, before a row is copied in, its WAL as well (owner-only.ts).
      restrictToOwner(fresh, OWNER_FILE_MODE);
      guardWal(fresh);
      try {
        await conn.run(`COPY FROM DATABASE "${source}" TO ontocat_compact`);
        crashPoint('compact.after-copy');
        await conn.run('CHECKPOINT ontocat_compact');
      } catch (error) {
        // A copy cut short (a full disk) and its WAL are megabytes of nothing: on a full disk,
        // the very space a compact is run to win back.
        await conn.run('DETACH ontocat_compact').catch(() => undefined);
        throw error;
      }
      await conn.run('DETACH ontocat_compact');
      return size;
    });
    await catalog.reopenAfter((file) => swapDatabaseFile(file, fresh, 'compact'));
  } finally {
    // Empty after the swap; after a failure it holds the copy, which is of no use.
    dropFolder();
  }
  await catalog.write((tx) => tx.event('catalog.compacted', { bytes_before: bytesBefore }));
  await catalog.exclusive((conn) => conn.run('CHECKPOINT'));
  const bytesAfter = fileBytes(dbPath) + fileBytes(`${dbPath}.wal`);
  return { bytes_before: bytesBefore, bytes_after: bytesAfter, bytes_reclaimed: Math.max(0, bytesBefore - bytesAfter) };
}
