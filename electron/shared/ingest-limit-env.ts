/**
 * The environment variables that raise (or lower) an ingest limit, and the `ingest:run`
 * inputs they give. The CLI sends what its environment sets, so `ONTOCAT_MAX_FILES=N
 * ontocat ingest …` does what a refusal says also when a running app or serve owns the root
 * (whose own environment would otherwise decide); the ingest reads them where it runs.
 */

/** Each variable, by the limit it sets. */
export const LIMIT_ENV_NAMES = {
  maxFiles: 'ONTOCAT_MAX_FILES',
  maxBytes: 'ONTOCAT_MAX_BYTES',
  maxRatio: 'ONTOCAT_MAX_RATIO',
} as const;

/** The positive numbers an environment sets, by limit; anything else is ignored. */
export function limitsInEnv(env: Readonly<Record<string, string | undefined>>): { maxFiles?: number; maxBytes?: number; maxRatio?: number } {
  const out: { maxFiles?: number; maxBytes?: number; maxRatio?: number } = {};
  for (const [key, name] of Object.entries(LIMIT_ENV_NAMES) as [keyof typeof LIMIT_ENV_NAMES, string][]) {
    const value = Number(env[name]);
    if (env[name] !== undefined && Number.isFinite(value) && value > 0) out[key] = value;
  }
  return out;
}

/** The same, as `ingest:run` inputs (whole numbers where the input takes one). */
export function limitInputsFromEnv(env: Readonly<Record<string, string | undefined>>): { max_files?: number; max_bytes?: number; max_ratio?: number } {
  const limits = limitsInEnv(env);
  return {
    ...(limits.maxFiles === undefined ? {} : { max_files: Math.max(1, Math.floor(limits.maxFiles)) }),
    ...(limits.maxBytes === undefined ? {} : { max_bytes: Math.max(1, Math.floor(limits.maxBytes)) }),
    ...(limits.maxRatio === undefined ? {} : { max_ratio: Math.max(1, limits.maxRatio) }),
  };
}
