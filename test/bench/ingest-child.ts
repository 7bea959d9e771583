// Child process of ingest.bench.ts: one ingest (store and record, or with its validation),
// timed from after the catalog opened to the last commit, with this process's peak RSS.
//   node --import tsx test/bench/ingest-child.ts ROOT SOURCE SERVICE VERSION store|validate
import { openCatalog } from '../../electron/catalog/open-catalog.js';
import { ingest } from '../../electron/ingest/ingest.js';
import { validateVersion } from '../../electron/ingest/validate/validate-version.js';

const [root, source, service, version, mode] = process.argv.slice(2) as [string, string, string, string, string];
const catalog = await openCatalog({ root, app: 'bench' });
const started = process.hrtime.bigint();
const summary = await ingest(catalog, source, { service, version });
let validateMs: number | null = null;
if (mode === 'validate') {
  const validating = process.hrtime.bigint();
  await validateVersion(catalog, { service, version });
  validateMs = Number(process.hrtime.bigint() - validating) / 1e6;
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;
await catalog.close();
// maxRSS is in kilobytes.
console.log(JSON.stringify({
  ms, files: summary.files, bytes: summary.bytes, bytes_deduplicated: summary.bytes_deduplicated,
  max_rss_mb: process.resourceUsage().maxRSS / 1024, validate_ms: validateMs,
}));
