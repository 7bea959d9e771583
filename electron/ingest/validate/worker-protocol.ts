import type { TermSnapshot } from '../terms/diff-terms.js';
import type { FileTask, FileValidation } from './validate-file.js';

/** A term listing asked of a worker (term-level deltas). */
export interface TermsTask {
  readonly absPath: string;
  readonly format: string;
  readonly baseIri: string;
}

/** Main thread → worker: validate one file, or list the terms of one. */
export type WorkerRequest =
  | { readonly id: number; readonly task: FileTask }
  | { readonly id: number; readonly terms: TermsTask };

/** Worker → main thread: bytes read, a result, or a failure that is not a syntax problem (I/O). */
export type WorkerReply =
  | { readonly type: 'bytes'; readonly id: number; readonly bytes: number }
  | { readonly type: 'done'; readonly id: number; readonly result: FileValidation }
  | { readonly type: 'terms'; readonly id: number; readonly terms: readonly TermSnapshot[] }
  | { readonly type: 'failed'; readonly id: number; readonly message: string; readonly code?: string };
