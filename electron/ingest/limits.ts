import { LIMIT_ENV_NAMES, limitsInEnv } from '../shared/ingest-limit-env.js';

/** What an ingest may consume before it is refused (archive bombs, runaway downloads). */
export interface IngestLimits {
  /** Total bytes extracted or copied (default 20 GB; `ONTOCAT_MAX_BYTES`). */
  readonly maxBytes: number;
  /** Files extracted or copied (default 1,000,000; `--max-files` or `ONTOCAT_MAX_FILES`). */
  readonly maxFiles: number;
  /** Extracted bytes per archive byte (default 200; `ONTOCAT_MAX_RATIO`). */
  readonly maxRatio: number;
  /** The ratio is only judged past this many extracted bytes (default 1 MB). */
  readonly ratioFloorBytes: number;
  /** Bytes one download may have (default 20 GB). */
  readonly maxDownloadBytes: number;
  /** Bytes of one path segment (default 255, what common filesystems allow). */
  readonly maxNameBytes: number;
  /** Bytes of a whole path inside the archive (default 4096, Linux's PATH_MAX). */
  readonly maxPathBytes: number;
  /** Folders deep a path may go (default 64). */
  readonly maxDepth: number;
  /**
   * Bytes before an entry's path where it is written (the longest of the work folder's,
   * the version's and a trash entry's `…/data/`): Linux's PATH_MAX bounds the whole path,
   * so an entry must fit in what is left. Set by ingest, not by a curator.
   */
  readonly pathPrefixBytes?: number;
}

/** The bytes a whole path may have on Linux (PATH_MAX, 4096, counts the closing NUL). */
export const PATH_MAX_BYTES = 4095;

export const DEFAULT_LIMITS: IngestLimits = {
  maxBytes: 20 * 1000 ** 3,
  maxFiles: 1_000_000,
  maxRatio: 200,
  ratioFloorBytes: 1_000_000,
  maxDownloadBytes: 20 * 1000 ** 3,
  maxNameBytes: 255,
  maxPathBytes: 4096,
  maxDepth: 64,
};

/** The environment variable that raises each limit a curator may need to raise. */
export const LIMIT_ENV: Readonly<Partial<Record<keyof IngestLimits, string>>> = LIMIT_ENV_NAMES;

/** How to raise a limit, for the error that names it. */
export function raiseHint(limit: keyof IngestLimits): string {
  const env = LIMIT_ENV[limit];
  if (!env) return `limit ${limit}`;
  return limit === 'maxFiles' ? `limit maxFiles; raise it with --max-files N or ${env}=N` : `limit ${limit}; raise it with ${env}=N`;
}


/** Fills in defaults: explicit values win over the environment, which wins over the defaults. */
export function resolveLimits(partial: Partial<IngestLimits> = {}, env: NodeJS.ProcessEnv = process.env): IngestLimits {
  const given = Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined));
  return { ...DEFAULT_LIMITS, ...limitsInEnv(env), ...given };
}
