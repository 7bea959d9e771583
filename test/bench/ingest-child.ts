// Child process of ingest.bench.ts: one ingest, timed, with this process's peak RSS.
//   node --import tsx test/bench/ingest-child.ts ROOT SOURCE SERVICE VERSION
import { openCatalog } from '../../electron/catalog/open-catalog.js';
import { ingest } from '../../electron/ingest/ingest.js';

const [root, source, service, version] = process.argv.slice(2) as [string, string, string, string];
const catalog = await openCatalog({ root, app: 'bench' });
const started = process.hrtime.bigint();
const summary = await ingest(catalog, source, { service, version });
const ms = Number(process.hrtime.bigint() - started) / 1e6;
await catalog.close();
// maxRSS is in kilobytes.
console.log(JSON.stringify({ ms, files: summary.files, bytes: summary.bytes, max_rss_mb: process.resourceUsage().maxRSS / 1024 }));
