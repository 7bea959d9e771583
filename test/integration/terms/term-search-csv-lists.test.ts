import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const hasPython = spawnSync('python3', ['--version']).status === 0;

/**
 * The term search export holds list columns (a term's ids, the versions that have it).
 * CSV has no lists; DuckDB's COPY wrote its own list literal, `[1.0, 1.2]` and
 * `['http://edamontology.org/data_0006']`, which no CSV consumer reads back: JSON gives the
 * floats 1.0 and 1.2 for the versions named "1.0" and "1.2", and fails on the quotes. The
 * reference here is Python's csv and json modules against the JSON rows of the same export.
 */
describe.skipIf(!hasPython)('term search CSV: list cells are JSON that Python reads back to the JSON export\'s values', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let root: string;
  beforeAll(() => {
    temp = makeTempRoot('ontocat-csv-lists');
    root = path.join(temp.root, 'root');
    for (const version of ['1.0', '1.2']) {
      const dir = path.join(temp.root, `edam-${version}`);
      mkdirSync(dir);
      copyFileSync(path.join(projectRoot, 'test/fixtures/edam', `EDAM_${version}.obo`), path.join(dir, 'EDAM.obo'));
      const run = runOntocat(['ingest', dir, '--service', 'edam', '--version', version], { root });
      expect(run.code, run.stderr).toBe(0);
    }
  }, 240_000);
  afterAll(() => temp.cleanup());

  it('every cell of the CSV equals the JSON rows\' value, lists included', () => {
    const csv = path.join(temp.root, 'terms.csv');
    const json = path.join(temp.root, 'terms.json');
    for (const [format, out, extra] of [['csv', csv, []], ['json', json, ['--rows']]] as const) {
      const run = runOntocat(['terms', 'search', 'alignment', '--service', 'edam', '--format', format, '--out', out, ...extra], { root });
      expect(run.code, run.stderr).toBe(0);
    }
    const script = [
      'import csv, json, sys',
      'rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))',
      'ref = json.load(open(sys.argv[2], encoding="utf-8"))',
      'assert len(rows) == len(ref) and len(rows) > 10, (len(rows), len(ref))',
      'bad = []',
      'lists = 0',
      'for row, want in zip(rows, ref):',
      '    assert list(row) == list(want), (list(row), list(want))',
      '    for key, value in want.items():',
      '        if isinstance(value, (list, dict)):',
      '            lists += 1',
      '            try: got = json.loads(row[key])',
      '            except ValueError as error: got = "not JSON: %s" % error',
      '        else:',
      '            got = row[key]',
      '            value = "" if value is None else ("true" if value is True else "false" if value is False else str(value))',
      '        if got != value: bad.append((key, row[key], want[key]))',
      'print(json.dumps({"lists": lists, "bad": bad[:5], "bad_count": len(bad)}))',
    ].join('\n');
    const check = spawnSync('python3', ['-c', script, csv, json], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    const result = JSON.parse(check.stdout) as { lists: number; bad: unknown[]; bad_count: number };
    expect(result.lists).toBeGreaterThan(0);
    expect(result.bad).toEqual([]);
  });
});
