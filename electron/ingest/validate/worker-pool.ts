import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { OntocatError, type OntocatErrorCode } from '../../shared/errors.js';
import type { FileTask, FileValidation } from './validate-file.js';
import type { TermColumns } from '../../catalog/term-columns.js';
import { VALIDATOR_BY_FORMAT } from './validators.js';
import type { DiskCheckDifference, DiskCheckTask, WorkerBatch, WorkerReply, WorkerRequest } from './worker-protocol.js';

/** Where the worker entry lives: next to this module in sources, next to the bundle when built. */
export const WORKER_URL = new URL('./validate-worker.mjs', import.meta.url);

export interface PoolOptions {
  /** Worker threads; defaults to os.availableParallelism(), never more than the files. */
  readonly workers?: number;
  readonly signal?: AbortSignal;
  /** Bytes read since the last call, from any worker. */
  readonly onBytes?: (bytes: number) => void;
  /** A file finished (in completion order). */
  readonly onFile?: (result: FileValidation) => void;
  /** A chunk of a file's terms, handed back while it is parsed (FileTask.stream_terms); before its result. */
  readonly onTermChunk?: (relpath: string, columns: TermColumns) => void;
  /** The worker entry (default WORKER_URL); the bench points it at the built bundle. */
  readonly workerUrl?: URL;
  /**
   * Batches of files no validator reads, checked on disk by the workers after the parses
   * are handed out (the files a worker takes last, so they also even out the pool's end).
   */
  readonly checks?: readonly DiskCheckTask[];
  /** A check batch finished: the files in it not on disk as recorded. */
  readonly onChecked?: (check: DiskCheckTask, differences: readonly DiskCheckDifference[]) => void;
  /** Workers started ahead (`startWorkers`), used instead of new ones; the pool ends them all. */
  readonly started?: StartedWorkers;
}

/**
 * Validation workers started before their work is known, so their start (loading the
 * parsers) overlaps the caller's listing of the files. Hand them to `validateInPool`, or
 * `close` them when the run ends before it.
 */
export class StartedWorkers {
  readonly workers: readonly Worker[];
  /** The first error or early exit of any of them, before the pool took them over. */
  failure: string | null = null;

  constructor(count: number, workerUrl: URL = WORKER_URL) {
    const workers: Worker[] = [];
    for (let i = 0; i < count; i += 1) {
      const worker = new Worker(workerUrl, { execArgv: workerExecArgv() });
      // Listened to from the start: an unhandled worker 'error' would end the process.
      worker.on('error', (error) => { this.failure ??= `A validation worker failed: ${error.message}`; });
      worker.on('exit', (code) => { this.failure ??= `A validation worker exited early (code ${code}).`; });
      workers.push(worker);
    }
    this.workers = workers;
  }

  /** Ends every worker (a run that never reached the pool). */
  close(): void {
    for (const worker of this.workers) {
      worker.removeAllListeners('exit');
      void worker.terminate();
    }
  }
}

/** Most files queued on one worker at a time. */
const PREFETCH = 2;
/** Files larger than this are never queued behind another one. */
const PREFETCH_MAX_BYTES = 1024 * 1024;
/**
 * Most files a worker holds while every one of them is tiny (a few hundred microseconds
 * of parsing each): enough to keep it busy while this thread checks a slice of other files
 * on disk between two turns of its event loop.
 */
const TINY_PREFETCH = 16;
const TINY_MAX_BYTES = 64 * 1024;

/** The parent's Node flags minus those that only make sense for a main script (`--input-type`, `--eval`). */
export function workerExecArgv(): string[] {
  return process.execArgv.filter((arg) => !/^--(input-type|eval|print)\b|^-[ep]$/.test(arg));
}

/** The pool size used when none is asked for. */
export function defaultPoolSize(): number {
  return Math.max(1, availableParallelism());
}

/** A file whose read failed (not a syntax problem): one ERROR row, so the run still completes. */
function readFailure(task: FileTask, message: string): FileValidation {
  return {
    relpath: task.relpath,
    rows: [{
      relpath: task.relpath, validator: VALIDATOR_BY_FORMAT[task.format as keyof typeof VALIDATOR_BY_FORMAT] ?? 'storage',
      rule: 'read-error', severity: 'ERROR', passed: false, message: `Could not read the file: ${message}`,
      line: null, col: null, subject: null, details: null,
    }],
    triples: null,
    terms: null,
  };
}

/**
 * Validates files on a pool of worker threads and resolves with one result per file
 * (in the order given).
 *
 * Largest files go first so one big file does not finish last on an idle pool; the disk
 * check batches (`checks`) come after the parses. Each worker streams its file, so memory
 * per worker stays bounded. Aborting the signal terminates every worker at once and
 * rejects with CANCELLED; a worker that dies rejects with INTERNAL, and a check batch
 * that meets a link or mount point rejects with its UNSAFE_PATH error. Nothing is written
 * anywhere: callers decide what to keep.
 */
