/**
 * Files a command writes on request (--out, schema --markdown, sources export FILE) never
 * replace what the storage root holds, through the real CLI over a real catalog: the
 * catalog file, a version's files, LATEST.json and the content store are judged by an
 * independent SHA-256 walk of the root before and after, and the catalog still opens.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { hashFiles } from '../../helpers/hash-files.js';

let root: string;
let work: string;
let cleanup: () => void;

function ingest(version: string, files: Record<string, string>): void {
  const dir = path.join(work, version);
  for (const [relpath, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, relpath)), { recursive: true });
    writeFileSync(path.join(dir, relpath), text);
  }
  const run = runOntocat(['ingest', dir, '--service', 'svc', '--version', version], { root });
  expect(run.code, run.stderr).toBe(0);
}

beforeEach(() => {
  ({ root, cleanup } = makeTempRoot('ontocat-output-guard'));
  work = `${root}-work`;
  expect(runOntocat(['init'], { root }).code).toBe(0);
  ingest('1', { 'a.txt': 'one\n', 'sub/b.txt': 'bee\n' });
  ingest('2', { 'a.txt': 'two\n', 'sub/b.txt': 'bee\n' });
  expect(runOntocat(['latest', 'set', 'svc', '2'], { root }).code).toBe(0);
});
afterEach(() => {
  cleanup();
  rmSync(work, { recursive: true, force: true });
});


describe('an output file never replaces what the storage root holds', () => {
  it('refuses the catalog file, a version file, LATEST.json and a content store object as --out, --markdown or sources export FILE', () => {
    const casObject = Object.keys(hashFiles(root)).find((relpath) => relpath.startsWith('.cas/'))!;
    expect(casObject).toBeDefined();
    const targets = ['catalog.duckdb', 'svc/1/data/a.txt', 'svc/LATEST.json', casObject].map((relpath) => path.join(root, ...relpath.split('/')));
    const before = hashFiles(root);
    for (const target of targets) {
      const runs = [
        runOntocat(['delta', 'svc/1', 'svc/2', '--format', 'csv', '--out', target], { root }),
        runOntocat(['delta', 'svc/1', 'svc/2', '--out', target], { root }),
        runOntocat(['report', 'growth', 'svc', '--format', 'json', '--out', target], { root }),
        runOntocat(['schema', '--markdown', target], { root }),
        runOntocat(['sources', 'export', target], { root }),
      ];
      for (const run of runs) {
        expect(run.code, `${target}: ${run.stdout}`).toBe(1);
        expect(run.stderr).toContain('Refused to write');
      }
    }
    const after = hashFiles(root);
    // The catalog file is rewritten by DuckDB on close; every other byte stays, and it opens.
    delete before['catalog.duckdb'];
    delete after['catalog.duckdb'];
    expect(after).toEqual(before);
    const versions = runOntocat(['versions', '--json'], { root });
    expect(versions.code, versions.stderr).toBe(0);
    expect(versions.json<{ version: string }[]>().map((v) => v.version).sort()).toEqual(['1', '2']);
  });

  it('still writes an export of its own at the root top level or outside the root', () => {
    const inside = path.join(root, 'delta.csv');
    const outside = path.join(work, 'sources.yaml');
    expect(runOntocat(['delta', 'svc/1', 'svc/2', '--format', 'csv', '--out', inside], { root }).code).toBe(0);
    expect(readFileSync(inside, 'utf8')).toContain('a.txt');
    expect(runOntocat(['sources', 'export', outside], { root }).code).toBe(0);
    expect(readFileSync(outside, 'utf8')).toContain('ontocat.sources/2');
  });
});
