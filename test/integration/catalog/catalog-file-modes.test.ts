/**
 * The catalog holds the team server's password hashes and sources' webhook URLs, so its
 * files are owner-only: `catalog.duckdb` and its WAL 0600, `.backups/` and its folders 0700
 * and their files 0600, as coreutils `stat -c %a` reads them: new ones (a new catalog, the
 * WAL DuckDB writes after a commit and after a checkpoint, backups, a compacted catalog)
 * and older ones made 0644/0755, the next time the owner opens the root. Version data files
 * beside them keep their mode (curators open them with their own tools).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../electron/catalog/open-catalog.js';
import { openSession } from '../../../electron/handlers/session.js';
import { runOntocat, runOntocatOk } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

/** The permission bits as coreutils' stat prints them. */
function mode(file: string): string {
  return execFileSync('stat', ['-c', '%a', file], { encoding: 'utf8' }).trim();
}

/** Every path under `dir` with its mode, by `find -printf`, not by our code. */
function modesUnder(dir: string): Record<string, string> {
  const out = execFileSync('find', [dir, '-mindepth', '1', '-printf', '%P %m\\n'], { encoding: 'utf8' });
  return Object.fromEntries(out.trim().split('\n').filter(Boolean).map((line) => line.split(' ') as [string, string]));
}

