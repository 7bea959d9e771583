import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDelta } from '../../../electron/catalog/delta-queries.js';
import type { Catalog } from '../../../electron/catalog/open-catalog.js';
import { profileQuery } from '../../../electron/catalog/profile-queries.js';
import { cadenceReport, growthReport, hotspotsReport, latestReport, validationReport } from '../../../electron/catalog/report-queries.js';
import { describeSchema } from '../../../electron/catalog/schema-queries.js';
import { validationDelta } from '../../../electron/catalog/validation-delta-queries.js';
import { exportTable } from '../../../electron/handlers/export-tables.js';
import { isOntocatError } from '../../../electron/shared/errors.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { catalogWith, f, fail } from './fixtures.js';

const go = (version: string) => ({ service: 'go', version });
const v1Files = [f('go.owl', 'go-1', 1000, 'rdfxml'), f('extra/old/r.ttl', 'r'), f('gone.ttl', 'gone'), f('x.ttl', 'x-1'), f('terms.csv', 't', 50, 'csv')];
const v3Files = [f('go.owl', 'go-3', 1500, 'rdfxml'), f('extra/new/r.ttl', 'r'), f('x.ttl', 'x-2'), f('terms.csv', 't', 50, 'csv'), f('more.obo', 'more', 300, 'obo')];

let catalog: Catalog;
const temp = makeTempRoot('ontocat-reports');

beforeAll(async () => {
  catalog = await catalogWith(temp.root, [
    {
      service: 'go', version: 'v1', created_at: '2024-01-01T00:00:00Z', files: v1Files,
      validations: [
        fail('x.ttl', 'rule1', { subject: 'ex:A' }),
        fail('x.ttl', 'rule2', { subject: 'ex:B' }),
        fail('extra/old/r.ttl', 'rule3', { subject: 'ex:C' }),
        fail('gone.ttl', 'rule4'),
        fail('x.ttl', 'parse', { line: 1 }),
        fail('x.ttl', 'parse', { line: 5 }),
        { relpath: 'go.owl', validator: 'rdf-syntax', rule: 'parse', severity: 'ERROR', passed: true },
      ],
    },
    // Same files as v1: a no-op release 10 days later, pointed at as latest.
    { service: 'go', version: 'v2', created_at: '2024-01-11T00:00:00Z', files: v1Files, latest: true,
      validations: [fail('x.ttl', 'rule1', { subject: 'ex:A' }), { relpath: 'go.owl', validator: 'rdf-syntax', rule: 'parse', severity: 'ERROR', passed: true }] },
    {
      service: 'go', version: 'v3', created_at: '2024-02-10T00:00:00Z', files: v3Files,
      validations: [
        fail('x.ttl', 'rule1', { subject: 'ex:A' }),
        fail('extra/new/r.ttl', 'rule3', { subject: 'ex:C', line: 9 }),
        fail('x.ttl', 'rule5', { severity: 'WARN', validator: 'obo-lint' }),
        fail('x.ttl', 'parse', { line: 2 }),
      ],
    },
    { service: 'hp', version: '2024-03', created_at: '2024-03-01T00:00:00Z', files: [f('hp.obo', 'hp', 5000, 'obo'), f('big/hp.owl', 'hpo', 20000, 'rdfxml')],
      validations: [fail('hp.obo', 'obo-header', { validator: 'obo-lint', severity: 'WARN' })] },
  ]);
});
afterAll(async () => {
  await catalog.close();
  temp.cleanup();
});

