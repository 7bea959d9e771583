import { Worker } from 'node:worker_threads';
import { OntocatError, type OntocatErrorCode } from '../../shared/errors.js';
import { WORKER_URL, workerExecArgv } from '../validate/worker-pool.js';
import type { TermsTask, WorkerReply } from '../validate/worker-protocol.js';
import type { TermSnapshot } from './term-snapshot.js';

/**
 * Lists the terms of several ontology files at once, one parser worker per file.
 *
 * The same parsers as validation, off the main thread, so a 50 MB pair parses on two
 * cores while the app stays responsive. Aborting terminates the workers (CANCELLED).
 */
export function extractTermsInWorkers(tasks: readonly TermsTask[], signal?: AbortSignal): Promise<TermSnapshot[][]> {
  if (signal?.aborted) return Promise.reject(new OntocatError('CANCELLED', 'Term comparison was cancelled.'));
  const workers: Worker[] = [];
  const stop = (): void => { for (const worker of workers) void worker.terminate(); };
  const runs = tasks.map((task, id) => new Promise<TermSnapshot[]>((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { execArgv: workerExecArgv() });
    workers.push(worker);
    let done = false;
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'terms') {
        done = true;
        resolve([...reply.terms]);
      } else if (reply.type === 'failed') {
        done = true;
        reject(new OntocatError((reply.code as OntocatErrorCode | undefined) ?? 'IO_ERROR', reply.message));
      }
    });
    worker.on('error', (error) => reject(new OntocatError('INTERNAL', `A parser worker failed: ${error.message}`)));
    worker.on('exit', (code) => { if (!done) reject(new OntocatError('CANCELLED', `The parser worker stopped (code ${code}).`)); });
    worker.postMessage({ id, terms: task });
  }));
  const onAbort = (): void => stop();
  signal?.addEventListener('abort', onAbort, { once: true });
  return Promise.all(runs).finally(() => {
    signal?.removeEventListener('abort', onAbort);
    stop();
  });
}
