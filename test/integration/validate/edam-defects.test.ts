/**
 * Real releases with real defects (vendored EDAM 1.0 and beta10): the OBO reader reads on
 * past a line that is not `tag: value` and past a missing stanza header, reports each as a
 * WARN at its line, and keeps every term a plain line scan finds.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFile } from '../../../electron/ingest/validate/validate-file.js';
import { scanLines } from '../../helpers/obo-line-scan.js';
import { projectRoot } from '../../helpers/run-cli.js';

const edam = path.join(projectRoot, 'test', 'fixtures', 'edam');

async function validate(name: string) {
  const absPath = path.join(edam, name);
  return validateFile({ absPath, relpath: name, format: 'obo', size_bytes: statSync(absPath).size });
}

describe('EDAM releases with defects', () => {
  it('EDAM 1.0 parses; its four lines without a tag are WARNs at their lines, and no term is lost', async () => {
    const result = await validate('EDAM_1.0.obo');
    expect(result.rows.find((row) => row.rule === 'syntax')).toMatchObject({ passed: true });
    const skipped = result.rows.filter((row) => row.rule === 'malformed-line');
    expect(skipped.map((row) => [row.line, row.severity, row.passed])).toEqual([
      [8933, 'WARN', false], [9890, 'WARN', false], [9900, 'WARN', false], [9917, 'WARN', false],
    ]);
    expect(result.terms).toBe(scanLines(path.join(edam, 'EDAM_1.0.obo')).lines.size);
  });

  it('EDAM beta10 parses; the stanza whose [Term] header is commented out is read as new terms, with a WARN', async () => {
    const result = await validate('EDAM_beta10.obo');
    expect(result.rows.find((row) => row.rule === 'syntax')).toMatchObject({ passed: true });
    const headers = result.rows.filter((row) => row.rule === 'missing-stanza-header');
    expect(headers.length).toBeGreaterThan(0);
    expect(headers.every((row) => row.severity === 'WARN' && !row.passed)).toBe(true);
    // Line 4303 is the id that follows the commented-out header.
    expect(headers[0]!.line).toBe(4303);
    // Every id the line scan sees is a term (the scan counts ids, whatever their stanza).
    expect(result.terms).toBe(scanLines(path.join(edam, 'EDAM_beta10.obo')).lines.size);
  });
});
