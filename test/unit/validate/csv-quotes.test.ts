import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateFile } from '../../../electron/ingest/validate/validate-file.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const hasPython = spawnSync('python3', ['--version']).status === 0;

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ root: dir, cleanup } = makeTempRoot('ontocat-csv-quotes')));
afterAll(() => cleanup());

/** The records Python's csv module reads from a file (its dialect lets a quote stand inside an unquoted field). */
function pythonRecords(file: string): string[][] {
  const script = 'import sys, csv, json\nwith open(sys.argv[1], newline="", encoding="utf-8") as f: print(json.dumps([r for r in csv.reader(f, strict=True) if r]))';
  const run = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as string[][];
}

/**
 * RFC 4180 §2 rule 5: a field that is not enclosed in double quotes may not hold one. A
 * height written `5 ft 10"` breaks that rule; the file is still plain readable text (Python's
 * csv module reads every record of it), so it is a syntax error at its line, never a file
 * that "could not be read" and was left unchecked.
 */
describe.skipIf(!hasPython && !process.env.CI)('a double quote inside an unquoted CSV field', () => {
  it.each([
    ['people.csv', 'name,height\nann,5 ft 10"\nbob,6 ft\n', 2],
    ['indented.csv', 'name,city\nann,Oslo\n "bob",Rome\n', 3],
  ])('%s is a syntax error at the line holding the quote', async (name, text, line) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    expect(pythonRecords(file)).toHaveLength(3);
    const result = await validateFile({ absPath: file, relpath: name, format: 'csv', size_bytes: Buffer.byteLength(text) });
    const syntax = result.rows.find((row) => row.rule === 'syntax');
    expect(syntax).toMatchObject({ validator: 'csv', severity: 'ERROR', passed: false, line });
    expect(syntax?.message).toMatch(/quote/i);
  });
});
