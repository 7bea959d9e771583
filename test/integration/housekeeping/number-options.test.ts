/**
 * Number options the shell may hand over empty or in a form nobody meant: `--older-than
 * "$DAYS"` with DAYS unset reached Ontocat as '' and Number('') is 0, so `trash empty`
 * deleted every trash entry for good and exited 0. A number option that is not written as
 * one is a usage error (exit 2) and nothing is touched; the trash is held to coreutils'
 * sha256sum of every file in it before and after.
 */
import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDAM_FIXTURES } from '../../helpers/edam-releases.js';
import { sha256sumWalk } from '../../helpers/hash-files.js';
import { runOntocat, runOntocatOk } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let root: string;
let work: string;
let cleanup: () => void;
let planId: string;

beforeAll(() => {
  const temp = makeTempRoot('ontocat-number-options');
  cleanup = temp.cleanup;
  root = path.join(temp.root, 'root');
  work = path.join(temp.root, 'src');
  for (const version of ['1.0', '1.1']) {
    const dir = path.join(work, version);
    mkdirSync(dir, { recursive: true });
    cpSync(path.join(EDAM_FIXTURES, `EDAM_${version}.obo`), path.join(dir, 'EDAM.obo'));
    runOntocatOk(['ingest', dir, '--service', 'edam', '--version', version], { root });
  }
  const plan = runOntocatOk(['prune', '--keep-last', '1', '--json'], { root }).json<{ plan_id: string; removals: { version: string }[] }>();
  expect(plan.removals.map((v) => v.version)).toEqual(['1.0']);
  planId = plan.plan_id;
  runOntocatOk(['prune', '--apply', planId], { root });
});
afterAll(() => cleanup());

const trashPlans = (): string[] => runOntocatOk(['trash', 'list', '--json'], { root }).json<{ plan_id: string }[]>().map((t) => t.plan_id);

describe('number options written as no number', () => {
  it("trash empty --older-than '' (an unset shell variable) deletes nothing and exits 2", () => {
    const trash = path.join(root, '.trash');
    const before = sha256sumWalk(trash);
    expect(before).toContain('EDAM.obo');
    for (const days of ['', ' ', '0x1e', '1e1', 'Infinity']) {
      const run = runOntocat(['trash', 'empty', '--older-than', days], { root });
      expect(run.code, `--older-than '${days}': ${run.stdout}${run.stderr}`).toBe(2);
      expect(run.stderr).toContain(`--older-than takes a number of days, got '${days}'`);
      expect(run.stdout).toBe('');
      expect(trashPlans()).toEqual([planId]);
      expect(sha256sumWalk(trash)).toBe(before);
    }
    // A number of days written as one still works: the entry is minutes old, so it stays.
    expect(runOntocatOk(['trash', 'empty', '--older-than', '1.5', '--json'], { root }).json<{ removed: string[] }>().removed).toEqual([]);
    expect(sha256sumWalk(trash)).toBe(before);
    // And 0 days, written as such, empties it: one entry, in the singular.
    const emptied = runOntocatOk(['trash', 'empty', '--older-than', '0'], { root }).stdout;
    expect(emptied).toMatch(/^Deleted 1 trash entry \(/);
    expect(trashPlans()).toEqual([]);
  });

  it("prune --keep-last '' and files --limit 0x10 are usage errors, not 0 and 16", () => {
    const keep = runOntocat(['prune', '--keep-last', '', '--json'], { root });
    expect(keep.code, keep.stdout).toBe(2);
    expect(keep.stderr).toContain("--keep-last takes a whole number from 0 to");
    expect(keep.stdout).toBe('');
    for (const limit of ['0x10', '1e1', ' 5', '+5']) {
      const run = runOntocat(['files', 'edam/1.1', '--limit', limit], { root });
      expect(run.code, `--limit '${limit}': ${run.stdout}`).toBe(2);
      expect(run.stderr).toContain(`--limit takes a whole number from 1 to 1000, got '${limit}'`);
    }
    for (const offset of ['', '0b1']) expect(runOntocat(['files', 'edam/1.1', '--offset', offset], { root }).code).toBe(2);
    expect(runOntocatOk(['files', 'edam/1.1', '--limit', '16', '--offset', '0', '--json'], { root }).json<unknown[]>()).toHaveLength(1);
  });

  it("a negative number given as its own word (--offset -1) gets Ontocat's own usage error, not Node's parser's", () => {
    const cases: [args: string[], message: string][] = [
      [['files', 'edam/1.1', '--offset', '-1'], "--offset takes a whole number from 0 to 9007199254740991, got '-1'"],
      [['versions', '--limit', '-5'], "--limit takes a whole number from 1 to 1000, got '-5'"],
      [['prune', '--keep-last', '-1', '--json'], "--keep-last takes a whole number from 0 to"],
      [['trash', 'empty', '--older-than', '-3'], "--older-than takes a number of days, got '-3'"],
      [['events', '--offset', '-x'], "--offset takes a whole number from 0 to 9007199254740991, got '-x'"],
    ];
    for (const [args, message] of cases) {
      const run = runOntocat(args, { root });
      expect(run.code, `${args.join(' ')}: ${run.stdout}${run.stderr}`).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stderr).not.toMatch(/ambiguous|--offset=-XYZ|--limit=-XYZ/);
      expect(run.stdout).toBe('');
    }
    // The same value written --offset=-1 was already read so: one message either way.
    expect(runOntocat(['files', 'edam/1.1', '--offset=-1'], { root }).stderr).toContain("--offset takes a whole number from 0 to 9007199254740991, got '-1'");
    // An option's value forgotten before another option is still said to be missing.
    const forgotten = runOntocat(['files', 'edam/1.1', '--prefix', '--json'], { root });
    expect(forgotten.code).toBe(2);
    expect(forgotten.stderr).toContain('--prefix');
    expect(trashPlans()).toEqual([]);
  });
});
