/**
 * Releases named by their version (EDAM_1.1.obo, then EDAM_1.2.obo; GitHub archives'
 * edam-1.1/ and edam-1.2/ folders): the delta pairs such files as one MODIFIED file, so
 * the file, finding and term deltas read as they do for the same bytes under one name.
 *
 * The reference is the same two real EDAM releases ingested under an unchanged name
 * (EDAM.obo), the path-keyed answer every other delta test holds to outside truth; the
 * version-named catalog must say the same, with both names shown. Synthetic versions then
 * check what must not pair: a longer version (1.20 is not 1.2), two files one name could
 * be, content the other version holds (a rename), and versions without digits.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDelta, deltaTree } from '../../../electron/catalog/delta-queries.js';
import type { Catalog } from '../../../electron/catalog/open-catalog.js';
import type { DeltaSummary, FileChange, ValidationDeltaResult } from '../../../electron/shared/contract/delta.js';
import type { TermDelta, TermImpact } from '../../../electron/shared/models.js';
import { EDAM_FIXTURES } from '../../helpers/edam-releases.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { catalogWith, f } from './fixtures.js';

const named = makeTempRoot('ontocat-named-delta');
const plain = makeTempRoot('ontocat-plain-delta');
const sources = makeTempRoot('ontocat-named-sources');

/** Ingests EDAM 1.1 and 1.2 with the real CLI, each release's OBO file at `relpathOf(version)`, beside a README that does not change. */
function ingestEdam(root: string, tag: (version: string) => string, relpathOf: (version: string) => string): void {
  for (const version of ['1.1', '1.2']) {
    const dir = path.join(sources.root, path.basename(root), version);
    const file = path.join(dir, relpathOf(version));
    mkdirSync(path.dirname(file), { recursive: true });
    copyFileSync(path.join(EDAM_FIXTURES, `EDAM_${version}.obo`), file);
    writeFileSync(path.join(path.dirname(file), 'README.md'), 'EDAM, the ontology of bioinformatics operations, types of data, topics and formats.\n');
    const run = runOntocat(['ingest', dir, '--service', 'edam', '--version', tag(version), '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
  }
}

function cli<T>(root: string, args: readonly string[]): T {
  const run = runOntocat([...args, '--json'], { root });
  expect(run.code, run.stderr).toBe(0);
  return run.json<T>();
}

/** `ontocat delta --json`: the summary and a page of changes. */
interface CliDelta {
  readonly summary: DeltaSummary;
  readonly changes: readonly FileChange[];
}

const changeName = (c: FileChange): string => (c.old_relpath && c.new_relpath && c.old_relpath !== c.new_relpath ? `${c.old_relpath} -> ${c.new_relpath}` : c.relpath);

beforeAll(() => {
  // Named files, and the GitHub layout: a tag with a v, a folder named without it.
  ingestEdam(named.root, (v) => v, (v) => `EDAM_${v}.obo`);
  ingestEdam(path.join(named.root, '..', `${path.basename(named.root)}-wrapped`), (v) => `v${v}`, (v) => `edamontology-${v}/EDAM.obo`);
  ingestEdam(plain.root, (v) => v, () => 'EDAM.obo');
}, 240_000);
afterAll(() => {
  named.cleanup();
  plain.cleanup();
  sources.cleanup();
});

describe('version-named files in a delta', () => {
  it('pairs EDAM_1.1.obo with EDAM_1.2.obo: the file, finding and term deltas of the same bytes under one name', () => {
    const reference = cli<CliDelta>(plain.root, ['delta', 'edam/1.1', 'edam/1.2']);
    const delta = cli<CliDelta>(named.root, ['delta', 'edam/1.1', 'edam/1.2']);
    expect(reference.changes.map(changeName)).toEqual(['EDAM.obo']);
    expect(delta.changes.map((c) => [changeName(c), c.kind])).toEqual([['EDAM_1.1.obo -> EDAM_1.2.obo', 'MODIFIED']]);
    const { from: _f, to: _t, ...counts } = delta.summary;
    const { from: _rf, to: _rt, ...referenceCounts } = reference.summary;
    expect(counts).toEqual(referenceCounts);
    expect(delta.summary.modified.count).toBe(1);
    expect(delta.summary.added.count + delta.summary.removed.count).toBe(0);
    // The folder level lists it at its new name and says where it came from.
    expect(runOntocat(['delta', 'tree', 'edam/1.1', 'edam/1.2'], { root: named.root }).stdout).toMatch(/EDAM_1\.2\.obo \(from EDAM_1\.1\.obo\) +MODIFIED/);

    // Findings of the same bytes: as many NEW, FIXED and PERSISTING as under one name, none GONE.
    const findings = cli<ValidationDeltaResult>(named.root, ['delta', 'validations', 'edam/1.1', 'edam/1.2']).summary;
    const referenceFindings = cli<ValidationDeltaResult>(plain.root, ['delta', 'validations', 'edam/1.1', 'edam/1.2']).summary;
    expect({ ...findings, from: '', to: '' }).toEqual({ ...referenceFindings, from: '', to: '' });
    expect(findings.persisting).toBeGreaterThan(50);
    expect(findings.gone).toBe(0);

    // One file's term delta, asked by its new name alone, compares it with its old name.
    const terms = cli<TermDelta>(named.root, ['delta', 'terms', 'edam/1.1', 'edam/1.2', 'EDAM_1.2.obo']);
    const referenceTerms = cli<TermDelta>(plain.root, ['delta', 'terms', 'edam/1.1', 'edam/1.2', 'EDAM.obo']);
    expect([terms.old_relpath, terms.new_relpath]).toEqual(['EDAM_1.1.obo', 'EDAM_1.2.obo']);
    expect(terms.summary).toEqual(referenceTerms.summary);
    expect(terms.summary.added).toBeGreaterThan(0);
  }, 120_000);

  it('pairs the files of versioned archive folders (edamontology-1.1/ for tag v1.1), also in a delta scoped to the new folder', () => {
    const root = path.join(named.root, '..', `${path.basename(named.root)}-wrapped`);
    const delta = cli<CliDelta>(root, ['delta', 'edam/v1.1', 'edam/v1.2', '--kind', 'all']);
    expect(delta.changes.map((c) => [changeName(c), c.kind]).sort()).toEqual([
      ['edamontology-1.1/EDAM.obo -> edamontology-1.2/EDAM.obo', 'MODIFIED'],
      ['edamontology-1.1/README.md -> edamontology-1.2/README.md', 'RENAMED'],
    ]);
    const scoped = cli<CliDelta>(root, ['delta', 'edam/v1.1', 'edam/v1.2', '--prefix', 'edamontology-1.2', '--kind', 'all']);
    expect(scoped.changes.map((c) => [changeName(c), c.kind]).sort()).toEqual(delta.changes.map((c) => [changeName(c), c.kind]).sort());
    const findings = cli<ValidationDeltaResult>(root, ['delta', 'validations', 'edam/v1.1', 'edam/v1.2']).summary;
    const referenceFindings = cli<ValidationDeltaResult>(plain.root, ['delta', 'validations', 'edam/1.1', 'edam/1.2']).summary;
    expect([findings.new, findings.fixed, findings.persisting, findings.gone])
      .toEqual([referenceFindings.new, referenceFindings.fixed, referenceFindings.persisting, referenceFindings.gone]);
  }, 120_000);
});

describe('the set-latest preview of a version-named file the term index lacks', () => {
  const broken = makeTempRoot('ontocat-named-broken');
  const brokenPlain = makeTempRoot('ontocat-plain-broken');
  /** EDAM 1.1 cut short and ended by a malformed stanza header (it does not parse, so it is not indexed), then the real 1.2. */
  function ingestBroken(root: string, relpathOf: (version: string) => string): void {
    const lines = readFileSync(path.join(EDAM_FIXTURES, 'EDAM_1.1.obo'), 'utf8').split('\n').slice(0, 200);
    for (const version of ['1.1', '1.2']) {
      const dir = path.join(sources.root, `${path.basename(root)}-${version}`);
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, relpathOf(version));
      if (version === '1.1') writeFileSync(file, `${lines.join('\n')}\n[Term\nid: broken\n`);
      else {
        copyFileSync(path.join(EDAM_FIXTURES, 'EDAM_1.2.obo'), file);
        // New in 1.2 and not parsed: no counterpart, so named, not counted.
        writeFileSync(path.join(dir, 'lone.obo'), 'format-version: 1.2\n\n[Term]\nid: X:1\ndef: "never closed []\n');
      }
      const run = runOntocat(['ingest', dir, '--service', 'edam', '--version', version, '--json'], { root });
      expect(run.code, run.stderr).toBe(0);
    }
  }
  beforeAll(() => {
    ingestBroken(broken.root, (v) => `EDAM_${v}.obo`);
    ingestBroken(brokenPlain.root, () => 'EDAM.obo');
  }, 120_000);
  afterAll(() => {
    broken.cleanup();
    brokenPlain.cleanup();
  });

  it('leaves the pair to a file-by-file comparison, as under one name, instead of counting every term of 1.2 as added', () => {
    const impact = cli<TermImpact>(broken.root, ['delta', 'terms', 'edam/1.1', 'edam/1.2']);
    const reference = cli<TermImpact>(brokenPlain.root, ['delta', 'terms', 'edam/1.1', 'edam/1.2']);
    expect(reference.totals.added).toBe(0);
    expect(impact.totals).toEqual(reference.totals);
    expect(impact.index).toEqual(reference.index);
    expect(impact.files.map((file) => [file.old_relpath, file.relpath, file.reason]))
      .toEqual([['EDAM_1.1.obo', 'EDAM_1.2.obo', reference.files[0]!.reason], ['lone.obo', 'lone.obo', reference.files[1]!.reason]]);
    expect(impact.files[1]!.error).toMatch(/added in edam\/1\.2, with no counterpart/);
  }, 120_000);
});

describe('what a version name does not pair', () => {
  const temp = makeTempRoot('ontocat-named-negative');
  let catalog: Catalog;
  const ref = (version: string) => ({ service: 'n', version });
  beforeAll(async () => {
    catalog = await catalogWith(temp.root, [
      { service: 'n', version: '1.2', files: [
        f('f_1.2.ttl', 'f old'), f('g_1.20.ttl', 'g old'), f('h_1.2.ttl', 'h old'), f('moved_1.2.ttl', 'same bytes'),
        f('sub/1.2/k.ttl', 'k old'),
      ] },
      { service: 'n', version: 'v1.3', files: [
        // f: named by the version; g: 1.20 and 1.30 are other versions; h: two files could be it.
        f('f_1.3.ttl', 'f new'), f('g_1.30.ttl', 'g new'), f('h_1.3.ttl', 'h new'), f('h_v1.3.ttl', 'h other'),
        f('moved_1.3.ttl', 'same bytes'), f('sub/v1.3/k.ttl', 'k new'),
      ] },
      { service: 'n', version: 'alpha', files: [f('alpha.ttl', 'word old')] },
      { service: 'n', version: 'beta', files: [f('beta.ttl', 'word new')] },
    ]);
  });
  afterAll(async () => {
    await catalog.close();
    temp.cleanup();
  });

  it('pairs only a whole version string each side names once, never content the other side holds', async () => {
    const { changes } = await catalog.read((conn) => computeDelta(conn, ref('1.2'), ref('v1.3'), { kind: 'all' }));
    expect(Object.fromEntries(changes.items.map((c) => [changeName(c), c.kind]))).toEqual({
      'f_1.2.ttl -> f_1.3.ttl': 'MODIFIED',
      'g_1.20.ttl': 'REMOVED',
      'g_1.30.ttl': 'ADDED',
      'h_1.2.ttl': 'REMOVED',
      'h_1.3.ttl': 'ADDED',
      'h_v1.3.ttl': 'ADDED',
      'moved_1.2.ttl -> moved_1.3.ttl': 'RENAMED',
      'sub/1.2/k.ttl -> sub/v1.3/k.ttl': 'MODIFIED',
    });
    // The folder level shows the old name of a file it pairs.
    const top = await catalog.read((conn) => deltaTree(conn, ref('1.2'), ref('v1.3')));
    expect(top.items.find((e) => e.name === 'f_1.3.ttl')).toMatchObject({ kind: 'MODIFIED', old_relpath: 'f_1.2.ttl', new_relpath: 'f_1.3.ttl' });
  });

  it('reads a version without a digit as no name, and the reference macro agrees', async () => {
    const { changes } = await catalog.read((conn) => computeDelta(conn, ref('alpha'), ref('beta'), { kind: 'all' }));
    expect(changes.items.map((c) => [changeName(c), c.kind])).toEqual([['alpha.ttl', 'REMOVED'], ['beta.ttl', 'ADDED']]);
    for (const [a, b] of [['1.2', 'v1.3'], ['alpha', 'beta']] as const) {
      const fast = (await catalog.read((conn) => computeDelta(conn, ref(a), ref(b), { kind: 'all' }))).changes.items
        .map((c) => `${c.kind} ${c.old_relpath ?? ''} ${c.new_relpath ?? ''}`).sort();
      const macro = (await catalog.read((conn) => conn.all<{ kind: string; old_relpath: string | null; new_relpath: string | null }>(
        `SELECT kind, old_relpath, new_relpath FROM version_delta(
           (SELECT version_id FROM versions WHERE service = 'n' AND version = $1), (SELECT version_id FROM versions WHERE service = 'n' AND version = $2))`,
        [a, b],
      ))).map((c) => `${c.kind} ${c.old_relpath ?? ''} ${c.new_relpath ?? ''}`).sort();
      expect(macro).toEqual(fast);
    }
  });
});
