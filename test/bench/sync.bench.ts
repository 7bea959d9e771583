/**
 * `sync` of N sources where nothing changed (every server answers 304), against the same
 * number of plain conditional GETs in the same process, with the same concurrency (4),
 * against the same local server. Target: sync within 1.5× of the plain GETs.
 *
 * The sources start as after an earlier run: their validators are stored (what the first
 * real run writes), so every check is a conditional GET answered 304.
 *   node --import tsx test/bench/sync.bench.ts      (ONTOCAT_BENCH_SCALE scales N)
 */
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { openCatalog } from '../../electron/catalog/open-catalog.js';
import { putValidators, upsertSource } from '../../electron/catalog/source-queries.js';
import { artifactKey } from '../../electron/sources/resolvers.js';
import { syncSources } from '../../electron/sources/sync.js';
import { release, ReleaseServer } from '../helpers/release-server.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { fmt, percentile, printTable, scaled } from './bench-utils.js';

const agent = new http.Agent({ keepAlive: false });

function conditionalGet(url: string, etag: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent, headers: { 'if-none-match': etag, 'user-agent': 'bench' } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); }).on('error', reject);
  });
}

async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => { while (next < items.length) { const item = items[next]!; next += 1; await task(item); } }));
}

export async function main(): Promise<void> {
  const n = scaled(200);
  const rounds = 5;
  const server = new ReleaseServer();
  await server.start();
  const temp = makeTempRoot('ontocat-bench-sync');
  const catalog = await openCatalog({ root: temp.root, app: 'bench' });
  try {
    const urls: { id: string; url: string; etag: string }[] = [];
    await catalog.write(async (tx) => {
      for (let i = 0; i < n; i += 1) {
        const id = `s${String(i).padStart(4, '0')}`;
        const url = `${server.base}/files/${id}.obo`;
        const served = release(Buffer.from(`format-version: 1.2\ndata-version: ${i}\n`), 'Mon, 01 Jan 2024 00:00:00 GMT');
        server.current.set(`/files/${id}.obo`, served);
        const spec = { id, service: id, artifacts: [{ type: 'url' as const, url }] };
        await upsertSource(tx, spec);
        await putValidators(tx, id, artifactKey(spec.artifacts[0]!), { url, etag: served.etag, last_modified: served.lastModified, sha256: '0'.repeat(64) });
        urls.push({ id, url, etag: served.etag });
      }
    });
    const syncTimes: number[] = [];
    const getTimes: number[] = [];
    let requestsPerSync = 0;
    for (let round = 0; round < rounds + 1; round += 1) {
      server.log.length = 0;
      let started = performance.now();
      const result = await syncSources(catalog, { trigger: 'cli', actor: 'bench' });
      const syncMs = performance.now() - started;
      if (result.unchanged !== n) throw new Error(`expected ${n} unchanged, got ${JSON.stringify({ ...result, runs: undefined })}`);
      requestsPerSync = server.log.length;
      started = performance.now();
      await pool(urls, 4, async ({ url, etag }) => { if ((await conditionalGet(url, etag)) !== 304) throw new Error('expected 304'); });
      const getMs = performance.now() - started;
      if (round > 0) { syncTimes.push(syncMs); getTimes.push(getMs); } // round 0 warms up
    }
    const syncMedian = percentile(syncTimes, 50);
    const getMedian = percentile(getTimes, 50);
    console.log(`${n} sources, all 304, concurrency 4, ${rounds} rounds (median):`);
    printTable([
      { run: 'ontocat sync (all 304)', ms: fmt(syncMedian), requests: requestsPerSync, per_source_ms: fmt(syncMedian / n) },
      { run: 'plain conditional GETs', ms: fmt(getMedian), requests: n, per_source_ms: fmt(getMedian / n) },
    ]);
    console.log(`ratio sync / plain GETs: ${(syncMedian / getMedian).toFixed(2)}x (target ≤ 1.5x)`);
    // Each round's sync next to the GETs right after it: the pairs share the machine's load of the moment.
    const paired = syncTimes.map((ms, i) => ms / getTimes[i]!).sort((a, b) => a - b);
    console.log(`per-round ratios: min ${paired[0]!.toFixed(2)}x, median ${percentile(paired, 50).toFixed(2)}x, max ${paired.at(-1)!.toFixed(2)}x`);
  } finally {
    await catalog.close();
    await server.stop();
    temp.cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
