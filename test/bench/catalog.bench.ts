// Catalog core benchmark (issue: foundation). Generates 1,000,000 file rows over 20
// versions of 5 services, then prints p50/p95 of every query of the query API and the
// bulk insert rate, next to DuckDB inserting the same rows from SQL alone (the ceiling).
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listEvents } from '../../electron/catalog/event-queries.js';
import { findArtifact, findBySha256, getFile, listDirectory, listFiles } from '../../electron/catalog/file-queries.js';
import { openCatalog } from '../../electron/catalog/open-catalog.js';
import { cachedStorageUsage, storageUsage } from '../../electron/catalog/usage-queries.js';
import { listValidations, validationSummary } from '../../electron/catalog/validation-queries.js';
import { getLatest, listVersions, versionStats } from '../../electron/catalog/version-queries.js';
import {
  replaceVersionFiles, replaceVersionValidations, setLatestPointer, upsertArtifact, upsertVersion, type NewFile, type NewValidation,
} from '../../electron/catalog/write-records.js';
import { fmt, percentile, printTable, scaled, timeRuns } from './bench-utils.js';

const SERVICES = ['go', 'chebi', 'uberon', 'mondo', 'hp'];
const VERSIONS_PER_SERVICE = 4;
const FORMATS = ['turtle', 'rdfxml', 'obo', 'json', 'csv'];

function hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Files of one version: 20 top folders × 50 sub-folders × N files; ~3% change per version. */
function* versionFiles(service: string, versionIndex: number, perVersion: number): Generator<NewFile> {
  for (let i = 0; i < perVersion; i += 1) {
    const top = i % 20;
    const sub = Math.floor(i / 20) % 50;
    const changed = (i * 7 + versionIndex) % 33 === 0;
    yield {
      relpath: `part${top}/group ${sub}/term_${i}.${['ttl', 'owl', 'obo', 'json', 'csv'][i % 5]}`,
      format: FORMATS[i % 5]!,
      size_bytes: 1000 + ((i * 37) % 9000),
      sha256: hex(`${service}:${i}:${changed ? versionIndex : 0}`),
      mtime: Date.UTC(2024, versionIndex, 1),
    };
  }
}

