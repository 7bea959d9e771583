/**
 * Format detection end to end (issue 12): the real CLI ingests files whose content
 * contradicts, matches or says nothing about their extension; `files` shows the declared
 * and the sniffed format, and `findings` the syntax check of the declared format with a
 * `format-mismatch` warning beside it where they contradict.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileRecord, ValidationRecord } from '../../../electron/shared/models.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { writeTree } from './archive-fixtures.js';

const quad = '<http://example.org/s> <http://example.org/p> <http://example.org/o> <http://example.org/g> .\n';
const prefixed = '@prefix ex: <http://example.org/> .\nex:s ex:p ex:o .\n';
const tree = {
  'quad.ttl': quad, // N-Quads in a Turtle file: fails as Turtle
  'prefixed.nt': prefixed, // Turtle in an N-Triples file: fails as N-Triples
  'prefixed.nq': prefixed,
  'relative.ttl': '<s> a <o> .\n', // was recorded as XML
  'graph.trig': '{ <http://example.org/s> <http://example.org/p> <http://example.org/o> }\n', // was recorded as JSON
  'plain.ttl': '<http://example.org/s> <http://example.org/p> "o" .\n', // N-Triples is Turtle: no warning
  'vocab.owl': prefixed, // an ambiguous extension: the content decides
  'README': 'Nothing to sniff here.\n',
};

let temp: ReturnType<typeof makeTempRoot>;
let files: Record<string, Pick<FileRecord, 'format' | 'sniffed_format'>>;
let findings: ValidationRecord[];
let filesTable: string;

beforeAll(() => {
  temp = makeTempRoot('ontocat-format-detection');
  const root = path.join(temp.root, 'root');
  writeTree(path.join(temp.root, 'src'), tree);
  const run = runOntocat(['ingest', path.join(temp.root, 'src'), '--service', 'fmt', '--version', '1', '--json'], { root });
  expect(run.code, run.stderr).toBe(0);
  files = Object.fromEntries(runOntocat(['files', 'fmt/1', '--json'], { root }).json<FileRecord[]>()
    .map((f) => [f.relpath, { format: f.format, sniffed_format: f.sniffed_format }]));
  findings = runOntocat(['findings', 'fmt/1', '--all', '--json'], { root }).json<ValidationRecord[]>();
  filesTable = runOntocat(['files', 'fmt/1'], { root }).stdout;
});
afterAll(() => temp.cleanup());

const rowsOf = (relpath: string): string[] => findings.filter((f) => f.relpath === relpath)
  .map((f) => `${f.validator} ${f.rule} ${f.severity} ${f.passed ? 'passed' : 'failed'}`).sort();

describe('format detection through ingest, files and findings', () => {
  it('records the declared format from the extension and the sniffed one beside it', () => {
    expect(files).toEqual({
      'quad.ttl': { format: 'turtle', sniffed_format: 'nquads' },
      'prefixed.nt': { format: 'ntriples', sniffed_format: 'turtle' },
      'prefixed.nq': { format: 'nquads', sniffed_format: 'turtle' },
      'relative.ttl': { format: 'turtle', sniffed_format: 'turtle' },
      'graph.trig': { format: 'trig', sniffed_format: 'trig' },
      'plain.ttl': { format: 'turtle', sniffed_format: 'ntriples' },
      'vocab.owl': { format: 'turtle', sniffed_format: 'turtle' },
      'README': { format: 'other', sniffed_format: null },
    });
  });

  it('shows what the content looks like in the files table where it differs', () => {
    expect(filesTable).toMatch(/quad\.ttl\s+turtle \(looks like nquads\)/);
    expect(filesTable).toMatch(/relative\.ttl\s+turtle\s/);
  });

  it('checks contradicting files with the declared format and warns what the content looks like', () => {
    expect(rowsOf('quad.ttl')).toEqual(['turtle format-mismatch WARN failed', 'turtle syntax ERROR failed']);
    expect(rowsOf('prefixed.nt')).toEqual(['ntriples format-mismatch WARN failed', 'ntriples syntax ERROR failed']);
    expect(rowsOf('prefixed.nq')).toEqual(['nquads format-mismatch WARN failed', 'nquads syntax ERROR failed']);
    const warning = findings.find((f) => f.relpath === 'quad.ttl' && f.rule === 'format-mismatch')!;
    expect(warning.message).toBe('The content looks like N-Quads, not Turtle as its extension .ttl says; it was checked as Turtle.');
    expect(warning.details).toEqual({ declared_format: 'turtle', sniffed_format: 'nquads' });
  });

  it('passes files whose content agrees with the extension, without a warning', () => {
    for (const relpath of ['relative.ttl', 'graph.trig', 'plain.ttl', 'vocab.owl']) {
      expect(rowsOf(relpath).filter((row) => !row.startsWith('quality')), relpath).toEqual([`${files[relpath]!.format} syntax INFO passed`]);
    }
    expect(rowsOf('README')).toEqual([]);
  });
});
