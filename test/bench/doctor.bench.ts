// Doctor scan of a generated storage root, next to `find ROOT -type f -printf '%P\t%s\n'`
// on the same root in the same run. Target: within 2× of find's wall time, peak RSS
// under 500 MB. 1,000,000 files at ONTOCAT_BENCH_SCALE=1.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCatalog } from '../../electron/catalog/open-catalog.js';
import { replaceVersionFiles, setLatestPointer, upsertVersion, type NewFile } from '../../electron/catalog/write-records.js';
import { casRelpath } from '../../electron/storage/layout.js';
import { writeLatestFile } from '../../electron/storage/latest-file.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const scale = Number(process.env.ONTOCAT_BENCH_SCALE ?? '1');

/**
 * Builds a root of `total` files: 5 versions of each service share most content, so
 * data files are hardlinks to far fewer content objects (as ingest makes them).
 */
export async function generate(root: string, total: number): Promise<void> {
  const versions = 5;
  const services = Math.max(1, Math.round(total / 50_000));
  // Per version file count so that data files + distinct objects ≈ total.
  const perVersion = Math.max(1, Math.floor(total / (services * (versions + 1.2))));
  const catalog = await openCatalog({ root, app: 'ontocat-bench' });
  for (let s = 0; s < services; s += 1) {
    const service = `svc${s}`;
    for (let v = 0; v < versions; v += 1) {
      const version = `v${v}`;
      const files: NewFile[] = [];
      for (let i = 0; i < perVersion; i += 1) {
        // Every 5th file changes in each version; the rest are shared across versions.
        const content = i % 5 === 0 ? `${service} ${version} file ${i}\n` : `${service} file ${i}\n`;
        const sha = createHash('sha256').update(content).digest('hex');
        const object = path.join(root, casRelpath(sha));
        const relpath = `d${i % 100}/f${i}.txt`;
        const target = path.join(root, service, version, 'data', relpath);
        if (v === 0 || i % 5 === 0) {
          mkdirSync(path.dirname(object), { recursive: true });
          writeFileSync(object, content);
        }
        if (i < 100) mkdirSync(path.dirname(target), { recursive: true });
        linkSync(object, target);
        files.push({ relpath, format: 'txt', size_bytes: Buffer.byteLength(content), sha256: sha, mtime: null, cas_relpath: casRelpath(sha) });
      }
      await catalog.write(async (tx) => {
        await upsertVersion(tx, { service, version });
        await replaceVersionFiles(tx, { service, version }, files);
        if (v === versions - 1) {
          await setLatestPointer(tx, { service, version }, 'bench', async () => {
            writeLatestFile(root, { service, version, updated_at: new Date().toISOString(), by: 'bench' });
          });
        }
      });
    }
  }
  await catalog.close();
}

function timeFind(root: string): number {
  const started = performance.now();
  execFileSync('sh', ['-c', `find "${root}" -type f -printf '%P\\t%s\\n' > /dev/null`]);
  return performance.now() - started;
}

export async function main(): Promise<void> {
  const total = Math.round(1_000_000 * scale);
  const root = mkdtempSync(path.join(tmpdir(), 'ontocat-doctor-bench-'));
  try {
    const genStarted = performance.now();
    await generate(root, total);
    const fileCount = Number(execFileSync('sh', ['-c', `find "${root}" -type f | wc -l`]).toString().trim());
    console.log(`root: ${fileCount} files (generated in ${((performance.now() - genStarted) / 1000).toFixed(1)} s)`);

    timeFind(root); // warm the cache for both

    const runs: {
      scan_ms: number; plan_ms: number; find_ms: number; wall_ms: number; peak_rss_bytes: number;
      scan_peak_rss_bytes: number | null; plan_peak_rss_bytes: number | null; scanned_files: number; findings: number;
    }[] = [];
    for (let i = 0; i < 3; i += 1) {
      // find right before each doctor run, so both see the same machine load.
      const findMs = timeFind(root);
      const started = performance.now();
      const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'doctor-bench-child.ts'), root], { encoding: 'utf8' });
      const wall = performance.now() - started;
      if (child.status !== 0) throw new Error(`doctor child failed: ${child.stderr}`);
      runs.push({ ...JSON.parse(child.stdout.trim().split('\n').at(-1)!), wall_ms: wall, find_ms: findMs });
    }
    const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const findMs = median(runs.map((run) => run.find_ms));
    const scanMs = median(runs.map((run) => run.scan_ms));
    const planMs = median(runs.map((run) => run.plan_ms));
    // getrusage and VmHWM count pages slightly differently: report the larger.
    const peak = Math.max(...runs.map((run) => Math.max(run.peak_rss_bytes, run.scan_peak_rss_bytes ?? 0, run.plan_peak_rss_bytes ?? 0)));
    console.log(`(medians of ${runs.length} runs)`);
    console.log(`find -printf:            ${findMs.toFixed(0)} ms`);
    console.log(`fs scan (listing only):  ${scanMs.toFixed(0)} ms  ratio ${(scanMs / findMs).toFixed(2)}×`);
    console.log(`doctor plan (scan, load into DuckDB, SQL checks, store plan): ${planMs.toFixed(0)} ms  ratio ${(planMs / findMs).toFixed(2)}×  (target ≤ 2×; ${runs[0]!.scanned_files} files listed, ${runs[0]!.findings} findings)`);
    console.log(`doctor process wall:     ${median(runs.map((run) => run.wall_ms)).toFixed(0)} ms  (incl. node + tsx start, catalog open, both timings)`);
    console.log(`peak RSS (child):        ${(peak / 1e6).toFixed(0)} MB  (target < 500 MB; max of ${runs.length} runs, whole doctor process incl. DuckDB)`);
    const phasePeak = (key: 'scan_peak_rss_bytes' | 'plan_peak_rss_bytes'): string => {
      const values = runs.map((run) => run[key]).filter((value): value is number => value !== null);
      return values.length === runs.length ? `${(Math.max(...values) / 1e6).toFixed(0)} MB` : 'n/a';
    };
    console.log(`  of which: bare fs scan ${phasePeak('scan_peak_rss_bytes')}, doctor plan (catalog open to plan stored) ${phasePeak('plan_peak_rss_bytes')}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
