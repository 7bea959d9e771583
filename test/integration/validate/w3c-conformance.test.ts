/**
 * Syntax conformance against the W3C RDF 1.1 test suites (test/fixtures/w3c-rdf11, from
 * w3c/rdf-tests ad541a5): the five suites are ingested as ONE version by the real CLI, as
 * the user who found issue 12 did, and every manifest entry is checked against the
 * findings the real query (`ontocat findings --all`) returns.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestResult } from '../../../electron/shared/contract.js';
import type { ValidationRecord } from '../../../electron/shared/models.js';
import { projectRoot, runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { manifestEntries, type ManifestEntry } from '../../helpers/w3c-manifest.js';

const VERSION = 'ad541a5';
const fixtures = path.join(projectRoot, 'test', 'fixtures', 'w3c-rdf11');

/** The five suites and the validator their test inputs must be checked with (by extension). */
const suites = [
  { folder: 'rdf-turtle', validator: 'turtle' },
  { folder: 'rdf-n-triples', validator: 'ntriples' },
  { folder: 'rdf-n-quads', validator: 'nquads' },
  { folder: 'rdf-trig', validator: 'trig' },
  { folder: 'rdf-xml', validator: 'rdfxml' },
] as const;

/** Every entry of a suite's manifest, in `mf:entries` order, with paths relative to the folder. */
const suiteEntries = (folder: string): ManifestEntry[] =>
  manifestEntries(path.join(fixtures, folder), `https://w3c.github.io/rdf-tests/rdf/rdf11/${folder}/`);

/** Every finding of a version (passed checks too), paged through `ontocat findings --all`. */
function allFindings(root: string, ref: string): ValidationRecord[] {
  const rows: ValidationRecord[] = [];
  for (let offset = 0; ; offset += 1000) {
    const run = runOntocat(['findings', ref, '--all', '--limit', '1000', '--offset', String(offset), '--json'], { root });
    expect(run.stderr).toBe('');
    const page = run.json<ValidationRecord[]>();
    rows.push(...page);
    if (page.length < 1000) return rows;
  }
}

let root: string;
let cleanup: () => void;
let findings: ValidationRecord[] = [];

beforeAll(() => {
  ({ root, cleanup } = makeTempRoot('ontocat-w3c'));
  // 992 files ingested and validated: minutes at a load of 20 (the CLI's default limit and the
  // hook's are 2 min, and both ran out there).
  const run = runOntocat(['ingest', fixtures, '--service', 'w3c-rdf11', '--version', VERSION, '--json'], { root, timeoutMs: 400_000 });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.json<IngestResult>().status).toBe('ingested');
  findings = allFindings(root, `w3c-rdf11/${VERSION}`);
}, 420_000);
afterAll(() => cleanup());

interface SuiteCheck {
  readonly entries: number;
  /** Entries whose syntax check went the wrong way (or was missing, or used another validator). */
  readonly wrong: readonly string[];
  readonly results: number;
  /** Expected-result files of evaluation tests that did not pass. */
  readonly failedResults: readonly string[];
}

/** Every manifest entry of a suite against its syntax finding. */
function checkSuite(folder: string, validator: string): SuiteCheck {
  const entries = suiteEntries(folder);
  const syntax = new Map(findings.filter((f) => f.rule === 'syntax' && f.relpath.startsWith(`${folder}/`))
    .map((f) => [f.relpath.slice(folder.length + 1), f]));
  const wrong: string[] = [];
  for (const entry of entries) {
    const row = syntax.get(entry.action);
    if (!row) wrong.push(`${entry.name}: ${entry.action} has no syntax check`);
    else if (row.validator !== validator) wrong.push(`${entry.name}: ${entry.action} was checked as ${row.validator}, not ${validator}`);
    else if (row.passed !== entry.mustParse) wrong.push(`${entry.name} (${entry.type}): ${entry.action} ${row.passed ? 'passed' : `failed: ${row.message}`}`);
  }
  // Evaluation tests come with the expected graph as N-Triples (N-Quads for TriG); those
  // files are valid in their own right and must pass too.
  const results = [...new Set(entries.flatMap((entry) => (entry.result ? [entry.result] : [])))];
  return { entries: entries.length, wrong, results: results.length, failedResults: results.filter((relpath) => syntax.get(relpath)?.passed !== true) };
}

describe('W3C RDF 1.1 syntax suites, ingested as one version, through findings', () => {
  it.each(suites)('$folder: every manifest entry passes or fails as the suite says', ({ folder, validator }) => {
    const check = checkSuite(folder, validator);
    expect(check.wrong).toEqual([]);
    expect(check.failedResults).toEqual([]);
    expect(check.entries).toBeGreaterThan(60);
  });

  it('raises no format-mismatch warning on a file that is valid in its declared format', () => {
    const valid = new Set<string>();
    for (const { folder } of suites) {
      for (const entry of suiteEntries(folder)) {
        if (entry.mustParse) valid.add(`${folder}/${entry.action}`);
        if (entry.result) valid.add(`${folder}/${entry.result}`);
      }
    }
    const mismatches = findings.filter((f) => f.rule === 'format-mismatch');
    expect(mismatches.every((f) => f.severity === 'WARN' && !f.passed)).toBe(true);
    expect(mismatches.filter((f) => valid.has(f.relpath)).map((f) => `${f.relpath}: ${f.message}`)).toEqual([]);
  });

  it('scores 992 of 992 manifest entries', () => {
    const tally = Object.fromEntries(suites.map(({ folder, validator }) => {
      const check = checkSuite(folder, validator);
      return [folder, { entries: check.entries, right: check.entries - check.wrong.length, results: check.results, results_passed: check.results - check.failedResults.length }];
    }));
    console.table(tally); // the per-suite tally, for the log of a run
    const rows = Object.values(tally);
    expect({ entries: rows.reduce((n, r) => n + r.entries, 0), right: rows.reduce((n, r) => n + r.right, 0) }).toEqual({ entries: 992, right: 992 });
  });
});
