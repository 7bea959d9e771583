import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { OntocatError } from '../shared/errors.js';

/**
 * The body of each worker: synchronous filesystem work in batches, off the main thread.
 *
 * Plain JavaScript evaluated as a script so it runs the same from TypeScript sources
 * (tsx), from a bundle and inside Electron. Synchronous calls in a worker avoid the
 * per-call promise and thread-pool hop of `fs/promises`, which dominates for many small
 * files; several workers hash and copy in parallel.
 */
const workerSource = String.raw`
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const { createHash } = require('node:crypto');
const CHUNK = 1 << 20;
const buffer = Buffer.allocUnsafe(CHUNK);
const madeDirs = new Set();
function ensureDir(dir) {
  if (madeDirs.has(dir)) return;
  fs.mkdirSync(dir, { recursive: true });
  madeDirs.add(dir);
}
// One level of fan-out (ab/<sha>), as git and restic; stores made earlier used two
// (ab/cd/<sha>) until migrate-store moves them, and are looked in too while any remain.
function casPath(casRoot, sha) { return casRoot + '/' + sha.slice(0, 2) + '/' + sha; }
function legacyCasPath(casRoot, sha) { return casRoot + '/' + sha.slice(0, 2) + '/' + sha.slice(2, 4) + '/' + sha; }
const WHOLE_FILE = 4 << 20;
let whole = Buffer.allocUnsafe(64 << 10);
function exists(file) { return fs.statSync(file, { throwIfNoEntry: false }) !== undefined; }
/** Where the store already holds this content: 'flat', 'legacy' (only looked for when asked), or null. */
function stored(casRoot, sha, legacy) {
  if (exists(casPath(casRoot, sha))) return 'flat';
  if (legacy && exists(legacyCasPath(casRoot, sha))) return 'legacy';
  return null;
}
/** Stores content whose hash is known: skip it when present, else temp + rename (one new entry). */
function place(casRoot, tmp, sha, legacy) {
  const found = stored(casRoot, sha, legacy);
  if (found) { fs.unlinkSync(tmp); return { created: false, legacy: found === 'legacy' }; }
  const target = casPath(casRoot, sha);
  ensureDir(path.dirname(target));
  fs.renameSync(tmp, target);
  return { created: true, legacy: false };
}
function stage(task, casRoot, headBytes, heads, offset, legacy) {
  const fd = fs.openSync(task.src, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW || 0));
  let out = -1;
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw Object.assign(new Error('not a regular file: ' + task.src), { code: 'ENOTREG' });
    if (st.size <= WHOLE_FILE) {
      // Small files: read whole, hash, and write nothing at all when the store has them.
      if (whole.length < st.size + 1) whole = Buffer.allocUnsafe(Math.max(st.size + 1, whole.length * 2));
      let size = 0;
      for (;;) { const n = fs.readSync(fd, whole, size, whole.length - size, null); if (n === 0) break; size += n; if (size === whole.length) break; }
      if (size > st.size) throw Object.assign(new Error('file grew while being read: ' + task.src), { code: 'ECHANGED' });
      const data = whole.subarray(0, size);
      const sha256 = createHash('sha256').update(data).digest('hex');
      const head = Math.min(headBytes, size);
      data.copy(heads, offset, 0, head);
      // Content the store has is never written again (a second version's unchanged files).
      const found = stored(casRoot, sha256, legacy);
      if (found) return { sha256, size, mtime_ms: st.mtimeMs, created: false, legacy: found === 'legacy', head };
      out = fs.openSync(task.tmp, 'wx', 0o444);
      let written = 0;
      while (written < size) written += fs.writeSync(out, data, written, size - written);
      fs.closeSync(out); out = -1;
      return { sha256, size, mtime_ms: st.mtimeMs, ...place(casRoot, task.tmp, sha256, legacy), head };
    }
    out = fs.openSync(task.tmp, 'wx', 0o444);
    const hash = createHash('sha256');
    let size = 0;
    let headLength = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) break;
      const chunk = n === CHUNK ? buffer : buffer.subarray(0, n);
      hash.update(chunk);
      if (headLength < headBytes) {
        const take = Math.min(headBytes - headLength, n);
        buffer.copy(heads, offset + headLength, 0, take);
        headLength += take;
      }
      let written = 0;
      while (written < n) written += fs.writeSync(out, chunk, written, n - written);
      size += n;
    }
    fs.closeSync(out); out = -1;
    const sha256 = hash.digest('hex');
    return { sha256, size, mtime_ms: st.mtimeMs, ...place(casRoot, task.tmp, sha256, legacy), head: headLength };
  } catch (error) {
    if (out >= 0) fs.closeSync(out);
    try { fs.unlinkSync(task.tmp); } catch {}
    throw error;
  } finally {
    fs.closeSync(fd);
  }
}
function link(task) {
  ensureDir(path.dirname(task.dest));
  let copied = false;
  try { fs.linkSync(task.cas, task.dest); } catch (error) {
    if (!['EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP'].includes(error.code)) throw error;
    fs.copyFileSync(task.cas, task.dest, fs.constants.COPYFILE_EXCL);
    copied = true;
  }
  return { copied, mtime_ms: fs.statSync(task.dest).mtimeMs };
}
function hashFile(file) {
  let fd;
  // O_NOFOLLOW: a link in place of a stored file is never read through (ELOOP: not the file).
  try { fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW || 0)); } catch (error) { if (error.code === 'ENOENT' || error.code === 'ELOOP') return { sha256: null, size: null }; throw error; }
  try {
    const hash = createHash('sha256');
    let size = 0;
    for (;;) { const n = fs.readSync(fd, buffer, 0, CHUNK, null); if (n === 0) break; hash.update(n === CHUNK ? buffer : buffer.subarray(0, n)); size += n; }
    return { sha256: hash.digest('hex'), size };
  } finally { fs.closeSync(fd); }
}
parentPort.on('message', (message) => {
  const { id, op, payload } = message;
  try {
    if (op === 'stage') {
      const heads = Buffer.alloc(payload.tasks.length * payload.headBytes);
      const results = payload.tasks.map((task, i) => stage(task, payload.casRoot, payload.headBytes, heads, i * payload.headBytes, payload.legacy));
      const ab = heads.buffer.slice(heads.byteOffset, heads.byteOffset + heads.length);
      parentPort.postMessage({ id, ok: true, result: { results, heads: ab } }, [ab]);
      return;
    }
    let result;
    if (op === 'adopt') result = payload.tasks.map((task) => place(payload.casRoot, task.tmp, task.sha256, payload.legacy));
    else if (op === 'link') result = payload.tasks.map(link);
    else if (op === 'hash') result = payload.files.map(hashFile);
    else throw new Error('unknown op ' + op);
    parentPort.postMessage({ id, ok: true, result });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: { message: String(error && error.message || error), code: error && error.code, path: error && error.path } });
  }
});
`;

