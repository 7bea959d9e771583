import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DoctorPlan, TrashEntry } from '../../../electron/shared/contract/housekeeping.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

// A pruned version's data folder made again by hand (even empty: `mkdir -p ROOT/go/v1/data`)
// blocked `trash restore` for good ("… until doctor has reviewed it"), while doctor said all
// was well and its plan changed nothing. Real CLI, real files.

let root: string;
let sources: string;
let cleanups: (() => void)[] = [];

beforeEach(() => {
  const made = makeTempRoot('ontocat-remade');
  const src = makeTempRoot('ontocat-remade-src');
  root = made.root;
  sources = src.root;
  cleanups = [made.cleanup, src.cleanup];
});
afterEach(() => { for (const cleanup of cleanups) cleanup(); });

function ok(args: readonly string[]): ReturnType<typeof runOntocat> {
  const run = runOntocat(args, { root });
  expect(run.code, `ontocat ${args.join(' ')}: ${run.stderr}`).toBe(0);
  return run;
}

/** go/v1 and go/v2 ingested from folders, then v1 pruned; returns the prune's plan id. */
function prunedV1(): string {
  for (const version of ['v1', 'v2']) {
    const dir = path.join(sources, version);
    mkdirSync(path.join(dir, 'sub'), { recursive: true });
    writeFileSync(path.join(dir, 'a.txt'), `alpha ${version}\n`);
    writeFileSync(path.join(dir, 'sub', 'b.txt'), `beta ${version}\n`);
    ok(['ingest', dir, '--service', 'go', '--version', version]);
    ok(['release-date', `go/${version}`, version === 'v1' ? '2026-01-01' : '2026-02-01']);
  }
  const plan = ok(['prune', '--keep-last', '1', '--allow-large', '--json']).json<{ plan_id: string }>();
  ok(['prune', '--apply', plan.plan_id]);
  expect(existsSync(path.join(root, 'go', 'v1'))).toBe(false);
  return plan.plan_id;
}

const versions = (): string[] => ok(['versions', '--json']).json<{ version: string }[]>().map((v) => v.version).sort();

describe('trash restore into a pruned version\'s data folder made again by hand', () => {
  it('an empty one is taken as it is: the version comes back into it, recorded, and doctor is clean', () => {
    const planId = prunedV1();
    mkdirSync(path.join(root, 'go', 'v1', 'data'), { recursive: true });
    ok(['trash', 'restore', planId]);
    expect(versions()).toEqual(['v1', 'v2']);
    expect(readFileSync(path.join(root, 'go/v1/data/a.txt'), 'utf8')).toBe('alpha v1\n');
    expect(readFileSync(path.join(root, 'go/v1/data/sub/b.txt'), 'utf8')).toBe('beta v1\n');
    expect(ok(['trash', 'list', '--json']).json<TrashEntry[]>()).toEqual([]);
    // Recorded by the restore: no folder_replaced or folder_unrecorded finding.
    expect(ok(['doctor', '--json']).json<DoctorPlan>().findings).toEqual([]);
  });

  it('one holding a file is refused, naming it and the way through; doctor moves the file to the trash, and then the restore goes through', () => {
    const planId = prunedV1();
    mkdirSync(path.join(root, 'go', 'v1', 'data'), { recursive: true });
    writeFileSync(path.join(root, 'go', 'v1', 'data', 'notes.txt'), 'my notes');
    const refused = runOntocat(['trash', 'restore', planId], { root });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/go\/v1\/data was made again since its version was pruned .* holds a file \('go\/v1\/data\/notes\.txt'\).*run 'ontocat doctor'.*Nothing was restored/);
    expect(versions()).toEqual(['v2']);

    const plan = ok(['doctor', '--json']).json<DoctorPlan>();
    expect(plan.findings.map((f) => `${f.kind}/${f.fix} ${f.path}`)).toEqual(['orphan/trash go/v1/data/notes.txt']);
    ok(['doctor', '--apply', plan.plan_id]);
    ok(['trash', 'restore', planId]);
    expect(versions()).toEqual(['v1', 'v2']);
    expect(readFileSync(path.join(root, 'go/v1/data/a.txt'), 'utf8')).toBe('alpha v1\n');
    // The curator's file is not lost: it waits in doctor's trash entry.
    expect(readFileSync(path.join(root, '.trash', plan.plan_id, 'files', 'go/v1/data/notes.txt'), 'utf8')).toBe('my notes');
    expect(ok(['doctor', '--json']).json<DoctorPlan>().findings).toEqual([]);
  });

  it('one holding only empty folders is taken too', () => {
    const planId = prunedV1();
    mkdirSync(path.join(root, 'go', 'v1', 'data', 'sub', 'deeper'), { recursive: true });
    ok(['trash', 'restore', planId]);
    expect(versions()).toEqual(['v1', 'v2']);
    expect(readFileSync(path.join(root, 'go/v1/data/sub/b.txt'), 'utf8')).toBe('beta v1\n');
  });
});
