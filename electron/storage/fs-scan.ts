import { lstatSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { OntocatError } from '../shared/errors.js';
import { describeFsError } from '../shared/fs-error-words.js';
import type { WorkControl } from '../shared/progress.js';
import { TEMP_NAME } from './atomic-write.js';
import { BACKUPS_DIR, CAS_DIR, DB_TEMP_DIR, PARQUET_DIR, TEMP_DIR, TRASH_DIR } from './layout.js';
import { CONTROL_CHARACTER } from './safe-path.js';

/**
 * What a listed file is, by where it lives:
 * `root` a file of the service tree, `latest` a `<service>/LATEST.json`, `cas` a content
 * store object, `temp` a leftover of an interrupted write, `link` a symlink or a mount
 * point inside the root (listed, never followed or descended into).
 */
export type ListingScope = 'root' | 'latest' | 'cas' | 'temp' | 'link';

/**
 * One listed file; `mtime_ms` is whole milliseconds, like the catalog's mtimes.
 *
 * Content store objects are listed by name only (size -1, mtime 0): their name is their
 * hash, the checks need only their presence, and skipping their lstat saves a sixth or
 * more of a scan. The few that become findings are stat'ed then.
 */
export interface ListedFile {
  readonly scope: ListingScope;
  readonly relpath: string;
  readonly size_bytes: number;
  readonly mtime_ms: number;
  /**
   * Hard links of the file (0 where not stat'ed): a version's data file shares its inode with
   * its content store object, so 1 means it is no longer linked (a copy put in its place).
   */
  readonly nlink?: number;
}

export interface ScanSink {
  /**
   * Tab-separated rows `scope, relpath, size, mtime_ms, nlink`, one per line. A returned promise
   * holds the block's place until it settles: once `MAX_PENDING_BLOCKS` are held, the
   * walkers wait, so a slow consumer bounds the backlog instead of growing it.
   */
  block(text: string, rows: number): void | Promise<void>;
  /** Files whose names hold a tab, newline or other control character (cannot be framed). */
  odd(file: ListedFile): void;
}

export interface ScanSummary {
  readonly files: number;
  readonly bytes: number;
}

type DirScope = 'root' | 'cas' | 'temp';
interface DirTask { readonly abs: string; readonly rel: string; readonly scope: DirScope }

const BLOCK_ROWS = 20_000;
/** Blocks handed over and not yet consumed before the walkers wait (each about 1 MB). */
export const MAX_PENDING_BLOCKS = 4;
/** Expand the top of the tree on the main thread until there are this many subtrees to share out. */
const TARGET_TASKS = 64;
const MAX_EXPAND_DEPTH = 4;
/**
 * A walker's young generation: its garbage (dirents, stats, row strings) is short-lived,
 * and V8's default lets each worker hold tens of MB of it between scavenges.
 */
const WORKER_YOUNG_MB = 4;

/**
 * The walker each worker runs: plain CommonJS with only Node builtins, so the very same
 * code runs from the TypeScript sources and from the bundle. It pulls subtrees one at a
 * time (dynamic balancing) and posts blocks of tab-separated rows.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { readdirSync, lstatSync } = require('node:fs');
const rootDev = workerData.rootDev;
const sep = require('node:path').sep;
const tempName = new RegExp(workerData.tempName);
const limit = workerData.blockRows;
const skipped = new Set(workerData.skippedDirs);
// Shared with the main thread: how many more blocks may be handed over before it catches up.
const credits = new Int32Array(workerData.credits);
const control = /[\\u0000-\\u001f\\u007f]/;
let block = '', rows = 0, files = 0, bytes = 0;
const odd = [];
function takeCredit() {
  for (;;) {
    const left = Atomics.load(credits, 0);
    if (left > 0) { if (Atomics.compareExchange(credits, 0, left, left - 1) === left) return; continue; }
    Atomics.wait(credits, 0, left, 200);
  }
}
function flush() { if (rows > 0) { takeCredit(); parentPort.postMessage({ type: 'block', text: block, rows }); block = ''; rows = 0; } }
function listLink(abs, rel) {
  const stat = lstatSync(abs, { throwIfNoEntry: false });
  if (!stat) return;
  files += 1;
  const size = stat.isSymbolicLink() ? stat.size : 0;
  if (control.test(rel)) { odd.push({ scope: 'link', relpath: rel, size_bytes: size, mtime_ms: Math.floor(stat.mtimeMs) }); return; }
  block += 'link\\t' + rel + '\\t' + size + '\\t' + Math.floor(stat.mtimeMs) + '\\t0\\n';
  rows += 1;
  if (rows === limit) flush();
}
function walk(task) {
  const stack = [task];
  while (stack.length > 0) {
    const dir = stack.pop();
    let entries;
    try { entries = readdirSync(dir.abs, { withFileTypes: true }); }
    catch (error) { if (error.code === 'ENOENT' || error.code === 'ENOTDIR') continue; throw error; }
    for (const entry of entries) {
      const name = entry.name;
      const abs = dir.abs + sep + name;
      const rel = dir.rel + '/' + name;
      if (entry.isSymbolicLink()) { listLink(abs, rel); continue; }
      if (entry.isDirectory()) {
        if (skipped.has(rel)) continue;
        // A folder on another device is a mount point: listed, not descended into.
        const dirStat = lstatSync(abs, { throwIfNoEntry: false });
        if (dirStat && dirStat.dev !== rootDev) { listLink(abs, rel); continue; }
        stack.push({ abs, rel, scope: dir.scope });
        continue;
      }
      const scope = dir.scope === 'temp' || tempName.test(name) ? 'temp' : dir.scope;
      let size = -1, mtime = 0, nlink = 0;
      if (scope !== 'cas') {
        const stat = lstatSync(abs, { throwIfNoEntry: false });
        if (!stat) continue;
        size = stat.size; mtime = Math.floor(stat.mtimeMs); nlink = stat.nlink; bytes += size;
      }
      files += 1;
      if (control.test(rel)) { odd.push({ scope, relpath: rel, size_bytes: size, mtime_ms: mtime, nlink }); continue; }
      block += scope + '\\t' + rel + '\\t' + size + '\\t' + mtime + '\\t' + nlink + '\\n';
      rows += 1;
      if (rows === limit) flush();
    }
  }
}
parentPort.on('message', (task) => {
  if (task === null) { flush(); parentPort.postMessage({ type: 'done', files, bytes, odd }); return; }
  try { walk(task); parentPort.postMessage({ type: 'next' }); }
  catch (error) { parentPort.postMessage({ type: 'error', message: String(error && error.message || error) }); }
});
parentPort.postMessage({ type: 'next' });
`;

type WorkerMessage =
  | { type: 'block'; text: string; rows: number }
  | { type: 'next' }
  | { type: 'done'; files: number; bytes: number; odd: ListedFile[] }
  | { type: 'error'; message: string };

/**
 * Lists every file under a storage root that the catalog could care about, in blocks.
 *
 * Symlinks and mount points are listed with scope `link` and never followed or descended
 * into: what lies behind them is not part of the root.
 * Trash, backups and DuckDB's spill folder are skipped (they are not part of the live tree); top-level files
 * other than temp leftovers (the catalog, its WAL, the lock) are not listed. The top of
 * the tree is expanded here until there are enough subtrees, which worker threads then
 * walk in parallel with synchronous readdir/lstat (cheaper per call than promises, and
 * per-call overhead, not the disk, bounds a warm scan).
 */
export async function scanRoot(root: string, sink: ScanSink, control: WorkControl = {}, options: { workers?: number; blockRows?: number } = {}): Promise<ScanSummary> {
  const base = path.resolve(root);
  let files = 0;
  let bytes = 0;
  let block = '';
  let rows = 0;
  const casTop = CAS_DIR.split('/')[0]!;
  const skippedTop = new Set([TRASH_DIR, BACKUPS_DIR, PARQUET_DIR]);
  // DuckDB's spill files belong to the open catalog, not to an interrupted write.
  const skippedDirs = [DB_TEMP_DIR];

  // The root itself may be a link (macOS /tmp): its own device is that of its target.
  const rootDev = statSync(base, { throwIfNoEntry: false })?.dev ?? -1;
  const emit = (scope: ListingScope, relpath: string, absPath: string): void => {
    let size = -1;
    let mtime = 0;
    let nlink = 0;
    if (scope !== 'cas') {
      const stat = lstatSync(absPath, { throwIfNoEntry: false });
      if (!stat) return;
      // A mount point's size is its file system's business, not the root's.
      size = scope === 'link' && !stat.isSymbolicLink() ? 0 : stat.size;
      mtime = Math.floor(stat.mtimeMs);
      nlink = scope === 'link' ? 0 : stat.nlink;
      bytes += size;
    }
    files += 1;
    if (CONTROL_CHARACTER.test(relpath)) {
      sink.odd({ scope, relpath, size_bytes: size, mtime_ms: mtime, nlink });
      return;
    }
    block += `${scope}\t${relpath}\t${size}\t${mtime}\t${nlink}\n`;
    rows += 1;
  };
  const list = (abs: string): Dirent[] => {
    try {
      return readdirSync(abs, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      throw new OntocatError('IO_ERROR', `Cannot list ${abs}: ${describeFsError(error, null)}.`);
    }
  };

  /** A folder on another device than the root: a mount point, listed and not descended into. */
  const isMount = (abs: string): boolean => (lstatSync(abs, { throwIfNoEntry: false })?.dev ?? rootDev) !== rootDev;

  // The top level: what each folder is, and which loose files count. A link is listed
  // (except the catalog's own files, whose path may be pointed elsewhere on purpose).
  let frontier: DirTask[] = [];
  for (const entry of list(base)) {
    const abs = path.join(base, entry.name);
    if (entry.isSymbolicLink()) {
      if (!entry.name.startsWith('catalog.duckdb') && !entry.name.startsWith('.ontocat')) emit('link', entry.name, abs);
      continue;
    }
    if (entry.isDirectory()) {
      if (skippedTop.has(entry.name)) continue;
      if (isMount(abs)) {
        emit('link', entry.name, abs);
        continue;
      }
      if (entry.name === casTop) frontier.push({ abs, rel: entry.name, scope: 'cas' });
      else if (entry.name === TEMP_DIR) frontier.push({ abs, rel: entry.name, scope: 'temp' });
      else if (!entry.name.startsWith('.')) frontier.push({ abs, rel: entry.name, scope: 'root' });
    } else if (TEMP_NAME.test(entry.name) || TEMP_NAME.test(entry.name.replace(/\.wal$/, ''))) {
      // A catalog copy being built (compact, restore) is a DuckDB file with a WAL beside it:
      // a kill leaves both, and the WAL is often the larger.
      emit('temp', entry.name, abs);
    }
  }
  // Expand level by level until the work can be shared out.
  for (let depth = 1; depth < MAX_EXPAND_DEPTH && frontier.length > 0 && frontier.length < TARGET_TASKS; depth += 1) {
    const next: DirTask[] = [];
    for (const dir of frontier) {
      for (const entry of list(dir.abs)) {
        const abs = dir.abs + path.sep + entry.name;
        const rel = `${dir.rel}/${entry.name}`;
        if (entry.isSymbolicLink()) {
          emit('link', rel, abs);
          continue;
        }
        if (entry.isDirectory()) {
          if (skippedDirs.includes(rel)) continue;
          if (isMount(abs)) emit('link', rel, abs);
          else next.push({ abs, rel, scope: dir.scope });
          continue;
        }
        const scope: ListingScope = dir.scope === 'temp' || TEMP_NAME.test(entry.name) ? 'temp'
          : dir.scope === 'root' && depth === 1 && entry.name === 'LATEST.json' ? 'latest' : dir.scope;
        emit(scope, rel, abs);
      }
    }
    frontier = next;
  }
  if (rows > 0) sink.block(block, rows);

  if (frontier.length > 0) {
    const count = Math.max(1, Math.min(options.workers ?? Math.min(4, availableParallelism()), frontier.length));
    const tasks = frontier.slice().reverse();
    let listed = files;
    const workers: Worker[] = [];
    const credits = new Int32Array(new SharedArrayBuffer(4));
    credits[0] = MAX_PENDING_BLOCKS;
    const release = (): void => {
      Atomics.add(credits, 0, 1);
      Atomics.notify(credits, 0);
    };
    try {
      await new Promise<void>((resolve, reject) => {
        let running = count;
        const onAbort = (): void => reject(new OntocatError('CANCELLED', 'The scan was cancelled.'));
        control.signal?.addEventListener('abort', onAbort, { once: true });
        for (let i = 0; i < count; i += 1) {
          const worker = new Worker(workerSource, { eval: true, workerData: { tempName: TEMP_NAME.source, blockRows: options.blockRows ?? BLOCK_ROWS, skippedDirs, credits: credits.buffer, rootDev }, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
          workers.push(worker);
          worker.on('error', (error) => reject(new OntocatError('IO_ERROR', `The scan failed: ${error.message}`)));
          worker.on('message', (message: WorkerMessage) => {
            switch (message.type) {
              case 'block': {
                const consumed = sink.block(message.text, message.rows);
                if (consumed) consumed.then(release, release);
                else release();
                listed += message.rows;
                control.onProgress?.({ done: listed, total: null, bytes, current: null, phase: 'scan' });
                break;
              }
              case 'next':
                worker.postMessage(tasks.pop() ?? null);
                break;
              case 'done':
                files += message.files;
                bytes += message.bytes;
                for (const file of message.odd) sink.odd(file);
                running -= 1;
                if (running === 0) {
                  control.signal?.removeEventListener('abort', onAbort);
                  resolve();
                }
                break;
              case 'error':
                reject(new OntocatError('IO_ERROR', `The scan failed: ${message.message}`));
                break;
            }
          });
        }
      });
    } finally {
      await Promise.all(workers.map((worker) => worker.terminate()));
    }
  }
  control.onProgress?.({ done: files, total: files, bytes, current: null, phase: 'scan' });
  return { files, bytes };
}