export async function main(): Promise<void> {
  const totalFiles = scaled(1_000_000, 2000);
  const versions = SERVICES.length * VERSIONS_PER_SERVICE;
  const perVersion = Math.floor(totalFiles / versions);
  const root = mkdtempSync(path.join(tmpdir(), 'ontocat-bench-catalog-'));
  const catalog = await openCatalog({ root });
  try {
    console.log(`Generating ${(perVersion * versions).toLocaleString()} file rows over ${versions} versions of ${SERVICES.length} services…`);
    let insertMs = 0;
    let rows = 0;
    for (const [s, service] of SERVICES.entries()) {
      for (let v = 0; v < VERSIONS_PER_SERVICE; v += 1) {
        const version = `2024.${v + 1}`;
        const files = [...versionFiles(service, v, perVersion)];
        const validations: NewValidation[] = files.filter((_, i) => i % 10 === 0).map((file, i) => ({
          relpath: file.relpath, validator: file.format, rule: i % 4 === 0 ? 'missing-label' : 'syntax',
          severity: i % 4 === 0 ? 'WARN' : 'ERROR', passed: i % 3 !== 0, message: i % 3 !== 0 ? null : 'unexpected token', line: i % 3 !== 0 ? null : 3,
        }));
        const started = performance.now();
        await catalog.write(async (tx) => {
          await upsertVersion(tx, { service, version, created_at: new Date(Date.UTC(2024, v, 1 + s)) });
          await replaceVersionFiles(tx, { service, version }, files);
        });
        insertMs += performance.now() - started;
        rows += files.length;
        await catalog.write(async (tx) => {
          await replaceVersionValidations(tx, { service, version }, validations);
          await upsertArtifact(tx, { service, version, name: `${service}.tar.gz`, size_bytes: 123456, sha256: hex(`${service}${v}`), status: 'fresh' });
          if (v === VERSIONS_PER_SERVICE - 1) await setLatestPointer(tx, { service, version }, 'bench');
        });
      }
    }
    const appenderRate = rows / (insertMs / 1000);

    // References: the same number of rows generated and inserted by DuckDB alone, no Node in
    // the loop — into an in-memory temp table (no disk at all), and into a table of the
    // catalog file with its own commit (the same durable write our path pays for).
    const refs = await catalog.exclusive(async (conn) => {
      const generate = (table: string) => `INSERT INTO ${table} SELECT md5('file' || i)::UUID, NULL, md5('v')::UUID, 'svc', 'part' || (i % 20) || '/group ' || (i // 20 % 50) || '/term_' || i || '.ttl',
        'part' || (i % 20) || '/group ' || (i // 20 % 50), 'term_' || i || '.ttl', 'turtle', 1000 + i % 9000, sha256(i::VARCHAR), now()::TIMESTAMP, NULL, i::UBIGINT, i::UBIGINT, i::UBIGINT, i::UBIGINT FROM range(${perVersion}) r(i)`;
      await conn.run('CREATE TEMP TABLE ref_files AS SELECT * FROM extracted_files LIMIT 0');
      await conn.run('ALTER TABLE ref_files ADD PRIMARY KEY (file_id)').catch(() => undefined);
      let started = performance.now();
      await conn.run(generate('ref_files'));
      const memoryMs = performance.now() - started;
      await conn.run('DROP TABLE ref_files');
      await conn.run('CREATE TABLE main.ref_disk_files AS SELECT * FROM extracted_files LIMIT 0');
      await conn.run('ALTER TABLE main.ref_disk_files ADD PRIMARY KEY (file_id)');
      // Start from an empty WAL, so this commit does not pay for a checkpoint of the
      // versions recorded above.
      await conn.run('CHECKPOINT');
      started = performance.now();
      await conn.run('BEGIN');
      await conn.run(generate('main.ref_disk_files'));
      await conn.run('COMMIT');
      const diskMs = performance.now() - started;
      await conn.run('DROP TABLE main.ref_disk_files');
      return { memoryMs, diskMs };
    });
    const memoryRate = perVersion / (refs.memoryMs / 1000);
    const diskRate = perVersion / (refs.diskMs / 1000);
    console.log(`\nBulk insert of file rows (primary key in place, ${perVersion.toLocaleString()} rows per version, one transaction each):`);
    printTable([
      { path: 'replaceVersionFiles from Node, commit included', 'rows/s': Math.round(appenderRate).toLocaleString(), 'vs DuckDB alone, on disk': `${(appenderRate / diskRate).toFixed(2)}×`, target: '300,000', ok: appenderRate >= 300_000 ? 'yes' : 'NO' },
      { path: 'DuckDB alone from SQL, catalog file + commit', 'rows/s': Math.round(diskRate).toLocaleString(), 'vs DuckDB alone, on disk': '1.00×', target: '', ok: '' },
      { path: 'DuckDB alone from SQL, in-memory temp table', 'rows/s': Math.round(memoryRate).toLocaleString(), 'vs DuckDB alone, on disk': `${(memoryRate / diskRate).toFixed(2)}×`, target: '', ok: '' },
    ]);
    console.log(`(${rows.toLocaleString()} rows in ${(insertMs / 1000).toFixed(1)} s)`);

    const mid = { service: 'uberon', version: '2024.3' };
    const sample = [...versionFiles('uberon', 2, perVersion)][Math.floor(perVersion / 2)]!;
    const artifact = await catalog.read((conn) => conn.scalar<string>('SELECT artifact_id::VARCHAR FROM artifacts LIMIT 1'));
    const queries: [string, (conn: Parameters<Parameters<typeof catalog.read>[0]>[0]) => Promise<unknown>][] = [
      ['versions: list (all, newest first)', (c) => listVersions(c)],
      ['versions: list (service, by bytes)', (c) => listVersions(c, { service: 'go', sort: 'bytes', direction: 'desc' })],
      ['version stats', (c) => versionStats(c, mid)],
      ['files: first page', (c) => listFiles(c, mid)],
      ['files: prefix + format', (c) => listFiles(c, mid, { prefix: 'part7', format: 'obo' })],
      ['files: name search', (c) => listFiles(c, mid, { search: 'term_4242' })],
      ['files: sort by size, page 10', (c) => listFiles(c, mid, { sort: 'size_bytes', direction: 'desc', offset: 900, limit: 100 })],
      ['files: failed validations', (c) => listFiles(c, mid, { status: 'failed' })],
      ['file by path', (c) => getFile(c, mid, sample.relpath)],
      ['directory: top level', (c) => listDirectory(c, mid)],
      ['directory: one folder', (c) => listDirectory(c, mid, { dir: 'part7' })],
      ['directory: leaf folder', (c) => listDirectory(c, mid, { dir: 'part7/group 3' })],
      ['validations: failures page', (c) => listValidations(c, mid, { passed: false })],
      ['validations: summary', (c) => validationSummary(c, mid)],
      ['latest: get', (c) => getLatest(c, 'go')],
      ['find by sha256', (c) => findBySha256(c, sample.sha256)],
      ['find by artifact id', (c) => findArtifact(c, artifact!)],
      ['storage usage, computed (first call after a write)', (c) => storageUsage(c)],
      ['events: newest page', (c) => listEvents(c)],
    ];
    const table: Record<string, string | number>[] = [];
    let worst = 0;
    for (const [name, query] of queries) {
      const times = await timeRuns(() => catalog.read((conn) => query(conn)), 30, 3);
      const p95 = percentile(times, 95);
      worst = Math.max(worst, p95);
      table.push({ query: name, 'p50 ms': fmt(percentile(times, 50)), 'p95 ms': fmt(p95), 'target p95': '50', ok: p95 < 50 ? 'yes' : 'NO' });
    }
    // The Storage page goes through the cache, which only recomputes after a write.
    const cachedTimes = await timeRuns(() => cachedStorageUsage(catalog), 30, 3);
    table.push({ query: 'storage usage, as served (cached until a write)', 'p50 ms': fmt(percentile(cachedTimes, 50)), 'p95 ms': fmt(percentile(cachedTimes, 95)), 'target p95': '50', ok: percentile(cachedTimes, 95) < 50 ? 'yes' : 'NO' });
    console.log(`\nQueries at ${rows.toLocaleString()} file rows (30 runs each after 3 warm-ups):`);
    printTable(table);
    console.log(`Worst p95: ${fmt(worst)} ms (target < 50 ms); appender target ≥ 300,000 rows/s.`);
  } finally {
    await catalog.close();
    rmSync(root, { recursive: true, force: true });
  }
}
