/**
 * Estimated time left from the rate observed so far.
 *
 * Null while there is nothing to go on: no total, nothing done yet, or too little time
 * elapsed for the rate to mean anything.
 */
export function estimateEtaMs(done: number, total: number | null, elapsedMs: number): number | null {
  if (total === null || total <= 0 || done <= 0 || elapsedMs < 50) return null;
  if (done >= total) return 0;
  const rate = done / elapsedMs;
  return Math.round((total - done) / rate);
}
