/**
 * The whole-version term delta against ROBOT's own diff of two releases (outside truth,
 * test/fixtures/robot/README.md): `robot diff` compares edit.owl and release.owl axiom by
 * axiom; the classes its report declares on one side only are the terms added or removed,
 * with the labels its report gives them, and no other term may read as changed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VersionTermDelta } from '../../../electron/shared/contract/terms.js';
import { projectRoot, runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const fixtures = path.join(projectRoot, 'test', 'fixtures', 'robot');

/** The entities ROBOT's report declares on one side only ('+' right, '-' left), with the labels it asserts there. */
function readRobotDiff(): { added: Map<string, string | null>; removed: Map<string, string | null> } {
  const lines = readFileSync(path.join(fixtures, 'release-diff.txt'), 'utf8').split('\n');
  const side = (sign: '+' | '-'): Map<string, string | null> => {
    const declared = new Map<string, string | null>();
    for (const line of lines.filter((text) => text.startsWith(`${sign} `))) {
      const declaration = /^. Declaration\((?:Class|ObjectProperty|AnnotationProperty|DataProperty|NamedIndividual)\(<([^>]+)>\)\)$/.exec(line);
      if (declaration) declared.set(declaration[1]!, declared.get(declaration[1]!) ?? null);
    }
    for (const line of lines.filter((text) => text.startsWith(`${sign} `))) {
      const label = /^. AnnotationAssertion\(rdfs:label <([^>]+)> "([^"]*)"/.exec(line);
      if (label && declared.has(label[1]!)) declared.set(label[1]!, label[2]!);
    }
    return declared;
  };
  return { added: side('+'), removed: side('-') };
}

describe("the whole-version term delta against ROBOT's diff of edit.owl and release.owl", () => {
  const temp = makeTempRoot('ontocat-robot-diff');
  const root = path.join(temp.root, 'root');
  beforeAll(() => {
    for (const version of ['edit', 'release']) {
      const dir = path.join(temp.root, 'src', version);
      mkdirSync(dir, { recursive: true });
      // One file name for both, as a release replaces its file.
      writeFileSync(path.join(dir, 'example.owl'), gunzipSync(readFileSync(path.join(fixtures, `${version}.owl.gz`))));
      const run = runOntocat(['ingest', dir, '--service', 'robot-example', '--version', version, '--json'], { root });
      expect(run.code, run.stderr).toBe(0);
    }
  }, 300_000);
  afterAll(() => temp.cleanup());

  it('adds and removes exactly the terms the report declares on one side, and changes nothing else', () => {
    const robot = readRobotDiff();
    expect(robot.added.size + robot.removed.size).toBeGreaterThan(0);
    const run = runOntocat(['terms', 'delta', 'robot-example/edit', 'robot-example/release', '--json', '--limit', '100'], { root });
    expect(run.code, run.stderr).toBe(0);
    const delta = run.json<VersionTermDelta>();
    expect(delta.complete).toBe(true);
    expect(delta.summary).toEqual({ added: robot.added.size, removed: robot.removed.size, relabelled: 0, redefined: 0, reparented: 0, retyped: 0, deprecated: 0, undeprecated: 0, replaced: 0 });
    const listed = (kind: string) => new Map(delta.changes.items.filter((change) => change.change === kind).map((change) => [change.ident, change.label]));
    expect(listed('ADDED')).toEqual(robot.added);
    expect(listed('REMOVED')).toEqual(robot.removed);
  });
});
