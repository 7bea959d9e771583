/**
 * CSV exports opened in a spreadsheet: a text cell that starts with `=`, `+`, `-`, `@`, a
 * tab or a carriage return is taken for a formula by Excel and LibreOffice (OWASP "CSV
 * Injection"), and file names, term labels and validation messages come from outside. Such
 * cells get a leading `'`; numbers (a negative net size) stay numbers. The reference is
 * Python's csv module reading the files the exports wrote.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTable } from '../../../electron/handlers/export-tables.js';
import { runOntocatOk } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { catalogWith, f, fail } from '../delta/fixtures.js';

const hasPython = spawnSync('python3', ['--version']).status === 0;

/** Every row of a CSV file as Python's csv.DictReader reads it. */
function pythonRows(file: string): Record<string, string>[] {
  const script = 'import csv, json, sys\nprint(json.dumps(list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))))';
  const run = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Record<string, string>[];
}

/** File names a spreadsheet would run as formulas, and one it would not. */
const FORMULA_NAMES = ['=HYPERLINK("https:evil.example?x","open me").txt', '+1+2.txt', '-2+3.txt', '@SUM(A1).txt'];
const PLAIN = 'plain-2.txt';

describe.skipIf(!hasPython)('CSV exports: cells a spreadsheet would run as formulas are quoted, numbers stay numbers', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let root: string;
  beforeAll(() => {
    temp = makeTempRoot('ontocat-csv-formulas');
    root = path.join(temp.root, 'root');
    for (const [version, size] of [['1', 4000], ['2', 100]] as const) {
      const dir = path.join(temp.root, `v${version}`);
      mkdirSync(dir);
      for (const name of [...FORMULA_NAMES, PLAIN]) writeFileSync(path.join(dir, name), `${name} ${version}\n`.padEnd(size, 'x'));
      runOntocatOk(['ingest', dir, '--service', 'svc', '--version', version], { root });
    }
  }, 240_000);
  afterAll(() => temp?.cleanup());

  it('a delta\'s file names, to a file and to stdout, start with a quote where they would start a formula', () => {
    const out = path.join(temp.root, 'delta.csv');
    runOntocatOk(['delta', 'svc/1', 'svc/2', '--kind', 'all', '--format', 'csv', '--out', out], { root });
    const printed = path.join(temp.root, 'printed.csv');
    writeFileSync(printed, `${runOntocatOk(['delta', 'svc/1', 'svc/2', '--kind', 'all', '--format', 'csv'], { root }).stdout}`);
    for (const file of [out, printed]) {
      const rows = pythonRows(file);
      expect(rows.map((row) => row.relpath).sort()).toEqual([...FORMULA_NAMES.map((name) => `'${name}`), PLAIN].sort());
      // The sizes are numbers as they were; only text cells are quoted.
      for (const row of rows) expect([row.old_size, row.new_size]).toEqual(['4000', '100']);
    }
  });

  it('report growth keeps a negative net size a number', () => {
    const out = path.join(temp.root, 'growth.csv');
    runOntocatOk(['report', 'growth', 'svc', '--format', 'csv', '--out', out], { root });
    const rows = pythonRows(out);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.reduce((sum, row) => sum + Number(row.net_bytes), 0)).toBe(5 * (100 - 4000));
    expect(rows.every((row) => /^-\d+$/.test(row.net_bytes!))).toBe(true);
  });

  it('validation messages starting with a tab or a carriage return are quoted too', async () => {
    const catalog = await catalogWith(path.join(temp.root, 'fixture-root'), [{
      service: 'go', version: 'v1', files: [f('x.ttl', 'x')],
      validations: [
        fail('x.ttl', 'tab', { message: '\t=cmd|calc' }),
        fail('x.ttl', 'cr', { message: '\r@SUM(1)' }),
        fail('x.ttl', 'dash', { message: '-1' }),
        fail('x.ttl', 'fine', { message: 'a = b' }),
      ],
    }]);
    try {
      const out = path.join(temp.root, 'validations.csv');
      await exportTable(catalog, 'validations', { ref: 'go/v1' }, 'csv', out);
      const messages = Object.fromEntries(pythonRows(out).map((row) => [row.rule, row.message]));
      expect(messages).toEqual({ tab: "'\t=cmd|calc", cr: "'\r@SUM(1)", dash: "'-1", fine: 'a = b' });
    } finally {
      await catalog.close();
    }
  });
});
