import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OntocatError } from '../shared/errors.js';
import type { MigrationInfo } from '../shared/models.js';
import type { SqlConnection } from './sql.js';
import { countOf } from '../shared/count-noun.js';

/** One migration file on disk. */
export interface MigrationFile {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
  readonly sql: string;
}

/** Outcome of a migrate run (or dry run). */
export interface MigrationReport {
  readonly applied: readonly MigrationInfo[];
  readonly pending: readonly MigrationInfo[];
  readonly dry_run: boolean;
}

const fileNamePattern = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/**
 * Finds the `migrations/` folder.
 *
 * Walks up from this module so that it works from the sources (tsx, vitest) and from the
 * bundled `dist/` alike.
 */
export function findMigrationsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i += 1) {
    const candidate = path.join(dir, 'migrations');
    if (existsSync(path.join(candidate, '0001_initial.sql'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new OntocatError('INTERNAL', 'Could not find the migrations folder next to the Ontocat sources.');
}

/** The migration file names of `dir`, in order. */
function migrationFileNames(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.sql')).sort();
}

/** Reads and orders every migration file of `dir`. */
export function readMigrationFiles(dir: string = findMigrationsDir()): MigrationFile[] {
  return migrationFileNames(dir).map((fileName, index) => {
    const match = fileNamePattern.exec(fileName);
    if (!match) {
      throw new OntocatError('MIGRATION_FAILED', `Migration file name '${fileName}' does not match NNNN_name.sql.`);
    }
    const version = Number(match[1]);
    if (version !== index + 1) {
      throw new OntocatError('MIGRATION_FAILED', `Migrations must be numbered without gaps; expected ${index + 1}, found '${fileName}'.`);
    }
    const sql = readFileSync(path.join(dir, fileName), 'utf8');
    const checksum = createHash('sha256').update(sql).digest('hex');
    return { version, name: fileName, checksum, sql };
  });
}

async function appliedMigrations(conn: SqlConnection): Promise<Map<number, { name: string; checksum: string; applied_at: string }>> {
  await conn.run(`CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, checksum VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)`);
  const rows = await conn.all<{ version: number; name: string; checksum: string; applied_at: string }>(
    'SELECT version, name, checksum, applied_at FROM schema_version ORDER BY version',
  );
  return new Map(rows.map((row) => [row.version, row]));
}

/**
 * Refuses to read a catalog whose schema this build would migrate: a read-only open cannot
 * migrate it, and a query of this build may need what a pending migration adds (a read of
 * the term delta failed with DuckDB's "Table c does not have a column named rules").
 * Only file names are read: a read command pays a directory listing.
 */
export async function requireCurrentSchema(conn: SqlConnection, dir: string = findMigrationsDir()): Promise<void> {
  const pending = await pendingMigrationNames(conn, dir);
  if (pending.length === 0) return;
  throw new OntocatError(
    'CONFLICT',
    `This catalog's schema is older than this Ontocat's: ${countOf(pending.length, 'migration')} pending (${pending.join(', ')}). `
      + "Run 'ontocat migrate' (or open the catalog in the app, which migrates it), then try again.",
  );
}

/** The names of the migrations this build has and the catalog has not applied (file names only). */
export async function pendingMigrationNames(conn: SqlConnection, dir: string = findMigrationsDir()): Promise<string[]> {
  const known = migrationFileNames(dir);
  // One small query (listAppliedMigrations asks information_schema first: 5 ms a command).
  const versions = await conn.scalar<number[]>('SELECT list(version) FROM schema_version').catch(() => null);
  const applied = new Set((versions ?? []).map(Number));
  return known.filter((name) => !applied.has(Number(fileNamePattern.exec(name)?.[1] ?? NaN))).map((name) => name.replace(/\.sql$/, ''));
}

/** Lists migrations already applied to a catalog, read-only. */
export async function listAppliedMigrations(conn: SqlConnection): Promise<MigrationInfo[]> {
  const exists = await conn.scalar<number>(
    "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'",
  );
  if (!exists) return [];
  return conn.all<MigrationInfo>('SELECT version, name, checksum, applied_at FROM schema_version ORDER BY version');
}

/**
 * Brings a catalog's schema up to date.
 *
 * Each pending migration runs in its own transaction together with its `schema_version`
 * row; on a new catalog, all of them run in one. An applied migration whose file changed
 * since is refused: released migrations are never edited, only followed by new ones.
 */
export async function migrate(
  conn: SqlConnection,
  options: { dryRun?: boolean; files?: readonly MigrationFile[] } = {},
): Promise<MigrationReport> {
  const files = options.files ?? readMigrationFiles();
  // A dry run must not even create schema_version, so it works on a read-only connection.
  const applied = options.dryRun
    ? new Map((await listAppliedMigrations(conn)).map((row) => [row.version, { ...row, applied_at: row.applied_at ?? '' }]))
    : await appliedMigrations(conn);

  for (const [version, row] of applied) {
    const file = files.find((candidate) => candidate.version === version);
    if (!file) {
      throw new OntocatError(
        'MIGRATION_TAMPERED',
        `The catalog has migration ${row.name} applied, but this Ontocat does not know it; it is newer than this build.`,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new OntocatError(
        'MIGRATION_TAMPERED',
        `Migration ${file.name} was changed after it was applied (recorded checksum ${row.checksum.slice(0, 12)}…, file has ${file.checksum.slice(0, 12)}…). Restore the file and put the change in a new migration.`,
      );
    }
  }

  const pending = files.filter((file) => !applied.has(file.version));
  const pendingInfo = pending.map((file) => ({ version: file.version, name: file.name, checksum: file.checksum, applied_at: null }));
  if (options.dryRun) return { applied: [], pending: pendingInfo, dry_run: true };

  // A new catalog (none applied) takes them all in one transaction: one commit instead of
  // one per migration (each commit syncs the WAL), and a failure leaves it empty. Otherwise
  // each migration has its own, so the ones before a failing one stay applied.
  const groups = applied.size === 0 && pending.length > 0 ? [pending] : pending.map((file) => [file]);
  const done: MigrationInfo[] = [];
  for (const group of groups) {
    await conn.run('BEGIN TRANSACTION');
    let current = group[0]!;
    try {
      for (const file of group) {
        current = file;
        await conn.run(file.sql);
        await conn.run('INSERT INTO schema_version VALUES ($1, $2, $3, now()::TIMESTAMP)', [file.version, file.name, file.checksum]);
      }
      await conn.run('COMMIT');
    } catch (error) {
      await conn.run('ROLLBACK').catch(() => undefined);
      const what = group.length > 1 ? 'the new catalog\'s migrations were all rolled back' : 'it was rolled back';
      throw new OntocatError('MIGRATION_FAILED', `Migration ${current.name} failed and ${what}: ${(error as Error).message}`);
    }
    const at = new Date().toISOString();
    for (const file of group) done.push({ version: file.version, name: file.name, checksum: file.checksum, applied_at: at });
  }
  return { applied: done, pending: [], dry_run: false };
}
