// Child process of doctor.bench.ts: times the bare fs scan and a whole doctor plan on
// ROOT, and prints them with this process's peak RSS as JSON (a child, so the parent's
// memory does not count).
import { planDoctor } from '../../electron/catalog/doctor.js';
import { openCatalog } from '../../electron/catalog/open-catalog.js';
import { scanRoot } from '../../electron/storage/fs-scan.js';

const root = process.argv[2]!;
let started = performance.now();
let rows = 0;
await scanRoot(root, { block: (_text, count) => { rows += count; }, odd: () => { rows += 1; } });
const scanMs = performance.now() - started;
const catalog = await openCatalog({ root, app: 'ontocat-bench' });
started = performance.now();
const plan = await planDoctor(catalog, {});
const planMs = performance.now() - started;
await catalog.close();
console.log(JSON.stringify({
  scan_ms: scanMs,
  scan_rows: rows,
  plan_ms: planMs,
  scanned_files: plan.scanned_files,
  findings: plan.findings.length,
  peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
}));
