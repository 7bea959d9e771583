// Child process of ingest.bench.ts: one ingest (store and record, or with its validation),
// timed from after the catalog opened to the last commit, with this process's peak RSS.
// With validation it then re-validates the version without reuse on one worker and on the
// full pool (the pool's parallelism on this tree), and reports files and bytes per format
// with the worker time their syntax checks took.
//   node --import tsx test/bench/ingest-child.ts ROOT SOURCE SERVICE VERSION store|validate
import { versionId } from '../../electron/catalog/ids.js';
import { openCatalog } from '../../electron/catalog/open-catalog.js';
import { ingest } from '../../electron/ingest/ingest.js';
import { validateVersion } from '../../electron/ingest/validate/validate-version.js';
import { procCpuMs } from './bench-utils.js';

const [root, source, service, version, mode] = process.argv.slice(2) as [string, string, string, string, string];
// The validation worker users run (the bundle next to the CLI's), unless the bench asks for the sources through tsx.
const workerUrl = process.env.ONTOCAT_BENCH_WORKER_URL ? new URL(process.env.ONTOCAT_BENCH_WORKER_URL) : undefined;
const catalog = await openCatalog({ root, app: 'bench' });
const started = process.hrtime.bigint();
const since = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e6;
// When each reported phase began (ms from the start): where an ingest's time goes.
const phases: [string, number][] = [];
const summary = await ingest(catalog, source, {
  service, version,
  onProgress: (progress) => { if (progress.phase && progress.phase !== phases.at(-1)?.[0]) phases.push([progress.phase, since(started)]); },
});
const ingestMs = since(started);
let validateMs: number | null = null;
/**
 * CPU ms of this process's main thread and of all its threads (live and ended, the
 * workers included), from /proc on Linux (null elsewhere): what a pool on N cores is bound
 * by whatever the load (all threads' CPU / N), and how much of it the main thread takes.
 */
function threadCpu(): { main: number; all: number } | null {
  const main = procCpuMs(`/proc/self/task/${process.pid}/stat`);
  const all = procCpuMs();
  return main === null || all === null ? null : { main, all };
}
const cpuSince = (from: { main: number; all: number } | null): { main_ms: number; all_ms: number } | null => {
  const now = threadCpu();
  return from && now ? { main_ms: now.main - from.main, all_ms: now.all - from.all } : null;
};
type Cpu = { main_ms: number; all_ms: number } | null;
let pool: { one_ms: number; pool_ms: number; workers: number; checked: number; one_cpu: Cpu; pool_cpu: Cpu } | null = null;
let formats: { format: string; files: number; bytes: number; worker_ms: number }[] = [];
if (mode === 'validate') {
  const validating = process.hrtime.bigint();
  await validateVersion(catalog, { service, version }, { workerUrl });
  validateMs = since(validating);
}
const ms = since(started);
if (mode === 'validate') {
  // Outside the timed ingest: the same tree parsed again (no reuse) on 1 worker, then the pool.
  const one = process.hrtime.bigint();
  const oneCpu = threadCpu();
  await validateVersion(catalog, { service, version }, { reuse: false, workers: 1, workerUrl });
  const oneMs = since(one);
  const oneCpuUsed = cpuSince(oneCpu);
  // Each format's share of the one-worker run, by its files' parse times (read now, before
  // the pool's run replaces them).
  formats = await catalog.read((conn) => conn.all(
    `SELECT f.format, count(*)::INTEGER AS files, sum(f.size_bytes)::BIGINT AS bytes,
            coalesce(sum(TRY_CAST(json_extract_string(val.details_json, '$.duration_ms') AS DOUBLE)), 0) AS worker_ms
       FROM validations val JOIN extracted_files f USING (file_id, version_id)
      WHERE val.version_id = $1::UUID AND val.rule = 'syntax'
      GROUP BY f.format ORDER BY files DESC`, [versionId(service, version)]));
  const full = process.hrtime.bigint();
  const fullCpu = threadCpu();
  const result = await validateVersion(catalog, { service, version }, { reuse: false, workerUrl });
  pool = { one_ms: oneMs, pool_ms: since(full), workers: result.workers, checked: result.checked, one_cpu: oneCpuUsed, pool_cpu: cpuSince(fullCpu) };

}
await catalog.close();
// maxRSS is in kilobytes.
console.log(JSON.stringify({
  ms, ingest_ms: ingestMs, phases, cpu_ms: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1000,
  files: summary.files, bytes: summary.bytes, bytes_deduplicated: summary.bytes_deduplicated,
  max_rss_mb: process.resourceUsage().maxRSS / 1024, validate_ms: validateMs, pool, formats,
}));
