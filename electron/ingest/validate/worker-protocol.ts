import type { TermColumns } from '../../catalog/term-columns.js';
import type { TermSnapshot } from '../terms/term-snapshot.js';
import type { FileTask, FileValidation } from './validate-file.js';

/** A term listing asked of a worker (term-level deltas). */
export interface TermsTask {
  readonly absPath: string;
  readonly format: string;
  readonly baseIri: string;
}

/**
 * A batch of files no validator reads, checked on disk by a worker: each one present, a
 * regular file of its recorded size, and not behind a link or mount point.
 */
export interface DiskCheckTask {
  /** The storage root, and the root-relative folder the paths are under (`S/V/data/`). */
  readonly root: string;
  readonly base: string;
  readonly relpaths: readonly string[];
  readonly sizes: readonly number[];
}

/** A file of a check batch that is not as recorded: its index in the batch and its size on disk (null: absent or not a file). */
export interface DiskCheckDifference {
  readonly index: number;
  readonly size: number | null;
}

/** Main thread → worker: validate one file, list the terms of one, or check a batch on disk. */
export type WorkerRequest =
  | { readonly id: number; readonly task: FileTask }
  | { readonly id: number; readonly terms: TermsTask }
  | { readonly id: number; readonly check: DiskCheckTask };

/** A file's result, with the bytes read since the file's last progress message (none for a large file whose last step was sent). */
export interface FileDone {
  readonly id: number;
  readonly result: FileValidation;
  readonly bytes: number;
}

/** Main thread → worker: several requests in one message (a worker's queue of tiny files, topped up at once). */
export interface WorkerBatch {
  readonly batch: readonly WorkerRequest[];
}

/** Worker → main thread: bytes read, a result, or a failure that is not a syntax problem (I/O). */
export type WorkerReply =
  | { readonly type: 'bytes'; readonly id: number; readonly bytes: number }
  /** A chunk of a file's terms, final while the rest of it is parsed (FileTask.stream_terms). */
  | { readonly type: 'term-chunk'; readonly id: number; readonly columns: TermColumns }
  | ({ readonly type: 'done' } & FileDone)
  | { readonly type: 'done-many'; readonly results: readonly FileDone[] }
  | { readonly type: 'terms'; readonly id: number; readonly terms: readonly TermSnapshot[] }
  | { readonly type: 'checked'; readonly id: number; readonly differences: readonly DiskCheckDifference[] }
  | {
    readonly type: 'failed'; readonly id: number; readonly message: string; readonly code?: string;
    readonly details?: Readonly<Record<string, unknown>>;
  };
