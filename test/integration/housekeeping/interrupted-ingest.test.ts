import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSession } from '../../../electron/handlers/session.js';
import type { DoctorPlan } from '../../../electron/shared/contract/housekeeping.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

// Issue 18, note: an ingest killed during validation left its version recorded with 0
// validations, and doctor was silent about it.

const debianObo = '/usr/share/EMBOSS/data/OBO';

let root: string;
let source: string;
let cleanups: (() => void)[] = [];

beforeEach(() => {
  const made = makeTempRoot('ontocat-unvalidated');
  const src = makeTempRoot('ontocat-unvalidated-src');
  root = made.root;
  source = src.root;
  cleanups = [made.cleanup, src.cleanup];
  writeFileSync(path.join(source, 'terms.ttl'), '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n');
  writeFileSync(path.join(source, 'broken.ttl'), '@prefix ex: <http://example.org/> .\nex:a ex:b .\n');
  // A real release file (the smallest) when Debian's emboss-data is installed.
  const obo = existsSync(debianObo)
    ? readdirSync(debianObo).filter((name) => name.endsWith('.obo')).sort((a, b) => statSync(path.join(debianObo, a)).size - statSync(path.join(debianObo, b)).size)[0]
    : undefined;
  if (obo) copyFileSync(path.join(debianObo, obo), path.join(source, obo));
});
afterEach(() => { for (const cleanup of cleanups) cleanup(); });

const validations = async (): Promise<number> => {
  const session = await openSession({ actor: 'test', root });
  try {
    return (await session.catalog.read((conn) => conn.scalar<number>('SELECT count(*) FROM validations'))) ?? 0;
  } finally {
    await session.close();
  }
};

describe('an ingest killed during validation', () => {
  it('is found by doctor and validated by its plan', async () => {
    const killed = runOntocat(['ingest', source, '--service', 'go', '--version', 'v1', '--json'], { root, env: { ONTOCAT_CRASH_AT: 'validate.before-commit' } });
    expect(killed.code, killed.stderr).toBe(-1);
    expect(await validations()).toBe(0);

    const plan = runOntocat(['doctor', '--json'], { root });
    expect(plan.code, plan.stderr).toBe(0);
    const findings = plan.json<DoctorPlan>().findings;
    expect(findings).toEqual([expect.objectContaining({ kind: 'unvalidated_version', path: 'go/v1', fix: 'revalidate' })]);
    expect(findings[0]!.detail).toMatch(/never validated.*files await validation/);

    const applied = runOntocat(['doctor', '--apply', plan.json<DoctorPlan>().plan_id, '--json'], { root });
    expect(applied.code, applied.stderr).toBe(0);
    expect(await validations()).toBeGreaterThanOrEqual(2);
    // The broken Turtle file is reported like any validation failure, and doctor is quiet again.
    const failures = runOntocat(['findings', 'go/v1', '--json'], { root });
    expect(failures.stdout).toContain('broken.ttl');
    expect(runOntocat(['doctor', '--json'], { root }).json<DoctorPlan>().findings).toEqual([]);
  }, 900_000);

  it('leaves no work folder behind: doctor finds .tmp/ingest-* folders, emptied or not, and its plan removes them', async () => {
    // Killed after its files were placed but before the commit: the work folder stays.
    const killed = runOntocat(['ingest', source, '--service', 'go', '--version', 'v2', '--json'], { root, env: { ONTOCAT_CRASH_AT: 'ingest:after-fs-before-sync' } });
    expect(killed.code, killed.stderr).toBe(-1);
    // And a work folder whose files were cleaned up but not the folders themselves.
    mkdirSync(path.join(root, '.tmp', 'ingest-emptied', 'data', 'sub'), { recursive: true });
    const workFolders = (): string[] => readdirSync(path.join(root, '.tmp')).filter((name) => name !== 'duckdb').sort();
    expect(workFolders()).toContain('ingest-emptied');
    expect(workFolders().length).toBeGreaterThanOrEqual(1);

    const plan = runOntocat(['doctor', '--json'], { root });
    expect(plan.code, plan.stderr).toBe(0);
    const leftovers = plan.json<DoctorPlan>().findings.filter((item) => item.kind === 'temp_leftover');
    expect(leftovers.map((item) => item.path)).toContain('.tmp/ingest-emptied');
    expect(leftovers.find((item) => item.path === '.tmp/ingest-emptied')!.detail).toMatch(/Empty work folder/);
    const applied = runOntocat(['doctor', '--apply', plan.json<DoctorPlan>().plan_id, '--json'], { root });
    expect(applied.code, applied.stderr).toBe(0);
    expect(workFolders()).toEqual([]);
    expect(runOntocat(['doctor', '--json'], { root }).json<DoctorPlan>().findings.filter((item) => item.kind === 'temp_leftover')).toEqual([]);
  }, 900_000);

  it('converges in one apply: a killed re-ingest whose set-aside data held an empty folder leaves no work folder for the next run', async () => {
    const first = runOntocat(['ingest', source, '--service', 'go', '--version', 'v1', '--json'], { root });
    expect(first.code, first.stderr).toBe(0);
    // A folder the curator made in the version (the catalog lists files only); a re-ingest sets the old data aside with it.
    mkdirSync(path.join(root, 'go', 'v1', 'data', 'notes'));
    writeFileSync(path.join(source, 'terms.ttl'), '@prefix ex: <http://example.org/> .\nex:a ex:b ex:d .\n');
    const killed = runOntocat(['ingest', source, '--service', 'go', '--version', 'v1', '--replace', '--json'], { root, env: { ONTOCAT_CRASH_AT: 'ingest:after-fs-before-sync' } });
    expect(killed.code, killed.stderr).toBe(-1);
    const workFolders = (): string[] => readdirSync(path.join(root, '.tmp')).filter((name) => name !== 'duckdb').sort();
    expect(workFolders()).toHaveLength(1);

    const plan = runOntocat(['doctor', '--json'], { root });
    expect(plan.code, plan.stderr).toBe(0);
    const leftovers = plan.json<DoctorPlan>().findings.filter((item) => item.kind === 'temp_leftover');
    expect(leftovers.length).toBeGreaterThan(0);
    expect(leftovers.every((item) => item.path.startsWith(`.tmp/${workFolders()[0]}/`))).toBe(true);
    const applied = runOntocat(['doctor', '--apply', plan.json<DoctorPlan>().plan_id, '--json'], { root });
    expect(applied.code, applied.stderr).toBe(0);
    expect(workFolders()).toEqual([]);
    expect(runOntocat(['doctor', '--json'], { root }).json<DoctorPlan>().findings).toEqual([]);
  }, 900_000);
});
