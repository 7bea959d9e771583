/**
 * The parser worker: validates the files the pool sends (a small one may be queued behind
 * the current one, and then both progress together), and posts byte
 * progress and results back; checks batches of the files no validator reads on disk;
 * also lists the terms of ontology files for term deltas. Loaded through `validate-worker.mjs` from sources, or
 * bundled as `validate-worker.mjs` next to the CLI bundle.
 */
import { parentPort } from 'node:worker_threads';
import { OntocatError } from '../../shared/errors.js';
import type { FileFormat } from '../../shared/formats.js';
import { RootFileProbe } from '../../storage/safe-path.js';
import { termSnapshot } from '../terms/term-snapshot.js';
import { extractTerms } from '../parsers/extract-terms.js';
import { checkOnDisk } from './disk-check.js';
import { validateFile } from './validate-file.js';
import type { FileDone, WorkerBatch, WorkerReply, WorkerRequest } from './worker-protocol.js';

/** Bytes between two progress messages: often enough for a smooth bar, rare enough to be cheap. */
const PROGRESS_STEP = 4 * 1024 * 1024;

const port = parentPort;
if (!port) throw new Error('worker-main must run in a worker thread.');

/** This worker's probe per storage root: a pool's workers live for one validation run. */
const probes = new Map<string, RootFileProbe>();
function probeFor(root: string): RootFileProbe {
  let probe = probes.get(root);
  if (!probe) {
    probe = new RootFileProbe(root);
    probes.set(root, probe);
  }
  return probe;
}

/**
 * Results finished in one turn of this worker's event loop, posted together: a message
 * costs about 16 µs to post whatever it holds, and a burst of tiny files (queued 16 deep)
 * finishes many in a turn. Posted on the next turn, so no result waits longer.
 */
let outbox: FileDone[] = [];
const postLater = (done: FileDone): void => {
  outbox.push(done);
  if (outbox.length > 1) return;
  setImmediate(() => {
    const results = outbox;
    outbox = [];
    port.postMessage((results.length === 1 ? { type: 'done', ...results[0]! } : { type: 'done-many', results }) satisfies WorkerReply);
  });
};

/** Starts one request; its reply is posted when it is done. */
const handle = (request: WorkerRequest): void => {
  let pending = 0;
  const post = (reply: WorkerReply): void => port.postMessage(reply);
  if ('check' in request) {
    try {
      post({ type: 'checked', id: request.id, differences: checkOnDisk(request.check, probeFor(request.check.root)) });
    } catch (error) {
      post({
        type: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error),
        code: error instanceof OntocatError ? error.code : undefined, details: error instanceof OntocatError ? error.details : undefined,
      });
    }
    return;
  }
  if ('terms' in request) {
    const { absPath, format, baseIri } = request.terms;
    void extractTerms(absPath, format as FileFormat, { baseIri }).then(
      (terms) => post({
        type: 'terms',
        id: request.id,
        terms: terms.map(termSnapshot),
      }),
      (error: unknown) => post({
        type: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error),
        code: error instanceof OntocatError ? error.code : undefined,
      }),
    );
    return;
  }
  void validateFile(request.task, {
    onBytes(bytes) {
      pending += bytes;
      if (pending >= PROGRESS_STEP) {
        post({ type: 'bytes', id: request.id, bytes: pending });
        pending = 0;
      }
    },
  }, (columns) => post({ type: 'term-chunk', id: request.id, columns })).then(
    // The bytes not yet reported ride with the result: a message of its own per small
    // file doubled the messages both threads handle.
    (result) => postLater({ id: request.id, result, bytes: pending }),
    (error: unknown) => {
      post({ type: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) });
    },
  );
};

port.on('message', (message: WorkerRequest | WorkerBatch) => {
  if ('batch' in message) for (const request of message.batch) handle(request);
  else handle(message);
});
