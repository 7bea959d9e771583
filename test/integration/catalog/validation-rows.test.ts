/**
 * Findings are written through a staged file: every field reads back exactly as given,
 * whatever a parser's message holds (tabs, line breaks, NUL, an empty string, quotes,
 * backslashes, text that looks like NULL), and every id is the one `validationId` makes,
 * with repeated findings of one rule on one subject numbered as before. Findings reused by
 * content hash are copied inside DuckDB and come out as recording them for the target would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileId, validationId, versionId } from '../../../electron/catalog/ids.js';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { reusableSources, type ReusableSource } from '../../../electron/catalog/validation-reuse.js';
import { replaceVersionValidations, type NewValidation } from '../../../electron/catalog/write-records.js';
import { OntocatError } from '../../../electron/shared/errors.js';
import { DECIDING_EXTENSIONS } from '../../../electron/ingest/detect-format.js';
import { recordVersion } from '../../helpers/catalog-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const ref = { service: 'svc', version: '1' };
let catalog: Catalog;
let cleanup: () => void;

const findings: NewValidation[] = [
  { relpath: 'a.ttl', validator: 'turtle', rule: 'syntax', severity: 'ERROR', passed: false, message: 'Unexpected "\t" on line 3.\nExpected ".".', line: 3, col: 17, subject: null, details: { bytes: 10, duration_ms: 0.35 } },
  { relpath: 'a.ttl', validator: 'quality', rule: 'missing-label', severity: 'WARN', passed: false, message: 'No label.', line: null, col: null, subject: 'http://x/A', details: null },
  // The same rule on the same subject twice, and a third time: ids made from subject, subject#2, subject#3.
  { relpath: 'a.ttl', validator: 'quality', rule: 'missing-label', severity: 'WARN', passed: false, message: 'No label, again.', subject: 'http://x/A' },
  { relpath: 'a.ttl', validator: 'quality', rule: 'missing-label', severity: 'WARN', passed: false, message: 'No label, a third time.', subject: 'http://x/A' },
  // A subject that looks like a numbered one is its own subject; the repeat after it goes on numbering.
  { relpath: 'a.ttl', validator: 'quality', rule: 'dup', severity: 'INFO', passed: true, message: '', subject: 'S#2' },
  { relpath: 'a.ttl', validator: 'quality', rule: 'dup', severity: 'INFO', passed: true, message: 'NULL', subject: 'S' },
  { relpath: 'a.ttl', validator: 'quality', rule: 'dup', severity: 'INFO', passed: true, message: null, subject: 'S' },
  { relpath: 'é/ünïcode name.json', validator: 'json', rule: 'syntax', severity: 'INFO', passed: true, message: 'tab\there, NUL \u0000, CR \r, back\\slash, "quotes", emoji 🧬, DEL \u007f', subject: 'sub\tject', details: { nested: { list: ['a\tb', 'c\nd', '\\'] }, n: 1.5 } },
  { relpath: 'é/ünïcode name.json', validator: 'json', rule: 'syntax', severity: 'INFO', passed: true, message: '  leading and trailing spaces  ', subject: '' },
];

beforeAll(async () => {
  let root: string;
  ({ root, cleanup } = makeTempRoot('ontocat-validation-rows'));
  catalog = await openCatalog({ root });
  await recordVersion(catalog, ref.service, ref.version, [
    { relpath: 'a.ttl', format: 'turtle', size_bytes: 10, sha256: '1'.repeat(64) },
    { relpath: 'é/ünïcode name.json', format: 'json', size_bytes: 7, sha256: '2'.repeat(64) },
  ]);
});
afterAll(async () => {
  await catalog.close();
  cleanup();
});

interface StoredFinding {
  validation_id: string; file_id: string; validator: string; rule: string; severity: string; passed: boolean;
  message: string | null; line: number | null; col: number | null; subject: string | null; details_json: string | null;
}

describe('replaceVersionValidations', () => {
  it('reads every field back exactly and makes the ids validationId makes', async () => {
    const started = Date.now();
    // Blocks of two rows: the staged file is written in several pieces.
    const counts = await catalog.write((tx) => replaceVersionValidations(tx, ref, findings, { chunkRows: 2 }));
    expect(counts).toEqual({ passed: 5, failed: 4 });
    const rows = await catalog.read((conn) => conn.all<StoredFinding>(
      `SELECT validation_id::VARCHAR AS validation_id, file_id::VARCHAR AS file_id, validator, rule, severity, passed, message, line, col, subject, details_json
       FROM validations WHERE version_id = $1::UUID`, [versionId(ref.service, ref.version)],
    ));
    const vid = versionId(ref.service, ref.version);
    const idSubjects = ['', 'http://x/A', 'http://x/A#2', 'http://x/A#3', 'S#2', 'S', 'S#3', 'sub\tject', ''];
    const expected = findings.map((finding, i) => {
      const fid = fileId(vid, finding.relpath);
      return {
        validation_id: validationId(fid, finding.validator, finding.rule, idSubjects[i]!), file_id: fid,
        validator: finding.validator, rule: finding.rule, severity: finding.severity, passed: finding.passed,
        message: finding.message ?? null, line: finding.line ?? null, col: finding.col ?? null, subject: finding.subject ?? null,
        details_json: finding.details ? JSON.stringify(finding.details) : null,
      };
    });
    const byId = (a: { validation_id: string }, b: { validation_id: string }) => a.validation_id.localeCompare(b.validation_id);
    expect([...rows].sort(byId)).toEqual([...expected].sort(byId));
    // One run time for the whole run, when it ran (the column has no zone).
    const runAt = await catalog.read((conn) => conn.one<{ first: number; last: number }>(
      'SELECT epoch_ms(min(run_at)) AS first, epoch_ms(max(run_at)) AS last FROM validations',
    ));
    expect(Number(runAt!.first)).toBe(Number(runAt!.last));
    expect(Math.abs(Number(runAt!.first) - started)).toBeLessThan(60_000);
  });

  it('refuses a finding it cannot record, and keeps the findings there were', async () => {
    const before = await catalog.read((conn) => conn.scalar<number>('SELECT count(*) FROM validations'));
    const bad: NewValidation = { relpath: 'a.ttl', validator: 'turtle', rule: 'syntax', severity: 'FATAL' as NewValidation['severity'], passed: false };
    await expect(catalog.write((tx) => replaceVersionValidations(tx, ref, [findings[0]!, bad]))).rejects.toThrow(OntocatError);
    await expect(catalog.write((tx) => replaceVersionValidations(tx, ref, [{ ...findings[0]!, rule: 'a\tb' }]))).rejects.toThrow(/rule/);
    await expect(catalog.write((tx) => replaceVersionValidations(tx, ref, [{ ...findings[0]!, line: Number.NaN }]))).rejects.toThrow(/line/);
    expect(await catalog.read((conn) => conn.scalar<number>('SELECT count(*) FROM validations'))).toBe(before);
  });
});

describe('copyReusedFindings (reuse by content hash, inside DuckDB)', () => {
  const copyRef = { service: 'svc', version: '2' };
  const VALIDATOR = 42;
  const stamped = (list: readonly NewValidation[]): NewValidation[] => list.map((finding) => (finding.rule === 'syntax'
    ? { ...finding, details: { ...finding.details, validator_version: VALIDATOR, triples: 7, terms: 3 } } : finding));
  const reusedOf = (sources: readonly ReusableSource[]) => ({
    relpaths: sources.map((s) => s.target_relpath), sources: sources.map((s) => s.source_file_id), skipRules: ['format-mismatch'], validatorVersion: VALIDATOR,
  });
  const stored = (version: string) => catalog.read((conn) => conn.all<StoredFinding & { relpath: string }>(
    `SELECT v.validation_id::VARCHAR AS validation_id, v.file_id::VARCHAR AS file_id, f.relpath, v.validator, v.rule, v.severity, v.passed, v.message,
            v.line, v.col, v.subject, v.details_json
     FROM validations v JOIN extracted_files f USING (file_id) WHERE v.version_id = $1::UUID ORDER BY v.validation_id`,
    [versionId(ref.service, version)],
  ));

  beforeAll(async () => {
    // The second version holds the same two contents (one under a new path) and one of its own.
    await recordVersion(catalog, copyRef.service, copyRef.version, [
      { relpath: 'a.ttl', format: 'turtle', size_bytes: 10, sha256: '1'.repeat(64) },
      { relpath: 'moved/ünïcode name.json', format: 'json', size_bytes: 7, sha256: '2'.repeat(64) },
      { relpath: 'new.ttl', format: 'turtle', size_bytes: 3, sha256: '3'.repeat(64) },
    ]);
  });

  it('copies exactly what recording the same findings for the target gives, ids and numbering included', async () => {
    // Without the literal `S#2` (a parse would number its neighbours otherwise; next test).
    const plain = stamped(findings.filter((f) => f.subject !== 'S#2'));
    await catalog.write((tx) => replaceVersionValidations(tx, ref, plain));
    const sources = await catalog.read((conn) => reusableSources(conn, copyRef, VALIDATOR, ['format-mismatch'], DECIDING_EXTENSIONS));
    expect(sources.map((s) => s.target_relpath)).toEqual(['a.ttl', 'moved/ünïcode name.json']);
    expect(sources.map((s) => [s.triples, s.terms])).toEqual([[7, 3], [7, 3]]);

    const ownFinding: NewValidation = { relpath: 'new.ttl', validator: 'turtle', rule: 'syntax', severity: 'INFO', passed: true, message: null };
    const counts = await catalog.write((tx) => replaceVersionValidations(tx, copyRef, [ownFinding], { reused: reusedOf(sources) }));
    const copied = await stored(copyRef.version);

    // What a parse of the target would record: the same findings under the target's paths.
    const asParsed = plain.map((f) => (f.relpath.endsWith('.json') ? { ...f, relpath: 'moved/ünïcode name.json' } : f));
    await catalog.write((tx) => replaceVersionValidations(tx, copyRef, [ownFinding, ...asParsed]));
    const parsed = await stored(copyRef.version);
    expect(copied).toEqual(parsed);
    expect(copied.filter((row) => row.subject === 'S').length).toBe(2);
    expect(counts).toEqual({ passed: plain.filter((f) => f.passed).length + 1, failed: plain.filter((f) => !f.passed).length });
  });

  it('parses again a file whose findings a parse would number otherwise (a literal subject#2)', async () => {
    await catalog.write((tx) => replaceVersionValidations(tx, ref, stamped(findings)));
    const sources = await catalog.read((conn) => reusableSources(conn, copyRef, VALIDATOR, ['format-mismatch'], DECIDING_EXTENSIONS));
    expect(sources.map((s) => s.target_relpath)).toEqual(['moved/ünïcode name.json']);
  });

  it('refuses the write when a chosen source lost its results meanwhile, and keeps the findings there were', async () => {
    await catalog.write((tx) => replaceVersionValidations(tx, ref, stamped(findings)));
    const sources = await catalog.read((conn) => reusableSources(conn, copyRef, VALIDATOR, ['format-mismatch'], DECIDING_EXTENSIONS));
    expect(sources.length).toBe(1);
    const before = await stored(copyRef.version);
    // As if the source version had been pruned between choosing and writing.
    await catalog.write((tx) => tx.run('DELETE FROM validations WHERE version_id = $1::UUID', [versionId(ref.service, ref.version)]));
    const write = catalog.write((tx) => replaceVersionValidations(tx, copyRef, [], { reused: reusedOf(sources) }));
    await expect(write).rejects.toThrow(/changed while the version was validated/);
    expect(await stored(copyRef.version)).toEqual(before);
  });
});
