/** Shared helpers for benchmarks: scale, timing, percentiles, tables. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

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

/**
 * CPU ms (user + system) from a /proc stat file on Linux: `/proc/self/stat` for every
 * thread of this process, live and ended, `/proc/self/task/PID/stat` for one; null
 * elsewhere.
 */
export function procCpuMs(statFile = '/proc/self/stat'): number | null {
  try {
    const fields = readFileSync(statFile, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, in clock ticks of 10 ms (USER_HZ 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
  } catch {
    return null;
  }
}

/** This process's CPU time so far (all threads) in ms; null without /proc. */
export const processCpuMs = (): number | null => procCpuMs();

/** One mode of parallelParseCeiling: wall time and the cores its threads kept busy (null without /proc). */
export interface CeilingRun {
  readonly ms: number;
  readonly cores_busy: number | null;
}

/**
 * What N threads gain over one on this machine when each parses, with nothing shared: N
 * worker threads each parse the same in-memory Turtle with N3, already warm (JIT), no
 * files, no messages but start and end. One such thread already keeps about 1.5 cores
 * busy, as V8 collects its garbage on other threads, so N parsers of large files share
 * those cores with each other's collectors and gain far less than N. It is a reference
 * for parse-bound work, not a bound on every pool: a pool of many small files, whose
 * one-worker run leaves more of the other cores idle, can gain more. Median of `rounds`
 * alternating runs.
 */
export async function parallelParseCeiling(threads: number, rounds = 3): Promise<{ one: CeilingRun; many: CeilingRun; ratio: number }> {
  const { Worker } = await import('node:worker_threads');
  const n3 = createRequire(import.meta.url).resolve('n3');
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { Parser } = require(workerData.n3);
    let text = '@prefix ex: <http://example.org/> .\\n';
    for (let i = 0; i < 4000; i += 1) text += 'ex:s' + i + ' ex:p' + (i % 7) + ' "literal value ' + i + ' with some words" ; ex:q ex:o' + (i % 50) + ' .\\n';
    const parse = (times) => { let quads = 0; for (let i = 0; i < times; i += 1) quads += new Parser().parse(text).length; return quads; };
    parse(20);
    parentPort.on('message', (times) => parentPort.postMessage(parse(times)));
    parentPort.postMessage('ready');`;
  const run = async (count: number, total: number): Promise<CeilingRun> => {
    const workers = Array.from({ length: count }, () => new Worker(source, { eval: true, workerData: { n3 } }));
    try {
      await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('message', resolve))));
      const cpu = processCpuMs();
      const started = performance.now();
      await Promise.all(workers.map((worker) => new Promise((resolve) => {
        worker.once('message', resolve);
        worker.postMessage(Math.round(total / count));
      })));
      const ms = performance.now() - started;
      const used = processCpuMs();
      return { ms, cores_busy: cpu === null || used === null ? null : (used - cpu) / ms };
    } finally {
      await Promise.all(workers.map((worker) => worker.terminate()));
    }
  };
  const ones: CeilingRun[] = [];
  const manys: CeilingRun[] = [];
  for (let i = 0; i < rounds; i += 1) {
    ones.push(await run(1, 120));
    manys.push(await run(threads, 120));
  }
  const middle = (runs: readonly CeilingRun[]): CeilingRun => [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)]!;
  return { one: middle(ones), many: middle(manys), ratio: percentile(ones.map((one, i) => one.ms / manys[i]!.ms), 50) };
}

/** The ceiling as one line of a report. */
export function ceilingLine(threads: number, ceiling: Awaited<ReturnType<typeof parallelParseCeiling>>): string {
  const busy = (run: CeilingRun): string => (run.cores_busy === null ? '' : `, ${run.cores_busy.toFixed(2)} cores busy`);
  return `this machine, ${threads} warm threads parsing in memory (N3, nothing shared): ${ceiling.ratio.toFixed(2)}x one ` +
    `(1 thread ${(ceiling.one.ms / 1000).toFixed(2)} s${busy(ceiling.one)}; ${threads}: ${(ceiling.many.ms / 1000).toFixed(2)} s${busy(ceiling.many)})`;
}

/**
 * The validation worker users run: the bundle next to the CLI's, built first when stale.
 * From the sources each worker compiles its TypeScript through tsx as it starts (about
 * 0.3–0.5 s a worker on this machine), a cost no user pays and one that would pad the
 * validation a ratio is taken against.
 */
export async function bundledWorkerUrl(projectRoot: string): Promise<URL> {
  const { buildCliBundles, cliBundlesStale } = (await import(pathToFileURL(path.join(projectRoot, 'scripts', 'cli-bundle.mjs')).href)) as {
    buildCliBundles: (root: string) => Promise<void>; cliBundlesStale: (root: string) => boolean;
  };
  if (cliBundlesStale(projectRoot)) await buildCliBundles(projectRoot);
  return pathToFileURL(path.join(projectRoot, 'dist', 'cli', 'validate-worker.mjs'));
}
