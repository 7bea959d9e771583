/**
 * `report growth --from NEWER --to OLDER` printed a shrinking "growth" without a word.
 * Newer is release order (the curator's release dates here), never ingest order or the
 * names: 'beta' is ingested first and named after 'alpha', yet released a year before it.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GrowthReport } from '../../../electron/shared/contract/report.js';
import { runOntocat, runOntocatOk } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const OBO = '/usr/share/EMBOSS/data/OBO';
const temp = makeTempRoot('ontocat-growth-order');
const sources = makeTempRoot('ontocat-growth-order-sources');

beforeAll(() => {
  const releases: [version: string, files: string[], day: string][] = [
    ['beta', ['eco.obo'], '2020-06-01'],
    ['alpha', ['eco.obo', 'ro.obo'], '2021-06-01'],
  ];
  for (const [version, files, day] of releases) {
    const dir = path.join(sources.root, version);
    mkdirSync(dir, { recursive: true });
    for (const name of files) copyFileSync(path.join(OBO, name), path.join(dir, name));
    runOntocatOk(['ingest', dir, '--service', 'obo', '--version', version], { root: temp.root });
    runOntocatOk(['release-date', `obo/${version}`, day], { root: temp.root });
  }
}, 240_000);
afterAll(() => {
  temp.cleanup();
  sources.cleanup();
});

describe('report growth in release order', () => {
  it('grows from the older release to the newer, by the bytes stat counts', () => {
    const report = runOntocatOk(['report', 'growth', 'obo', '--from', 'beta', '--to', 'alpha', '--json'], { root: temp.root }).json<GrowthReport>();
    const roBytes = Number(execFileSync('stat', ['-c', '%s', path.join(OBO, 'ro.obo')], { encoding: 'utf8' }).trim());
    expect(report.summary.files_to - report.summary.files_from).toBe(1);
    expect(report.summary.net_growth).toBe(roBytes);
  });

  it('refuses a pair given newer first, naming the release order and the pair to ask for (exit 2)', () => {
    const out = path.join(sources.root, 'growth.csv');
    for (const extra of [[], ['--json'], ['--format', 'csv', '--out', out]]) {
      const run = runOntocat(['report', 'growth', 'obo', '--from', 'alpha', '--to', 'beta', ...extra], { root: temp.root });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('obo/alpha (released 2021-06-01) is newer than obo/beta (released 2020-06-01) in release order');
      expect(run.stderr).toContain('--from beta --to alpha');
    }
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a --from newer than the current version it defaults --to to', () => {
    runOntocatOk(['latest', 'set', 'obo/beta'], { root: temp.root });
    const run = runOntocat(['report', 'growth', 'obo', '--from', 'alpha'], { root: temp.root });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is newer than obo/beta (released 2020-06-01, the current version)');
  });
});