export interface StageTask {
  /** The file to read (absolute). */
  readonly src: string;
  /** A fresh temp path under the root's `.tmp/` (same filesystem as the store). */
  readonly tmp: string;
}

export interface StageResult {
  readonly sha256: string;
  readonly size: number;
  readonly mtime_ms: number;
  /** True when this call added the content to the store; false when it was already there. */
  readonly created: boolean;
  /** True when the store held it in the two-level layout of older stores (`ab/cd/<sha>`). */
  readonly legacy: boolean;
  /** The first bytes of the file, for format detection. */
  readonly head: Buffer;
}

export interface LinkTask {
  readonly cas: string;
  readonly dest: string;
}

interface WorkerReply {
  readonly id: number;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: { message: string; code?: string; path?: string };
}

/** Turns a worker's error back into an OntocatError a user can read. */
function workerError(error: NonNullable<WorkerReply['error']>): OntocatError {
  if (error.code === 'ECHANGED') return new OntocatError('CONFLICT', `A source file changed while it was read: ${error.message}`);
  if (error.code === 'ENOTREG') return new OntocatError('UNSAFE_PATH', `Refused ${error.message}.`);
  if (error.code === 'ELOOP') return new OntocatError('UNSAFE_PATH', `Refused a symbolic link: ${error.path ?? error.message}.`);
  if (error.code === 'ENOSPC') return new OntocatError('IO_ERROR', `The disk is full: ${error.message}`);
  return new OntocatError('IO_ERROR', `File operation failed: ${error.message}`);
}

