// Validation throughput: one large Turtle file and many small ones, on 1 worker and on
// the full pool, against a plain single-threaded N3 parse of the same large file
// measured in the same run; then files/s and MB/s per format on one tree of every
// format (1 worker and the pool), and validation reuse by content hash: a second version
// with 90% of the first's content validated against the first (target ≤ ~0.15x).
// Sizes scale with ONTOCAT_BENCH_SCALE (default 1 = ~50 MB).
import { appendFileSync, cpSync, createReadStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StreamParser } from 'n3';
import type { FileTask, FileValidation } from '../../electron/ingest/validate/validate-file.js';
import { validateInPool as poolValidate } from '../../electron/ingest/validate/worker-pool.js';
import { openSession } from '../../electron/handlers/session.js';
import { validateVersion } from '../../electron/ingest/validate/validate-version.js';
import { bundledWorkerUrl, ceilingLine, parallelParseCeiling, printTable, processCpuMs } from './bench-utils.js';
import { projectRoot } from '../helpers/run-cli.js';

// The pool runs the worker users run, not the sources through tsx, whose per-worker compile would dwarf small files.
const workerUrl = await bundledWorkerUrl(projectRoot);
const validateInPool: typeof poolValidate = (tasks, options = {}) => poolValidate(tasks, { workerUrl, ...options });

const scale = Number(process.env.ONTOCAT_BENCH_SCALE ?? '1');
const MB = 1024 * 1024;

/** An ontology-shaped Turtle stanza: a class with a label, a definition and a parent. */
function stanza(n: number): string {
  return `:C_${n} a owl:Class ;\n  rdfs:label "class number ${n}"@en ;\n  obo:IAO_0000115 "A generated class used to measure validation throughput, number ${n}." ;\n  rdfs:subClassOf :C_${Math.floor(n / 2)} .\n\n`;
}
const prefixes = '@prefix : <http://example.org/bench/> .\n@prefix owl: <http://www.w3.org/2002/07/owl#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n@prefix obo: <http://purl.obolibrary.org/obo/> .\n\n';

function writeTurtle(file: string, targetBytes: number, start = 0): number {
  const parts: string[] = [prefixes];
  let bytes = prefixes.length;
  let n = start;
  while (bytes < targetBytes) {
    const text = stanza(n);
    parts.push(text);
    bytes += text.length;
    n += 1;
  }
  writeFileSync(file, parts.join(''));
  return n - start;
}

async function plainN3(file: string): Promise<number> {
  let quads = 0;
  await pipeline(createReadStream(file, { highWaterMark: MB }), new StreamParser({ format: 'Turtle' }), new Writable({
    objectMode: true,
    write(_quad, _encoding, callback) {
      quads += 1;
      callback();
    },
  }));
  return quads;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - started) / 1000 };
}

function taskOf(file: string, relpath: string): FileTask {
  return { absPath: file, relpath, format: 'turtle', size_bytes: statSync(file).size };
}

function triplesOf(results: readonly FileValidation[]): number {
  return results.reduce((sum, r) => sum + (r.triples ?? 0), 0);
}

function line(label: string, bytes: number, triples: number, seconds: number): string {
  return `${label.padEnd(34)} ${(bytes / MB / seconds).toFixed(1).padStart(7)} MB/s  ${Math.round(triples / seconds).toLocaleString('en-US').padStart(11)} triples/s  (${seconds.toFixed(2)} s)`;
}

