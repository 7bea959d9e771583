import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { OntocatError } from '../shared/errors.js';
import type { BackupInfo } from '../shared/contract/housekeeping.js';
import { BACKUPS_DIR } from '../storage/layout.js';
import { findBlockedComponent } from '../storage/safe-path.js';

/** The database file inside a backup folder. */
export const BACKUP_DB = 'catalog.duckdb';
const stampPattern = /^[0-9]{8}T[0-9]{6,9}Z$/;
const hexPattern = /^[0-9a-f]{64}$/;

export interface BackupChecksum {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** What `manifest.json` of a backup holds. */
export interface BackupManifest {
  readonly timestamp: string;
  readonly created_at: string;
  readonly schema_version: number;
  readonly versions: number;
  readonly files: number;
  readonly checksums: readonly BackupChecksum[];
}

/** Whether a folder name is a backup timestamp (`20260101T120000123Z`). */
export function isBackupStamp(name: string): boolean {
  return stampPattern.test(name);
}

/** The folder of one backup; a name that is not a timestamp is refused. */
export function backupDir(root: string, timestamp: string): string {
  if (!isBackupStamp(timestamp)) throw new OntocatError('BAD_INPUT', `'${timestamp}' is not a backup timestamp (like 20260101T120000123Z).`);
  return path.join(root, BACKUPS_DIR, timestamp);
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/**
 * Checks a parsed manifest field by field; returns what is wrong, or null.
 *
 * A manifest is written by us, but it sits on a disk anyone can edit: every field the
 * restore relies on is checked before use, so a bad one is a message, never a TypeError.
 */
function manifestProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'it is not a JSON object';
  const m = value as Record<string, unknown>;
  if (typeof m.timestamp !== 'string' || typeof m.created_at !== 'string') return 'its timestamp or created_at is missing';
  for (const key of ['schema_version', 'versions', 'files'] as const) {
    if (!isCount(m[key])) return `its ${key} is not a whole number`;
  }
  if (!Array.isArray(m.checksums) || m.checksums.length === 0) return 'its checksum list is empty';
  for (const entry of m.checksums as unknown[]) {
    const e = entry as Record<string, unknown> | null;
    if (typeof e !== 'object' || e === null || typeof e.name !== 'string' || !isCount(e.bytes) || typeof e.sha256 !== 'string' || !hexPattern.test(e.sha256)) {
      return 'a checksum entry lacks a name, a byte count or a SHA-256';
    }
  }
  if (!(m.checksums as BackupChecksum[]).some((entry) => entry.name === BACKUP_DB)) return `its checksum list does not name ${BACKUP_DB}`;
  return null;
}

/** Reads and checks the manifest of one backup, or fails with a message naming what is wrong. */
export function readBackupManifest(root: string, timestamp: string): BackupManifest {
  const file = path.join(backupDir(root, timestamp), 'manifest.json');
  if (!existsSync(file)) throw new OntocatError('NOT_FOUND', `No backup ${timestamp}; 'ontocat backup list' shows the backups.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new OntocatError('IO_ERROR', `The manifest of backup ${timestamp} is unreadable (${(error as Error).message.split('\n')[0]}); that backup cannot be restored.`);
  }
  const problem = manifestProblem(parsed);
  if (problem) throw new OntocatError('IO_ERROR', `The manifest of backup ${timestamp} is malformed: ${problem}; that backup cannot be restored.`);
  return parsed as BackupManifest;
}

/** The database entry of a checked manifest. */
export function databaseChecksum(manifest: BackupManifest): BackupChecksum {
  return manifest.checksums.find((entry) => entry.name === BACKUP_DB)!;
}

/**
 * Every backup folder, newest first, each with a status: `ok`, `unreadable_manifest`,
 * `missing_file` or `size_mismatch`. One bad backup never hides the others.
 */
export function listBackups(root: string): BackupInfo[] {
  const dir = path.join(root, BACKUPS_DIR);
  let names: string[];
  try {
    names = readdirSync(dir).filter(isBackupStamp).sort().reverse();
  } catch {
    return [];
  }
  const out: BackupInfo[] = [];
  for (const name of names) {
    const rel = `${BACKUPS_DIR}/${name}`;
    // A folder without a manifest is a backup that was interrupted before it was complete.
    if (!existsSync(path.join(dir, name, 'manifest.json'))) continue;
    let manifest: BackupManifest;
    try {
      manifest = readBackupManifest(root, name);
    } catch (error) {
      out.push({
        timestamp: name, path: rel, created_at: '', bytes: 0, sha256: '', schema_version: 0, versions: 0, files: 0,
        status: 'unreadable_manifest', problem: (error as Error).message,
      });
      continue;
    }
    const db = databaseChecksum(manifest);
    // One stat a file: a copy cut short (or grown) since is said here, not first by a refused restore.
    const sizes = manifest.checksums.map((entry) => ({ entry, size: statSync(path.join(dir, name, path.basename(entry.name)), { throwIfNoEntry: false })?.size ?? null }));
    const missing = sizes.find((item) => item.size === null)?.entry;
    const resized = sizes.find((item) => item.size !== null && item.size !== item.entry.bytes);
    out.push({
      timestamp: name, path: rel, created_at: manifest.created_at, bytes: db.bytes, sha256: db.sha256,
      schema_version: manifest.schema_version, versions: manifest.versions, files: manifest.files,
      status: missing ? 'missing_file' : resized ? 'size_mismatch' : 'ok',
      problem: missing
        ? `${missing.name} is missing from the backup folder.`
        : resized
          ? `${resized.entry.name} holds ${resized.size!.toLocaleString('en-US')} bytes, not the ${resized.entry.bytes.toLocaleString('en-US')} its manifest records (cut short or changed); this backup cannot be restored.`
          : null,
    });
  }
  return out;
}

/**
 * What killed backups left behind: `.backups/<timestamp>/` folders without a manifest.json.
 * A backup writes its manifest last, so such a folder holds a catalog copy (or a half-made
 * temp copy) that was never checked and that `restore` refuses: a whole catalog's bytes that
 * `backup list` cannot show. Each file or link in it, with its size, or the empty folder itself.
 */
export function interruptedBackups(root: string): { path: string; bytes: number }[] {
  // A linked backups folder is not the root's: nothing is read behind it.
  if (findBlockedComponent(root, BACKUPS_DIR)) return [];
  const dir = path.join(root, BACKUPS_DIR);
  let names: string[];
  try {
    names = readdirSync(dir).filter(isBackupStamp).sort();
  } catch {
    return [];
  }
  const left: { path: string; bytes: number }[] = [];
  for (const name of names) {
    const folder = path.join(dir, name);
    if (!lstatSync(folder).isDirectory() || existsSync(path.join(folder, 'manifest.json'))) continue;
    const entries = readdirSync(folder, { withFileTypes: true }).filter((entry) => entry.isFile() || entry.isSymbolicLink()).map((entry) => entry.name).sort();
    if (entries.length === 0 && readdirSync(folder).length === 0) left.push({ path: `${BACKUPS_DIR}/${name}`, bytes: 0 });
    for (const entry of entries) left.push({ path: `${BACKUPS_DIR}/${name}/${entry}`, bytes: lstatSync(path.join(folder, entry)).size });
  }
  return left;
}

/** Whether `relpath` lies in a backup folder that has its manifest (a complete backup). */
export function inCompleteBackup(root: string, relpath: string): boolean {
  const parts = relpath.split('/');
  return parts[0] === BACKUPS_DIR && parts.length >= 2 && isBackupStamp(parts[1]!) && existsSync(path.join(root, BACKUPS_DIR, parts[1]!, 'manifest.json'));
}

/** The newest backup whose manifest reads and whose files are present with their sizes, or null. */
export function newestUsableBackup(root: string): BackupInfo | null {
  return listBackups(root).find((backup) => backup.status === 'ok') ?? null;
}

/** One sentence pointing at the newest usable backup and the command that restores it. */
export function restoreHint(root: string): string {
  const newest = newestUsableBackup(root);
  return newest
    ? `The newest backup is ${newest.timestamp} (${newest.versions} versions, ${newest.files} files); bring it back with 'ontocat restore ${newest.timestamp}'.`
    : "No usable backup was found under .backups/; 'ontocat init --force' starts an empty catalog (doctor would then treat every stored file as an orphan).";
}
