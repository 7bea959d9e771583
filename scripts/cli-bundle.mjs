// Bundles the CLI (which is also `ontocat serve`) and its validation worker into dist/cli/.
// Shared by scripts/build.mjs and bin/ontocat.mjs, which rebuilds a stale bundle before it
// runs; outputs are written to a temp name and renamed, so CLIs started at the same time
// never load a half-written bundle.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The entry points of dist/cli, source → bundle. */
export const CLI_BUNDLES = [
  ['electron/cli/main.ts', 'dist/cli/main.mjs'],
  // Validation worker threads load their own bundle, next to the CLI's: the pool asks for
  // `./validate-worker.mjs` relative to the module it is bundled into.
  ['electron/ingest/validate/worker-main.ts', 'dist/cli/validate-worker.mjs'],
];

/**
 * The DuckDB client as one CommonJS file next to the CLI's chunks (catalog/duckdb.ts loads
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

async function buildDuckdbClient(root, build) {
  const result = await build({
    entryPoints: [path.join(root, 'node_modules', '@duckdb', 'node-api', 'lib', 'index.js')],
    outfile: path.join(root, DUCKDB_CLIENT),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['@duckdb/node-bindings', '@duckdb/node-bindings-*'],
    logLevel: 'warning',
    write: false,
  });
  const [output] = result.outputFiles;
  mkdirSync(path.dirname(output.path), { recursive: true });
  writeAtomically(output.path, output.contents);
  writeAtomically(path.join(root, DUCKDB_CLIENT_STAMP), `${JSON.stringify({ version: duckdbClientVersion(root) })}\n`);
}

/**
 * Builds every bundle of dist/cli in one pass with code splitting: what only some commands
 * need (DuckDB, opened by `import()` when the catalog is opened in this process) lands in
 * shared `chunk-*.mjs` files, so a command that runs through a running owner starts
 * without loading it. Chunks are written before the entry files, and named by content, so
 * a CLI starting mid-build never loads an entry whose chunks are not there yet.
 */
export async function buildCliBundles(root) {
  const { build } = await import('esbuild');
  const outdir = path.join(root, 'dist', 'cli');
  const result = await build({
    entryPoints: Object.fromEntries(CLI_BUNDLES.map(([entry, outfile]) => [path.basename(outfile, '.mjs'), path.join(root, entry)])),
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
    write: false,
  });
  // Before the entries, like the chunks: an entry never runs without the client it loads.
  await buildDuckdbClient(root, build);
  const isEntry = (file) => CLI_BUNDLES.some(([, outfile]) => file.startsWith(path.join(root, outfile)));
  const files = [...result.outputFiles.filter((f) => !isEntry(f.path)), ...result.outputFiles.filter((f) => isEntry(f.path))];
  mkdirSync(outdir, { recursive: true });
  for (const file of files) writeAtomically(file.path, file.contents);
  // Chunks of earlier builds: kept an hour for CLIs still running on them, then removed.
  const current = new Set(files.map((f) => path.basename(f.path)));
  for (const name of readdirSync(outdir)) {
    if (!name.startsWith('chunk-') || current.has(name)) continue;
    const full = path.join(outdir, name);
    if (Date.now() - statSync(full).mtimeMs > 3_600_000) rmSync(full, { force: true });
  }
}

/** The newest modification time (ms) of any file below `dir`. */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.isFile()) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** True when a bundle is missing or older than a source it is built from. */
export function cliBundlesStale(root) {
  let oldest = Infinity;
  for (const [, outfile] of CLI_BUNDLES) {
    try {
      oldest = Math.min(oldest, statSync(path.join(root, outfile)).mtimeMs);
    } catch {
      return true;
    }
  }
  try {
    const stamp = JSON.parse(readFileSync(path.join(root, DUCKDB_CLIENT_STAMP), 'utf8'));
    if (stamp.version !== duckdbClientVersion(root)) return true;
  } catch {
    return true;
  }
  return newestMtime(path.join(root, 'electron')) > oldest;
}
