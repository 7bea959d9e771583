/**
 * `delta S/A S/B --terms` with a table export. Before, `--format csv` (and parquet, and
 * `--format json --rows`) wrote the changed files alone and dropped the term changes the
 * same command prints as a table, with exit 0: a curator asking for the terms got none.
 * One table cannot hold both, so the export is refused, naming `terms delta`, whose CSV
 * holds every term change.
 *
 * Its human output lists the first 100 term changes; the hint under them said "--offset to
 * page", but delta's --offset pages the changed files, so the same 100 came back. It now names
 * the command that pages the terms. So for the file-by-file fallback (a version the index lacks),
 * whose page of 50 term changes a file said the same.
 *
 * Outside truth: EDAM 1.1 and 1.2 (test/fixtures/edam), their term ids read by a plain line
 * scan (test/helpers/obo-stanza-scan.ts), and the CSV read back by an RFC 4180 reader here.
 */
import path from 'node:path';
import { openCatalog } from '../../../electron/catalog/open-catalog.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScannedTerm } from '../../helpers/obo-stanza-scan.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { readCsv } from '../../helpers/csv-read.js';
import { ingestEdamReleases } from '../../helpers/edam-releases.js';

describe('delta --terms exported as a table (EDAM 1.1 -> 1.2)', () => {
  const temp = makeTempRoot('ontocat-term-delta-export');
  const root = path.join(temp.root, 'root');
  let scans: Map<string, Map<string, ScannedTerm>>;

  beforeAll(() => {
    scans = ingestEdamReleases(temp.root, root, ['1.2', '1.1']);
  }, 300_000);
  afterAll(() => temp.cleanup());

  it('refuses a csv, parquet or --rows export of delta --terms, naming terms delta', () => {
    for (const format of [['--format', 'csv'], ['--format', 'json', '--rows'], ['--format', 'parquet', '--out', path.join(temp.root, 'd.parquet')]]) {
      const run = runOntocat(['delta', 'edam/1.1', 'edam/1.2', '--terms', ...format], { root });
      expect(run.code, `${format.join(' ')}: ${run.stdout}`).toBe(2);
      expect(run.stderr).toContain('ontocat terms delta edam/1.1 edam/1.2');
    }
    // Without --terms the file table exports as before.
    expect(runOntocat(['delta', 'edam/1.1', 'edam/1.2', '--format', 'csv'], { root }).code).toBe(0);
  });

  it('pages past the first 100 term changes with the command its hint names', () => {
    const human = runOntocat(['delta', 'edam/1.1', 'edam/1.2', '--terms'], { root });
    expect(human.code, human.stderr).toBe(0);
    const hint = /\(100 of (\d+); the rest: (ontocat terms delta \S+ \S+ --offset 100)\)/.exec(human.stdout);
    expect(hint, human.stdout.slice(-300)).not.toBeNull();
    const all = JSON.parse(runOntocat(['terms', 'delta', 'edam/1.1', 'edam/1.2', '--format', 'json', '--rows'], { root }).stdout) as { change: string; ident: string }[];
    expect(all.length).toBe(Number(hint![1]));
    expect(all.length).toBeGreaterThan(100);
    const rest = runOntocat([...hint![2]!.split(' ').slice(1), '--json', '--limit', '1000'], { root });
    expect(rest.code, rest.stderr).toBe(0);
    const page = (JSON.parse(rest.stdout) as { changes: { items: { change: string; ident: string }[] } }).changes.items;
    expect(page.map((c) => [c.change, c.ident])).toEqual(all.slice(100).map((c) => [c.change, c.ident]));
    // delta's own --offset pages the files: the same first 100 terms come back.
    const again = runOntocat(['delta', 'edam/1.1', 'edam/1.2', '--terms', '--offset', '100'], { root });
    expect(again.stdout).toContain('the rest: ontocat terms delta edam/1.1 edam/1.2 --offset 100');
  }, 120_000);

  it('pages past the first 50 term changes of a file the index lacks with the command its hint names', async () => {
    // As for a version validated before the term index existed: 1.2's content is not indexed.
    const catalog = await openCatalog({ root });
    await catalog.write(async (tx) => {
      const of12 = `SELECT f.sha256 FROM extracted_files f JOIN versions v USING (version_id) WHERE v.service = 'edam' AND v.version = '1.2'`;
      await tx.run(`DELETE FROM file_terms WHERE content_id IN (SELECT content_id FROM term_index_contents WHERE sha256 IN (${of12}))`);
      await tx.run(`DELETE FROM term_index_contents WHERE sha256 IN (${of12})`);
    });
    await catalog.close();
    try {
      const human = runOntocat(['delta', 'edam/1.1', 'edam/1.2', '--terms'], { root });
      expect(human.code, human.stderr).toBe(0);
      const hint = /\(50 of (\d+); the rest: (ontocat delta terms edam\/1\.1 edam\/1\.2 EDAM\.obo --offset 50)\)/.exec(human.stdout);
      expect(hint, human.stdout.slice(-300)).not.toBeNull();
      const all = JSON.parse(runOntocat(['delta', 'terms', 'edam/1.1', 'edam/1.2', 'EDAM.obo', '--json', '--limit', '1000'], { root }).stdout) as { changes: { items: { change: string; term: string }[]; total: number } };
      expect(all.changes.total).toBe(Number(hint![1]));
      const rest = runOntocat([...hint![2]!.split(' ').slice(1), '--json', '--limit', '1000'], { root });
      expect(rest.code, rest.stderr).toBe(0);
      const page = (JSON.parse(rest.stdout) as typeof all).changes.items;
      expect(page.map((c) => [c.change, c.term])).toEqual(all.changes.items.slice(50).map((c) => [c.change, c.term]));
    } finally {
      expect(runOntocat(['terms', 'backfill'], { root }).code).toBe(0);
    }
  }, 120_000);

  it("terms delta's CSV holds every term change the human output counts, as the line scan's ids say", () => {
    const human = runOntocat(['terms', 'delta', 'edam/1.1', 'edam/1.2'], { root });
    expect(human.code, human.stderr).toBe(0);
    const counts = /\(\+(\d+) added, -(\d+) removed/.exec(human.stdout)!;
    const rows = readCsv(runOntocat(['terms', 'delta', 'edam/1.1', 'edam/1.2', '--format', 'csv'], { root }).stdout);
    const json = JSON.parse(runOntocat(['terms', 'delta', 'edam/1.1', 'edam/1.2', '--format', 'json', '--rows'], { root }).stdout) as Record<string, string | null>[];
    expect(rows.map((r) => [r.change, r.ident, r.before, r.after])).toEqual(json.map((r) => [r.change, r.ident, r.before ?? '', r.after ?? '']));
    const ids = (kind: string): string[] => rows.filter((r) => r.change === kind).map((r) => r.ident!).sort();
    expect(ids('ADDED').length).toBe(Number(counts[1]));
    expect(ids('REMOVED').length).toBe(Number(counts[2]));
    const [a, b] = [scans.get('1.1')!, scans.get('1.2')!];
    const terms = (scan: Map<string, ScannedTerm>) => new Set([...scan.values()].filter((t) => t.kind === 'Term').map((t) => t.id));
    const [ta, tb] = [terms(a), terms(b)];
    const added = ids('ADDED').filter((id) => tb.has(id) || ta.has(id));
    expect(added).toEqual([...tb].filter((id) => !a.has(id)).sort());
    expect(ids('REMOVED').filter((id) => ta.has(id) || tb.has(id))).toEqual([...ta].filter((id) => !b.has(id)).sort());
  }, 120_000);
});
