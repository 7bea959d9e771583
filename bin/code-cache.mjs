// Loads the CLI's CommonJS bundles (dist/cli/*.cjs) through V8's code cache.
//
// Node 20 compiles every module again on every start and keeps no compile cache of its own
// (module.enableCompileCache came in Node 22). A short command spends tens of milliseconds
// compiling its bundle and the DuckDB client before it does anything, so the first run
// keeps V8's code for them beside the bundle, and later runs start from it.
//
// A cache belongs to one build of one file and one Node: its name carries the bundle's
// inode, size and mtime and Node's version, and every build writes a new file (a temp name
// renamed into place), so a cache is never read for other source. V8 itself also refuses a
// cache made by another V8 or with other flags, or a damaged one; the run then compiles as
// usual and keeps a new one. Caches live beside the
// bundles, or, where the install is not writable (a global install run by a user), in the
// user's own cache folder (never a shared one: a cache is code this process runs). One
// that cannot be written at all only costs the compile.
import { createHash } from 'node:crypto';
import { accessSync, constants, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

/** Bundles loaded in this process, by absolute path. */
const loaded = new Map();
/** Scripts compiled without a usable cache this run: their caches are written by saveCodeCaches. */
const uncached = [];

const CACHE_SUFFIX = '.v8cache';

/** Where the caches of the bundles in `dir` go, and the prefix that names this install there. */
function cacheHome(dir) {
  try {
    accessSync(dir, constants.W_OK);
    return { home: dir, prefix: '' };
  } catch {
    const home = path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'ontocat', 'code-cache');
    return { home, prefix: `${createHash('sha256').update(dir).digest('hex').slice(0, 16)}-` };
  }
}

/**
 * The cache file of `file` as it is now on disk, and the stem every cache of that bundle
 * (this build's or an earlier one's) starts with.
 */
function cacheFileOf(file) {
  const stat = statSync(file);
  const { home, prefix } = cacheHome(path.dirname(file));
  const stem = `${prefix}${path.basename(file)}.`;
  // The build's identity and the Node that made the cache.
  const key = `${stat.ino}-${stat.size}-${Math.round(stat.mtimeMs * 1000)}-${process.version.replaceAll('.', '_')}`;
  return { cacheFile: path.join(home, `${stem}${key}${CACHE_SUFFIX}`), stem };
}

function readIfThere(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * `require` of a CommonJS bundle compiled through the code cache. The bundle's own
 * `require` sends the other bundles of its folder (the DuckDB client) here too, and
 * everything else (Node's modules, packages) to Node's `require`.
 */
export function requireBundle(file) {
  const known = loaded.get(file);
  if (known) return known.exports;
  const { cacheFile, stem } = cacheFileOf(file);
  const cachedData = readIfThere(cacheFile);
  const source = readFileSync(file, 'utf8');
  // Node's own CommonJS wrapper, on the first line as Node puts it.
  // The bundles hold no `import()` (the build turns it into `require`): a script compiled
  // this way has no module loader for it on Node 20.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) uncached.push({ script, cacheFile, stem });
  const module = { exports: {} };
  loaded.set(file, module);
  const dir = path.dirname(file);
  const nodeRequire = createRequire(file);
  const bundleRequire = (id) => (path.isAbsolute(id) && path.dirname(id) === dir && id.endsWith('.cjs') ? requireBundle(id) : nodeRequire(id));
  bundleRequire.resolve = nodeRequire.resolve;
  script.runInThisContext()(module.exports, bundleRequire, module, file, dir);
  return module.exports;
}

/**
 * Writes the code cache of every bundle compiled without one this run. Called once the
 * command is over, so the cache also holds the functions the command compiled as it ran.
 */
export function saveCodeCaches() {
  for (const { script, cacheFile, stem } of uncached.splice(0)) {
    const temp = `${cacheFile}.${process.pid}.tmp`;
    try {
      mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
      writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
      renameSync(temp, cacheFile);
      // Caches of earlier builds of the same bundle are never read again, and a temp file
      // left by a run killed while writing (a minute old) is never renamed.
      const dir = path.dirname(cacheFile);
      for (const name of readdirSync(dir)) {
        if (!name.startsWith(stem) || name === path.basename(cacheFile)) continue;
        const full = path.join(dir, name);
        if (name.endsWith(CACHE_SUFFIX)) rmSync(full, { force: true });
        else if (name.endsWith('.tmp') && Date.now() - statSync(full, { throwIfNoEntry: false })?.mtimeMs > 60_000) rmSync(full, { force: true });
      }
    } catch {
      // A read-only install or a full disk: the next run compiles again.
      rmSync(temp, { force: true });
    }
  }
}
