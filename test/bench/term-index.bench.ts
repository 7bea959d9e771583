// Term index (issue #16): a generated service of 50 releases of a GO-sized OBO ontology
// (~50,000 terms each, 10% churn per release spread over relabels, redefinitions,
// re-parenting, deprecations with replacement, removals and additions). Prints the cost
// of indexing next to validation alone, search p95, term history p95, the whole-version
// term delta from the index next to the per-file parse-based term delta of the same pair,
// index size and peak RSS, on a catalog that also holds a million file rows of other
// services. `ONTOCAT_BENCH_SCALE=0.2` (or --quick) shrinks it.
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { openCatalog } from '../../electron/catalog/open-catalog.js';
import { searchTerms, termHistory, versionTermDelta } from '../../electron/catalog/term-index-queries.js';
import { finishChunkedContent, recordContentChunk, recordContentTerms, type TermRecord } from '../../electron/catalog/term-index.js';
import type { TermColumns } from '../../electron/catalog/term-columns.js';
import { extractTerms } from '../../electron/ingest/parsers/extract-terms.js';
import { computeTermDelta } from '../../electron/ingest/terms/term-delta.js';
import { ingest } from '../../electron/ingest/ingest.js';
import { validateFile } from '../../electron/ingest/validate/validate-file.js';
import { validateVersion } from '../../electron/ingest/validate/validate-version.js';
import { replaceVersionFiles, upsertVersion } from '../../electron/catalog/write-records.js';
import { recordVersion } from '../helpers/catalog-fixtures.js';
import { projectRoot } from '../helpers/run-cli.js';
import { bundledWorkerUrl, fmt, percentile, printTable, scaled, timeRuns } from './bench-utils.js';
import { versionFiles } from './catalog.bench.js';

/** Services of other, unindexed files next to the ontology: every term query must stay fast on a catalog of this many file rows. */
const OTHER_SERVICES = ['chebi', 'uberon', 'mondo', 'hp'];
const OTHER_VERSIONS = 5;

/** Fills the catalog with the other services' file rows unless a kept catalog has them already. */
async function addOtherFileRows(catalog: Awaited<ReturnType<typeof openCatalog>>, perVersion: number): Promise<number> {
  const present = await catalog.read((conn) => conn.scalar<number>("SELECT count(*) FROM extracted_files WHERE service <> 'go'"));
  if (Number(present) > 0) return Number(present);
  for (const service of OTHER_SERVICES) {
    for (let v = 0; v < OTHER_VERSIONS; v += 1) {
      const ref = { service, version: `2024.${v + 1}` };
      await catalog.write(async (tx) => {
        await upsertVersion(tx, { ...ref, created_at: new Date(Date.UTC(2024, v, 1)) });
        await replaceVersionFiles(tx, ref, versionFiles(service, v, perVersion));
      });
    }
  }
  return OTHER_SERVICES.length * OTHER_VERSIONS * perVersion;
}

interface GenTerm { n: number; name: string; def: string; parent: number; deprecated: boolean; replacedBy: number | null }

/** A small deterministic PRNG (mulberry32), so every run generates the same releases. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const goId = (n: number): string => `GO:${String(n).padStart(7, '0')}`;

function oboText(terms: readonly GenTerm[], release: number): string {
  const out = ['format-version: 1.2', `data-version: releases/2020-01-${String((release % 28) + 1).padStart(2, '0')}`, 'ontology: go', ''];
  for (const t of terms) {
    out.push('[Term]', `id: ${goId(t.n)}`, `name: ${t.name}`, `def: "${t.def}" [GOC:bench]`, `synonym: "${t.name} activity" EXACT []`);
    if (t.parent !== t.n) out.push(`is_a: ${goId(t.parent)} ! parent`);
    if (t.deprecated) out.push('is_obsolete: true');
    if (t.replacedBy !== null) out.push(`replaced_by: ${goId(t.replacedBy)}`);
    out.push('');
  }
  return out.join('\n');
}

/** The generated terms as the OBO parser reads them from oboText (checked on the first release). */
function termRecords(terms: readonly GenTerm[]): TermRecord[] {
  return terms.map((t) => ({
    id: goId(t.n), kind: 'class', labels: [{ value: t.name, lang: null }], synonyms: [`${t.name} activity`], definitions: [{ value: t.def, lang: null }],
    deprecated: t.deprecated, replaced_by: t.replacedBy === null ? [] : [goId(t.replacedBy)], consider: [],
    parents: t.parent === t.n ? [] : [goId(t.parent)],
  }));
}

