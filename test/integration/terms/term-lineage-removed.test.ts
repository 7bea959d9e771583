/**
 * A lineage's live terms are terms of the service's newest indexed release. A replacement
 * that a later release removed is no live term: before, `terms lineage` read each term in
 * the newest release that had it and called a removed replacement "live", while `terms
 * history` of the same term said REMOVED.
 *
 * Outside truth: EDAM's real releases (test/fixtures/edam), read by a plain line scan
 * (test/helpers/obo-stanza-scan.ts). beta10 deprecates 276 terms, with replaced_by or consider, in its
 * own `EDAM:` ids; 1.0 renumbered every term (`EDAM_data:…`), so none of those ids is in
 * 1.2. Ingested newest first: release order, never ingest order, decides.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScannedTerm } from '../../helpers/obo-stanza-scan.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { ingestEdamReleases } from '../../helpers/edam-releases.js';

describe("lineage of EDAM beta10's deprecated terms after 1.0 renumbered EDAM (ingested 1.2 first)", () => {
  const temp = makeTempRoot('ontocat-lineage-removed');
  const root = path.join(temp.root, 'root');
  let beta10: Map<string, ScannedTerm>;
  let newest: Map<string, ScannedTerm>;

  beforeAll(() => {
    const scans = ingestEdamReleases(temp.root, root, ['1.2', 'beta10']);
    beta10 = scans.get('beta10')!;
    newest = scans.get('1.2')!;
  }, 300_000);
  afterAll(() => temp.cleanup());

  const lineageOf = (term: string) => {
    const run = runOntocat(['terms', 'lineage', term, '--service', 'edam', '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as { steps: { ident: string; deprecated: boolean; removed: boolean; version: string | null }[]; live: string[] };
  };

  it('calls EDAM:0000007 -> EDAM:0000958 (live in beta10, gone in 1.2) removed, not live', () => {
    expect(beta10.get('EDAM:0000007')).toMatchObject({ obsolete: true, consider: ['EDAM:0000958'] });
    expect(beta10.get('EDAM:0000958')?.obsolete).toBe(false);
    expect(newest.has('EDAM:0000958')).toBe(false);
    const lineage = lineageOf('EDAM:0000007');
    expect(lineage.steps.map((s) => ({ ident: s.ident, deprecated: s.deprecated, removed: s.removed, version: s.version }))).toEqual([
      { ident: 'EDAM:0000007', deprecated: true, removed: true, version: 'beta10' },
      { ident: 'EDAM:0000958', deprecated: false, removed: true, version: 'beta10' },
    ]);
    expect(lineage.live).toEqual([]);
    const human = runOntocat(['terms', 'lineage', 'EDAM:0000007', '--service', 'edam'], { root });
    expect(human.stdout).toMatch(/EDAM:0000958 .*removed after beta10/);
    expect(human.stdout).toContain('Live: none');
  });

  it('names as live only terms the 1.2 file has, for every term beta10 deprecates', () => {
    const deprecated = [...beta10.values()].filter((t) => t.obsolete && t.replacedBy.length + t.consider.length > 0).slice(0, 40);
    expect(deprecated.length).toBe(40);
    for (const term of deprecated) {
      const lineage = lineageOf(term.id);
      for (const live of lineage.live) expect(newest.get(live)?.obsolete, `${term.id} -> ${live}`).toBe(false);
      for (const step of lineage.steps) {
        if (step.version !== null) expect(step.removed, `${term.id}: ${step.ident}`).toBe(!newest.has(step.ident));
      }
    }
  }, 120_000);

  it('finds the service itself when one holds the term, and asks for it by name when several do', () => {
    // Without --service, as history does: edam is the one service holding EDAM:0000007.
    const bare = runOntocat(['terms', 'lineage', 'EDAM:0000007', '--json'], { root });
    expect(bare.code, bare.stderr).toBe(0);
    expect(JSON.parse(bare.stdout)).toEqual(lineageOf('EDAM:0000007'));
    expect(runOntocat(['terms', 'lineage', 'EDAM:0000007'], { root }).stdout).toContain('Live: none');

    // The beta10 file again as a mirror service: whose releases to follow is the curator's call.
    ingestEdamReleases(temp.root, root, ['beta10'], 'edam-mirror');
    const both = runOntocat(['terms', 'lineage', 'EDAM:0000007'], { root });
    expect(both.code).toBe(1);
    expect(both.stderr).toContain("The term 'EDAM:0000007' is in 2 services (edam, edam-mirror), whose replacements may differ: name one with --service.");
    // In the mirror, beta10 is the newest release: EDAM:0000958 is live there.
    const mirror = runOntocat(['terms', 'lineage', 'EDAM:0000007', '--service', 'edam-mirror', '--json'], { root });
    expect(JSON.parse(mirror.stdout)).toMatchObject({ service: 'edam-mirror', live: ['EDAM:0000958'] });
    expect(lineageOf('EDAM:0000007').live).toEqual([]);
  }, 120_000);
});
