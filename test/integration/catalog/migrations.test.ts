import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findMigrationsDir, migrate, readMigrationFiles } from '../../../electron/catalog/migrations.js';
import { openCatalog } from '../../../electron/catalog/open-catalog.js';
import { isOntocatError } from '../../../electron/shared/errors.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { runOntocat } from '../../helpers/run-cli.js';

describe('migrations', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  beforeEach(() => { temp = makeTempRoot('ontocat-migrations'); });
  afterEach(() => temp.cleanup());

  it('applies every migration on a fresh catalog and creates the schema of DESIGN.md', async () => {
    const catalog = await openCatalog({ root: temp.root });
    const files = readMigrationFiles();
    expect(catalog.migrations?.applied.map((m) => m.name)).toEqual(files.map((f) => f.name));
    const objects = await catalog.read((conn) => conn.all<{ name: string }>(
      `SELECT table_name AS name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal
       UNION ALL SELECT function_name FROM duckdb_functions() WHERE function_type = 'table_macro'`,
    ));
    const names = objects.map((o) => o.name);
    for (const expected of ['versions', 'artifacts', 'extracted_files', 'validations', 'latest_pointer', 'events', 'staging_fs_listing',
      'plans', 'term_changes', 'schema_version', 'v_version_stats', 'v_latest_files', 'v_validation_failures', 'v_fs_orphans', 'version_delta']) {
      expect(names).toContain(expected);
    }
    await catalog.close();
  });

  it('re-applying is a no-op', async () => {
    await (await openCatalog({ root: temp.root })).close();
    const again = await openCatalog({ root: temp.root });
    expect(again.migrations?.applied).toEqual([]);
    const rows = await again.read((conn) => conn.scalar<number>('SELECT count(*) FROM schema_version'));
    expect(rows).toBe(readMigrationFiles().length);
    await again.close();
  });

  it('refuses a migration whose file changed after it was applied, naming it', async () => {
    // Copy the migrations, apply them, then tamper with the copy of 0001.
    const dir = path.join(temp.root, 'migrations-copy');
    mkdirSync(dir);
    for (const name of readdirSync(findMigrationsDir())) copyFileSync(path.join(findMigrationsDir(), name), path.join(dir, name));
    const catalog = await openCatalog({ root: temp.root, migrate: false });
    await catalog.exclusive((conn) => migrate(conn, { files: readMigrationFiles(dir) }));
    writeFileSync(path.join(dir, '0001_initial.sql'), `${readMigrationFiles(dir)[0]!.sql}\n-- edited\n`);
    const error = await catalog.exclusive((conn) => migrate(conn, { files: readMigrationFiles(dir) })).catch((e: unknown) => e);
    expect(isOntocatError(error, 'MIGRATION_TAMPERED')).toBe(true);
    expect((error as Error).message).toContain('0001_initial.sql');
    await catalog.close();
  });

  /** A copy of the migrations with a broken one after them: it creates a table, then fails. */
  function migrationsWithBrokenLast(): string {
    const dir = path.join(temp.root, 'migrations-bad');
    mkdirSync(dir);
    for (const name of readdirSync(findMigrationsDir())) copyFileSync(path.join(findMigrationsDir(), name), path.join(dir, name));
    const next = String(readdirSync(dir).length + 1).padStart(4, '0');
    writeFileSync(path.join(dir, `${next}_broken.sql`), 'CREATE TABLE half_done (x INTEGER);\nSELECT * FROM no_such_table;\n');
    return dir;
  }

  it('a migration that fails is rolled back entirely, and the ones before it stay applied', async () => {
    const dir = migrationsWithBrokenLast();
    const catalog = await openCatalog({ root: temp.root });
    const error = await catalog.exclusive((conn) => migrate(conn, { files: readMigrationFiles(dir) })).catch((e: unknown) => e);
    expect(isOntocatError(error, 'MIGRATION_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/_broken\.sql failed and it was rolled back: .*no_such_table/);
    const tables = await catalog.read((conn) => conn.all<{ table_name: string }>("SELECT table_name FROM duckdb_tables() WHERE table_name = 'half_done'"));
    expect(tables).toEqual([]);
    const versions = await catalog.read((conn) => conn.scalar<number>('SELECT max(version) FROM schema_version'));
    expect(versions).toBe(readMigrationFiles().length);
    await catalog.close();
  });

  it('a new catalog takes its migrations all or none: a failing one leaves it empty', async () => {
    const dir = migrationsWithBrokenLast();
    const catalog = await openCatalog({ root: temp.root, migrate: false });
    const error = await catalog.exclusive((conn) => migrate(conn, { files: readMigrationFiles(dir) })).catch((e: unknown) => e);
    expect(isOntocatError(error, 'MIGRATION_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/_broken\.sql failed and the new catalog's migrations were all rolled back/);
    const tables = await catalog.read((conn) => conn.all<{ table_name: string }>('SELECT table_name FROM duckdb_tables() ORDER BY table_name'));
    expect(tables.map((row) => row.table_name)).toEqual(['schema_version']);
    expect(await catalog.read((conn) => conn.scalar<number>('SELECT count(*) FROM schema_version'))).toBe(0);
    // The real migrations then apply as on any new catalog.
    const report = await catalog.exclusive((conn) => migrate(conn));
    expect(report.applied.map((m) => m.name)).toEqual(readMigrationFiles().map((f) => f.name));
    await catalog.close();
  });

  it('migrate --dry-run lists pending migrations and changes nothing (real CLI)', async () => {
    // An empty catalog file: every migration is pending.
    await (await openCatalog({ root: temp.root, migrate: false })).close();
    const missing = runOntocat(['migrate', '--dry-run'], { root: path.join(temp.root, 'nowhere') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('ontocat init');

    const dry = runOntocat(['migrate', '--dry-run', '--json'], { root: temp.root });
    expect(dry.code).toBe(0);
    const report = dry.json<{ dry_run: boolean; pending: { name: string }[]; applied: unknown[] }>();
    expect(report.dry_run).toBe(true);
    expect(report.pending.map((m) => m.name)).toEqual(readMigrationFiles().map((f) => f.name));
    expect(report.applied).toEqual([]);

    // A read command cannot migrate: it says what to do instead of failing in a query
    // (the quick entry's `versions` and the full CLI's `terms status` alike).
    for (const args of [['versions'], ['terms', 'status']]) {
      const refused = runOntocat(args, { root: temp.root });
      expect(refused.code, args.join(' ')).toBe(1);
      expect(refused.stderr).toMatch(new RegExp(`schema is older than this Ontocat's: ${readMigrationFiles().length} migrations pending \\(0001_initial, .*Run 'ontocat migrate'`));
    }

    const again = runOntocat(['migrate', '--dry-run', '--json'], { root: temp.root });
    expect(again.json<{ pending: unknown[] }>().pending).toHaveLength(readMigrationFiles().length);
    const untouched = await openCatalog({ root: temp.root, readOnly: true });
    const tables = await untouched.read((conn) => conn.scalar<number>('SELECT count(*) FROM duckdb_tables()'));
    expect(tables).toBe(0);
    await untouched.close();

    const real = runOntocat(['migrate', '--json'], { root: temp.root });
    expect(real.code).toBe(0);
    expect(real.json<{ applied: unknown[] }>().applied).toHaveLength(readMigrationFiles().length);
    const after = runOntocat(['migrate', '--dry-run'], { root: temp.root });
    expect(after.stdout).toContain('up to date');
    // Nothing in the term index to re-read, so nothing said about it.
    expect(runOntocat(['migrate'], { root: temp.root }).stdout.trim()).toBe('Schema is up to date; nothing to apply.');
    for (const args of [['versions'], ['terms', 'status']]) expect(runOntocat(args, { root: temp.root }).code, args.join(' ')).toBe(0);

    // As a catalog of the build before the newest migration: `info` reads it and names what
    // is pending, `versions` refuses, and nothing was changed by either.
    const newest = readMigrationFiles().at(-1)!;
    const catalog = await openCatalog({ root: temp.root, migrate: false });
    const row = await catalog.read((conn) => conn.one<{ version: number; name: string; checksum: string; applied_at: string }>('SELECT version, name, checksum, applied_at::VARCHAR AS applied_at FROM schema_version WHERE version = $1', [newest.version]));
    await catalog.exclusive((conn) => conn.run('DELETE FROM schema_version WHERE version = $1', [newest.version]));
    await catalog.close();
    const info = runOntocat(['info'], { root: temp.root });
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/schema:\s+\d+ \(1 migration pending: run 'ontocat migrate'\)/);
    expect(runOntocat(['info', '--json'], { root: temp.root }).json<{ migrations_pending: string[] }>().migrations_pending).toEqual([newest.name.replace(/\.sql$/, '')]);
    expect(runOntocat(['versions'], { root: temp.root }).stderr).toContain(`1 migration pending (${newest.name.replace(/\.sql$/, '')})`);
    const back = await openCatalog({ root: temp.root, migrate: false });
    await back.exclusive((conn) => conn.run('INSERT INTO schema_version VALUES ($1, $2, $3, $4::TIMESTAMP)', [row!.version, row!.name, row!.checksum, row!.applied_at]));
    await back.close();
    expect(runOntocat(['info'], { root: temp.root }).stdout).toMatch(/schema:\s+\d+\n/);
  });
});
