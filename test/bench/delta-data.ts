/**
 * Generated version pairs for the delta benchmark: two file sets with a known churn mix.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface GeneratedFile {
  readonly relpath: string;
  readonly content: string;
  readonly sha256: string;
  readonly size_bytes: number;
  readonly format: string;
}

export interface GeneratedPair {
  readonly a: readonly GeneratedFile[];
  readonly b: readonly GeneratedFile[];
  readonly expected: { added: number; removed: number; modified: number; renamed: number; unchanged: number };
}

const formats = ['turtle', 'rdfxml', 'obo', 'csv'] as const;
const extensions: Readonly<Record<string, string>> = { turtle: 'ttl', rdfxml: 'owl', obo: 'obo', csv: 'csv' };

function file(relpath: string, content: string, format: string): GeneratedFile {
  const bytes = Buffer.from(content);
  return { relpath, content, format, size_bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

function pathOf(i: number, format: string): string {
  return `part${i % 40}/group${Math.floor(i / 40) % 25}/term-${i}.${extensions[format]}`;
}

/**
 * Version A with `count` files, and B with `churn` of them changed: a quarter added, a
 * quarter removed, a quarter modified, a quarter renamed (same content, new path).
 */
export function generatePair(count: number, churn = 0.05): GeneratedPair {
  const a: GeneratedFile[] = [];
  for (let i = 0; i < count; i += 1) {
    const format = formats[i % formats.length]!;
    a.push(file(pathOf(i, format), `<term-${i}> a owl:Class ; rdfs:label "term ${i}" .\n`, format));
  }
  const quarter = Math.max(1, Math.floor((count * churn) / 4));
  const b: GeneratedFile[] = [];
  // Spread the changes over the whole tree: every `stride`-th file takes the next change.
  const stride = Math.max(4, Math.floor(count / (quarter * 3)));
  let removed = 0;
  let modified = 0;
  let renamed = 0;
  for (let i = 0; i < count; i += 1) {
    const f = a[i]!;
    const slot = i % stride === 0 ? (i / stride) % 3 : -1;
    if (slot === 0 && removed < quarter) { removed += 1; continue; }
    if (slot === 1 && modified < quarter) {
      modified += 1;
      b.push(file(f.relpath, `${f.content}# edited\n`, f.format));
      continue;
    }
    if (slot === 2 && renamed < quarter) {
      renamed += 1;
      b.push({ ...f, relpath: f.relpath.replace('/term-', '/moved-term-') });
      continue;
    }
    b.push(f);
  }
  for (let i = 0; i < quarter; i += 1) {
    const format = formats[i % formats.length]!;
    b.push(file(`new/batch${i % 10}/added-${i}.${extensions[format]}`, `<added-${i}> a owl:Class .\n`, format));
  }
  return { a, b, expected: { added: quarter, removed, modified, renamed, unchanged: count - removed - modified - renamed } };
}

/** Writes a file set as a real tree under `dir` (small files, one write each). */
export function writeTree(dir: string, files: readonly GeneratedFile[]): void {
  const made = new Set<string>();
  for (const f of files) {
    const target = path.join(dir, f.relpath);
    const parent = path.dirname(target);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(target, f.content);
  }
}
