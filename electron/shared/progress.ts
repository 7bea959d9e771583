/** Progress of long work (ingest, scans, prune, backup, validation). */
export interface Progress {
  /** Units done so far (files, rows, findings: whatever `total` counts). */
  readonly done: number;
  /** Units in all, when known. */
  readonly total: number | null;
  /** Bytes processed so far. */
  readonly bytes: number;
  /** What is being worked on now (a path, a step name). */
  readonly current: string | null;
  /** A short phase name: `download`, `extract`, `validate`, `scan`, … */
  readonly phase?: string;
}

/** What long-running functions accept: a cancel signal and a progress sink. */
export interface WorkControl {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: Progress) => void;
}
