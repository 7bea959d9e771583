// bin/ontocat.mjs runs the esbuild bundle of the sources and rebuilds it when a source
// changed. Checked on a copy of the checkout (bin, the bundler script, electron/), so the
// edits never touch the sources other tests run: an in-place edit (same inode, folder
// untouched, which the build stamp's fast path alone cannot see through folder times), a
// new source file, and the runs in between that must not rebuild. Also what the bundle
// holds of zod (its English messages only) and how its DuckDB client finds the native
// bindings (without detect-libc), and the code cache the quick entry starts from.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const temp = makeTempRoot('ontocat-bundle-stale');
const checkout = temp.root;
const bin = path.join(checkout, 'bin', 'ontocat.mjs');
const mainBundle = path.join(checkout, 'dist', 'cli', 'main.cjs');
const coreCommands = path.join(checkout, 'electron', 'cli', 'commands', 'core-commands.ts');

function ontocat(...args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 180_000 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const builtAt = (): number => statSync(mainBundle).mtimeMs;

/**
 * Running the CLI as another user needs root, runuser, the `nobody` account, and a project
 * folder `nobody` can read (the checkout's node_modules links to it).
 */
const asNobody = process.getuid?.() === 0 && existsSync('/usr/sbin/runuser')
  && spawnSync('/usr/sbin/runuser', ['-u', 'nobody', '--', 'test', '-r', path.join(projectRoot, 'node_modules', '.package-lock.json')]).status === 0;
if (!asNobody) console.warn('[bundle-staleness] skipped the read-only install case: it runs the CLI as `nobody`, which needs root, runuser and a project folder nobody can read.');

beforeAll(() => {
  for (const part of ['bin', 'electron', 'migrations', 'scripts/cli-bundle.mjs', 'package.json',
    'renderer', 'vite.config.ts', 'scripts/build-renderer.mjs', 'scripts/renderer-stale.mjs']) {
    mkdirSync(path.dirname(path.join(checkout, part)), { recursive: true });
    cpSync(path.join(projectRoot, part), path.join(checkout, part), { recursive: true });
  }
  symlinkSync(path.join(projectRoot, 'node_modules'), path.join(checkout, 'node_modules'), 'dir');
});

afterAll(() => temp.cleanup());

describe('the ontocat command in a source checkout', () => {
  it('builds the bundle on first use and reuses it while no source changes', () => {
    const first = ontocat('--help');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Show the catalog location, schema version and counts');
    const built = builtAt();
    const again = ontocat('info', '--help');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Usage: ontocat info');
    expect(builtAt()).toBe(built);
  }, 240_000);

  it('rebuilds after a source file is edited in place, and the command shows the edit', () => {
    const folder = statSync(path.dirname(coreCommands)).mtimeMs;
    const inode = statSync(coreCommands).ino;
    const source = readFileSync(coreCommands, 'utf8');
    expect(source).toContain("'Show the catalog location, schema version and counts'");
    writeFileSync(coreCommands, source.replace("'Show the catalog location, schema version and counts'", "'Show where the catalog is and what it holds'"));
    // The edit kept the file and left its folder alone: only the file's own state tells.
    expect(statSync(coreCommands).ino).toBe(inode);
    expect(statSync(path.dirname(coreCommands)).mtimeMs).toBe(folder);

    const quick = ontocat('info', '--help');
    expect(quick.code).toBe(0);
    expect(quick.stdout).toContain('Show where the catalog is and what it holds');
    const full = ontocat('--help');
    expect(full.stdout).toContain('Show where the catalog is and what it holds');
    expect(full.stdout).not.toContain('Show the catalog location, schema version and counts');
  }, 240_000);

  it('rebuilds when a source file is added, and not for an editor swap file', () => {
    const before = builtAt();
    const swap = path.join(path.dirname(coreCommands), '.core-commands.ts.swp');
    writeFileSync(swap, 'not a source');
    expect(ontocat('--help').code).toBe(0);
    unlinkSync(swap);
    expect(ontocat('--help').code).toBe(0);
    expect(builtAt()).toBe(before);

    // A new module the CLI imports: its text only appears once the bundle is rebuilt.
    writeFileSync(path.join(checkout, 'electron', 'cli', 'info-note.ts'), "export const INFO_NOTE = 'counted from the catalog';\n");
    const source = readFileSync(coreCommands, 'utf8');
    writeFileSync(coreCommands, `import { INFO_NOTE } from '../info-note.js';\n${source.replace("'Show where the catalog is and what it holds'", '`Show where the catalog is and what it holds, ${INFO_NOTE}`')}`);
    const shown = ontocat('info', '--help');
    expect(shown.stdout).toContain('Show where the catalog is and what it holds, counted from the catalog');
    expect(builtAt()).toBeGreaterThan(before);
  }, 240_000);

  it("bundles zod with its English messages only, and a schema's default message still reads in English", () => {
    const cliDir = path.join(checkout, 'dist', 'cli');
    const bundled = readdirSync(cliDir).filter((name) => /\.[mc]js$/.test(name)).map((name) => readFileSync(path.join(cliDir, name), 'utf8')).join('\n');
    // zod's Dutch messages (one of its ~40 locales; esbuild escapes non-ASCII text, so an
    // ASCII one is looked for) are left out...
    expect(bundled).not.toContain('Ongeldige invoer');
    expect(bundled).toContain('Invalid input: expected');
    // ...and its English ones are what a user reads: a sources file with a wrong type.
    const root = path.join(checkout, 'zod-root');
    expect(ontocat('init', '--root', root).code).toBe(0);
    const file = path.join(checkout, 'sources.yaml');
    writeFileSync(file, 'schema: ontocat.sources/2\nsources:\n  - id: x\n    service: x\n    max_bytes: "lots"\n    artifacts:\n      - { type: url, url: "http://example.org/x.owl" }\n');
    const imported = ontocat('sources', 'import', file, '--root', root);
    expect(imported.code).toBe(1);
    expect(imported.stderr).toContain('sources.0.max_bytes: Invalid input: expected number, received string');
  }, 240_000);

  it("keeps V8's code cache of the CLI's bundles and the DuckDB client beside them, and a damaged cache only costs a compile", () => {
    const cliDir = path.join(checkout, 'dist', 'cli');
    const caches = (): string[] => readdirSync(cliDir).filter((name) => name.endsWith('.v8cache')).sort();
    const root = path.join(checkout, 'cache-root');
    expect(ontocat('init', '--root', root).code).toBe(0);
    const first = ontocat('info', '--json', '--root', root);
    expect(first.code).toBe(0);
    // One cache a bundle: the builds of the tests above left none of theirs behind.
    const kept = caches();
    expect(kept.map((name) => name.replace(/\.[^.]+\.v8cache$/, ''))).toEqual(['duckdb-node-api.cjs', 'main.cjs', 'quick.cjs']);
    const quickCache = path.join(cliDir, kept[2]!);
    const made = statSync(quickCache).mtimeMs;
    // Reused as it is: the next run neither rewrites it nor answers differently.
    const again = ontocat('info', '--json', '--root', root);
    expect(again).toEqual(first);
    expect(statSync(quickCache).mtimeMs).toBe(made);
    // A damaged cache is refused by V8: the run compiles, answers the same and keeps a good one.
    writeFileSync(quickCache, 'not a code cache '.repeat(100));
    expect(ontocat('info', '--json', '--root', root)).toEqual(first);
    expect(caches()).toEqual(kept);
    expect(readFileSync(quickCache).subarray(0, 17).toString()).not.toBe('not a code cache ');
    expect(statSync(quickCache).size).toBeGreaterThan(10_000);
  }, 120_000);

  it.skipIf(!asNobody)("keeps a user's code caches in their own cache folder, owner-only, where the install is not writable", () => {
    // The checkout is root's; `nobody` may read it but not write to dist/cli.
    chmodSync(checkout, 0o755);
    const home = path.join(checkout, 'nobody-home');
    mkdirSync(home, { mode: 0o777 });
    chmodSync(home, 0o777);
    const cliDir = path.join(checkout, 'dist', 'cli');
    const inDist = readdirSync(cliDir).filter((name) => name.endsWith('.v8cache')).sort();
    const run = (): { status: number | null; stdout: string } => spawnSync('/usr/sbin/runuser', ['-u', 'nobody', '--', 'env', `HOME=${home}`, `XDG_CACHE_HOME=${home}`, process.execPath, bin, '--help'], { encoding: 'utf8', timeout: 60_000 });
    const first = run();
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('Usage: ontocat COMMAND');
    const folder = path.join(home, 'ontocat', 'code-cache');
    const [cache, ...more] = readdirSync(folder);
    expect(more).toEqual([]);
    // Named for this install (a hash of its folder), then as beside the bundle.
    expect(cache).toMatch(/^[0-9a-f]{16}-main\.cjs\.[^.]+\.v8cache$/);
    const file = statSync(path.join(folder, cache!));
    expect(file.uid).toBe(Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim()));
    expect(file.mode & 0o777).toBe(0o600);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    // Reused by the next run, and nothing was written beside the bundles.
    expect(run()).toMatchObject({ status: 0, stdout: first.stdout });
    expect(statSync(path.join(folder, cache!)).mtimeMs).toBe(file.mtimeMs);
    expect(readdirSync(cliDir).filter((name) => name.endsWith('.v8cache')).sort()).toEqual(inDist);
  }, 120_000);

  it('loads DuckDB\'s native bindings without detect-libc, and they work', () => {
    const client = path.join(checkout, 'dist', 'cli', 'duckdb-node-api.cjs');
    // @duckdb/node-bindings' own loader asks detect-libc which C library runs (loading it and
    // reading node's ELF header: about 10 ms of every start); each run lists whether it loaded.
    const loaded = "Object.keys(require.cache).some((file) => file.includes('detect-libc'))";
    const script = `const { DuckDBInstance } = require(${JSON.stringify(client)});
      DuckDBInstance.create(':memory:').then((db) => db.connect()).then((c) => c.runAndReadAll('SELECT 6 * 7 AS answer'))
        .then((r) => console.log(JSON.stringify({ detectLibc: ${loaded}, rows: r.getRowObjectsJson() })));`;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ detectLibc: false, rows: [{ answer: 42 }] });
    // The package's own loader, which the bundle no longer goes through, loads it.
    const viaPackage = spawnSync(process.execPath, ['-e', `require('@duckdb/node-bindings'); console.log(${loaded});`], {
      encoding: 'utf8', cwd: checkout, timeout: 60_000,
    });
    expect(viaPackage.stdout.trim()).toBe('true');
  }, 120_000);

  it('serve builds the web app when its sources are newer than dist/renderer, and only then', async () => {
    const servedRoot = path.join(checkout, 'served-root');
    /** Starts `ontocat serve`, waits for its URL, stops it; what it said on stderr. */
    const serveOnce = async (): Promise<string> => {
      const child = spawn(process.execPath, [bin, 'serve', '--root', servedRoot, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes('Open: http')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`serve exited (${code}) before listening: ${stderr}`)));
      });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGINT');
      await exited;
      return stderr;
    };
    const index = path.join(checkout, 'dist', 'renderer', 'index.html');
    expect(existsSync(index)).toBe(false);
    expect(await serveOnce()).toContain('building it');
    expect(existsSync(index)).toBe(true);
    const first = statSync(index).mtimeMs;
    expect(await serveOnce()).not.toContain('building it');
    expect(statSync(index).mtimeMs).toBe(first);
    // An edit of a shared module the app imports makes it stale.
    const shared = path.join(checkout, 'electron', 'shared', 'byte-size.ts');
    const later = new Date(first + 5_000);
    utimesSync(shared, later, later);
    expect(await serveOnce()).toContain('building it');
    expect(statSync(index).mtimeMs).toBeGreaterThan(first);
  }, 180_000);
});
