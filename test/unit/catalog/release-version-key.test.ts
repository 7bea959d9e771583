/**
 * The natural order of version strings (migrations/0005_release_order.sql
 * `release_version_key`), run in a real DuckDB over real version lists.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/catalog/migrations.js';
import { SqlConnection } from '../../../electron/catalog/sql.js';
import { projectRoot } from '../../helpers/run-cli.js';

let instance: DuckDBInstance;
let conn: SqlConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = new SqlConnection(await instance.connect());
  await migrate(conn);
});
afterAll(() => {
  conn.raw.closeSync();
  instance.closeSync();
});

/** Sorts by the catalog's own key (ties keep no particular order, so callers avoid them). */
async function naturalOrder(versions: readonly string[]): Promise<string[]> {
  const rows = await conn.all<{ v: string }>(
    'SELECT v FROM unnest($1::VARCHAR[]) AS t(v) ORDER BY release_version_key(v), v',
    [`[${versions.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]`],
  );
  return rows.map((row) => row.v);
}

/** A fixed shuffle, so a list never arrives already in order. */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  let seed = 7;
  for (let i = out.length - 1; i > 0; i -= 1) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('natural order of version strings', () => {
  it('orders EDAM releases: beta05 … beta13 before 1.0, and 1.2 < 1.10 < 1.25', async () => {
    const edam = [
      ...Array.from({ length: 9 }, (_, i) => `beta${String(i + 5).padStart(2, '0')}`),
      ...Array.from({ length: 26 }, (_, i) => `1.${i}`),
    ];
    expect(await naturalOrder(shuffled(edam))).toEqual(edam);
  });

  it('orders the releases of @zazuko/rdf-vocabularies installed here (calver)', async () => {
    const installed = readdirSync(path.join(projectRoot, 'node_modules'))
      .filter((name) => name.startsWith('rdf-vocabularies-'))
      .map((name) => (JSON.parse(readFileSync(path.join(projectRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version);
    expect(installed.length).toBeGreaterThanOrEqual(3);
    const byDate = [...installed].sort((a, b) => Date.parse(a.replace(/\./g, '-')) - Date.parse(b.replace(/\./g, '-')));
    expect(await naturalOrder([...installed].reverse())).toEqual(byDate);
    expect(await naturalOrder(['2021.9.22', '2019.6.27', '2020.6.17'])).toEqual(['2019.6.27', '2020.6.17', '2021.9.22']);
  });

  it('agrees with the semver package on every version installed in node_modules, pre-releases included', async () => {
    const semver = createRequire(import.meta.url)('semver') as { valid(v: string): string | null; compare(a: string, b: string): number };
    const lock = JSON.parse(readFileSync(path.join(projectRoot, 'node_modules', '.package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
    // Build metadata (+…) does not order in semver (equal keys, no one order to compare);
    // test/integration/catalog/version-string-order.test.ts holds a release with it.
    const versions = [...new Set(Object.values(lock.packages).map((p) => p.version).filter((v): v is string => !!v && semver.valid(v) === v && !v.includes('+')))];
    const specExample = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0'];
    const all = [...new Set([...versions, ...specExample, '6.5.0', '6.6.2', '6.10.0', '6.6.2-rc.1'])];
    expect(all.length).toBeGreaterThan(100);
    expect(all.some((v) => v.includes('-'))).toBe(true);
    expect(await naturalOrder(shuffled(all))).toEqual([...all].sort((a, b) => semver.compare(a, b)));
    expect(await naturalOrder(shuffled(specExample))).toEqual(specExample);
  });

  it('orders dated releases (GO) and reads a date the same in any of its spellings', async () => {
    const go = ['2023-01-01', '2023-03-06', '2023-04-01', '2023-05-10', '2023-06-11', '2023-07-27', '2023-10-09', '2024-01-17', '2024-04-24', '2024-06-17'];
    expect(await naturalOrder(shuffled(go))).toEqual(go);
    expect(await naturalOrder(['20210923', '2021-09-22', '2021.9.24', '2021.09.21'])).toEqual(['2021.09.21', '2021-09-22', '20210923', '2021.9.24']);
    expect(await naturalOrder(['v6.10.0', '6.6.2', 'v6.5.0'])).toEqual(['v6.5.0', '6.6.2', 'v6.10.0']);
  });

  it('gives equal keys to the same version spelt differently, and a key to anything', async () => {
    const keys = await conn.all<{ a: string; b: string; c: string; d: string }>(
      `SELECT release_version_key('2021-09-22') AS a, release_version_key('20210922') AS b,
              release_version_key('v1.2') AS c, release_version_key('1.2') AS d`,
    );
    expect(keys[0]!.a).toBe(keys[0]!.b);
    expect(keys[0]!.c).toBe(keys[0]!.d);
    expect(await naturalOrder(['_', 'latest', '0'])).toHaveLength(3);
  });
});