/** Workers per pool: the cores, between 1 and 4 (`ONTOCAT_FILE_WORKERS` overrides). */
export function defaultPoolSize(): number {
  const forced = Number(process.env.ONTOCAT_FILE_WORKERS);
  if (Number.isInteger(forced) && forced > 0) return Math.min(16, forced);
  return Math.max(1, Math.min(4, availableParallelism()));
}

/**
 * A few worker threads doing batched, synchronous file work: hash-and-store, link into
 * place, re-hash. Close it when done.
 */
export class FileWorkerPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: ((worker: Worker) => void)[] = [];
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private closed = false;

  constructor(size = defaultPoolSize()) {
    for (let i = 0; i < size; i += 1) {
      const worker = new Worker(workerSource, { eval: true });
      worker.on('message', (reply: WorkerReply) => {
        const entry = this.pending.get(reply.id);
        if (!entry) return;
        this.pending.delete(reply.id);
        this.release(worker);
        if (reply.ok) entry.resolve(reply.result);
        else entry.reject(workerError(reply.error!));
      });
      worker.on('error', (error) => {
        for (const entry of this.pending.values()) entry.reject(new OntocatError('INTERNAL', `A file worker failed: ${error.message}`));
        this.pending.clear();
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  private release(worker: Worker): void {
    const next = this.waiting.shift();
    if (next) next(worker);
    else this.idle.push(worker);
  }

  private acquire(): Promise<Worker> {
    const worker = this.idle.pop();
    if (worker) return Promise.resolve(worker);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private async run<T>(op: string, payload: unknown): Promise<T> {
    if (this.closed) throw new OntocatError('INTERNAL', 'The file worker pool is closed.');
    const worker = await this.acquire();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, op, payload });
    });
  }

  /**
   * Hashes and copies files into the content store at `casRoot` (absolute `.cas/sha256`).
   *
   * With `legacy`, content already stored in the older two-level layout counts as stored.
   */
  async stage(casRoot: string, tasks: readonly StageTask[], headBytes: number, legacy = false): Promise<StageResult[]> {
    const reply = await this.run<{ results: (Omit<StageResult, 'head'> & { head: number })[]; heads: ArrayBuffer }>('stage', { casRoot, tasks, headBytes, legacy });
    const heads = Buffer.from(reply.heads);
    return reply.results.map((result, i) => ({ ...result, head: heads.subarray(i * headBytes, i * headBytes + result.head) }));
  }

  /** Moves already-hashed temp files into the store: which were newly stored, which found in the older layout. */
  adopt(casRoot: string, tasks: readonly { tmp: string; sha256: string }[], legacy = false): Promise<{ created: boolean; legacy: boolean }[]> {
    return this.run('adopt', { casRoot, tasks, legacy });
  }

  /**
   * Hardlinks store objects into place (copies where links fail).
   *
   * Each result carries the placed file's mtime, which the catalog records so doctor can
   * compare it with the disk; reading it here saves a second pass of stats.
   */
  link(tasks: readonly LinkTask[]): Promise<{ copied: boolean; mtime_ms: number }[]> {
    return this.run('link', { tasks });
  }

  /** Re-hashes files; a missing file gives nulls. */
  hash(files: readonly string[]): Promise<{ sha256: string | null; size: number | null }[]> {
    return this.run('hash', { files });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** Runs `batches` through `work` with at most `parallel` in flight, in order of completion. */
export async function forEachBatch<T>(
  items: readonly T[],
  batchSize: number,
  parallel: number,
  work: (batch: readonly T[], start: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  let failed = false;
  const runners: Promise<void>[] = [];
  for (let r = 0; r < Math.max(1, parallel); r += 1) {
    runners.push((async () => {
      while (next < items.length && !failed) {
        if (signal?.aborted) throw new OntocatError('CANCELLED', 'Cancelled.');
        const start = next;
        next += batchSize;
        try {
          await work(items.slice(start, start + batchSize), start);
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    })());
  }
  // Wait for every runner so nothing is still writing when the caller cleans up.
  const outcomes = await Promise.allSettled(runners);
  const rejected = outcomes.find((outcome) => outcome.status === 'rejected');
  if (rejected) throw (rejected as PromiseRejectedResult).reason;
}
