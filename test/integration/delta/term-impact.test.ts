/**
 * What setting a version as latest does to the terms, on real EDAM releases (outside
 * truth: a plain line scan of the release files, no OBO parser): the whole-version term
 * delta comes from the term index over all files of both versions (a release whose file
 * changed its name still counts term for term), a changed file the index lacks is
 * compared file by file and named with the reason, a file that cannot be compared is named
 * too, and the latest pointer's history reads back from the audit log (real CLI processes).
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../electron/catalog/open-catalog.js';
import type { LatestChange, TermImpact } from '../../../electron/shared/models.js';
import { candidateImpact } from '../../../electron/sources/review.js';
import { scanLines, scannedTermDelta } from '../../helpers/obo-line-scan.js';
import { projectRoot, runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const edam = path.join(projectRoot, 'test', 'fixtures', 'edam');
const temp = makeTempRoot('ontocat-term-impact');
const root = path.join(temp.root, 'root');

/** The line scan's answer for EDAM 1.1 → 1.2: what every count must equal. */
const scannedDelta = (): ReturnType<typeof scannedTermDelta> => scannedTermDelta(path.join(edam, 'EDAM_1.1.obo'), path.join(edam, 'EDAM_1.2.obo'));

function ingest(service: string, version: string, files: Record<string, string>): void {
  const dir = path.join(temp.root, 'src', service, version);
  mkdirSync(dir, { recursive: true });
  for (const [name, from] of Object.entries(files)) {
    if (from.startsWith('/')) copyFileSync(from, path.join(dir, name));
    else writeFileSync(path.join(dir, name), from);
  }
  const run = runOntocat(['ingest', dir, '--service', service, '--version', version, '--json'], { root });
  expect(run.code, run.stderr).toBe(0);
}

function impactOf(from: string, to: string): TermImpact {
  const run = runOntocat(['delta', 'terms', from, to, '--json'], { root });
  expect(run.code, run.stderr).toBe(0);
  return run.json<TermImpact>();
}

beforeAll(() => {
  // Each release's file is named after it: per file, nothing pairs; per version, every term does.
  ingest('edam', '1.1', {
    'EDAM_1.1.obo': path.join(edam, 'EDAM_1.1.obo'),
    'extra.obo': 'format-version: 1.2\n\n[Term]\nid: X:1\nname: one\n',
    'notes.txt': 'first',
  });
  ingest('edam', '1.2', {
    'EDAM_1.2.obo': path.join(edam, 'EDAM_1.2.obo'),
    // Changed so that it no longer parses: it must be named, not silently left out.
    'extra.obo': 'format-version: 1.2\n\n[Term]\nid: X:1\nname: one\ndef: "never closed []\n',
    'notes.txt': 'second',
  });
  ingest('same-path', '1.1', { 'EDAM.obo': path.join(edam, 'EDAM_1.1.obo') });
  ingest('same-path', '1.2', { 'EDAM.obo': path.join(edam, 'EDAM_1.2.obo') });
}, 300_000);
afterAll(() => temp.cleanup());

