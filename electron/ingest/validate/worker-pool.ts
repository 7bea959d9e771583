import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { OntocatError } from '../../shared/errors.js';
import type { FileTask, FileValidation } from './validate-file.js';
import { VALIDATOR_BY_FORMAT } from './validators.js';
import type { WorkerReply, WorkerRequest } from './worker-protocol.js';

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
  /** The worker entry (default WORKER_URL); the bench points it at the built bundle. */
  readonly workerUrl?: URL;
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
 * Largest files go first so one big file does not finish last on an idle pool. Each
 * worker streams its file, so memory per worker stays bounded. Aborting the signal
 * terminates every worker at once and rejects with CANCELLED; a worker that dies
 * rejects with INTERNAL. Nothing is written anywhere: callers decide what to keep.
 */
export function validateInPool(tasks: readonly FileTask[], options: PoolOptions = {}): Promise<FileValidation[]> {
  const results: (FileValidation | undefined)[] = new Array(tasks.length);
  if (tasks.length === 0) return Promise.resolve([]);
  if (options.signal?.aborted) return Promise.reject(new OntocatError('CANCELLED', 'Validation was cancelled.'));
  const order = tasks.map((_, index) => index).sort((a, b) => tasks[b]!.size_bytes - tasks[a]!.size_bytes);
  const size = Math.max(1, Math.min(options.workers ?? defaultPoolSize(), tasks.length));

  return new Promise<FileValidation[]>((resolve, reject) => {
    const workers: Worker[] = [];
    let next = 0;
    let finished = 0;
    let settled = false;

    const stop = (): void => {
      for (const worker of workers) void worker.terminate();
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
    const small = (id: number): boolean => tasks[id]!.size_bytes <= PREFETCH_MAX_BYTES;
    const tiny = (id: number): boolean => tasks[id]!.size_bytes <= TINY_MAX_BYTES;
    const feed = (worker: Worker): void => {
      while (next < order.length) {
        const held = inFlight.get(worker) ?? [];
        const id = order[next]!;
        const limit = tiny(id) && held.every(tiny) ? TINY_PREFETCH : PREFETCH;
        if (held.length >= limit || (held.length > 0 && !(small(id) && held.every(small)))) return;
        next += 1;
        inFlight.set(worker, [...held, id]);
        const request: WorkerRequest = { id, task: tasks[id]! };
        worker.postMessage(request);
      }
    };

    for (let i = 0; i < size; i += 1) {
      const worker = new Worker(options.workerUrl ?? WORKER_URL, { execArgv: workerExecArgv() });
      workers.push(worker);
      worker.on('message', (reply: WorkerReply) => {
        if (settled) return;
        if (reply.type === 'bytes') {
          options.onBytes?.(reply.bytes);
          return;
        }
        if (reply.type === 'terms') return;
        const result = reply.type === 'done' ? reply.result : readFailure(tasks[reply.id]!, reply.message);
        results[reply.id] = result;
        inFlight.set(worker, (inFlight.get(worker) ?? []).filter((id) => id !== reply.id));
        finished += 1;
        options.onFile?.(result);
        if (finished === tasks.length) {
          settled = true;
          stop();
          resolve(results as FileValidation[]);
          return;
        }
        feed(worker);
      });
      worker.on('error', (error) => fail(new OntocatError('INTERNAL', `A validation worker failed: ${error.message}`)));
      worker.on('exit', (code) => {
        if (!settled) fail(new OntocatError('INTERNAL', `A validation worker exited early (code ${code}).`));
      });
      feed(worker);
    }
  });
}
