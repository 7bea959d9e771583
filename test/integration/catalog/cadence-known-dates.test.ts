/**
 * Release cadence in a service where some versions have a known release date and others
 * only their ingest date: days run between known dates. Before, an undated version's
 * ingest date (today) sat between two dated releases, and `report cadence` said the
 * longest gap was longer than the whole span of the known dates.
 *
 * Reference: plain date arithmetic on the dates the curator set.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CadenceReport } from '../../../electron/shared/contract/report.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const temp = makeTempRoot('ontocat-cadence-known');
const root = path.join(temp.root, 'root');
const known: Record<string, string> = { '1.0': '2020-01-01', '2.0': '2020-06-01', '3.0': '2026-11-20' };
const versions = ['1.0', '1.5', '2.0', '2.1', '3.0', '3.1'];

beforeAll(() => {
  for (const version of versions) {
    const dir = path.join(temp.root, 'src', version);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'notes.txt'), `release ${version}\n`);
    const run = runOntocat(['ingest', dir, '--service', 'x', '--version', version], { root });
    expect(run.code, run.stderr).toBe(0);
    if (known[version]) expect(runOntocat(['release-date', `x/${version}`, known[version]!], { root }).code).toBe(0);
  }
}, 120_000);
afterAll(() => temp.cleanup());

const days = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 86_400_000;

describe('report cadence with dated and undated versions', () => {
  it('counts days between the known release dates only', () => {
    const report = runOntocat(['report', 'cadence', '--json'], { root }).json<CadenceReport>();
    expect(report.rows.map((row) => row.version)).toEqual(versions);
    const gaps = { '2.0': days(known['1.0']!, known['2.0']!), '3.0': days(known['2.0']!, known['3.0']!) };
    expect(gaps).toEqual({ '2.0': 152, '3.0': 2363 });
    expect(Object.fromEntries(report.rows.map((row) => [row.version, row.days_since_previous])))
      .toEqual({ '1.0': null, '1.5': null, '2.0': gaps['2.0'], '2.1': null, '3.0': gaps['3.0'], '3.1': null });
    const service = report.services[0]!;
    expect(service.max_days!).toBeLessThanOrEqual(days(known['1.0']!, known['3.0']!));
    expect(service).toMatchObject({
      versions: 6, max_days: gaps['3.0'], mean_days: (gaps['2.0'] + gaps['3.0']) / 2,
      first_at: expect.stringMatching(/^2020-01-01/), last_at: expect.stringMatching(/^2026-11-20/),
    });
  });

  it('shows each release day the curator set, and "not known" (with the ingest day apart) where none is', () => {
    const lines = runOntocat(['report', 'cadence'], { root }).stdout.split('\n');
    const header = lines.find((line) => line.startsWith('SERVICE') && line.includes('RELEASED'))!;
    expect(header).toMatch(/RELEASED\s+INGESTED/);
    const today = runOntocat(['report', 'cadence', '--json'], { root }).json<CadenceReport>().rows[0]!.created_at.slice(0, 10);
    for (const version of versions) {
      const row = lines.find((line) => line.startsWith(`x  `) && line.split(/\s+/)[1] === version)!;
      expect(row, version).toBeDefined();
      // Before, an undated version's ingest day stood under the heading of release days.
      expect(row, version).toMatch(new RegExp(`${known[version] ?? 'not known'}\\s+${today}`));
    }
  });
});
