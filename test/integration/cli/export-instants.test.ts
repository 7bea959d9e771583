/**
 * Exported times are instants with their zone. TIMESTAMP columns hold UTC; DuckDB's own
 * text for them (`2026-12-05 05:26:40.702`) says no zone, so Python's datetime read the CSV
 * and `--rows` JSON cells as naive local times, while `--json` said Z. Outside truth:
 * Python's csv, json and datetime.fromisoformat, against the same report's `--json`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outsideQuery } from '../../helpers/outside-duckdb.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const temp = makeTempRoot('ontocat-export-instants');
const root = path.join(temp.root, 'root');

beforeAll(() => {
  const src = path.join(temp.root, 'src');
  mkdirSync(src, { recursive: true });
  writeFileSync(path.join(src, 'a.nt'), '<http://example.org/a> <http://example.org/b> "c" .\n');
  for (const args of [['init'], ['ingest', src, '--service', 's', '--version', '1']]) {
    const run = runOntocat(args, { root });
    expect(run.code, run.stderr).toBe(0);
  }
}, 120_000);
afterAll(() => temp.cleanup());

/** Each file's created_at cells read by Python as aware datetimes, as epoch milliseconds (null for a naive one). */
function pythonInstants(csvFile: string, jsonFile: string): { csv: (number | null)[]; json: (number | null)[] } {
  const script = `import csv, json, sys
from datetime import datetime
def ms(text):
    at = datetime.fromisoformat(text)
    return None if at.tzinfo is None else round(at.timestamp() * 1000)
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
print(json.dumps({'csv': [ms(r['created_at']) for r in rows], 'json': [ms(r['created_at']) for r in json.load(open(sys.argv[2], encoding='utf-8'))]}))`;
  const run = spawnSync('python3', ['-c', script, csvFile, jsonFile], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { csv: (number | null)[]; json: (number | null)[] };
}

describe('exported times', () => {
  it('read back in Python as the instants --json gives, zone and all', () => {
    const csvFile = path.join(temp.root, 'latest.csv');
    const jsonFile = path.join(temp.root, 'latest.json');
    expect(runOntocat(['report', 'latest', '--format', 'csv', '--out', csvFile], { root }).code).toBe(0);
    expect(runOntocat(['report', 'latest', '--format', 'json', '--rows', '--out', jsonFile], { root }).code).toBe(0);
    const expected = runOntocat(['report', 'latest', '--json'], { root }).json<{ created_at: string }[]>().map((row) => Date.parse(row.created_at));
    expect(expected).toHaveLength(1);
    expect(pythonInstants(csvFile, jsonFile)).toEqual({ csv: expected, json: expected });
  }, 120_000);

  // Parquet says whether a time is an instant (isAdjustedToUTC); a time that is not is read in
  // the reader's own zone. A DuckDB elsewhere, in Auckland, must read the instants --json gives.
  it('read back from Parquet by a DuckDB in another time zone as the instants --json gives', async () => {
    const file = path.join(temp.root, 'cadence.parquet');
    expect(runOntocat(['report', 'cadence', '--format', 'parquet', '--out', file], { root }).code).toBe(0);
    const expected = runOntocat(['report', 'cadence', '--json'], { root }).json<{ rows: { created_at: string; release_date: string }[] }>().rows
      .map((row) => ({ created: Date.parse(row.created_at), released: Date.parse(row.release_date) }));
    expect(expected).toHaveLength(1);
    const read = await outsideQuery<{ created: string; released: string }>(
      `SET TimeZone = 'Pacific/Auckland'; SELECT epoch_ms(created_at::TIMESTAMPTZ) AS created, epoch_ms(release_date::TIMESTAMPTZ) AS released FROM read_parquet('${file.replace(/'/g, "''")}')`);
    expect(read.map((row) => ({ created: Number(row.created), released: Number(row.released) }))).toEqual(expected);
  }, 120_000);
});
