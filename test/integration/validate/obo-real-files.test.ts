/**
 * The OBO reader on real releases nobody here wrote: Debian's emboss-data OBO files (GO,
 * SO, ChEBI, ECO, RO, pathway, software) and three EDAM releases vendored under
 * test/fixtures/edam/. Everything goes through the real CLI (ingest validates on the
 * worker pool), and every count is checked against a plain line scan written here.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanOntologyFile } from '../../../electron/ingest/parsers/extract-terms.js';
import type { TermDelta, ValidationRecord } from '../../../electron/shared/models.js';
import { edamOboId, scanLines, type LineScan } from '../../helpers/obo-line-scan.js';
import { scanStanzas, type ScannedTerm } from '../../helpers/obo-stanza-scan.js';
import { projectRoot, runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

/** Debian's emboss-data folder; ONTOCAT_EMBOSS_OBO points elsewhere (or at nothing, to check the CI failure). */
const EMBOSS_OBO = process.env.ONTOCAT_EMBOSS_OBO ?? '/usr/share/EMBOSS/data/OBO';
const EDAM = path.join(projectRoot, 'test', 'fixtures', 'edam');
const hasEmboss = existsSync(EMBOSS_OBO);
const inCi = Boolean(process.env.CI);
if (!hasEmboss && !inCi) console.warn(`[obo-real-files] emboss-data part skipped: ${EMBOSS_OBO} is missing (install Debian's emboss-data).`);

function ingest(root: string, folder: string, service: string, version: string): void {
  const run = runOntocat(['ingest', folder, '--service', service, '--version', version, '--json'], { root });
  expect(run.code, run.stderr).toBe(0);
}

function findings(root: string, ref: string, args: readonly string[]): ValidationRecord[] {
  const run = runOntocat(['findings', ref, '--limit', '1000', '--json', ...args], { root });
  expect(run.code, run.stderr).toBe(0);
  return run.json<ValidationRecord[]>();
}

/**
 * Every OBO file of a version: syntax clean, and stanza/id counts and duplicates as the
 * line scan says. Returns the duplicate-id findings.
 */
function expectCleanAndCounted(root: string, ref: string, filesByRelpath: Record<string, string>): ValidationRecord[] {
  const syntax = findings(root, ref, ['--all', '--validator', 'obo']).filter((row) => row.rule === 'syntax');
  expect(syntax.map((row) => row.relpath).sort()).toEqual(Object.keys(filesByRelpath).sort());
  const duplicateRows = findings(root, ref, ['--validator', 'quality', '--search', 'is the id of']).filter((row) => row.rule === 'duplicate-id');
  for (const row of syntax) {
    expect({ file: row.relpath, passed: row.passed, message: row.message }).toEqual({ file: row.relpath, passed: true, message: null });
    const scan = scanLines(filesByRelpath[row.relpath]!);
    expect(row.details, row.relpath).toMatchObject({ stanzas: scan.stanzas, distinct_ids: scan.lines.size, terms: scan.terms.size });
    const expected = [...scan.lines].filter(([, at]) => at.length > 1).map(([id, at]) => ({ id, lines: at })).sort((a, b) => a.id.localeCompare(b.id));
    const reported = duplicateRows.filter((d) => d.relpath === row.relpath)
      .map((d) => ({ id: d.subject, lines: (d.details as { lines: number[] }).lines, severity: d.severity }))
      .sort((a, b) => (a.id ?? '').localeCompare(b.id ?? ''));
    expect(reported, row.relpath).toEqual(expected.map((d) => ({ ...d, severity: 'ERROR' })));
  }
  return duplicateRows;
}

let temp: ReturnType<typeof makeTempRoot>;
beforeAll(() => {
  temp = makeTempRoot('ontocat-obo-real');
});
afterAll(() => temp.cleanup());

