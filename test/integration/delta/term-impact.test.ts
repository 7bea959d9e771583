/**
 * What setting a version as latest does to the terms: every changed ontology file is
 * compared (real EDAM releases), a file that cannot be compared is named with the reason,
 * and the latest pointer's history reads back from the audit log (real CLI processes).
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LatestChange, TermImpact } from '../../../electron/shared/models.js';
import { scanLines } from '../../helpers/obo-line-scan.js';
import { projectRoot, runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const edam = path.join(projectRoot, 'test', 'fixtures', 'edam');
const temp = makeTempRoot('ontocat-term-impact');
const root = path.join(temp.root, 'root');

beforeAll(() => {
  const write = (version: string, files: Record<string, string>): string => {
    const dir = path.join(temp.root, 'src', version);
    mkdirSync(dir, { recursive: true });
    for (const [name, from] of Object.entries(files)) {
      if (from.startsWith('/')) copyFileSync(from, path.join(dir, name));
      else writeFileSync(path.join(dir, name), from);
    }
    return dir;
  };
  const a = write('1.1', {
    'EDAM.obo': path.join(edam, 'EDAM_1.1.obo'),
    'extra.obo': 'format-version: 1.2\n\n[Term]\nid: X:1\nname: one\n',
    'notes.txt': 'first',
  });
  const b = write('1.2', {
    'EDAM.obo': path.join(edam, 'EDAM_1.2.obo'),
    // Changed so that it no longer parses: it must be named, not silently left out.
    'extra.obo': 'format-version: 1.2\n\n[Term]\nid: X:1\nname: one\ndef: "never closed []\n',
    'notes.txt': 'second',
  });
  for (const [version, dir] of [['1.1', a], ['1.2', b]] as const) {
    const run = runOntocat(['ingest', dir, '--service', 'edam', '--version', version, '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
  }
}, 240_000);
afterAll(() => temp.cleanup());

describe('term impact of a version pair', () => {
  it('compares every changed ontology file and names the one it cannot compare', () => {
    const run = runOntocat(['delta', 'terms', 'edam/1.1', 'edam/1.2', '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
    const impact = run.json<TermImpact>();
    expect(impact.files.map((file) => file.relpath)).toEqual(['EDAM.obo', 'extra.obo']);
    const [main, extra] = impact.files;
    expect(extra!.summary).toBeNull();
    expect(extra!.error).toMatch(/extra\.obo|line|colon|quote/i);
    expect(impact).toMatchObject({ compared: 1, failed: 1 });

    // An independent count: a plain line scan of both EDAM releases, no OBO parser involved.
    const before = scanLines(path.join(edam, 'EDAM_1.1.obo'));
    const after = scanLines(path.join(edam, 'EDAM_1.2.obo'));
    const common = [...after.lines.keys()].filter((id) => before.lines.has(id));
    const added = after.lines.size - common.length;
    const removed = before.lines.size - common.length;
    const relabelled = common.filter((id) => before.names.get(id) !== after.names.get(id)).length;
    const deprecated = common.filter((id) => after.obsolete.has(id) && !before.obsolete.has(id)).length;
    expect(main!.summary).toEqual({ added, removed, relabelled, deprecated });
    expect(impact.totals).toEqual(main!.summary);

    const human = runOntocat(['delta', 'terms', 'edam/1.1', 'edam/1.2'], { root });
    expect(human.stdout).toContain(`+${added} added, -${removed} removed`);
    expect(human.stdout).toMatch(/1 could not be compared/);
  });

  it('lists every move of the latest pointer with who, when, from and to', () => {
    expect(runOntocat(['latest', 'set', 'edam', '1.1'], { root }).code).toBe(0);
    expect(runOntocat(['latest', 'set', 'edam', '1.2'], { root }).code).toBe(0);
    const history = runOntocat(['latest', 'history', 'edam', '--json'], { root }).json<LatestChange[]>();
    expect(history.map((change) => [change.previous, change.version, change.by])).toEqual([['1.1', '1.2', 'cli'], [null, '1.1', 'cli']]);
    expect(Date.parse(history[0]!.ts)).toBeGreaterThanOrEqual(Date.parse(history[1]!.ts));
  });
});
