/**
 * A term's history exported as a table (issue 16: "Export as CSV/JSON"): `terms history ID
 * --format csv|json --rows|parquet`, and the Terms page's Export buttons, which take the
 * same code. One row per release of the term's service, in release order: its state there
 * and the changes that release shows.
 *
 * Outside truth: four real EDAM releases (test/fixtures/edam), each read by a plain stanza
 * scan (test/helpers/obo-stanza-scan.ts), and the CSV read back by a reader of our own.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../helpers/csv-read.js';
import { ingestEdamReleases } from '../../helpers/edam-releases.js';
import type { ScannedTerm } from '../../helpers/obo-stanza-scan.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const RELEASES = ['1.0', '1.1', '1.2', 'beta10'] as const;
/** Release order (beta10 came before 1.0); ingested out of it on purpose. */
const IN_ORDER = ['beta10', '1.0', '1.1', '1.2'] as const;

interface ExportRow {
  readonly version: string;
  readonly present: boolean;
  readonly label: string | null;
  readonly deprecated: boolean | null;
  readonly changes: readonly string[];
}

describe('terms history exported as a table (EDAM beta10, 1.0, 1.1, 1.2)', () => {
  const temp = makeTempRoot('ontocat-term-history-export');
  const root = path.join(temp.root, 'root');
  let scans: Map<string, Map<string, ScannedTerm>>;

  beforeAll(() => {
    scans = ingestEdamReleases(temp.root, root, [...RELEASES]);
  }, 300_000);
  afterAll(() => temp.cleanup());

  /** Terms of 1.0 that a later release relabels, and ones it deprecates, by the scans alone. */
  function chosen(): string[] {
    const ids = [...scans.get('1.0')!.keys()].filter((id) => /^EDAM_[a-z]+:\d+$/.test(id));
    const relabelled = ids.find((id) => {
      const names = IN_ORDER.slice(1).map((version) => scans.get(version)!.get(id)?.name);
      return names.every(Boolean) && new Set(names).size > 1;
    });
    const deprecated = ids.find((id) => !scans.get('1.0')!.get(id)!.obsolete && scans.get('1.2')!.get(id)?.obsolete
      && scans.get('1.2')!.get(id)!.replacedBy.length > 0);
    expect(relabelled, 'a term 1.1 or 1.2 relabels').toBeDefined();
    expect(deprecated, 'a term 1.2 deprecates with a replacement').toBeDefined();
    return [relabelled!, deprecated!];
  }

  it('holds each release\'s label, presence and deprecation as the release files say, and the changes each shows', () => {
    for (const id of chosen()) {
      const out = path.join(temp.root, `${id.replace(':', '_')}.csv`);
      const run = runOntocat(['terms', 'history', id, '--service', 'edam', '--format', 'csv', '--out', out], { root });
      expect(run.code, run.stderr).toBe(0);
      const csv = readCsv(readFileSync(out, 'utf8'));
      const rows = runOntocat(['terms', 'history', id, '--service', 'edam', '--format', 'json', '--rows'], { root }).json<ExportRow[]>();
      // The CSV holds the JSON rows: lists as JSON text, booleans as true/false, nulls empty.
      expect(csv.map((row) => ({
        version: row.version, present: row.present === 'true', label: row.label === '' ? null : row.label,
        deprecated: row.deprecated === '' ? null : row.deprecated === 'true', changes: JSON.parse(row.changes!) as string[],
      }))).toEqual(rows.map(({ version, present, label, deprecated, changes }) => ({ version, present, label, deprecated, changes })));
      expect(rows.map((row) => row.version)).toEqual([...IN_ORDER]);
      let before: ScannedTerm | undefined;
      for (const row of rows) {
        const scanned = scans.get(row.version)!.get(id);
        expect(row.present, `${id} in ${row.version}`).toBe(scanned !== undefined);
        if (scanned) {
          expect(row.label, `${id} label in ${row.version}`).toBe(scanned.name);
          expect(row.deprecated, `${id} deprecated in ${row.version}`).toBe(scanned.obsolete);
        }
        if (before && scanned && before.name !== scanned.name) expect(row.changes).toContain('RELABELLED');
        if (before && scanned && !before.obsolete && scanned.obsolete) expect(row.changes).toContain('DEPRECATED');
        if (!before && scanned) expect(row.changes).toContain('FIRST_SEEN');
        before = scanned;
      }
      expect(rows.flatMap((row) => row.changes).some((kind) => kind === 'RELABELLED' || kind === 'DEPRECATED')).toBe(true);
    }
  });
});
