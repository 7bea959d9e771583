// Child process of doctor.bench.ts: runs one doctor scan on ROOT and prints its timings
// and this process's peak RSS as JSON (a child, so the parent's memory does not count).
import { planDoctor } from '../../electron/catalog/doctor.js';
import { openCatalog } from '../../electron/catalog/open-catalog.js';

const root = process.argv[2]!;
const catalog = await openCatalog({ root, app: 'ontocat-bench' });
const started = performance.now();
const plan = await planDoctor(catalog, {});
const planMs = performance.now() - started;
await catalog.close();
console.log(JSON.stringify({
  plan_ms: planMs,
  scanned_files: plan.scanned_files,
  findings: plan.findings.length,
  peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
}));
