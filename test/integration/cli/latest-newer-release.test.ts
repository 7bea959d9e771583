/**
 * Setting latest to a release that is not the service's newest (none set yet, or a step up
 * that stops short of the newest) leaves pipelines that follow latest without the newer
 * ones; the preview says so, naming the newest and how many come after the target, as the
 * app's dialog does. Release order, not ingest order: the releases are ingested newest first.
 *
 * Outside truth: the releases' days as GNU sort orders them.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LatestPreview } from '../../../electron/cli/latest-preview.js';
import { ingestDatedReleases } from '../../helpers/dated-releases.js';
import { runOntocat, runOntocatOk } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const RELEASES = [{ version: 'd', day: '2024-04-01' }, { version: 'c', day: '2024-03-01' }, { version: 'b', day: '2024-02-01' }, { version: 'a', day: '2024-01-01' }];

describe('ontocat latest set --preview of a release that is not the newest', () => {
  const temp = makeTempRoot('ontocat-latest-newer');
  const root = path.join(temp.root, 'root');
  afterAll(() => temp.cleanup());

  /** The releases after `version` by day, as GNU sort orders the days. */
  const after = (version: string): string[] => {
    const sorted = spawnSync('sort', { input: RELEASES.map((r) => `${r.day} ${r.version}`).join('\n'), encoding: 'utf8' }).stdout.trim().split('\n').map((line) => line.split(' ')[1]!);
    return sorted.slice(sorted.indexOf(version) + 1);
  };
  const preview = (ref: string): { human: string; json: LatestPreview } => {
    const human = runOntocat(['latest', 'set', ref, '--preview'], { root });
    expect(human.code, human.stderr).toBe(0);
    return { human: human.stdout, json: runOntocat(['latest', 'set', ref, '--preview', '--json'], { root }).json<LatestPreview>() };
  };

  it('names the newest and counts the rest, with no latest yet and after a step up; says nothing for the newest', () => {
    ingestDatedReleases(root, path.join(temp.root, 'src'), 'mini', RELEASES);
    expect(after('a')).toEqual(['b', 'c', 'd']);

    const first = preview('mini/a');
    expect(first.json.newer_release).toMatchObject({ version: 'd', newer: after('a').length });
    expect(first.human).toContain('NOTE: a is not the newest release: d is newer by release order (2024-01-01 against 2024-04-01, both set by a curator), and 2 more between them; latest would not follow to it.');

    runOntocatOk(['latest', 'set', 'mini/a'], { root });
    const step = preview('mini/c');
    expect(step.json.newer_release).toMatchObject({ version: 'd', newer: after('c').length });
    expect(step.human).toContain('NOTE: c is not the newest release: d is newer by release order (2024-03-01 against 2024-04-01, both set by a curator); latest would not follow to it.');

    const newest = preview('mini/d');
    expect(newest.json.newer_release).toBeNull();
    expect(newest.human).not.toContain('NOTE:');
  }, 180_000);

  it('leaves a move back a release to its own warning', () => {
    runOntocatOk(['latest', 'set', 'mini/c'], { root });
    const back = preview('mini/b');
    expect(back.json.older_than_current).not.toBeNull();
    expect(back.json.newer_release).toBeNull();
    expect(back.human).toContain('WARNING: mini/b is older than c');
    expect(back.human).not.toContain('NOTE:');
  }, 120_000);
});