describe('term impact of a version pair', () => {
  it('counts every term of both versions from the index, across files, and names the file it cannot compare', () => {
    const impact = impactOf('edam/1.1', 'edam/1.2');
    const truth = scannedDelta();
    expect(impact.source).toBe('mixed');
    // The file that no longer parses is left to a file-by-file comparison, which fails and says why.
    expect(impact.files.map((file) => file.relpath)).toEqual(['extra.obo']);
    expect(impact.files[0]).toMatchObject({ summary: null, reason: expect.stringMatching(/does not parse/) });
    expect(impact.files[0]!.error).toMatch(/extra\.obo|line|colon|quote/i);
    expect(impact).toMatchObject({ compared: 0, failed: 1 });
    // EDAM_1.1.obo → EDAM_1.2.obo is a removed and an added file, yet every term is compared.
    expect(impact.index).toMatchObject({ files_from: 1, files_to: 1 });
    expect(impact.totals).toMatchObject(truth);
    expect(impact.index.old_terms).toBe(scanLines(path.join(edam, 'EDAM_1.1.obo')).terms.size);
    expect(impact.index.new_terms).toBe(scanLines(path.join(edam, 'EDAM_1.2.obo')).terms.size);

    const human = runOntocat(['delta', 'terms', 'edam/1.1', 'edam/1.2'], { root });
    expect(human.stdout).toContain(`+${truth.added} added, -${truth.removed} removed`);
    expect(human.stdout).toMatch(/from the term index over 1 -> 1 file/);
    expect(human.stdout).toMatch(/1 could not be compared/);
  });

  it('the same counts whichever way the files are laid out, and the Review impact is the same delta', async () => {
    const impact = impactOf('same-path/1.1', 'same-path/1.2');
    expect(impact).toMatchObject({ source: 'index', files: [], totals: expect.objectContaining(scannedDelta()) });
    const catalog = await openCatalog({ root });
    try {
      const review = await candidateImpact(catalog, { service: 'edam', version: '1.1' }, { service: 'edam', version: '1.2' });
      expect(review.terms).toMatchObject({ ...scannedDelta(), by_file: 0, not_compared: [{ relpath: 'extra.obo', reason: expect.stringMatching(/line|quote/i) }] });
    } finally {
      await catalog.close();
    }
  });

  it('compares a file the index lacks file by file, names why, and reads from the index again once it is backfilled', async () => {
    // Every kind of change, from the index, before the content leaves it.
    const fromIndex = impactOf('same-path/1.1', 'same-path/1.2').totals;
    expect(fromIndex.redefined + fromIndex.reparented).toBeGreaterThan(0);
    // As for a version validated before the term index existed: 1.2's content is not indexed.
    const catalog = await openCatalog({ root });
    await catalog.write(async (tx) => {
      await tx.run(`DELETE FROM file_terms WHERE content_id IN (SELECT c.content_id FROM term_index_contents c JOIN extracted_files f USING (sha256)
                    JOIN versions v USING (version_id) WHERE v.service = 'same-path' AND v.version = '1.2')`);
      await tx.run(`DELETE FROM term_index_contents WHERE sha256 IN (SELECT f.sha256 FROM extracted_files f JOIN versions v USING (version_id)
                    WHERE v.service = 'same-path' AND v.version = '1.2')`);
    });
    await catalog.close();
    const truth = scannedDelta();
    const fallback = impactOf('same-path/1.1', 'same-path/1.2');
    expect(fallback.source).toBe('mixed');
    // Compared file by file, the same counts of every kind as the index gave (and as the line scan's).
    expect(fallback.files).toEqual([{ relpath: 'EDAM.obo', old_relpath: 'EDAM.obo', reason: expect.stringMatching(/not in the term index yet/), summary: fromIndex, error: null }]);
    expect(fromIndex).toMatchObject(truth);
    expect(fallback.index).toMatchObject({ files_from: 0, files_to: 0, summary: { added: 0, removed: 0 } });
    expect(fallback.totals).toEqual(fromIndex);
    // The other service shares that content under its version's name: EDAM_1.2.obo pairs with
    // EDAM_1.1.obo, as the file-level delta pairs version-named files, and is compared file by
    // file to the same counts (it was named as added with no counterpart, and 1.1's terms left out).
    const edamPair = impactOf('edam/1.1', 'edam/1.2');
    expect(edamPair.files.map((file) => [file.old_relpath, file.relpath, file.summary, file.error !== null]))
      .toEqual([['EDAM_1.1.obo', 'EDAM_1.2.obo', fromIndex, false], ['extra.obo', 'extra.obo', null, true]]);
    expect(edamPair.index).toMatchObject({ files_from: 0, files_to: 0 });

    expect(runOntocat(['terms', 'backfill'], { root }).code).toBe(0);
    expect(impactOf('same-path/1.1', 'same-path/1.2')).toMatchObject({ source: 'index', files: [], totals: expect.objectContaining(truth) });
  });

  it('lists every move of the latest pointer with who, when, from and to', () => {
    expect(runOntocat(['latest', 'set', 'edam', '1.1'], { root }).code).toBe(0);
    expect(runOntocat(['latest', 'set', 'edam', '1.2'], { root }).code).toBe(0);
    const history = runOntocat(['latest', 'history', 'edam', '--json'], { root }).json<LatestChange[]>();
    expect(history.map((change) => [change.previous, change.version, change.by])).toEqual([['1.1', '1.2', 'cli'], [null, '1.1', 'cli']]);
    expect(Date.parse(history[0]!.ts)).toBeGreaterThanOrEqual(Date.parse(history[1]!.ts));
  });
});
