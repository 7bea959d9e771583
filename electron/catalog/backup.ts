import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { OntocatError } from '../shared/errors.js';
import type { BackupInfo, CompactResult, RestoreResult } from '../shared/contract/housekeeping.js';
import { fsyncDir, tempPathFor, writeFileAtomicSync } from '../storage/atomic-write.js';
import { crashPoint } from '../storage/crash-point.js';
import { sha256File } from '../storage/file-hash.js';
import { BACKUPS_DIR } from '../storage/layout.js';
import { planDoctor } from './doctor.js';
import type { Catalog } from './open-catalog.js';
import type { SqlConnection } from './sql.js';

const BACKUP_DB = 'catalog.duckdb';
const stampPattern = /^[0-9]{8}T[0-9]{6,9}Z$/;

interface BackupManifest {
  readonly timestamp: string;
  readonly created_at: string;
  readonly schema_version: number;
  readonly versions: number;
  readonly files: number;
  readonly checksums: readonly { readonly name: string; readonly bytes: number; readonly sha256: string }[];
}

/** `20260101T120000123Z`: sortable, safe as a folder name, unique to the millisecond. */
function stampOf(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, '');
}

function backupDir(root: string, timestamp: string): string {
  if (!stampPattern.test(timestamp)) throw new OntocatError('BAD_INPUT', `'${timestamp}' is not a backup timestamp (like 20260101T120000123Z).`);
  return path.join(root, BACKUPS_DIR, timestamp);
}

