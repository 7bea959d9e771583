/**
 * A file with no registered extension gets its format from its first statements. A dump
 * whose first 60 lines are plain N-Triples may go on in Turtle or N-Quads, one whose first
 * lines are Turtle may go on in TriG: valid files each, which failed with a syntax ERROR of
 * the narrower syntax. They now pass, with a WARN saying what they are; a file broken in
 * every syntax still fails, with the narrow syntax's message. N3.js reads each wider file
 * cleanly in its syntax (the outside check that the files are valid).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Parser } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ValidationRecord } from '../../../electron/shared/models.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const temp = makeTempRoot('ontocat-wider-syntax');
const root = path.join(temp.root, 'root');
const src = path.join(temp.root, 'src');
const plain = Array.from({ length: 60 }, (_, i) => `<http://ex/s${i}> <http://ex/p> "v${i}" .`).join('\n');
const files: Record<string, { text: string; syntax: string | null }> = {
  'data-noext': { text: `${plain}\n<http://ex/s> <http://ex/p> "a", "b" .\n`, syntax: 'Turtle' },
  'quads-noext': { text: `${plain}\n<http://ex/s> <http://ex/p> "a" <http://ex/g> .\n`, syntax: 'N-Quads' },
  'dump': { text: `@prefix ex: <http://ex/> .\n${Array.from({ length: 40 }, (_, i) => `ex:s${i} ex:p "v${i}" .`).join('\n')}\nex:g { ex:a ex:b ex:c . }\n`, syntax: 'TriG' },
  'broken-noext': { text: `${plain}\n<http://ex/s> <http://ex/p> .\n`, syntax: null },
};

let findings: ValidationRecord[] = [];
beforeAll(() => {
  mkdirSync(src, { recursive: true });
  for (const [name, { text }] of Object.entries(files)) writeFileSync(path.join(src, name), text);
  const run = runOntocat(['ingest', src, '--service', 'w', '--version', '1', '--json'], { root });
  expect(run.code, run.stderr).toBe(0);
  findings = runOntocat(['findings', 'w/1', '--all', '--json'], { root }).json<ValidationRecord[]>();
}, 120_000);
afterAll(() => temp.cleanup());

describe('a file that goes on in a wider syntax than its first statements', () => {
  it.each(Object.entries(files).filter(([, file]) => file.syntax !== null).map(([name, file]) => [name, file.syntax!, file.text] as const))('%s parses as %s, with a WARN naming it', (name, syntax, text) => {
    // The outside check: N3.js reads the whole file in that syntax.
    expect(() => new Parser({ format: syntax }).parse(text)).not.toThrow();
    const rows = findings.filter((row) => row.relpath === name);
    expect(rows.find((row) => row.rule === 'syntax')).toMatchObject({ passed: true });
    expect(rows.find((row) => row.rule === 'format-widened')).toMatchObject({ severity: 'WARN', message: expect.stringContaining(`goes on in ${syntax}`) });
  });

  it('a file broken in every syntax still fails with its own syntax error', () => {
    const rows = findings.filter((row) => row.relpath === 'broken-noext');
    expect(rows.find((row) => row.rule === 'syntax')).toMatchObject({ passed: false, severity: 'ERROR', line: 61 });
    expect(rows.some((row) => row.rule === 'format-widened')).toBe(false);
  });

  it('the same bytes under a registered extension keep that syntax: a .nt with a Turtle line fails (no result reused from the file without one)', () => {
    writeFileSync(path.join(src, 'strict.nt'), readFileSync(path.join(src, 'data-noext')));
    const run = runOntocat(['ingest', src, '--service', 'w', '--version', '2', '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
    const rows = runOntocat(['findings', 'w/2', '--all', '--json'], { root }).json<ValidationRecord[]>().filter((row) => row.relpath === 'strict.nt');
    expect(rows.find((row) => row.rule === 'syntax')).toMatchObject({ passed: false });
  });
});
