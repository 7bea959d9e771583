/** What an ingest may consume before it is refused (archive bombs, runaway downloads). */
export interface IngestLimits {
  /** Total bytes extracted or copied (default 20 GB). */
  readonly maxBytes: number;
  /** Files extracted or copied (default 1,000,000). */
  readonly maxFiles: number;
  /** Extracted bytes per archive byte (default 200). */
  readonly maxRatio: number;
  /** The ratio is only judged past this many extracted bytes (default 1 MB). */
  readonly ratioFloorBytes: number;
  /** Bytes one download may have (default 20 GB). */
  readonly maxDownloadBytes: number;
}

export const DEFAULT_LIMITS: IngestLimits = {
  maxBytes: 20 * 1000 ** 3,
  maxFiles: 1_000_000,
  maxRatio: 200,
  ratioFloorBytes: 1_000_000,
  maxDownloadBytes: 20 * 1000 ** 3,
};

/** Fills in defaults. */
export function resolveLimits(partial: Partial<IngestLimits> = {}): IngestLimits {
  return { ...DEFAULT_LIMITS, ...Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined)) };
}
