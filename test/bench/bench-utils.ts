/** Shared helpers for benchmarks: scale, timing, percentiles, tables. */
import { spawnSync } from 'node:child_process';

/** `ONTOCAT_BENCH_SCALE` (default 1) multiplies every generated size. */
export function benchScale(): number {
  const raw = Number(process.env.ONTOCAT_BENCH_SCALE ?? '1');
  return Number.isFinite(raw) && raw > 0 ? raw : 1;
}

export function scaled(n: number, min = 1): number {
  return Math.max(min, Math.round(n * benchScale()));
}

/** Runs `fn` `runs` times (after `warmup` unmeasured runs) and returns the timings in ms. */
export async function timeRuns(fn: () => Promise<unknown> | unknown, runs = 30, warmup = 3): Promise<number[]> {
  for (let i = 0; i < warmup; i += 1) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return times;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** Wall time of a shell command in ms (the reference run of a benchmark). */
export function timeCommand(command: string, cwd?: string): { ms: number; ok: boolean; stdout: string } {
  const started = performance.now();
  const result = spawnSync('bash', ['-c', command], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  return { ms: performance.now() - started, ok: result.status === 0 || result.status === 1, stdout: result.stdout };
}

export function printTable(rows: readonly Record<string, string | number>[]): void {
  if (rows.length === 0) return;
  const headers = Object.keys(rows[0]!);
  const widths = headers.map((h) => Math.max(h.length, ...rows.map((r) => String(r[h]).length)));
  const line = (values: readonly string[]) => values.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  console.log(line(headers));
  for (const row of rows) console.log(line(headers.map((h) => String(row[h]))));
}

export const fmt = (ms: number): string => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