describe('owner-only catalog files', () => {
  const temp = makeTempRoot('ontocat-file-modes');
  afterAll(() => temp.cleanup());

  it('a new catalog, its WAL after a write and after a checkpoint, are 0600 while data files keep theirs', async () => {
    const root = path.join(temp.root, 'fresh');
    runOntocatOk(['init'], { root });
    expect(mode(path.join(root, 'catalog.duckdb'))).toBe('600');
    const dataFile = path.join(root, 'go', '2024-01-01', 'data', 'go.obo');
    mkdirSync(path.dirname(dataFile), { recursive: true });
    writeFileSync(dataFile, 'format-version: 1.2\n', { mode: 0o644 });

    const session = await openSession({ actor: 'cli', root, threads: 1 });
    try {
      await session.call('users:add', { username: 'alice', role: 'admin', password: 'alice-password-1' });
      const wal = path.join(root, 'catalog.duckdb.wal');
      expect(existsSync(wal)).toBe(true);
      expect(mode(wal)).toBe('600');
      // DuckDB deletes its WAL at a checkpoint and makes it again at the next commit.
      await session.catalog.exclusive((conn) => conn.run('CHECKPOINT'));
      await session.call('users:add', { username: 'bob', role: 'viewer', password: 'bob-password-12' });
      expect(mode(wal)).toBe('600');
      expect(mode(path.join(root, 'catalog.duckdb'))).toBe('600');
    } finally {
      await session.close();
    }
    expect(mode(dataFile)).toBe('644');
    // Nothing left behind by closing.
    expect(existsSync(path.join(root, 'catalog.duckdb.wal'))).toBe(false);
    expect(runOntocatOk(['users', 'list', '--json'], { root }).stdout).toContain('bob');
  }, 120_000);

  it('backups are 0700 folders of 0600 files; a compacted catalog is 0600', () => {
    const root = path.join(temp.root, 'backups');
    runOntocatOk(['init'], { root });
    runOntocatOk(['backup'], { root });
    runOntocatOk(['compact'], { root });
    const backups = path.join(root, '.backups');
    expect(mode(backups)).toBe('700');
    const modes = modesUnder(backups);
    expect(Object.keys(modes).length).toBeGreaterThanOrEqual(3);
    for (const [name, bits] of Object.entries(modes)) expect(bits, name).toBe(name.includes('/') ? '600' : '700');
    expect(mode(path.join(root, 'catalog.duckdb'))).toBe('600');
  }, 120_000);

  it('an older root made world-readable is brought to owner-only when the owner opens it, data files untouched', () => {
    const root = path.join(temp.root, 'older');
    runOntocatOk(['init'], { root });
    runOntocatOk(['backup'], { root });
    const dataFile = path.join(root, 'go', '1', 'data', 'go.obo');
    mkdirSync(path.dirname(dataFile), { recursive: true });
    writeFileSync(dataFile, 'x\n');
    // As an Ontocat before this one left them.
    const backups = path.join(root, '.backups');
    chmodSync(path.join(root, 'catalog.duckdb'), 0o644);
    chmodSync(backups, 0o755);
    for (const stamp of readdirSync(backups)) {
      chmodSync(path.join(backups, stamp), 0o755);
      for (const name of readdirSync(path.join(backups, stamp))) chmodSync(path.join(backups, stamp, name), 0o644);
    }
    chmodSync(dataFile, 0o644);
    expect(mode(path.join(root, 'catalog.duckdb'))).toBe('644');

    runOntocatOk(['info'], { root });
    expect(mode(path.join(root, 'catalog.duckdb'))).toBe('600');
    expect(mode(backups)).toBe('700');
    for (const [name, bits] of Object.entries(modesUnder(backups))) expect(bits, name).toBe(name.includes('/') ? '600' : '700');
    expect(mode(dataFile)).toBe('644');
  }, 120_000);

  it('what DuckDB spills past a memory limit is in a folder only the owner can enter, on a root others may list', async () => {
    const root = path.join(temp.root, 'spills');
    runOntocatOk(['init'], { root });
    // A shared machine's root: others may list it; the umask most systems give.
    chmodSync(root, 0o755);
    const umask = process.umask(0o022);
    const catalog = await openCatalog({ root, threads: 1 });
    try {
      const seen = await catalog.write(async (tx) => {
        // ~100 MB of strings cannot stay in 32 MB: DuckDB writes them out while the table lives.
        await tx.run('CREATE TEMP TABLE big AS SELECT range AS n, md5(range::VARCHAR) || md5((range + 1)::VARCHAR) AS s FROM range(1500000)');
        const files = await tx.all<{ path: string }>('SELECT path FROM duckdb_temporary_files()');
        const modes = files.map((file) => ({
          file: path.resolve(file.path), mode: mode(file.path), folder: mode(path.dirname(path.resolve(file.path))), area: mode(path.join(root, '.tmp')),
        }));
        await tx.run('DROP TABLE temp.big');
        return modes;
      }, { memoryLimit: '32MB' });
      expect(seen.length).toBeGreaterThan(0);
      for (const spill of seen) {
        expect(path.dirname(spill.file)).toBe(path.join(root, '.tmp', 'duckdb'));
        // The file, its folder or the temp area keeps everyone else out (a 0700 folder cannot be entered).
        expect(spill.area === '700' || spill.folder === '700' || spill.mode === '600', `${spill.file}: file ${spill.mode}, folder ${spill.folder}, .tmp ${spill.area}`).toBe(true);
      }
      expect(mode(path.join(root, '.tmp'))).toBe('700');
    } finally {
      await catalog.close();
      process.umask(umask);
    }
  }, 120_000);

  it('an older temp area made 0755, spill folder and all, is owner-only once the owner opens the root', () => {
    const root = path.join(temp.root, 'older-spills');
    runOntocatOk(['init'], { root });
    mkdirSync(path.join(root, '.tmp', 'duckdb'), { recursive: true });
    chmodSync(path.join(root, '.tmp', 'duckdb'), 0o755);
    chmodSync(path.join(root, '.tmp'), 0o755);
    runOntocatOk(['info'], { root });
    expect(mode(path.join(root, '.tmp'))).toBe('700');
  }, 120_000);

  it('compact builds its copy of the catalog where only the owner can reach it, from the moment DuckDB makes the file', () => {
    const root = path.join(temp.root, 'compact-copy');
    runOntocatOk(['init'], { root });
    chmodSync(root, 0o755);
    // The child inherits this umask, the one most systems give.
    const umask = process.umask(0o022);
    // Killed right after DuckDB made the copy's file, before anything of ours touched its mode.
    let run: ReturnType<typeof runOntocat>;
    try {
      run = runOntocat(['compact', '--json'], { root, env: { ONTOCAT_CRASH_AT: 'compact.attached' } });
    } finally {
      process.umask(umask);
    }
    expect(run.code, run.stderr).toBe(-1);
    const copies = execFileSync('find', [root, '-name', '*catalog.duckdb*', '-not', '-name', '*.wal', '-not', '-path', `${root}/catalog.duckdb`, '-printf', '%P\\n'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
    expect(copies).toHaveLength(1);
    const copy = path.join(root, copies[0]!);
    // Reaching a file takes every folder on the way: the copy's own folder is 0700, whatever the file's mode.
    expect(path.dirname(copy), `${copies[0]} is ${mode(copy)} in a folder of ${mode(path.dirname(copy))}`).not.toBe(root);
    expect(mode(path.dirname(copy))).toBe('700');
    expect(mode(root)).toBe('755');
  }, 120_000);
});