/** The releases: each one's terms from the previous with 10% of the live terms changed. */
function* releases(count: number, size: number): Generator<GenTerm[]> {
  const random = rng(16);
  let next = 1;
  let terms: GenTerm[] = [];
  for (let i = 0; i < size; i += 1, next += 1) {
    terms.push({ n: next, name: `biological process ${next}`, def: `A generated process number ${next}, defined at moderate length for the benchmark.`, parent: Math.max(1, Math.floor(next / 2)), deprecated: false, replacedBy: null });
  }
  yield terms;
  for (let r = 1; r < count; r += 1) {
    const live = terms.filter((t) => !t.deprecated);
    const changed = new Map<number, GenTerm | null>();
    const churn = Math.round(live.length * 0.1);
    for (let k = 0; k < churn; k += 1) {
      const t = live[Math.floor(random() * live.length)]!;
      if (changed.has(t.n)) continue;
      const roll = random();
      if (roll < 0.3) changed.set(t.n, { ...t, name: `${t.name} (r${r})` });
      else if (roll < 0.55) changed.set(t.n, { ...t, def: `${t.def} Revised in release ${r}.` });
      else if (roll < 0.7) changed.set(t.n, { ...t, parent: live[Math.floor(random() * live.length)]!.n });
      else if (roll < 0.85) changed.set(t.n, { ...t, deprecated: true, replacedBy: live[Math.floor(random() * live.length)]!.n, name: `obsolete ${t.name}` });
      else changed.set(t.n, null);
    }
    terms = terms.flatMap((t) => (changed.has(t.n) ? (changed.get(t.n) ? [changed.get(t.n)!] : []) : [t]));
    const removed = [...changed.values()].filter((t) => t === null).length;
    for (let k = 0; k < removed; k += 1, next += 1) {
      terms.push({ n: next, name: `new process ${next}`, def: `Added in release ${r}.`, parent: live[Math.floor(random() * live.length)]!.n, deprecated: false, replacedBy: null });
    }
    yield terms;
  }
}

/** The catalog as it was before the measured validations: each round (and each re-run on a kept catalog) measures indexing on a copy of it. */
const MEASURE_BASE = 'bench-before-indexing.duckdb';

/** Rounds of the indexing measure (ONTOCAT_BENCH_INDEX_ROUNDS): one round's ratio moved between 1.11x and 1.32x within one run on a shared two-core machine. */
const INDEX_ROUNDS = Math.max(1, Number(process.env.ONTOCAT_BENCH_INDEX_ROUNDS ?? 3));

/** One round of the indexing measure: the probe releases' summed times. */
interface IndexingRound { readonly plain: number; readonly indexed: number }

/**
 * Runs `task` on a fresh copy (`name`) of the catalog as it was before indexing
 * (MEASURE_BASE), then closes and removes the copy with its WAL.
 */
async function onBaseCopy<T>(root: string, name: string, task: (catalog: Awaited<ReturnType<typeof openCatalog>>) => Promise<T>): Promise<T> {
  const scratch = path.join(root, name);
  copyFileSync(path.join(root, MEASURE_BASE), scratch);
  const catalog = await openCatalog({ root, dbPath: scratch });
  try {
    return await task(catalog);
  } finally {
    await catalog.close();
    rmSync(scratch, { force: true });
    rmSync(`${scratch}.wal`, { force: true });
  }
}

/**
 * Indexing cost: the first releases validated without and with the term recording, in
 * INDEX_ROUNDS rounds, each on a fresh copy of the catalog as it was before they were
 * indexed. Within a round each release is validated both ways, the two runs in turn
 * first (the run after another meets its leftovers: a worker's teardown, a colder cache),
 * and every run starts from a checkpointed catalog, so none pays for a checkpoint of
 * earlier writes inside its commit. The figure is the round of median ratio.
 */
