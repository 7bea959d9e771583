// Bundles the CLI (which is also `ontocat serve`) and its validation worker into dist/cli/.
// Shared by scripts/build.mjs and bin/ontocat.mjs, which rebuilds a stale bundle before it
// runs; outputs are written to a temp name and renamed, so CLIs started at the same time
// never load a half-written bundle.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The CLI's entries, source → bundle. Each is one CommonJS file, which bin/ontocat.mjs
 * compiles from V8's code cache (bin/code-cache.mjs): Node 20 keeps no compile cache for
 * ES modules, and compiling the CLI and its DuckDB client was 60-75 ms of every command.
 */
export const CLI_BUNDLES = [
  // What bin/ontocat.mjs loads first: the most used read commands alone (quick-main.ts).
  ['electron/cli/quick-main.ts', 'dist/cli/quick.cjs'],
  ['electron/cli/main.ts', 'dist/cli/main.cjs'],
  // scripts/start.mjs opens a running owner's page the way `ontocat serve --open` does.
  ['electron/serve/open-browser.ts', 'dist/cli/open-browser.cjs'],
];

/**
 * Validation worker threads load their own bundle, an ES module next to the CLI's: the
 * pool asks for `./validate-worker.mjs` relative to the module it is bundled into.
 */
const WORKER_BUNDLE = ['electron/ingest/validate/worker-main.ts', 'dist/cli/validate-worker.mjs'];

/**
 * The DuckDB client as one CommonJS file next to the CLI's bundles (catalog/duckdb.ts loads
 * it when it is there). `@duckdb/node-api` is about 80 small files: required from the
 * package, Node resolves, reads and wraps each one, which was most of the JavaScript a
 * direct read command loads. The native bindings stay a package of their own.
 */
export const DUCKDB_CLIENT = 'dist/cli/duckdb-node-api.cjs';
/** The client's version the one-file copy was built from: a new install makes it stale. */
const DUCKDB_CLIENT_STAMP = 'dist/cli/duckdb-node-api.json';

function duckdbClientVersion(root) {
  return JSON.parse(readFileSync(path.join(root, 'node_modules', '@duckdb', 'node-api', 'package.json'), 'utf8')).version;
}

/** Writes `contents` to `file` under a temp name first, so a starting CLI never reads half of it. */
function writeAtomically(file, contents) {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, file);
}

/**
 * The native bindings as the one-file client loads them: the build for this platform,
 * glibc's first, then musl's, then the package's own loader (which names what is missing).
 * `@duckdb/node-bindings` asks detect-libc which C library runs (loading it and reading
 * node's own ELF header took about 10 ms of every start, measured 2026-12-03). A
 * build for the other C library fails to load (absent, or its symbols do not resolve), so
 * trying in turn reaches the same binary.
 */
const NATIVE_BINDINGS_BY_PLATFORM = {
  'linux-x64': ['@duckdb/node-bindings-linux-x64/duckdb.node', '@duckdb/node-bindings-linux-x64-musl/duckdb.node'],
  'linux-arm64': ['@duckdb/node-bindings-linux-arm64/duckdb.node', '@duckdb/node-bindings-linux-arm64-musl/duckdb.node'],
  'darwin-arm64': ['@duckdb/node-bindings-darwin-arm64/duckdb.node'],
  'darwin-x64': ['@duckdb/node-bindings-darwin-x64/duckdb.node'],
  'win32-x64': ['@duckdb/node-bindings-win32-x64/duckdb.node'],
  'win32-arm64': ['@duckdb/node-bindings-win32-arm64/duckdb.node'],
};

const directNativeBindings = {
  name: 'direct-native-bindings',
  setup(build) {
    build.onResolve({ filter: /^@duckdb\/node-bindings$/ }, () => ({ path: 'native-bindings', namespace: 'direct-native-bindings' }));
    build.onLoad({ filter: /.*/, namespace: 'direct-native-bindings' }, () => ({
      loader: 'js',
      contents: `const candidates = ${JSON.stringify(NATIVE_BINDINGS_BY_PLATFORM)}[process.platform + '-' + process.arch] ?? [];
function load() {
  for (const id of candidates) {
    try { return require(id); } catch { /* the next build, or the package's loader */ }
  }
  return require('@duckdb/node-bindings');
}
module.exports = load();
`,
    }));
  },
};

