/**
 * `report validation` (and `validate`) count, per validator, the files that validator
 * checked. The quality validator leaves rows only for its findings, so a CHECKED made of
 * syntax results read 0 beside its 93 errors on EDAM. Its files are counted here without
 * Ontocat: every .obo file (find) of Debian's real releases, and the Turtle files Python's
 * rdflib parses (quality reads only files that parse).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ValidationHealthRow } from '../../../electron/shared/contract/report.js';
import { tableColumn } from '../../helpers/cli-table.js';
import { runOntocat, runOntocatOk } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const OBO = '/usr/share/EMBOSS/data/OBO';
const temp = makeTempRoot('ontocat-checked');
const sourceDir = makeTempRoot('ontocat-checked-source');
const source = sourceDir.root;

const ttlPrefixes = `@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
@prefix ex: <http://example.org/> .
`;

/** Files of one format the outside tool finds under the source folder. */
function findCount(pattern: string): number {
  return execFileSync('find', [source, '-type', 'f', '-name', pattern], { encoding: 'utf8' }).split('\n').filter(Boolean).length;
}

/** Turtle files Python's rdflib parses: the files the quality validator can read. */
function rdflibParses(): number {
  const script = `import sys, glob, rdflib
n = 0
for name in glob.glob(sys.argv[1] + '/**/*.ttl', recursive=True):
    try:
        rdflib.Graph().parse(name, format='turtle'); n += 1
    except Exception:
        pass
print(n)`;
  return Number(execFileSync('/usr/bin/python3', ['-c', script, source], { encoding: 'utf8' }).trim());
}

beforeAll(() => {
  mkdirSync(path.join(source, 'ttl'), { recursive: true });
  for (const name of ['ro.obo', 'eco.obo', 'so.obo']) copyFileSync(path.join(OBO, name), path.join(source, name));
  copyFileSync('/usr/share/EMBOSS/data/EDAM.obo', path.join(source, 'EDAM.obo'));
  // A clean file: quality checks it and finds nothing, so it has no quality row of its own.
  writeFileSync(path.join(source, 'ttl/clean.ttl'), `${ttlPrefixes}ex:A a owl:Class ; rdfs:label "alpha" ; obo:IAO_0000115 "the first" .\n`);
  writeFileSync(path.join(source, 'ttl/duplicate-label.ttl'),
    `${ttlPrefixes}ex:C a owl:Class ; rdfs:label "same" ; obo:IAO_0000115 "c" .\nex:D a owl:Class ; rdfs:label "same" ; obo:IAO_0000115 "d" .\n`);
  writeFileSync(path.join(source, 'ttl/broken.ttl'), `${ttlPrefixes}ex:E a owl:Class ;; rdfs:label "oops\n`);
  writeFileSync(path.join(source, 'terms.csv'), 'id,label\n1,a\n');
  runOntocatOk(['ingest', source, '--service', 'obo', '--version', '1.0', '--json'], { root: temp.root });
}, 240_000);
afterAll(() => {
  temp.cleanup();
  sourceDir.cleanup();
});

const rowsOf = (args: string[]): ValidationHealthRow[] => {
  const run = runOntocat([...args, '--json'], { root: temp.root });
  expect(run.stderr).toBe('');
  return run.json<ValidationHealthRow[]>();
};
const row = (rows: readonly ValidationHealthRow[], validator: string, format: string): ValidationHealthRow | undefined =>
  rows.find((r) => r.validator === validator && r.format === format);

describe('files checked per validator', () => {
  it('counts every file the quality validator read, beside its errors, as find and rdflib count them', () => {
    const obo = findCount('*.obo');
    const turtleParsing = rdflibParses();
    expect(obo).toBe(4);
    expect(turtleParsing).toBe(2);
    for (const args of [['report', 'validation'], ['validate', 'obo/1.0']]) {
      const raw = runOntocat([...args, '--json'], { root: temp.root });
      const rows = args[0] === 'validate' ? (raw.json<{ by_validator: ValidationHealthRow[] }>()).by_validator : rowsOf(args);
      const qualityObo = row(rows, 'quality', 'obo')!;
      expect(qualityObo.errors).toBeGreaterThan(0);
      expect(qualityObo.files_checked).toBe(obo);
      expect(qualityObo.files_with_errors).toBeLessThanOrEqual(qualityObo.files_checked);
      // Quality parses nothing itself: no parse rate of its own, and no file counted unparsable.
      expect(qualityObo.parse_rate).toBeNull();
      expect(qualityObo.files_unparsable).toBe(0);
      const qualityTurtle = row(rows, 'quality', 'turtle')!;
      expect(qualityTurtle.files_checked).toBe(turtleParsing);
      expect(qualityTurtle.files_with_errors).toBe(1);
      // The syntax validators still count their syntax results: every file of the format.
      expect(row(rows, 'obo', 'obo')!.files_checked).toBe(obo);
      expect(row(rows, 'turtle', 'turtle')!.files_checked).toBe(findCount('*.ttl'));
    }
    const table = runOntocat(['report', 'validation'], { root: temp.root }).stdout;
    const validators = tableColumn(table, 'VALIDATOR');
    const formats = tableColumn(table, 'FORMAT');
    const at = validators.findIndex((v, i) => v === 'quality' && formats[i] === 'obo');
    expect(tableColumn(table, 'CHECKED')[at]).toBe(String(obo));
    expect(tableColumn(table, 'PARSE')[at]).toBe('—');
  });

  it('counts the files the disk check covered beside a missing file', () => {
    rmSync(path.join(temp.root, 'obo', '1.0', 'data', 'ttl', 'clean.ttl'));
    runOntocat(['validate', 'obo/1.0'], { root: temp.root });
    const storage = row(rowsOf(['report', 'validation']), 'storage', 'turtle')!;
    expect(storage.errors).toBe(1);
    expect(storage.files_checked).toBe(findCount('*.ttl'));
  });
});