describe('validation delta', () => {
  it('matches findings by path (following renames), validator, rule and subject; a removed file\'s findings are GONE', async () => {
    const result = await catalog.read((conn) => validationDelta(conn, go('v1'), go('v3')));
    const rows = result.findings.items.map((r) => `${r.status} ${r.relpath} ${r.rule} ${r.subject ?? ''} ${r.line ?? r.old_line ?? ''}`.trim());
    expect(rows).toEqual([
      'NEW x.ttl rule5',
      'PERSISTING extra/new/r.ttl rule3 ex:C 9',
      'PERSISTING x.ttl parse  2',
      'PERSISTING x.ttl rule1 ex:A',
      'FIXED x.ttl parse  5',
      'FIXED x.ttl rule2 ex:B',
      // gone.ttl is not in v3: its finding left with the file, nobody fixed it.
      'GONE gone.ttl rule4',
    ]);
    const moved = result.findings.items.find((r) => r.rule === 'rule3')!;
    expect(moved.old_relpath).toBe('extra/old/r.ttl');
    expect(result.summary).toMatchObject({ new: 1, fixed: 2, persisting: 3, gone: 1 });
    expect(result.summary.by_severity).toEqual([
      { severity: 'ERROR', new: 0, fixed: 2, persisting: 3, gone: 1 },
      { severity: 'WARN', new: 1, fixed: 0, persisting: 0, gone: 0 },
    ]);
    expect(result.summary.by_validator.find((v) => v.validator === 'obo-lint')).toEqual({ validator: 'obo-lint', new: 1, fixed: 0, persisting: 0, gone: 0 });
    // The other way round, gone.ttl comes back: its finding is NEW, and nothing is GONE.
    const back = await catalog.read((conn) => validationDelta(conn, go('v3'), go('v1')));
    expect(back.summary).toMatchObject({ new: 3, fixed: 1, gone: 0 });
    expect(back.findings.items.find((r) => r.relpath === 'gone.ttl')?.status).toBe('NEW');
  });

  it('filters and pages the findings with a matching total', async () => {
    const fixed = await catalog.read((conn) => validationDelta(conn, go('v1'), go('v3'), { status: 'fixed', limit: 1 }));
    expect(fixed.findings.total).toBe(2);
    expect(fixed.findings.items).toHaveLength(1);
    expect(fixed.findings.items.every((r) => r.status === 'FIXED')).toBe(true);
    const gone = await catalog.read((conn) => validationDelta(conn, go('v1'), go('v3'), { status: 'gone' }));
    expect(gone.findings.total).toBe(1);
    expect(gone.findings.items.map((r) => [r.status, r.relpath, r.old_relpath])).toEqual([['GONE', 'gone.ttl', 'gone.ttl']]);
    // A folder's findings follow its files in and out: r.ttl moved from extra/old to extra/new.
    for (const prefix of ['extra/old', 'extra/new']) {
      const moved = await catalog.read((conn) => validationDelta(conn, go('v1'), go('v3'), { prefix }));
      expect(moved.findings.items.map((r) => [r.status, r.old_relpath, r.relpath]), prefix).toEqual([['PERSISTING', 'extra/old/r.ttl', 'extra/new/r.ttl']]);
      expect(moved.summary).toMatchObject({ persisting: 1, new: 0, fixed: 0, gone: 0 });
    }
    const warn = await catalog.read((conn) => validationDelta(conn, go('v1'), go('v3'), { severity: 'WARN' }));
    expect(warn.findings.items.map((r) => r.rule)).toEqual(['rule5']);
  });
});

describe('reports', () => {
  it('latest: the pointed-at version, else the newest, per service', async () => {
    const rows = await catalog.read((conn) => latestReport(conn));
    expect(rows.map((r) => [r.service, r.version, r.pointer_set, r.versions, r.files, r.formats, r.files_with_errors, r.errors, r.warnings])).toEqual([
      ['go', 'v2', true, 3, 5, 3, 1, 1, 0],
      // hp's only finding is a WARN: no errors, never a failure
      ['hp', '2024-03', false, 1, 2, 2, 0, 0, 1],
    ]);
    const missing = await catalog.read((conn) => latestReport(conn, { service: 'nope' })).catch((e: unknown) => e);
    expect(isOntocatError(missing, 'NOT_FOUND')).toBe(true);
  });

  it('growth: previous -> latest by default (a no-op here), or any two versions', async () => {
    const noop = await catalog.read((conn) => growthReport(conn, { service: 'go' }));
    expect(noop).toMatchObject({ from: 'go/v1', to: 'go/v2' });
    expect(noop.summary.identical).toBe(true);
    const grown = await catalog.read((conn) => growthReport(conn, { service: 'go', from: 'go/v1', to: 'go/v3' }));
    expect(grown.summary.net_growth).toBe(v3Files.reduce((a, x) => a + x.size_bytes, 0) - v1Files.reduce((a, x) => a + x.size_bytes, 0));
    expect(grown.rows.find((r) => r.format === 'obo')).toMatchObject({ files_from: 0, files_to: 1, added_files: 1, net_bytes: 300 });
    expect(grown.summary.renamed.count).toBe(1);
    const none = await catalog.read((conn) => growthReport(conn, { service: 'hp' })).catch((e: unknown) => e);
    expect(isOntocatError(none, 'NOT_FOUND')).toBe(true);
  });

  it('validation health per validator and format of the current versions', async () => {
    const rows = await catalog.read((conn) => validationReport(conn));
    // These fixtures record no `syntax` results, so no file counts as checked and no parse rate exists.
    expect(rows).toEqual([
      expect.objectContaining({ validator: 'rdf-syntax', format: 'turtle', files_with_errors: 1, errors: 1, warnings: 0 }),
      expect.objectContaining({ validator: 'obo-lint', format: 'obo', files_checked: 0, parse_rate: null, files_with_errors: 0, errors: 0, warnings: 1 }),
      expect.objectContaining({ validator: 'rdf-syntax', format: 'rdfxml', files_with_errors: 0, errors: 0, warnings: 0 }),
    ]);
    const one = await catalog.read((conn) => validationReport(conn, { ref: 'go/v3' }));
    expect([one.reduce((a, r) => a + r.errors, 0), one.reduce((a, r) => a + r.warnings, 0)]).toEqual([3, 1]);
  });

  it('hotspots: services, formats and folders ranked by bytes and errors', async () => {
    const rows = await catalog.read((conn) => hotspotsReport(conn, { top: 1 }));
    // hp leads by bytes, go by errors (hp has only a WARN): both are hotspots at top 1
    expect(rows.filter((r) => r.dimension === 'service').map((r) => r.key)).toEqual(['hp', 'go']);
    const hp = rows.find((r) => r.dimension === 'service' && r.key === 'hp')!;
    expect(hp.bytes).toBe(25000);
    expect(hp.bytes_share).toBeGreaterThan(0.9);
    expect(rows.find((r) => r.dimension === 'folder')).toMatchObject({ key: 'hp/big', bytes: 20000 });
    // hp.obo sits at the version's top level: a folder key of its own, not 'hp/.'.
    const all = await catalog.read((conn) => hotspotsReport(conn, { top: 10 }));
    expect(all.filter((r) => r.dimension === 'folder').map((r) => [r.key, r.files])).toContainEqual(['hp (top level)', 1]);
    expect(rows.find((r) => r.dimension === 'format')).toMatchObject({ key: 'rdfxml' });
  });

  it('cadence: days between releases, no-op releases and growth per release', async () => {
    const report = await catalog.read((conn) => cadenceReport(conn, { service: 'go' }));
    expect(report.rows.map((r) => [r.version, r.previous, r.days_since_previous, r.noop])).toEqual([
      ['v1', null, null, false], ['v2', 'v1', 10, true], ['v3', 'v2', 30, false],
    ]);
    expect(report.rows[2]!.growth_files).toBe(0);
    expect(report.services).toEqual([expect.objectContaining({ service: 'go', versions: 3, mean_days: 20, median_days: 20, max_days: 30, noop_releases: 1 })]);
  });
});

