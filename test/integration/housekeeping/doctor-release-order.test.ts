import { spawnSync } from 'node:child_process';
import { unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DoctorPlan } from '../../../electron/shared/contract/housekeeping.js';
import { casRelpath } from '../../../electron/storage/layout.js';
import { runOntocat, runOntocatOk } from '../../helpers/run-cli.js';
import { sha256 } from '../../helpers/housekeeping-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

// Doctor listed versions never validated and versions marked damaged by their names as
// text (go/1.10 before go/1.2), where every other list follows release order.

const terms = '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n';
// Ingested out of order: neither ingest order nor text order is release order.
const ingested = [['go', '1.10'], ['go', '1.2'], ['go', '1.9'], ['pato', '1.9'], ['pato', '1.10'], ['pato', '1.2']] as const;

let root: string;
let source: string;
let cleanups: (() => void)[] = [];

beforeEach(() => {
  const made = makeTempRoot('ontocat-doctor-order');
  const src = makeTempRoot('ontocat-doctor-order-src');
  root = made.root;
  source = src.root;
  cleanups = [made.cleanup, src.cleanup];
  writeFileSync(path.join(source, 'terms.ttl'), terms);
});
afterEach(() => { for (const cleanup of cleanups) cleanup(); });

/** GNU coreutils' version sort of `service/version` names: the reference order. */
function sortV(names: readonly string[]): string[] {
  const run = spawnSync('sort', ['-V'], { input: `${names.join('\n')}\n`, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim().split('\n');
}

describe('doctor lists versions in release order', () => {
  it('never validated, and marked damaged: go/1.2, go/1.9, go/1.10, then pato', async () => {
    const names = ingested.map(([service, version]) => `${service}/${version}`);
    const expected = sortV(names);
    expect(expected).toEqual(['go/1.2', 'go/1.9', 'go/1.10', 'pato/1.2', 'pato/1.9', 'pato/1.10']);

    // Each ingest killed during validation: recorded, never validated.
    for (const [service, version] of ingested) {
      const killed = runOntocat(['ingest', source, '--service', service, '--version', version, '--json'], { root, env: { ONTOCAT_CRASH_AT: 'validate.before-commit' } });
      expect(killed.code, killed.stderr).toBe(-1);
    }

    const plan = runOntocatOk(['doctor', '--json'], { root }).json<DoctorPlan>();
    expect(plan.findings.filter((f) => f.kind === 'unvalidated_version').map((f) => f.path)).toEqual(expected);
    // The table a curator reads: the PATH column of the 'never validated' rows.
    const text = runOntocatOk(['doctor'], { root }).stdout;
    const shown = text.split('\n').filter((line) => line.includes('never validated')).map((line) => line.trim().split(/\s+/).at(-1));
    expect(shown).toEqual(expected);
    runOntocatOk(['doctor', '--apply', plan.plan_id, '--json'], { root });

    // Every copy of the content gone, the object too: doctor marks each version damaged.
    for (const name of names) unlinkSync(path.join(root, name, 'data', 'terms.ttl'));
    unlinkSync(path.join(root, casRelpath(sha256(terms))));
    const lost = runOntocatOk(['doctor', '--json'], { root }).json<DoctorPlan>();
    expect(lost.findings.filter((f) => f.fix === 'mark_damaged')).toHaveLength(names.length);
    runOntocatOk(['doctor', '--apply', lost.plan_id, '--json'], { root });

    const after = runOntocatOk(['doctor', '--json'], { root }).json<DoctorPlan>();
    expect(after.damaged_versions.map((row) => `${row.service}/${row.version}`)).toEqual(expected);
    const said = runOntocatOk(['doctor'], { root }).stdout;
    expect(said).toContain(`Known damaged versions: ${expected.map((name) => `${name} (1 file)`).join(', ')}.`);
  }, 600_000);

  it('file findings: by service, then release order of the version, then the path', async () => {
    // Two files a version; released (by their names) in sort -V order, ingested out of it.
    writeFileSync(path.join(source, 'more.ttl'), terms.replace('ex:c', 'ex:d'));
    for (const [service, version] of ingested) {
      runOntocatOk(['ingest', source, '--service', service, '--version', version, '--json'], { root });
    }
    const missing: string[] = [];
    const strays: string[] = [];
    for (const [service, version] of ingested) {
      for (const name of ['more.ttl', 'terms.ttl']) {
        unlinkSync(path.join(root, service, version, 'data', name));
        missing.push(`${service}/${version}/data/${name}`);
      }
      writeFileSync(path.join(root, service, version, 'data', 'notes.txt'), `notes on ${version}\n`);
      strays.push(`${service}/${version}/data/notes.txt`);
    }
    const expectedMissing = sortV(missing);
    expect(expectedMissing.slice(0, 4)).toEqual(['go/1.2/data/more.ttl', 'go/1.2/data/terms.ttl', 'go/1.9/data/more.ttl', 'go/1.9/data/terms.ttl']);
    const plan = runOntocatOk(['doctor', '--json'], { root }).json<DoctorPlan>();
    expect(plan.findings.filter((f) => f.kind === 'missing_file').map((f) => f.path)).toEqual(expectedMissing);
    expect(plan.findings.filter((f) => f.kind === 'orphan').map((f) => f.path)).toEqual(sortV(strays));
    // The table a curator reads: the PATH column of the missing files, in the same order.
    const text = runOntocatOk(['doctor'], { root }).stdout;
    const shown = text.split('\n').filter((line) => line.includes('missing file')).map((line) => line.trim().split(/\s+/).at(-1));
    expect(shown).toEqual(expectedMissing);
  }, 600_000);
});