export function validateInPool(tasks: readonly FileTask[], options: PoolOptions = {}): Promise<FileValidation[]> {
  const results: (FileValidation | undefined)[] = new Array(tasks.length);
  const checks = options.checks ?? [];
  const work = tasks.length + checks.length;
  if (work === 0) {
    options.started?.close();
    return Promise.resolve([]);
  }
  if (options.signal?.aborted) {
    options.started?.close();
    return Promise.reject(new OntocatError('CANCELLED', 'Validation was cancelled.'));
  }
  // Work ids: a file task's index, then tasks.length + a check batch's index.
  const order = tasks.map((_, index) => index).sort((a, b) => tasks[b]!.size_bytes - tasks[a]!.size_bytes);
  for (let i = 0; i < checks.length; i += 1) order.push(tasks.length + i);
  const size = Math.max(1, Math.min(options.workers ?? options.started?.workers.length ?? defaultPoolSize(), work));

  return new Promise<FileValidation[]>((resolve, reject) => {
    const workers: Worker[] = [];
    let next = 0;
    let finished = 0;
    let settled = false;

    const stop = (): void => {
      for (const worker of workers) void worker.terminate();
      options.started?.close();
      options.signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: OntocatError): void => {
      if (settled) return;
      settled = true;
      stop();
      reject(error);
    };
    function onAbort(): void {
      fail(new OntocatError('CANCELLED', 'Validation was cancelled.'));
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });

    // Files a worker holds: the one it parses and, when both are small, the next one
    // queued behind it, so a worker does not idle for the round trip through this (busy)
    // thread between two small files. A large file is always alone on its worker.
    const inFlight = new Map<Worker, number[]>();
    // A check batch is a few milliseconds of lstat calls: small, but never queued 16 deep.
    const small = (id: number): boolean => id >= tasks.length || tasks[id]!.size_bytes <= PREFETCH_MAX_BYTES;
    const tiny = (id: number): boolean => id < tasks.length && tasks[id]!.size_bytes <= TINY_MAX_BYTES;
    // The requests of one top-up go in one message (a message costs about as much to
    // post as a tiny file takes to parse).
    const feed = (worker: Worker): void => {
      const requests: WorkerRequest[] = [];
      while (next < order.length) {
        const held = inFlight.get(worker) ?? [];
        const id = order[next]!;
        const limit = tiny(id) && held.every(tiny) ? TINY_PREFETCH : PREFETCH;
        if (held.length >= limit || (held.length > 0 && !(small(id) && held.every(small)))) break;
        next += 1;
        inFlight.set(worker, [...held, id]);
        requests.push(id < tasks.length ? { id, task: tasks[id]! } : { id, check: checks[id - tasks.length]! });
      }
      if (requests.length === 1) worker.postMessage(requests[0]);
      else if (requests.length > 1) worker.postMessage({ batch: requests } satisfies WorkerBatch);
    };

    const started = options.started;
    if (started?.failure) {
      fail(new OntocatError('INTERNAL', started.failure));
      return;
    }
    for (let i = 0; i < size; i += 1) {
      const worker = started?.workers[i] ?? new Worker(options.workerUrl ?? WORKER_URL, { execArgv: workerExecArgv() });
      workers.push(worker);
      /** One piece of work finished on `worker`: the next is handed out, or the pool resolves. */
      const finish = (id: number): void => {
        inFlight.set(worker, (inFlight.get(worker) ?? []).filter((held) => held !== id));
        finished += 1;
        if (finished === work) {
          settled = true;
          stop();
          resolve(results as FileValidation[]);
        }
      };
      const takeResult = (id: number, result: FileValidation): void => {
        results[id] = result;
        options.onFile?.(result);
        finish(id);
      };
      worker.on('message', (reply: WorkerReply) => {
        if (settled) return;
        if (reply.type === 'bytes') {
          options.onBytes?.(reply.bytes);
          return;
        }
        if (reply.type === 'terms') return;
        if (reply.type === 'term-chunk') {
          options.onTermChunk?.(tasks[reply.id]!.relpath, reply.columns);
          return;
        }
        if (reply.type === 'done-many') {
          const bytes = reply.results.reduce((sum, done) => sum + done.bytes, 0);
          if (bytes > 0) options.onBytes?.(bytes);
          for (const { id, result } of reply.results) if (!settled) takeResult(id, result);
        } else if (reply.id >= tasks.length) {
          const check = checks[reply.id - tasks.length]!;
          if (reply.type === 'failed') {
            fail(new OntocatError((reply.code as OntocatErrorCode | undefined) ?? 'IO_ERROR', reply.message, reply.details));
            return;
          }
          if (reply.type === 'checked') options.onChecked?.(check, reply.differences);
          finish(reply.id);
        } else {
          if (reply.type === 'done' && reply.bytes > 0) options.onBytes?.(reply.bytes);
          takeResult(reply.id, reply.type === 'done' ? reply.result : readFailure(tasks[reply.id]!, reply.type === 'failed' ? reply.message : 'no result'));
        }
        if (!settled) feed(worker);
      });
      worker.on('error', (error) => fail(new OntocatError('INTERNAL', `A validation worker failed: ${error.message}`)));
      worker.on('exit', (code) => {
        if (!settled) fail(new OntocatError('INTERNAL', `A validation worker exited early (code ${code}).`));
      });
      feed(worker);
    }
    // Started ahead but not needed (less work than workers): ended now, not with the pool.
    for (const worker of started?.workers.slice(size) ?? []) {
      worker.removeAllListeners('exit');
      void worker.terminate();
    }
  });
}
