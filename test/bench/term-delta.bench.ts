// Term-level delta of a ~50 MB ontology file pair (issue: deltas). Prints the first
// (parsing, in worker threads) and the cached comparison, next to a plain
// single-threaded N3 parse of the same two files in this process.
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StreamParser } from 'n3';
import { openCatalog } from '../../electron/catalog/open-catalog.js';
import { computeTermDelta } from '../../electron/ingest/terms/term-delta.js';
import { recordVersion } from '../helpers/catalog-fixtures.js';
import { fmt, printTable, scaled } from './bench-utils.js';

function ontology(terms: number, variant: number): string {
  const lines = ['@prefix owl: <http://www.w3.org/2002/07/owl#> .', '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .',
    '@prefix obo: <http://purl.obolibrary.org/obo/> .', '@prefix ex: <http://example.org/onto/> .', ''];
  for (let i = 0; i < terms; i += 1) {
    if (variant === 1 && i % 40 === 0) continue; // removed in v2
    const relabel = variant === 1 && i % 40 === 1;
    const deprecate = variant === 1 && i % 40 === 2;
    lines.push(`ex:T${i} a owl:Class ; rdfs:label "term number ${i}${relabel ? ' (renamed)' : ''}"@en ;`,
      `  obo:IAO_0000115 "A generated class used to measure term deltas; it has a definition of moderate length, number ${i}."@en ;`,
      `  rdfs:subClassOf ex:T${Math.floor(i / 2)}${deprecate ? ' ; owl:deprecated true' : ''} .`);
  }
  if (variant === 1) for (let i = 0; i < terms / 40; i += 1) lines.push(`ex:N${i} a owl:Class ; rdfs:label "new term ${i}"@en .`);
  return `${lines.join('\n')}\n`;
}

async function parseOnce(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let quads = 0;
    const parser = new StreamParser({ format: 'text/turtle' });
    parser.on('data', () => { quads += 1; });
    parser.on('end', () => resolve(quads));
    parser.on('error', reject);
    createReadStream(file).pipe(parser);
  });
}

export async function main(): Promise<void> {
  const terms = scaled(170_000, 500);
  const root = mkdtempSync(path.join(tmpdir(), 'ontocat-bench-terms-'));
  const catalog = await openCatalog({ root });
  try {
    const sizes: number[] = [];
    for (const [variant, version] of ['v1', 'v2'].entries()) {
      const text = ontology(terms, variant);
      const file = path.join(root, 'onto', version, 'data', 'onto.ttl');
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      sizes.push(statSync(file).size);
      await recordVersion(catalog, 'onto', version, [{ relpath: 'onto.ttl', format: 'turtle', size_bytes: sizes.at(-1)!, sha256: createHash('sha256').update(text).digest('hex') }]);
    }
    const mb = sizes.reduce((a, b) => a + b, 0) / 1e6;
    console.log(`File pair: ${(sizes[0]! / 1e6).toFixed(1)} MB + ${(sizes[1]! / 1e6).toFixed(1)} MB (${terms.toLocaleString()} classes)`);

    let started = performance.now();
    await parseOnce(path.join(root, 'onto/v1/data/onto.ttl'));
    await parseOnce(path.join(root, 'onto/v2/data/onto.ttl'));
    const reference = performance.now() - started;

    started = performance.now();
    const first = await computeTermDelta(catalog, { a: { service: 'onto', version: 'v1' }, b: { service: 'onto', version: 'v2' }, relpath: 'onto.ttl' });
    const firstMs = performance.now() - started;
    started = performance.now();
    const second = await computeTermDelta(catalog, { a: { service: 'onto', version: 'v1' }, b: { service: 'onto', version: 'v2' }, relpath: 'onto.ttl', offset: 100 });
    const cachedMs = performance.now() - started;

    printTable([
      { measure: 'plain N3 parse of both files, one thread (reference)', ms: fmt(reference), 'MB/s': (mb / (reference / 1000)).toFixed(1), ratio: '1.00' },
      { measure: 'term delta, first look (2 parser workers + diff + cache)', ms: fmt(firstMs), 'MB/s': (mb / (firstMs / 1000)).toFixed(1), ratio: (firstMs / reference).toFixed(2) },
      { measure: 'term delta, second look (cached page)', ms: fmt(cachedMs), 'MB/s': '-', ratio: (cachedMs / reference).toFixed(4) },
    ]);
    console.log(`Changes: ${JSON.stringify(first.summary)} (cached: ${second.cached})`);
  } finally {
    await catalog.close();
    rmSync(root, { recursive: true, force: true });
  }
}
