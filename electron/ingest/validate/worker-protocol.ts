import type { FileTask, FileValidation } from './validate-file.js';

/** Main thread → worker: validate one file. */
export interface WorkerRequest {
  readonly id: number;
  readonly task: FileTask;
}

/** Worker → main thread: bytes read, a result, or a failure that is not a syntax problem (I/O). */
export type WorkerReply =
  | { readonly type: 'bytes'; readonly id: number; readonly bytes: number }
  | { readonly type: 'done'; readonly id: number; readonly result: FileValidation }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };
