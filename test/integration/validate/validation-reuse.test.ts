/**
 * Validation reuse by content hash, on real files: the vendored EDAM releases (OBO, with
 * real defects) and the W3C RDF 1.1 Turtle and RDF/XML suites (relative IRIs, broken
 * syntax on purpose). A second version with mostly the same content reuses the first's
 * results instead of parsing again, and what it records equals a fresh parse of the same
 * version, file by file and id by id; results of another validator version are never reused.
 */
import { appendFileSync, cpSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../../electron/handlers/session.js';
import { VALIDATOR_VERSION } from '../../../electron/ingest/validate/validators.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const fixtures = path.join(projectRoot, 'test', 'fixtures');
const temp = makeTempRoot('ontocat-validation-reuse');
const root = path.join(temp.root, 'root');

interface StoredRow {
  readonly validation_id: string;
  readonly relpath: string;
  readonly validator: string;
  readonly rule: string;
  readonly severity: string;
  readonly passed: boolean;
  readonly message: string | null;
  readonly line: number | null;
  readonly col: number | null;
  readonly subject: string | null;
  readonly details: Record<string, unknown> | null;
}

/** Every validation row of a version, comparable across runs (timings left out). */
async function storedRows(session: Session, version: string): Promise<StoredRow[]> {
  const rows = await session.catalog.read((conn) => conn.all<Omit<StoredRow, 'details'> & { details_json: string | null }>(
    `SELECT v.validation_id::VARCHAR AS validation_id, f.relpath, v.validator, v.rule, v.severity, v.passed, v.message, v.line, v.col, v.subject, v.details_json
     FROM validations v JOIN extracted_files f USING (file_id) JOIN versions ver ON ver.version_id = v.version_id
     WHERE ver.service = 'suite' AND ver.version = $1`, [version]));
  return rows
    .map(({ details_json: json, ...row }) => {
      const details = json === null ? null : (JSON.parse(json) as Record<string, unknown>);
      if (details) delete details.duration_ms;
      return { ...row, details };
    })
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** The two source trees: v2 is v1 with one EDAM release changed and one Turtle test moved. */
function makeSources(): { v1: string; v2: string; moved: { from: string; to: string } } {
  const v1 = path.join(temp.root, 'src-v1');
  mkdirSync(v1, { recursive: true });
  cpSync(path.join(fixtures, 'edam'), path.join(v1, 'edam'), { recursive: true, filter: (src) => !/LICENSE|README/.test(path.basename(src)) });
  cpSync(path.join(fixtures, 'w3c-rdf11', 'rdf-turtle'), path.join(v1, 'rdf-turtle'), { recursive: true });
  cpSync(path.join(fixtures, 'w3c-rdf11', 'rdf-xml'), path.join(v1, 'rdf-xml'), { recursive: true });
  const v2 = path.join(temp.root, 'src-v2');
  cpSync(v1, v2, { recursive: true });
  appendFileSync(path.join(v2, 'edam', 'EDAM_1.2.obo'), '\n[Term]\nid: EDAM:9999999\nname: Added in the second version\n');
  // A Turtle test whose base matters (relative IRIs), moved to another folder.
  const name = readdirSync(path.join(v2, 'rdf-turtle')).find((n) => n.startsWith('IRI_subject') && n.endsWith('.ttl')) ?? 'IRI_subject.ttl';
  mkdirSync(path.join(v2, 'moved'));
  renameSync(path.join(v2, 'rdf-turtle', name), path.join(v2, 'moved', name));
  return { v1, v2, moved: { from: `rdf-turtle/${name}`, to: `moved/${name}` } };
}

describe('validation reuse by content hash (EDAM releases, W3C Turtle and RDF/XML suites)', () => {
  let sources: ReturnType<typeof makeSources>;
  let first: { files: number };

  beforeAll(() => {
    sources = makeSources();
  });
  afterAll(() => temp.cleanup());

  it('parses every file of the first version, then reuses all but the changed ones for the second', async () => {
    const { session, close } = await open();
    try {
      await session.call('ingest:run', { source: sources.v1, service: 'suite', version: '1' });
      const run1 = await session.call('validate:run', { ref: 'suite/1' });
      first = { files: run1.checked };
      expect(run1.reused).toBe(0);
      expect(run1.checked).toBeGreaterThan(300);

      await session.call('ingest:run', { source: sources.v2, service: 'suite', version: '2' });
      const run2 = await session.call('validate:run', { ref: 'suite/2' });
      // Everything but the changed EDAM release is known by content; the moved Turtle
      // file is reused too unless its findings name its old path.
      expect(run2.checked).toBe(run1.checked);
      expect(run2.reused).toBeGreaterThanOrEqual(run1.checked - 2);
      expect(run2.reused).toBeLessThan(run1.checked);
    } finally {
      await close();
    }
  }, 600_000);

  it('records for the reused version exactly what a fresh parse of it records, paths and ids included', async () => {
    const { session, close } = await open();
    try {
      const reused = await storedRows(session, '2');
      const fresh = await session.call('validate:run', { ref: 'suite/2', fresh: true });
      expect(fresh.reused).toBe(0);
      const parsed = await storedRows(session, '2');
      expect(parsed.length).toBeGreaterThan(first.files);
      expect(reused).toEqual(parsed);
      // The moved file's rows carry its new path, and the changed release has the new term.
      expect(parsed.some((row) => row.relpath === sources.moved.to)).toBe(true);
      expect(parsed.some((row) => row.relpath === sources.moved.from)).toBe(false);
      // Findings of real defects came along: EDAM 1.0's malformed lines, W3C negative tests.
      expect(reused.filter((row) => row.relpath === 'edam/EDAM_1.0.obo' && row.rule === 'malformed-line')).toHaveLength(4);
      expect(reused.filter((row) => row.rule === 'syntax' && !row.passed).length).toBeGreaterThan(20);
      expect(reused.every((row) => row.rule !== 'syntax' || row.details?.validator_version === VALIDATOR_VERSION)).toBe(true);
    } finally {
      await close();
    }
  }, 600_000);

  it('never reuses results recorded by another validator version', async () => {
    const { session, close } = await open();
    try {
      // As if both versions had been validated by an older validator.
      await session.catalog.write((tx) => tx.run(
        `UPDATE validations SET details_json = json_merge_patch(details_json, '{"validator_version": ${VALIDATOR_VERSION - 1}}')
         WHERE rule = 'syntax' AND details_json IS NOT NULL`));
      const run = await session.call('validate:run', { ref: 'suite/2' });
      expect(run.reused).toBe(0);
      // The fresh parse records the current version, so the next version can reuse again.
      const again = await session.call('validate:run', { ref: 'suite/1' });
      expect(again.reused).toBeGreaterThanOrEqual(again.checked - 2);
      expect(again.reused).toBeLessThan(again.checked);
    } finally {
      await close();
    }
  }, 600_000);
});

async function open(): Promise<{ session: Session; close: () => Promise<void> }> {
  const { openSession } = await import('../../../electron/handlers/session.js');
  const session = await openSession({ actor: 'test', root, create: true });
  return { session, close: () => session.close() };
}