describe.skipIf(!hasEmboss && !inCi)("Debian's emboss-data OBO files", () => {
  it('every file ingests and validates with no syntax error; terms are distinct ids, as a line scan counts them', () => {
    if (!hasEmboss) {
      throw new Error(`${EMBOSS_OBO} is missing: the OBO real-file test needs Debian's emboss-data (.ci/run installs it; locally: apt-get install emboss-data).`);
    }
    const names = readdirSync(EMBOSS_OBO).filter((name) => name.endsWith('.obo'));
    expect(names.length).toBeGreaterThanOrEqual(7);
    const root = path.join(temp.root, 'emboss');
    ingest(root, EMBOSS_OBO, 'emboss-obo', 'debian');
    expectCleanAndCounted(root, 'emboss-obo/debian', Object.fromEntries(names.map((name) => [name, path.join(EMBOSS_OBO, name)])));

    // duplicate-label as ROBOT's duplicate_label.rq has it, by a stanza scan of each file:
    // a term is reported when another shares its label, unless both are obsolete.
    const expected: string[] = [];
    for (const name of names) {
      const byName = new Map<string, ScannedTerm[]>();
      for (const term of scanStanzas(path.join(EMBOSS_OBO, name)).values()) {
        if (term.name !== null) byName.set(term.name, [...byName.get(term.name) ?? [], term]);
      }
      for (const group of byName.values()) {
        for (const term of group) {
          if (group.some((other) => other !== term && !(other.obsolete && term.obsolete))) expected.push(`${name} ${term.id}`);
        }
      }
    }
    const flagged = findings(root, 'emboss-obo/debian', ['--validator', 'quality', '--search', 'is also the label of'])
      .filter((row) => row.rule === 'duplicate-label').map((row) => `${row.relpath} ${row.subject}`);
    // GO of 2013 has 78 terms sharing a label; 14 of them only with another obsolete term.
    expect(expected.filter((entry) => entry.startsWith('go.obo ')).length).toBe(64);
    expect(flagged.sort()).toEqual(expected.sort());
  }, 180_000);
});

