/**
 * One definition of validation health, the same through every channel and command that
 * reports it, checked on real releases (@zazuko/rdf-vocabularies) plus files made to hit
 * each case: WARN only, ERROR findings, a file that does not parse, a file no validator reads.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Parser } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOntologiesDir } from '../../../electron/ingest/demo-catalog.js';
import type { IngestResult, ValidateRunResult } from '../../../electron/shared/contract.js';
import type { LatestReportRow, ValidationHealthRow } from '../../../electron/shared/contract/report.js';
import type { FileRecord, ValidationHealth, VersionStats, VersionSummary } from '../../../electron/shared/models.js';
import { tableColumn } from '../../helpers/cli-table.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const temp = makeTempRoot('ontocat-health');
const sourceDir = makeTempRoot('ontocat-health-source');
const source = sourceDir.root;
const ref = 'vocab/2021.9.22';
let realFiles: string[] = [];
let ingested: IngestResult;

const prefixes = `@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
`;
/** Files made for each case, with what an independent reader says of them. */
const made: Record<string, { content: string; parses: boolean | null }> = {
  // Labelled but undefined classes: WARN findings only.
  'made/warn-only.ttl': { content: `${prefixes}ex:A a owl:Class ; rdfs:label "alpha" .\nex:B a owl:Class ; rdfs:label "beta" .\n`, parses: true },
  // Two classes with one label: ERROR findings.
  'made/duplicate-label.ttl': {
    content: `${prefixes}ex:C a owl:Class ; rdfs:label "same" ; <http://purl.obolibrary.org/obo/IAO_0000115> "c" .\nex:D a owl:Class ; rdfs:label "same" ; <http://purl.obolibrary.org/obo/IAO_0000115> "d" .\n`,
    parses: true,
  },
  'made/broken.ttl': { content: `${prefixes}ex:E a owl:Class ;; rdfs:label "oops\n`, parses: false },
  'made/notes.bin': { content: 'no validator reads this', parses: null },
};

/** An independent reading: does N3.js (called directly, not through the validators) parse it? */
function parsesIndependently(file: string, format: 'N-Quads' | 'Turtle'): boolean {
  try {
    new Parser({ format }).parse(readFileSync(file, 'utf8'));
    return true;
  } catch {
    return false;
  }
}

beforeAll(() => {
  const ontologies = demoOntologiesDir('rdf-vocabularies-2021');
  // The smaller real vocabularies keep the run short; they still carry real findings.
  realFiles = readdirSync(ontologies).filter((name) => name.endsWith('.nq') && statSync(path.join(ontologies, name)).size < 150_000).sort();
  mkdirSync(path.join(source, 'made'), { recursive: true });
  for (const name of realFiles) copyFileSync(path.join(ontologies, name), path.join(source, name));
  for (const [relpath, file] of Object.entries(made)) writeFileSync(path.join(source, relpath), file.content);
  const run = runOntocat(['ingest', source, '--service', 'vocab', '--version', '2021.9.22', '--json'], { root: temp.root });
  expect(run.stderr).toBe('');
  ingested = run.json<IngestResult>();
}, 240_000);
afterAll(() => {
  temp.cleanup();
  sourceDir.cleanup();
});