async function counts(conn: SqlConnection): Promise<{ versions: number; files: number; schema_version: number }> {
  const row = await conn.one<{ versions: number; files: number; schema_version: number }>(
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
  const info = await catalog.exclusive(async (conn) => {
    await conn.run('CHECKPOINT');
    const stats = await counts(conn);
    mkdirSync(dir, { recursive: true });
    const target = path.join(dir, BACKUP_DB);
    const temp = tempPathFor(target);
    copyFileSync(catalog.dbPath, temp);
    renameSync(temp, target);
    fsyncDir(dir);
    return stats;
  });
  const target = path.join(dir, BACKUP_DB);
  const sha256 = await sha256File(target);
  const bytes = statSync(target).size;
  const manifest: BackupManifest = {
    timestamp, created_at: now.toISOString(), schema_version: info.schema_version, versions: info.versions, files: info.files,
    checksums: [{ name: BACKUP_DB, bytes, sha256 }],
  };
  writeFileAtomicSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await catalog.write((tx) => tx.event('backup.created', { timestamp, bytes, sha256 }));
  return { timestamp, path: path.relative(catalog.root, dir).split(path.sep).join('/'), created_at: manifest.created_at, bytes, sha256, ...info };
}

function readManifest(root: string, timestamp: string): BackupManifest {
  const file = path.join(backupDir(root, timestamp), 'manifest.json');
  if (!existsSync(file)) throw new OntocatError('NOT_FOUND', `No backup ${timestamp}; 'ontocat backup list' shows the backups.`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
  } catch (error) {
    throw new OntocatError('IO_ERROR', `The manifest of backup ${timestamp} is unreadable: ${(error as Error).message}`);
  }
}

/** The backups, newest first. */
export function listBackups(root: string): BackupInfo[] {
  const dir = path.join(root, BACKUPS_DIR);
  if (!existsSync(dir)) return [];
  const out: BackupInfo[] = [];
  for (const name of readdirSync(dir).filter((entry) => stampPattern.test(entry)).sort().reverse()) {
    if (!existsSync(path.join(dir, name, 'manifest.json'))) continue;
    const manifest = readManifest(root, name);
    const db = manifest.checksums.find((entry) => entry.name === BACKUP_DB);
    out.push({
      timestamp: manifest.timestamp, path: `${BACKUPS_DIR}/${name}`, created_at: manifest.created_at, bytes: db?.bytes ?? 0,
      sha256: db?.sha256 ?? '', schema_version: manifest.schema_version, versions: manifest.versions, files: manifest.files,
    });
  }
  return out;
}

/** Checks every file of a backup against its manifest; a corrupted backup is refused. */
async function verifyBackup(root: string, timestamp: string): Promise<BackupManifest> {
  const manifest = readManifest(root, timestamp);
  const dir = backupDir(root, timestamp);
  for (const entry of manifest.checksums) {
    const file = path.join(dir, path.basename(entry.name));
    if (!existsSync(file)) throw new OntocatError('IO_ERROR', `Backup ${timestamp} is incomplete: ${entry.name} is missing. Nothing was changed.`);
    const actual = await sha256File(file);
    if (actual !== entry.sha256 || statSync(file).size !== entry.bytes) {
      throw new OntocatError('IO_ERROR', `Backup ${timestamp} is corrupted: ${entry.name} does not match its checksum (expected ${entry.sha256.slice(0, 12)}…, found ${actual.slice(0, 12)}…). Nothing was changed.`);
    }
  }
  return manifest;
}

/** Puts `replacement` in place of the database file; the catalog is closed meanwhile. */
function swapDatabaseFile(dbPath: string, replacement: string, crashPrefix: string): void {
  crashPoint(`${crashPrefix}.before-swap`);
  // The WAL belongs to the old file; CHECKPOINT on close emptied it, and a stale one must not replay.
  const wal = `${dbPath}.wal`;
  if (existsSync(wal)) unlinkSync(wal);
  renameSync(replacement, dbPath);
  fsyncDir(path.dirname(dbPath));
  crashPoint(`${crashPrefix}.after-swap`);
}

/**
 * Restores the catalog from a backup.
 *
 * Verifies the checksums, backs up the current catalog (so the restore can be undone),
 * copies the backup beside the database file, then closes the catalog, swaps the file in
 * with one rename and reopens it (migrations run), all under the writer lock. Finally a
 * doctor plan compares the restored catalog with the disk.
 */
export async function restoreBackup(catalog: Catalog, timestamp: string): Promise<RestoreResult> {
  await verifyBackup(catalog.root, timestamp);
  const before = await catalog.read(counts);
  const safety = await createBackup(catalog);
  const staged = tempPathFor(catalog.dbPath);
  copyFileSync(path.join(backupDir(catalog.root, timestamp), BACKUP_DB), staged);
  const expected = readManifest(catalog.root, timestamp).checksums.find((entry) => entry.name === BACKUP_DB)!;
  if ((await sha256File(staged)) !== expected.sha256) {
    unlinkSync(staged);
    throw new OntocatError('IO_ERROR', `Copying backup ${timestamp} produced different bytes; nothing was changed.`);
  }
  const { migrations } = await catalog.reopenAfter((dbPath) => swapDatabaseFile(dbPath, staged, 'restore'));
  const after = await catalog.read(counts);
  await catalog.write((tx) => tx.event('backup.restored', { timestamp, safety_backup: safety.timestamp, before, after }, 'warn'));
  const doctor = await planDoctor(catalog);
  const kinds: Record<string, number> = {};
  for (const item of doctor.findings) kinds[item.kind] = (kinds[item.kind] ?? 0) + 1;
  return {
    timestamp,
    safety_backup: safety.timestamp,
    before: { versions: before.versions, files: before.files },
    after: { versions: after.versions, files: after.files },
    migrations_applied: migrations.applied.length,
    doctor: { plan_id: doctor.plan_id, findings: doctor.findings.length, kinds },
  };
}

/**
 * Rebuilds the catalog into a fresh file (ATTACH + COPY FROM DATABASE) and swaps it in.
 *
 * DuckDB reuses freed blocks but never shrinks its file; a rebuild writes only live data.
 */
export async function compactCatalog(catalog: Catalog): Promise<CompactResult> {
  const dbPath = catalog.dbPath;
  const fresh = tempPathFor(dbPath);
  const bytesBefore = await catalog.exclusive(async (conn) => {
    await conn.run('CHECKPOINT');
    const size = fileBytes(dbPath) + fileBytes(`${dbPath}.wal`);
    const source = await conn.scalar<string>('SELECT current_database()');
    await conn.run(`ATTACH '${fresh.replace(/'/g, "''")}' AS ontocat_compact`);
    try {
      await conn.run(`COPY FROM DATABASE "${source}" TO ontocat_compact`);
      await conn.run('CHECKPOINT ontocat_compact');
    } finally {
      await conn.run('DETACH ontocat_compact');
    }
    return size;
  });
  await catalog.reopenAfter((file) => swapDatabaseFile(file, fresh, 'compact'));
  await catalog.write((tx) => tx.event('catalog.compacted', { bytes_before: bytesBefore }));
  await catalog.exclusive((conn) => conn.run('CHECKPOINT'));
  const bytesAfter = fileBytes(dbPath) + fileBytes(`${dbPath}.wal`);
  return { bytes_before: bytesBefore, bytes_after: bytesAfter, bytes_reclaimed: Math.max(0, bytesBefore - bytesAfter) };
}