describe('EDAM OBO releases (test/fixtures/edam)', () => {
  const root = (): string => path.join(temp.root, 'edam');
  const v11 = path.join(EDAM, 'EDAM_1.1.obo');
  const v12 = path.join(EDAM, 'EDAM_1.2.obo');
  const beta08 = path.join(EDAM, 'EDAM_beta08.obo');

  beforeAll(() => {
    // Both releases under one path, as a curator's versions of one service would have them.
    for (const [version, files] of [['1.1', { 'EDAM.obo': v11, 'EDAM_beta08.obo': beta08 }], ['1.2', { 'EDAM.obo': v12 }]] as const) {
      const folder = path.join(temp.root, 'src', version);
      mkdirSync(folder, { recursive: true });
      for (const [name, source] of Object.entries(files)) copyFileSync(source, path.join(folder, name));
      ingest(root(), folder, 'edam', version);
    }
  }, 180_000);

  it('validate clean of syntax errors; EDAM 1.1 and beta08 get one duplicate-id ERROR per id used twice', () => {
    const duplicates = expectCleanAndCounted(root(), 'edam/1.1', { 'EDAM.obo': v11, 'EDAM_beta08.obo': beta08 });
    expect(expectCleanAndCounted(root(), 'edam/1.2', { 'EDAM.obo': v12 })).toEqual([]);
    expect(duplicates.map((row) => [row.relpath, row.subject, row.line]).sort()).toEqual([
      ['EDAM.obo', 'EDAM_operation:3212', 5130], ['EDAM_beta08.obo', 'EDAM:0000304', 4059], ['EDAM_beta08.obo', 'EDAM:0002245', 17502],
    ]);
    expect(duplicates.find((row) => row.relpath === 'EDAM.obo')?.message)
      .toBe('EDAM_operation:3212 is the id of 2 stanzas, at lines 5130 and 5700; only the first is used as the term.');
  });

  it('the term delta 1.1 → 1.2 computes, with the counts a line scan of both files gives', () => {
    const run = runOntocat(['delta', 'terms', 'edam/1.1', 'edam/1.2', 'EDAM.obo', '--limit', '1000', '--json'], { root: root() });
    expect(run.code, run.stderr).toBe(0);
    const delta = run.json<TermDelta>();
    const before = scanLines(v11);
    const after = scanLines(v12);
    const stanzasBefore = scanStanzas(v11);
    const stanzasAfter = scanStanzas(v12);
    const sameSet = (a: readonly string[], b: readonly string[]): boolean => [...new Set(a)].sort().join('\n') === [...new Set(b)].sort().join('\n');
    const ids = (scan: LineScan) => scan.terms;
    const common = [...ids(after)].filter((id) => before.terms.has(id));
    const expected = {
      added: [...ids(after)].filter((id) => !before.terms.has(id)).length,
      removed: [...ids(before)].filter((id) => !after.terms.has(id)).length,
      relabelled: common.filter((id) => before.names.get(id) !== after.names.get(id)).length,
      // Definitions, parents and kinds by the stanza scan (a second reader of both files).
      redefined: common.filter((id) => stanzasBefore.get(id)?.def !== stanzasAfter.get(id)?.def).length,
      reparented: common.filter((id) => !sameSet(stanzasBefore.get(id)?.isA ?? [], stanzasAfter.get(id)?.isA ?? [])).length,
      retyped: common.filter((id) => stanzasBefore.get(id)?.kind !== stanzasAfter.get(id)?.kind).length,
      deprecated: common.filter((id) => after.obsolete.has(id) && !before.obsolete.has(id)).length,
      undeprecated: common.filter((id) => before.obsolete.has(id) && !after.obsolete.has(id)).length,
      replaced: common.filter((id) => before.obsolete.has(id) && (stanzasAfter.get(id)?.replacedBy.length ?? 0) > 0
        && !sameSet(stanzasBefore.get(id)?.replacedBy ?? [], stanzasAfter.get(id)?.replacedBy ?? [])).length,
    };
    expect(expected.redefined + expected.reparented).toBeGreaterThan(0);
    expect(delta.old_terms).toBe(before.terms.size);
    expect(delta.new_terms).toBe(after.terms.size);
    expect(delta.summary).toEqual(expected);
    // Plausible for one release step of a 2,700-term ontology: some churn, not a rewrite.
    expect(expected.added + expected.removed + expected.relabelled).toBeGreaterThan(0);
    expect(expected.removed).toBeLessThan(before.terms.size / 4);
  }, 120_000);
});

describe('what the OBO reader takes from each stanza, against a line scan', () => {
  it('names, definitions, synonyms, obsolescence, replacements and parents of every term of every Debian OBO file and EDAM release', async () => {
    const files = [
      ...(hasEmboss ? readdirSync(EMBOSS_OBO).filter((name) => name.endsWith('.obo')).map((name) => path.join(EMBOSS_OBO, name)) : []),
      ...readdirSync(EDAM).filter((name) => name.endsWith('.obo')).map((name) => path.join(EDAM, name)),
    ];
    let compared = 0;
    for (const file of files) {
      const scanned = scanStanzas(file);
      const { terms } = await scanOntologyFile(file, 'obo');
      expect(terms.length, file).toBe(scanned.size);
      for (const term of terms) {
        // The scan names EDAM 1.2's bare alt_ids (http://edamontology.org/topic_0197) as the
        // releases before it do (EDAM_topic:0197).
        const line = (scanned.get(term.id) ?? scanned.get(edamOboId(term.id)))!;
        // RO's definitions hold `\n`, ChEBI's names `\{`, EDAM 1.0's definitions quotes left unescaped.
        expect({
          file, id: term.id, name: term.labels[0]?.value ?? null, def: term.definitions[0]?.value ?? null, synonyms: term.synonyms,
          obsolete: term.deprecated, replacedBy: term.replaced_by, consider: term.consider, isA: term.parents,
        }).toEqual({
          file, id: term.id, name: line.name, def: line.def, synonyms: line.synonyms,
          obsolete: line.obsolete, replacedBy: line.replacedBy, consider: line.consider, isA: line.isA,
        });
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(hasEmboss ? 90_000 : 10_000);
  }, 120_000);
});