describe('validation health', () => {
  it('counts files that parse as an independent parser does, and never calls a WARN a failure', () => {
    const health = ingested.validation;
    const realParsing = realFiles.filter((name) => parsesIndependently(path.join(source, name), 'N-Quads')).length;
    const madeParsing = Object.entries(made).filter(([relpath, file]) => file.parses !== null
      && parsesIndependently(path.join(source, relpath), 'Turtle')).length;
    expect(realFiles.length).toBeGreaterThan(20);
    expect(health.files).toBe(realFiles.length + Object.keys(made).length);
    expect(health.files_checked).toBe(realFiles.length + 3);
    expect(health.files_parsed).toBe(realParsing + madeParsing);
    expect(health.files_unparsable).toBe(1);
    expect(health.files_unchecked).toBe(1);
    expect(health.files_parsed / health.files_checked).toBeGreaterThan(0.9);

    const failing = runOntocat(['files', ref, '--status', 'failed', '--limit', '1000', '--json'], { root: temp.root }).json<FileRecord[]>();
    const failingPaths = failing.map((f) => f.relpath);
    expect(failingPaths).toContain('made/broken.ttl');
    expect(failingPaths).toContain('made/duplicate-label.ttl');
    // The WARN-only file has findings, but it is not failing.
    expect(failingPaths).not.toContain('made/warn-only.ttl');
    const passing = runOntocat(['files', ref, '--status', 'passed', '--limit', '1000', '--json'], { root: temp.root }).json<FileRecord[]>();
    expect(passing.map((f) => f.relpath)).toContain('made/warn-only.ttl');
    const unchecked = runOntocat(['files', ref, '--status', 'unvalidated', '--json'], { root: temp.root }).json<FileRecord[]>();
    expect(unchecked.map((f) => f.relpath)).toEqual(['made/notes.bin']);
    expect(failing.length).toBe(health.files_with_errors);
    expect(passing.length + failing.length + unchecked.length).toBe(health.files);
  });

  it('every channel and command that reports health gives the same numbers', () => {
    const health = ingested.validation;
    const cli = <T>(args: string[]): T => {
      const run = runOntocat([...args, '--json'], { root: temp.root });
      expect(run.stderr).toBe('');
      return run.json<T>();
    };
    const versions = cli<VersionSummary[]>(['versions']);
    expect(versions.find((v) => `${v.service}/${v.version}` === ref)?.health).toEqual(health);
    expect(cli<VersionStats>(['stats', ref]).health).toEqual(health);

    const rows = cli<ValidationHealthRow[]>(['report', 'validation', '--service', 'vocab']);
    const sum = (key: keyof ValidationHealthRow): number => rows.reduce((total, row) => total + (row[key] as number), 0);
    // A file is checked by its syntax validator and again by quality (and the disk check):
    // the version's files checked are those of the validators that parse.
    const syntaxChecked = rows.filter((row) => row.parse_rate !== null).reduce((total, row) => total + row.files_checked, 0);
    const fromReport: Partial<ValidationHealth> = {
      files_checked: syntaxChecked, files_parsed: sum('files_parsed'), files_unparsable: sum('files_unparsable'),
      errors: sum('errors'), warnings: sum('warnings'), infos: sum('infos'),
    };
    expect(health).toMatchObject(fromReport);
    expect(health.warnings).toBeGreaterThan(0);
    expect(health.errors).toBeGreaterThan(0);

    const latest = cli<LatestReportRow[]>(['report', 'latest', '--service', 'vocab']);
    expect(latest).toEqual([expect.objectContaining({
      files_unparsable: health.files_unparsable, files_with_errors: health.files_with_errors, errors: health.errors, warnings: health.warnings,
    })]);

    // Validating again records the same results, so the same health.
    const again = cli<ValidateRunResult>(['validate', ref]);
    expect(again.health).toEqual(health);
    expect(again.by_validator.filter((row) => row.parse_rate !== null).reduce((total, row) => total + row.files_checked, 0)).toBe(health.files_checked);

    // Every table people read counts the same ERRORS: the unparsable file's syntax failure
    // is one, as FILES WITH ERRORS, the files list and `findings --severity ERROR` have it.
    const human = (args: string[]): string => runOntocat(args, { root: temp.root }).stdout;
    const everyError = health.errors + health.files_unparsable;
    expect(health.files_unparsable).toBe(1);
    expect(tableColumn(human(['versions']), 'ERRORS')).toEqual([String(everyError)]);
    expect(tableColumn(human(['report', 'latest', '--service', 'vocab']), 'ERRORS')).toEqual([String(everyError)]);
    const perValidator = human(['report', 'validation', '--service', 'vocab']);
    expect(tableColumn(perValidator, 'ERRORS').reduce((total, cell) => total + Number(cell), 0)).toBe(everyError);
    const withErrors = tableColumn(perValidator, 'FILES WITH ERRORS').map(Number);
    tableColumn(perValidator, 'ERRORS').forEach((cell, i) => expect(Number(cell)).toBeGreaterThanOrEqual(withErrors[i]!));
    expect(tableColumn(human(['validate', ref]), 'ERRORS').reduce((total, cell) => total + Number(cell), 0)).toBe(everyError);
    expect(cli<unknown[]>(['findings', ref, '--severity', 'ERROR', '--limit', '1000']).length).toBe(everyError);

    // The human line says the same in words: parse rate, then findings by severity.
    const stats = runOntocat(['stats', ref], { root: temp.root });
    expect(stats.stdout).toMatch(new RegExp(`${health.files_parsed} of ${health.files_checked} checked files parse \\(\\d+(\\.\\d)?%\\); findings: [\\d,]+ errors?, [\\d,]+ warnings?, [\\d,]+ info; 1 not checked`));
    expect(stats.stdout).not.toMatch(/failed/);
  });
});