async function measureIndexing(root: string, probeCount: number, workerUrl: URL): Promise<IndexingRound & { probe: string[]; rounds: IndexingRound[] }> {
  const rounds: IndexingRound[] = [];
  let probe: string[] = [];
  for (let round = 0; round < INDEX_ROUNDS; round += 1) {
    let plain = 0;
    let indexed = 0;
    await onBaseCopy(root, 'bench-measure.duckdb', async (catalog) => {
      const rows = await catalog.read((conn) => conn.all<{ version: string }>("SELECT version FROM versions WHERE service = 'go' ORDER BY version"));
      probe = rows.slice(0, probeCount).map((row) => row.version);
      for (const [i, version] of probe.entries()) {
        for (const indexTerms of (round + i) % 2 === 0 ? [false, true] : [true, false]) {
          await catalog.exclusive((conn) => conn.run('CHECKPOINT'));
          const started = performance.now();
          await validateVersion(catalog, { service: 'go', version }, { indexTerms, workerUrl });
          if (indexTerms) indexed += performance.now() - started;
          else plain += performance.now() - started;
        }
      }
    });
    rounds.push({ plain, indexed });
    console.log(`Round ${round + 1}: validation alone ${fmt(plain)} ms, with term recording ${fmt(indexed)} ms (${(indexed / plain).toFixed(2)}x) for ${probe.join(', ')}`);
  }
  const median = [...rounds].sort((x, y) => x.indexed / x.plain - y.indexed / y.plain)[Math.floor(rounds.length / 2)]!;
  return { ...median, probe, rounds };
}

/** The two parts of the recording's cost, each measured apart from the other on one release. */
interface RecordingParts {
  readonly parse: number;
  readonly handOver: number;
  readonly writeCpu: number;
  readonly writeWall: number;
}

/**
 * Where the recording's cost lies, on the first probe release, measured apart so neither
 * part hides in the other:
 * - on the parse's own thread: the file parsed in this thread alone, and again handing its
 *   terms back as index columns (thrown away), the runs paired and in turn first, median of
 *   each (warm, no worker start);
 * - in the catalog: those columns written as a validation writes them (chunk by chunk, then
 *   the content's record) into a copy of the catalog before indexing, the process's CPU
 *   time for it (DuckDB's threads included) and its wall time.
 * On two cores the parse already keeps the second core partly busy (V8's parallel garbage
 * collection), so the writes cannot all hide beside it.
 */
async function measureRecordingParts(root: string, version: string): Promise<RecordingParts> {
  const absPath = path.join(root, 'go', version, 'data', 'go.obo');
  const task = { relpath: 'go.obo', absPath, format: 'obo', size_bytes: statSync(absPath).size };
  const parse: number[] = [];
  const handOver: number[] = [];
  const chunks: TermColumns[] = [];
  for (let i = 0; i < 8; i += 1) {
    for (const hand of i % 2 === 0 ? [false, true] : [true, false]) {
      if (hand) chunks.length = 0;
      const started = performance.now();
      const result = await validateFile({ ...task, index_terms: hand, stream_terms: hand }, {}, (columns) => chunks.push(columns));
      const ms = performance.now() - started;
      if (i < 2) continue;
      if (hand) {
        handOver.push(ms);
        if (result.index_terms) chunks.push(result.index_terms);
      } else parse.push(ms);
    }
  }
  return onBaseCopy(root, 'bench-parts.duckdb', async (catalog) => {
    await catalog.exclusive((conn) => conn.run('CHECKPOINT'));
    const cpu = process.cpuUsage();
    const started = performance.now();
    let contentId: number | null = null;
    for (const chunk of chunks.slice(0, -1)) contentId = await catalog.write((tx) => recordContentChunk(tx, contentId, chunk));
    const rest = chunks.at(-1)!;
    const terms = chunks.reduce((sum, chunk) => sum + chunk.count, 0);
    await catalog.write((tx) => finishChunkedContent(tx, { sha256: `parts-${version}`, format: 'obo', contentId: contentId!, terms, rest }));
    const used = process.cpuUsage(cpu);
    return { parse: percentile(parse, 50), handOver: percentile(handOver, 50), writeCpu: (used.user + used.system) / 1000, writeWall: performance.now() - started };
  });
}

/**
 * Indexing a version of many small files, next to validating it alone: the vendored W3C
 * RDF 1.1 suites and EDAM releases (about 1,300 files). Each
 * content's recording used to cost a fixed ~27 ms here, which one large file hides.
 */
