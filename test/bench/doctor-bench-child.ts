// Child process of doctor.bench.ts: times the bare fs scan and a whole doctor plan on
// ROOT, and prints them with this process's peak RSS as JSON (a child, so the parent's
// memory does not count). Peak RSS is the kernel's high-water mark for the whole process:
// V8 heaps, the scan's worker threads and DuckDB's native memory alike.
import { readFileSync, writeFileSync } from 'node:fs';
import { planDoctor } from '../../electron/catalog/doctor.js';
import { openCatalog } from '../../electron/catalog/open-catalog.js';
import { scanRoot } from '../../electron/storage/fs-scan.js';

/** VmHWM in bytes, or null off Linux. */
function highWaterMark(): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Starts a new high-water mark (Linux: writing 5 to clear_refs resets VmHWM to the current RSS). */
function resetHighWaterMark(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

const root = process.argv[2]!;
let started = performance.now();
let rows = 0;
await scanRoot(root, { block: (_text, count) => { rows += count; }, odd: () => { rows += 1; } });
const scanMs = performance.now() - started;
const scanPeak = highWaterMark();
const planPeakMeasured = resetHighWaterMark();
const catalog = await openCatalog({ root, app: 'ontocat-bench' });
started = performance.now();
const plan = await planDoctor(catalog, {});
const planMs = performance.now() - started;
const planPeak = planPeakMeasured ? highWaterMark() : null;
await catalog.close();
console.log(JSON.stringify({
  scan_ms: scanMs,
  scan_rows: rows,
  plan_ms: planMs,
  scanned_files: plan.scanned_files,
  findings: plan.findings.length,
  // getrusage's maximum is never reset: the peak of the whole process, both phases.
  peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
  scan_peak_rss_bytes: scanPeak,
  plan_peak_rss_bytes: planPeak,
}));