describe('export, profile and schema', () => {
  async function readBack(sql: string): Promise<Record<string, unknown>[]> {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const reader = await conn.runAndReadAll(sql);
      return reader.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  }

  it('writes the change list as CSV and Parquet equal to the JSON, atomically', async () => {
    const json = await catalog.read((conn) => computeDelta(conn, go('v1'), go('v3'), { kind: 'all', limit: 1000 }));
    const csvPath = path.join(temp.root, 'out', 'delta.csv');
    const parquetPath = path.join(temp.root, 'out', 'delta.parquet');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.dirname(csvPath), { recursive: true });
    const input = { from: 'go/v1', to: 'go/v3', kind: 'all' as const };
    expect((await exportTable(catalog, 'delta', input, 'csv', csvPath)).rows).toBe(json.changes.total);
    expect((await exportTable(catalog, 'delta', input, 'parquet', parquetPath)).rows).toBe(json.changes.total);
    expect(readdirSync(path.dirname(csvPath)).sort()).toEqual(['delta.csv', 'delta.parquet']);
    const fromCsv = await readBack(`SELECT * FROM read_csv('${csvPath}', all_varchar = false)`);
    const fromParquet = await readBack(`SELECT * FROM read_parquet('${parquetPath}')`);
    expect(fromParquet).toEqual(json.changes.items.map((row) => ({ ...row })));
    expect(fromCsv.map((r) => [r.kind, r.relpath, r.old_relpath, r.new_relpath, r.old_size, r.new_size, r.new_sha256]))
      .toEqual(json.changes.items.map((r) => [r.kind, r.relpath, r.old_relpath, r.new_relpath, r.old_size, r.new_size, r.new_sha256]));
  });

  it('exports a report table; an unknown version writes nothing', async () => {
    const target = path.join(temp.root, 'cadence.parquet');
    await exportTable(catalog, 'report-cadence', {}, 'parquet', target);
    const rows = await readBack(`SELECT service, version, noop FROM read_parquet('${target}') ORDER BY service, version`);
    expect(rows).toHaveLength(4);
    const failed = await exportTable(catalog, 'delta', { from: 'go/v1', to: 'go/zzz' }, 'csv', path.join(temp.root, 'never.csv')).catch((e: unknown) => e);
    expect(isOntocatError(failed, 'NOT_FOUND')).toBe(true);
    expect(existsSync(path.join(temp.root, 'never.csv'))).toBe(false);
  });

  it('profiles a named query with EXPLAIN ANALYZE plans', async () => {
    const profile = await catalog.read((conn) => profileQuery(conn, 'delta', { refs: ['go/v1', 'go/v3'] }));
    expect(profile.queries.length).toBeGreaterThanOrEqual(3);
    expect(profile.queries[profile.main]!.sql).toContain('delta_join');
    expect(profile.queries[profile.main]!.plan).toMatch(/Total Time/);
    const bad = await catalog.read((conn) => profileQuery(conn, 'delta', { refs: ['go/v1'] })).catch((e: unknown) => e);
    expect(isOntocatError(bad, 'BAD_INPUT')).toBe(true);
  });

  it('describes tables, columns, views and macros', async () => {
    const schema = await catalog.read((conn) => describeSchema(conn));
    const files = schema.tables.find((t) => t.name === 'extracted_files')!;
    expect(files.columns.find((c) => c.name === 'sha256')).toMatchObject({ type: 'VARCHAR', nullable: false });
    expect(schema.views.map((v) => v.name)).toContain('v_version_stats');
    expect(schema.macros.find((m) => m.name === 'version_delta')).toMatchObject({ kind: 'table_macro', parameters: ['a', 'b'] });
  });
});