async function measureManyFiles(workerUrl: URL): Promise<{ files: number; plain: number; indexed: number }> {
  const root = mkdtempSync(path.join(tmpdir(), 'ontocat-bench-term-files-'));
  try {
    const source = path.join(root, 'source');
    const fixtures = path.join(projectRoot, 'test', 'fixtures');
    cpSync(path.join(fixtures, 'edam'), path.join(source, 'edam'), { recursive: true });
    for (const suite of ['rdf-turtle', 'rdf-xml', 'rdf-n-triples', 'rdf-trig']) cpSync(path.join(fixtures, 'w3c-rdf11', suite), path.join(source, suite), { recursive: true });
    const catalog = await openCatalog({ root: path.join(root, 'catalog') });
    try {
      const ref = { service: 'suites', version: '1' };
      const summary = await ingest(catalog, source, ref);
      await catalog.exclusive((conn) => conn.run('CHECKPOINT'));
      let started = performance.now();
      await validateVersion(catalog, ref, { indexTerms: false, workerUrl });
      const plain = performance.now() - started;
      await catalog.exclusive((conn) => conn.run('CHECKPOINT'));
      started = performance.now();
      await validateVersion(catalog, ref, { workerUrl });
      const indexed = performance.now() - started;
      console.log(`Many small files: ${summary.files} files, validation alone ${fmt(plain)} ms, with term recording ${fmt(indexed)} ms (${(indexed / plain).toFixed(2)}x)`);
      return { files: summary.files, plain, indexed };
    } finally {
      await catalog.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Generates the bench's service into `root`: `versions` releases of about `size` terms.
 * The first `probeCount` releases are the ones the indexing measure validates: the catalog
 * as it is before they are indexed is kept beside it (MEASURE_BASE), then they are
 * indexed by validation, so every query runs over all the releases. The others' terms go
 * straight into the index from the generator, as the parser would read them (checked on
 * the first release), so 50 releases of 50,000 terms do not take an hour of parsing on a
 * small shared machine.
 */
async function generateCatalog(root: string, versions: number, size: number, probeCount: number): Promise<void> {
  const catalog = await openCatalog({ root });
  try {
    const names: string[] = [];
    let bytes = 0;
    const generated = performance.now();
    let index = 0;
    for (const terms of releases(versions, size)) {
      const version = `v${String(index + 1).padStart(2, '0')}`;
      const text = oboText(terms, index);
      const file = path.join(root, 'go', version, 'data', 'go.obo');
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      bytes += Buffer.byteLength(text);
      const sha256 = createHash('sha256').update(text).digest('hex');
      await recordVersion(catalog, 'go', version, [{ relpath: 'go.obo', format: 'obo', size_bytes: statSync(file).size, sha256 }]);
      if (index === 0) {
        const parsed = (await extractTerms(file, 'obo')).map(({ line: _line, ...term }) => term);
        if (!isDeepStrictEqual(parsed, termRecords(terms))) throw new Error('The generated term records differ from what the OBO parser reads.');
      }
      if (index >= probeCount) await catalog.write((tx) => recordContentTerms(tx, { sha256, format: 'obo', terms: termRecords(terms) }));
      names.push(version);
      index += 1;
    }
    await catalog.write((tx) => tx.run("INSERT INTO latest_pointer VALUES ('go', (SELECT version_id FROM versions WHERE version = $1), now()::TIMESTAMP, 'bench')", [names.at(-1)!]));
    console.log(`${versions} releases of ${size.toLocaleString()} terms, ${(bytes / 1e6).toFixed(0)} MB of OBO, generated and ${versions - probeCount} indexed from the generator in ${fmt(performance.now() - generated)} ms`);
    await catalog.exclusive((conn) => conn.run('CHECKPOINT'));
    copyFileSync(catalog.dbPath, path.join(root, MEASURE_BASE));
    for (const version of names.slice(0, probeCount)) await validateVersion(catalog, { service: 'go', version });
  } finally {
    await catalog.close();
  }
}

export async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const versions = quick ? 10 : scaled(50, 4);
  const size = quick ? 10_000 : scaled(50_000, 2_000);
  // ONTOCAT_BENCH_KEEP=DIR keeps the generated, indexed catalog in DIR and reuses it on the
  // next run (query work on the full size without regenerating it); indexing is then
  // measured again on a copy of the kept catalog as it was before its first measurement.
  const keep = process.env.ONTOCAT_BENCH_KEEP;
  const root = keep ?? mkdtempSync(path.join(tmpdir(), 'ontocat-bench-term-index-'));
  const reuse = keep !== undefined && existsSync(path.join(keep, 'go'));
  const probeCount = Math.min(3, versions);
  try {
    if (reuse) console.log(`Reusing the releases kept in ${root}`);
    else await generateCatalog(root, versions, size, probeCount);
    if (!process.argv.includes('--build-only')) await measureAndQuery(root, size, probeCount);
  } finally {
    if (!keep) rmSync(root, { recursive: true, force: true });
  }
}

/** The indexing measure, then the queries over every release (and the many-small-files measure). */
async function measureAndQuery(root: string, size: number, probeCount: number): Promise<void> {
  const quick = process.argv.includes('--quick');
  // Both measures run the worker users run: its start is part of every run, tsx's compile from the sources is not.
  const workerUrl = await bundledWorkerUrl(projectRoot);
  const { plain, indexed, probe, rounds } = await measureIndexing(root, probeCount, workerUrl);
  const parts = await measureRecordingParts(root, probe[0]!);
  const catalog = await openCatalog({ root });
  const sampleIds: string[] = [];
  for (const terms of releases(1, size)) for (let k = 0; k < 200; k += 1) sampleIds.push(goId(terms[Math.floor((k * terms.length) / 200)]!.n));
  try {
    const names = (await catalog.read((conn) => conn.all<{ version: string }>("SELECT version FROM versions WHERE service = 'go' ORDER BY version"))).map((row) => row.version);
    const manyFiles = await measureManyFiles(workerUrl);
    const otherRows = await addOtherFileRows(catalog, quick ? 5_000 : scaled(50_000, 500));
    console.log(`Queries on a catalog that also holds ${otherRows.toLocaleString()} file rows of ${OTHER_SERVICES.length} other services`);
    const read = <T>(task: Parameters<typeof catalog.read<T>>[0]): Promise<T> => catalog.read(task);
    const searches: [string, Parameters<typeof searchTerms>[1]][] = [
      ['exact id', { query: sampleIds[7]!, match: 'exact' }],
      ['exact label', { query: 'biological process 4242', match: 'exact' }],
      ['prefix label', { query: 'biological process 4242', match: 'prefix' }],
      ['contains label, latest only', { query: 'process 12345', match: 'contains', latest_only: true }],
      ['contains, common word, latest only (page 1 of many)', { query: 'obsolete', match: 'contains', latest_only: true, limit: 50 }],
      ['contains, common word (page 1 of many)', { query: 'obsolete', match: 'contains', limit: 50 }],
    ];
    const searchRows: Record<string, string | number>[] = [];
    const allSearch: number[] = [];
    for (const [label, query] of searches) {
      const times = await timeRuns(() => read((conn) => searchTerms(conn, query)), 20, 2);
      allSearch.push(...times);
      const total = (await read((conn) => searchTerms(conn, query))).total;
      searchRows.push({ query: `search: ${label}`, hits: total, 'p50 ms': fmt(percentile(times, 50)), 'p95 ms': fmt(percentile(times, 95)) });
    }
    // What the kept tables cost when they are built again: after a write, a search rebuilds
    // the content-version map (the search text is kept while no term was added); inside a
    // write transaction a search builds the map and reads the stored search text.
    const common = searches.at(-1)![1];
    const afterWrite: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      await catalog.write((tx) => tx.run("UPDATE latest_pointer SET updated_at = updated_at WHERE slot = 'go'"));
      const started = performance.now();
      await read((conn) => searchTerms(conn, common));
      afterWrite.push(performance.now() - started);
    }
    searchRows.push({ query: 'search: common word, first after a write (map rebuilt)', hits: '-', 'p50 ms': fmt(percentile(afterWrite, 50)), 'p95 ms': '-' });
    const cold = await timeRuns(() => catalog.write((tx) => searchTerms(tx, common)), 5, 0);
    searchRows.push({ query: 'search: common word, in a write transaction (map built, stored text)', hits: '-', 'p50 ms': fmt(percentile(cold, 50)), 'p95 ms': '-' });
    let k = 0;
    const historyTimes = await timeRuns(() => read((conn) => termHistory(conn, sampleIds[(k += 7) % sampleIds.length]!, 'go')), 30, 2);
    const a = { service: 'go', version: names[Math.floor(names.length / 2) - 1]! };
    const b = { service: 'go', version: names[Math.floor(names.length / 2)]! };
    const deltaTimes = await timeRuns(() => read((conn) => versionTermDelta(conn, a, b, { limit: 100 })), 5, 1);
    const delta = await read((conn) => versionTermDelta(conn, a, b, { limit: 1 }));
    // A first look: a kept catalog holds the pair's per-file delta from the run before (a
    // cache read of about 30 ms, printed as if it were the parse).
    await catalog.write(async (tx) => {
      await tx.run('DELETE FROM term_changes');
      await tx.run('DELETE FROM term_delta_runs');
    });
    const started = performance.now();
    const fileDelta = await computeTermDelta(catalog, { a, b, relpath: 'go.obo' });
    const fileDeltaMs = performance.now() - started;

    await catalog.write((tx) => tx.run('CHECKPOINT'));
    const blocks: { name: string; bytes: number; rows: number }[] = [];
    for (const name of ['file_terms', 'term_keys', 'term_labels', 'term_definitions', 'term_index_contents', 'term_presence_sets', 'term_key_presence']) {
      // pragma_storage_info takes a literal table name only.
      const row = await read((conn) => conn.one<{ bytes: number; rows: number }>(
        `SELECT (SELECT count(DISTINCT block_id) FROM pragma_storage_info('${name}') WHERE block_id >= 0) * 262144 AS bytes,
                (SELECT count(*) FROM ${name}) AS rows`,
      ));
      blocks.push({ name, bytes: row!.bytes, rows: row!.rows });
    }
    const indexBytes = blocks.reduce((sum, row) => sum + row.bytes, 0);

    printTable([
      { measure: `validate ${probe.length} releases, no term index (reference)`, ms: fmt(plain), ratio: '1.00' },
      { measure: `validate the same releases, recording their terms (median of ${rounds.length} rounds: ${rounds.map((r) => (r.indexed / r.plain).toFixed(2)).join(', ')})`, ms: fmt(indexed), ratio: (indexed / plain).toFixed(2) },
      { measure: `validate ${manyFiles.files} small files (W3C suites, EDAM), no term index (reference)`, ms: fmt(manyFiles.plain), ratio: '1.00' },
      { measure: `validate the same files, recording their terms`, ms: fmt(manyFiles.indexed), ratio: (manyFiles.indexed / manyFiles.plain).toFixed(2) },
      { measure: `parse ${probe[0]} in this thread, no term index (reference, median of 6)`, ms: fmt(parts.parse), ratio: '1.00' },
      { measure: 'the same parse handing its terms back as index columns (the parse thread\'s share)', ms: fmt(parts.handOver), ratio: (parts.handOver / parts.parse).toFixed(2) },
      { measure: `writing those columns into the catalog, apart: wall (CPU ${fmt(parts.writeCpu)} ms, ${(parts.writeCpu / parts.parse).toFixed(2)} of the parse)`, ms: fmt(parts.writeWall), ratio: (parts.writeWall / parts.parse).toFixed(2) },
    ]);
    printTable([
      ...searchRows,
      { query: 'all searches', hits: '-', 'p50 ms': fmt(percentile(allSearch, 50)), 'p95 ms': fmt(percentile(allSearch, 95)) },
      { query: `term history over ${names.length} releases`, hits: '-', 'p50 ms': fmt(percentile(historyTimes, 50)), 'p95 ms': fmt(percentile(historyTimes, 95)) },
      { query: `whole-version term delta ${a.version} -> ${b.version} (index, SQL)`, hits: delta.changes.total, 'p50 ms': fmt(percentile(deltaTimes, 50)), 'p95 ms': fmt(percentile(deltaTimes, 95)) },
      { query: 'per-file parse-based term delta, same pair, first look (reference)', hits: fileDelta.summary.added + fileDelta.summary.removed + fileDelta.summary.relabelled + fileDelta.summary.deprecated, 'p50 ms': fmt(fileDeltaMs), 'p95 ms': '-' },
    ]);
    console.log(`Index delta summary: ${JSON.stringify(delta.summary)}; file delta: ${JSON.stringify(fileDelta.summary)}`);
    console.log(`Index size: ${(indexBytes / 1e6).toFixed(1)} MB in blocks (${blocks.map((row) => `${row.name} ${row.rows.toLocaleString()} rows`).join(', ')}); catalog file ${(statSync(catalog.dbPath).size / 1e6).toFixed(1)} MB`);
    console.log(`Peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  } finally {
    await catalog.close();
  }
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) await main();