async function buildDuckdbClient(root, build) {
  const result = await build({
    entryPoints: [path.join(root, 'node_modules', '@duckdb', 'node-api', 'lib', 'index.js')],
    outfile: path.join(root, DUCKDB_CLIENT),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['@duckdb/node-bindings', '@duckdb/node-bindings-*'],
    plugins: [directNativeBindings],
    minify: true,
    logLevel: 'warning',
    write: false,
  });
  const [output] = result.outputFiles;
  mkdirSync(path.dirname(output.path), { recursive: true });
  writeAtomically(output.path, output.contents);
  writeAtomically(path.join(root, DUCKDB_CLIENT_STAMP), `${JSON.stringify({ version: duckdbClientVersion(root) })}\n`);
}

/**
 * Packages bundled into dist/cli rather than loaded from node_modules. @zazuko/prefixes is an
 * ES module only: loaded from the CommonJS bundle it needs require(esm), which Node 20 has
 * only from 20.19 (package.json allows any 20).
 */
const BUNDLED_PACKAGES = new Set(['zod', '@zazuko/prefixes']);

/**
 * zod's locales, all but English left out of the bundle. zod's classic API re-exports every
 * language's error messages (`z.locales`, about 40% of the bundled zod source) and uses
 * English unless told otherwise; Ontocat never selects another, so a CLI compiles those
 * 340 KB on every start for nothing. The namespace keeps `en`, so `z.locales.en()` works.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir)) return undefined;
      return { path: path.join(args.resolveDir, '..', 'locales', 'index.js'), namespace: 'zod-english-only' };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(path.join(path.dirname(args.path), 'en.js'))};\n`,
      resolveDir: path.dirname(args.path),
    }));
  },
};

/** Every other package the project depends on (and its subpaths), for esbuild's `external`. */
function externalPackages(root) {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const names = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies, ...manifest.optionalDependencies });
  return names.filter((name) => !BUNDLED_PACKAGES.has(name)).flatMap((name) => [name, `${name}/*`]);
}

/** Files of earlier layouts of dist/cli (ES module entries and their shared chunks). */
const EARLIER_LAYOUT = /^(chunk-[A-Z0-9]+|main|quick)\.mjs(\.map)?$/;

/**
 * Builds every bundle of dist/cli. The DuckDB client is written before the entries that
 * load it, and each file under a temp name renamed into place, so a CLI starting mid-build
 * never loads half of one.
 */
export async function buildCliBundles(root) {
  const { build } = await import('esbuild');
  // Taken before esbuild reads the sources: an edit made during the build is newer than
  // the stamp, so the next start rebuilds again.
  const sources = sourceEntries(root);
  const outdir = path.join(root, 'dist', 'cli');
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    // Packages load from node_modules at run time, except zod: every command loads it (the
    // contract's schemas), and as some hundred ES modules read one by one it was about a
    // fifth of a read command's start. Bundled, it is read once, and the CLI's bundles
    // compile it from V8's code cache (CLI_BUNDLES).
    external: externalPackages(root),
    plugins: [zodEnglishOnly],
    sourcemap: true,
    // Less to read and parse on every start (about 5 ms of a read command, A/B 2026-12-03);
    // `node --enable-source-maps bin/ontocat.mjs …` maps a stack trace back to the sources.
    minify: true,
    logLevel: 'warning',
    write: false,
  };
  const cli = await build({
    ...common,
    entryPoints: Object.fromEntries(CLI_BUNDLES.map(([entry, outfile]) => [path.basename(outfile, '.cjs'), path.join(root, entry)])),
    outdir,
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    // A CommonJS file has no import.meta: its URL comes from the file's own name.
    define: { 'import.meta.url': '__ontocat_module_url' },
    // `import()` of a package becomes `require`: a script compiled from the code cache has
    // no module loader for `import()` on Node 20 (every package it loads has CommonJS).
    supported: { 'dynamic-import': false },
    banner: { js: 'var __ontocat_module_url = require("node:url").pathToFileURL(__filename).href;' },
  });
  const worker = await build({ ...common, entryPoints: [path.join(root, WORKER_BUNDLE[0])], outfile: path.join(root, WORKER_BUNDLE[1]), format: 'esm' });
  await buildDuckdbClient(root, build);
  mkdirSync(outdir, { recursive: true });
  for (const file of [...worker.outputFiles, ...cli.outputFiles]) writeAtomically(file.path, file.contents);
  writeStamp(root, sources);
  // Files of earlier builds' layout: kept an hour for CLIs still running on them, then removed.
  for (const name of readdirSync(outdir)) {
    if (!EARLIER_LAYOUT.test(name)) continue;
    const full = path.join(outdir, name);
    if (Date.now() - statSync(full).mtimeMs > 3_600_000) rmSync(full, { force: true });
  }
}

