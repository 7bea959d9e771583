// Validation throughput: one large Turtle file and many small ones, on 1 worker and on
// the full pool, against a plain single-threaded N3 parse of the same large file
// measured in the same run. Sizes scale with ONTOCAT_BENCH_SCALE (default 1 = ~50 MB).
import { createReadStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StreamParser } from 'n3';
import type { FileTask, FileValidation } from '../../electron/ingest/validate/validate-file.js';
import { validateInPool } from '../../electron/ingest/validate/worker-pool.js';

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

    // Worker start-up (tsx registration from sources, or the bundle) is paid once per run.
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

    const smallOne = await timed(() => validateInPool(small, { workers: 1 }));
    const smallPool = await timed(() => validateInPool(small, { workers: pool }));
    const smallTriples = triplesOf(smallOne.value);
    console.log(line(`validate ${smallCount} small files, 1 worker`, smallBytes, smallTriples, smallOne.seconds));
    console.log(line(`validate ${smallCount} small files, ${pool} workers`, smallBytes, triplesOf(smallPool.value), smallPool.seconds));
    console.log(`  speed-up full pool vs 1 worker: ${(smallOne.seconds / smallPool.seconds).toFixed(2)}x;${net(smallPool.seconds, pool)} vs${net(smallOne.seconds, 1).replace('  net of start-up:', '')}`);

    const all = [taskOf(bigFile, 'big.ttl'), ...small];
    const mixedOne = await timed(() => validateInPool(all, { workers: 1 }));
    const mixedPool = await timed(() => validateInPool(all, { workers: pool }));
    console.log(line('validate big + small, 1 worker', bigBytes + smallBytes, triplesOf(mixedOne.value), mixedOne.seconds));
    console.log(line(`validate big + small, ${pool} workers`, bigBytes + smallBytes, triplesOf(mixedPool.value), mixedPool.seconds));
    console.log(`  speed-up full pool vs 1 worker: ${(mixedOne.seconds / mixedPool.seconds).toFixed(2)}x;${net(mixedPool.seconds, pool)} vs${net(mixedOne.seconds, 1).replace('  net of start-up:', '')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