export async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ontocat-bench-validate-'));
  const pool = availableParallelism();
  try {
    const bigFile = path.join(dir, 'big.ttl');
    const classes = writeTurtle(bigFile, Math.max(1, Math.round(50 * MB * scale)));
    const bigBytes = statSync(bigFile).size;
    const smallDir = path.join(dir, 'small');
    mkdirSync(smallDir);
    const smallCount = Math.max(8, Math.round(2000 * scale));
    const small: FileTask[] = [];
    for (let i = 0; i < smallCount; i += 1) {
      const file = path.join(smallDir, `part-${i}.ttl`);
      writeTurtle(file, 8 * 1024, i * 100);
      small.push(taskOf(file, `small/part-${i}.ttl`));
    }
    const smallBytes = small.reduce((sum, t) => sum + t.size_bytes, 0);
    console.log(`scale ${scale}: big.ttl ${(bigBytes / MB).toFixed(1)} MB (${classes} classes), ${smallCount} small files (${(smallBytes / MB).toFixed(1)} MB); pool = ${pool} worker(s)`);

    // Worker start-up (loading the bundle) is paid once per run.
    const startup = await timed(() => validateInPool([small[0]!], { workers: 1 }));
    const startupPool = await timed(() => validateInPool(small.slice(0, pool), { workers: pool }));
    console.log(`worker start-up + 1 small file: ${(startup.seconds * 1000).toFixed(0)} ms on 1 worker, ${(startupPool.seconds * 1000).toFixed(0)} ms on ${pool}`);
    const net = (seconds: number, workers: number): string =>
      `  net of start-up: ${Math.max(0.001, seconds - (workers === 1 ? startup.seconds : startupPool.seconds)).toFixed(2)} s`;

    const reference = await timed(() => plainN3(bigFile));
    console.log(line('reference: plain N3 parse (1 thread)', bigBytes, reference.value, reference.seconds));

    const bigOne = await timed(() => validateInPool([taskOf(bigFile, 'big.ttl')], { workers: 1 }));
    const bigTriples = triplesOf(bigOne.value);
    if (bigTriples !== reference.value) throw new Error(`triple counts differ: ${bigTriples} vs ${reference.value}`);
    console.log(line('validate big.ttl, 1 worker', bigBytes, bigTriples, bigOne.seconds));
    console.log(`  ratio validate / plain parse time: ${(bigOne.seconds / reference.seconds).toFixed(2)}x (includes worker start, term collection and quality checks)`);
    console.log(`${net(bigOne.seconds, 1)}, ratio ${(Math.max(0.001, bigOne.seconds - startup.seconds) / reference.seconds).toFixed(2)}x`);

    const cpuAtStart = processCpuMs();
    const smallOne = await timed(() => validateInPool(small, { workers: 1 }));
    const cpuAfterOne = processCpuMs();
    const smallPool = await timed(() => validateInPool(small, { workers: pool }));
    const cpuAfterPool = processCpuMs();
    const smallTriples = triplesOf(smallOne.value);
    console.log(line(`validate ${smallCount} small files, 1 worker`, smallBytes, smallTriples, smallOne.seconds));
    console.log(line(`validate ${smallCount} small files, ${pool} workers`, smallBytes, triplesOf(smallPool.value), smallPool.seconds));
    console.log(`  speed-up full pool vs 1 worker: ${(smallOne.seconds / smallPool.seconds).toFixed(2)}x;${net(smallPool.seconds, pool)} vs${net(smallOne.seconds, 1).replace('  net of start-up:', '')}`);
    if (cpuAtStart !== null && cpuAfterOne !== null && cpuAfterPool !== null) {
      const busy = (cpuMs: number, seconds: number): string => (cpuMs / (seconds * 1000)).toFixed(2);
      console.log(`  cores busy (all threads' CPU / wall time): ${busy(cpuAfterOne - cpuAtStart, smallOne.seconds)} on 1 worker, ${busy(cpuAfterPool - cpuAfterOne, smallPool.seconds)} on ${pool} (of ${pool})`);
    }
    // The same run's reference for what any pool can gain here (no files, no messages, warm).
    console.log(`  ${ceilingLine(pool, await parallelParseCeiling(pool))}`);

    const all = [taskOf(bigFile, 'big.ttl'), ...small];
    const mixedOne = await timed(() => validateInPool(all, { workers: 1 }));
    const mixedPool = await timed(() => validateInPool(all, { workers: pool }));
    console.log(line('validate big + small, 1 worker', bigBytes + smallBytes, triplesOf(mixedOne.value), mixedOne.seconds));
    console.log(line(`validate big + small, ${pool} workers`, bigBytes + smallBytes, triplesOf(mixedPool.value), mixedPool.seconds));
    console.log(`  speed-up full pool vs 1 worker: ${(mixedOne.seconds / mixedPool.seconds).toFixed(2)}x;${net(mixedPool.seconds, pool)} vs${net(mixedOne.seconds, 1).replace('  net of start-up:', '')}`);
    // One file is parsed by one worker: the mixed set can never finish before big.ttl does.
    console.log(`  bound: the pool cannot beat big.ttl alone, so at most ${(mixedOne.seconds / bigOne.seconds).toFixed(2)}x here (1 worker: all files / big.ttl alone)`);

    const tree = path.join(dir, 'tree');
    const perFormat = writeFormatTree(tree, Math.max(4, Math.round(200 * scale)));
    await formatThroughput(perFormat, pool);
    await reuseBench(dir, tree, perFormat);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Generators of ~`bytes`-sized files of each validated format, ontology-shaped where it applies. */
const FORMAT_FILES: Record<string, { ext: string; make: (n: number, bytes: number) => string }> = {
  turtle: { ext: 'ttl', make: (n, bytes) => repeatTo(prefixes, bytes, (i) => stanza(n * 1000 + i)) },
  ntriples: {
    ext: 'nt',
    make: (n, bytes) => repeatTo('', bytes, (i) => `<http://example.org/bench/C_${n}_${i}> <http://www.w3.org/2000/01/rdf-schema#label> "class ${n} ${i}"@en .\n<http://example.org/bench/C_${n}_${i}> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <http://example.org/bench/C_${n}_${Math.floor(i / 2)}> .\n`),
  },
  rdfxml: {
    ext: 'rdf',
    make: (n, bytes) => `${repeatTo('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#" xmlns:owl="http://www.w3.org/2002/07/owl#">\n', bytes, (i) => `  <owl:Class rdf:about="http://example.org/bench/C_${n}_${i}">\n    <rdfs:label xml:lang="en">class ${n} ${i}</rdfs:label>\n    <rdfs:subClassOf rdf:resource="http://example.org/bench/C_${n}_${Math.floor(i / 2)}"/>\n  </owl:Class>\n`)}</rdf:RDF>\n`,
  },
  obo: {
    ext: 'obo',
    make: (n, bytes) => repeatTo('format-version: 1.2\nontology: bench\n\n', bytes, (i) => `[Term]\nid: BENCH:${n}${String(i).padStart(6, '0')}\nname: class ${n} ${i}\ndef: "A generated class number ${i}." []\nis_a: BENCH:${n}${String(Math.floor(i / 2)).padStart(6, '0')}\n\n`),
  },
  jsonld: {
    ext: 'jsonld',
    make: (n, bytes) => `${repeatTo('{"@context": {"rdfs": "http://www.w3.org/2000/01/rdf-schema#"}, "@graph": [\n', bytes, (i) => `${i === 0 ? '' : ','}{"@id": "http://example.org/bench/C_${n}_${i}", "rdfs:label": "class ${n} ${i}"}\n`)}]}\n`,
  },
  csv: { ext: 'csv', make: (n, bytes) => repeatTo('id,label,parent\n', bytes, (i) => `C_${n}_${i},"class ${n} ${i}",C_${n}_${Math.floor(i / 2)}\n`) },
  json: { ext: 'json', make: (n, bytes) => `${repeatTo('[\n', bytes, (i) => `${i === 0 ? '' : ','}{"id": "C_${n}_${i}", "label": "class ${n} ${i}"}\n`)}]\n` },
  xml: { ext: 'xml', make: (n, bytes) => `${repeatTo('<?xml version="1.0"?>\n<classes>\n', bytes, (i) => `  <class id="C_${n}_${i}"><label>class ${n} ${i}</label></class>\n`)}</classes>\n` },
};

function repeatTo(head: string, bytes: number, part: (i: number) => string): string {
  const parts = [head];
  let size = head.length;
  for (let i = 0; size < bytes; i += 1) {
    const text = part(i);
    parts.push(text);
    size += text.length;
  }
  return parts.join('');
}

/** Writes `count` files of ~32 KB per format under `tree/<format>/`; returns the tasks by format. */
function writeFormatTree(tree: string, count: number): Map<string, FileTask[]> {
  const byFormat = new Map<string, FileTask[]>();
  for (const [format, { ext, make }] of Object.entries(FORMAT_FILES)) {
    mkdirSync(path.join(tree, format), { recursive: true });
    const tasks: FileTask[] = [];
    for (let n = 0; n < count; n += 1) {
      const relpath = `${format}/part-${n}.${ext}`;
      const file = path.join(tree, relpath);
      writeFileSync(file, make(n, 32 * 1024));
      tasks.push({ absPath: file, relpath, format, size_bytes: statSync(file).size });
    }
    byFormat.set(format, tasks);
  }
  return byFormat;
}

/** Files/s and MB/s per format, on 1 worker and on the pool, and the pool's speed-up. */
async function formatThroughput(byFormat: Map<string, FileTask[]>, pool: number): Promise<void> {
  console.log(`\nPer format, ${[...byFormat.values()][0]!.length} files of ~32 KB each (1 worker, then ${pool}):`);
  const rows: Record<string, string | number>[] = [];
  let allOne = 0;
  let allPool = 0;
  for (const [format, tasks] of byFormat) {
    const bytes = tasks.reduce((sum, t) => sum + t.size_bytes, 0);
    const one = await timed(() => validateInPool(tasks, { workers: 1 }));
    const full = await timed(() => validateInPool(tasks, { workers: pool }));
    const failed = full.value.filter((r) => r.rows.some((row) => row.rule === 'syntax' && !row.passed)).length;
    if (failed > 0) throw new Error(`${failed} generated ${format} files failed to parse`);
    allOne += one.seconds;
    allPool += full.seconds;
    rows.push({
      format, files: tasks.length, MB: (bytes / MB).toFixed(1),
      'files/s 1w': Math.round(tasks.length / one.seconds), 'MB/s 1w': (bytes / MB / one.seconds).toFixed(1),
      [`files/s ${pool}w`]: Math.round(tasks.length / full.seconds), [`MB/s ${pool}w`]: (bytes / MB / full.seconds).toFixed(1),
      'pool speed-up': `${(one.seconds / full.seconds).toFixed(2)}x`,
    });
  }
  printTable(rows);
  const everything = [...byFormat.values()].flat();
  const one = await timed(() => validateInPool(everything, { workers: 1 }));
  const full = await timed(() => validateInPool(everything, { workers: pool }));
  console.log(`all ${everything.length} files in one run: ${Math.round(everything.length / one.seconds)} files/s on 1 worker, ${Math.round(everything.length / full.seconds)} on ${pool}: pool speed-up ${(one.seconds / full.seconds).toFixed(2)}x (per-format runs summed: ${(allOne / allPool).toFixed(2)}x)`);
}

/**
 * Validation of a second version whose content is 90% the first's: its unchanged files
 * reuse the first's results by content hash; compared with validating the first (fresh).
 */
async function reuseBench(dir: string, tree: string, byFormat: Map<string, FileTask[]>): Promise<void> {
  const root = path.join(dir, 'root');
  const second = path.join(dir, 'tree-2');
  cpSync(tree, second, { recursive: true });
  const all = [...byFormat.values()].flat();
  // Every tenth file changes (a comment or a row at the end keeps it valid).
  const comment: Record<string, string> = { turtle: '# changed\n', ntriples: '# changed\n', obo: '! changed\n', csv: 'C_x,"changed",C_0\n', rdfxml: '<!-- changed -->\n', xml: '<!-- changed -->\n', json: ' ', jsonld: ' ' };
  for (const [i, task] of all.entries()) if (i % 10 === 0) appendFileSync(path.join(second, task.relpath), comment[task.format]!);
  const session = await openSession({ actor: 'bench', root, create: true });
  try {
    await session.call('ingest:run', { source: tree, service: 'bench', version: '1' });
    // Through validateVersion with the bundled worker users run (the session's channel
    // would start workers from the TypeScript sources through tsx here: a compile each).
    const run = (version: string, reuse: boolean) => validateVersion(session.catalog, { service: 'bench', version }, { reuse, workerUrl });
    const first = await timed(() => run('1', false));
    await session.call('ingest:run', { source: second, service: 'bench', version: '2' });
    const reused = await timed(() => run('2', true));
    const fresh = await timed(() => run('2', false));
    console.log(`\nValidation reuse by content hash (${all.length} files, 90% unchanged in the second version):`);
    printTable([
      { run: 'first version, every file parsed', files: first.value.checked, reused: first.value.reused, seconds: first.seconds.toFixed(2), 'vs first': '1.00x' },
      { run: 'second version, reuse', files: reused.value.checked, reused: reused.value.reused, seconds: reused.seconds.toFixed(2), 'vs first': `${(reused.seconds / first.seconds).toFixed(2)}x` },
      { run: 'second version, --fresh', files: fresh.value.checked, reused: fresh.value.reused, seconds: fresh.seconds.toFixed(2), 'vs first': `${(fresh.seconds / first.seconds).toFixed(2)}x` },
    ]);
    console.log('(target: second version with reuse at most ~0.15x the first)');
  } finally {
    await session.close();
  }
}