/**
 * The build stamp: the state (mtime, size, inode) of every source folder and file the
 * bundles were built from, the build script, the DuckDB client's package.json and the
 * bundles themselves. bin/ontocat.mjs compares it with one stat a path and no folder
 * listing (a few milliseconds); only when something differs does it call
 * `cliBundlesStale`, which lists the sources again to tell an edit from, say, an editor's
 * swap file next to them.
 */
export const BUILD_STAMP = 'dist/cli/build-stamp.json';
const STAMP_FORMAT = 1;
/** Paths outside electron/ whose change also calls for a rebuild. */
const EXTRA_INPUTS = ['scripts/cli-bundle.mjs', 'package.json', 'node_modules/@duckdb/node-api/package.json', 'node_modules/zod/package.json'];
const OUTPUTS = [...CLI_BUNDLES.map(([, outfile]) => outfile), WORKER_BUNDLE[1], DUCKDB_CLIENT];

/** One stamp entry: root-relative path (forward slashes), mtime, size, inode, folder or not. */
function entryOf(root, rel) {
  const stat = statSync(path.join(root, ...rel.split('/')));
  return [rel, stat.mtimeMs, stat.size, stat.ino, stat.isDirectory() ? 1 : 0];
}

/** Entries for electron/ (every folder and file below it) and the extra inputs, sorted by path. */
function sourceEntries(root) {
  const entries = [];
  const walk = (rel) => {
    entries.push(entryOf(root, rel));
    for (const entry of readdirSync(path.join(root, ...rel.split('/')), { withFileTypes: true })) {
      // An editor's swap and backup files are not sources (esbuild never reads them).
      if (entry.name.startsWith('.') || entry.name.endsWith('~')) continue;
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) entries.push(entryOf(root, child));
    }
  };
  walk('electron');
  for (const rel of EXTRA_INPUTS) entries.push(entryOf(root, rel));
  return entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function writeStamp(root, sources) {
  const outputs = OUTPUTS.map((rel) => entryOf(root, rel));
  writeAtomically(path.join(root, BUILD_STAMP), `${JSON.stringify({ format: STAMP_FORMAT, entries: [...sources, ...outputs] })}\n`);
}

function readStamp(root) {
  try {
    const stamp = JSON.parse(readFileSync(path.join(root, BUILD_STAMP), 'utf8'));
    return stamp.format === STAMP_FORMAT && Array.isArray(stamp.entries) ? stamp : null;
  } catch {
    return null;
  }
}

const sameState = (a, b) => a[1] === b[1] && a[2] === b[2] && a[3] === b[3];

/**
 * True when a bundle is missing, or was built from sources other than those on disk now: a
 * source file added, removed, renamed or changed (mtime, size or inode), the build script
 * changed, or another DuckDB client installed. Folders are not compared, only what is in
 * them: when a folder alone changed (a swap file came and went), the stamp is refreshed so
 * the next start takes the fast path again.
 */
export function cliBundlesStale(root) {
  const stamp = readStamp(root);
  if (!stamp) return true;
  let current;
  try {
    const stamped = new Map(stamp.entries.map((e) => [e[0], e]));
    for (const rel of OUTPUTS) {
      const recorded = stamped.get(rel);
      if (!recorded || !sameState(recorded, entryOf(root, rel))) return true;
    }
    const client = JSON.parse(readFileSync(path.join(root, DUCKDB_CLIENT_STAMP), 'utf8'));
    if (client.version !== duckdbClientVersion(root)) return true;
    current = sourceEntries(root);
    const files = (entries) => entries.filter((e) => e[4] === 0 && !OUTPUTS.includes(e[0]));
    const before = files(stamp.entries);
    const now = files(current);
    if (before.length !== now.length) return true;
    for (let i = 0; i < now.length; i += 1) {
      if (before[i][0] !== now[i][0] || !sameState(before[i], now[i])) return true;
    }
  } catch {
    return true;
  }
  try {
    writeStamp(root, current);
  } catch {
    // A checkout this user cannot write: the bundle is fresh all the same; the next start
    // lists the sources again.
  }
  return false;
}
