/**
 * A FIFO in a catalogued file's place (or as a stray) never blocks the tools that hold the
 * writer: doctor names it and puts the file back, verify and validation report it at once.
 * Before, each opened it for reading and waited for a writer that never came, while every
 * other command on the root was refused.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { addVersion } from '../../helpers/housekeeping-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let root: string;
let cleanup: () => void;
let session: Session;

beforeEach(async () => {
  ({ root, cleanup } = makeTempRoot('ontocat-fifo'));
  session = await openSession({ actor: 'test', root });
  await addVersion(session.catalog, { service: 'o', version: '1', created_at: '2026-01-01', files: { 'ok.nt': '<http://a> <http://b> <http://c> .\n', 'b.txt': 'hi' } });
  const file = path.join(root, 'o/1/data/ok.nt');
  rmSync(file);
  execFileSync('mkfifo', [file]);
  execFileSync('mkfifo', [path.join(root, 'o/1/data/stray')]);
});
afterEach(async () => {
  await session.close();
  cleanup();
});

describe('a FIFO in a file\'s place', () => {
  it('doctor names it and puts the catalogued file back; a second run is clean', async () => {
    const plan = await session.call('doctor:plan', {});
    expect(plan.findings.map((item) => `${item.kind}/${item.fix} ${item.path}`).sort()).toEqual([
      'content_modified/restore_from_cas o/1/data/ok.nt', 'orphan/trash o/1/data/stray',
    ]);
    expect(plan.findings.find((item) => item.path === 'o/1/data/ok.nt')?.detail).toMatch(/not a file \(a FIFO/);
    await session.call('doctor:apply', { plan_id: plan.plan_id });
    expect(readFileSync(path.join(root, 'o/1/data/ok.nt'), 'utf8')).toBe('<http://a> <http://b> <http://c> .\n');
    expect(lstatSync(path.join(root, `.trash/${plan.plan_id}/files/o/1/data/ok.nt`)).isFIFO()).toBe(true);
    expect((await session.call('doctor:plan', {})).findings).toEqual([]);
  }, 20_000);

  it('verify and validation report it at once', async () => {
    const verified = await session.call('storage:verify', { ref: 'o/1' });
    expect(verified.mismatches.map((item) => `${item.relpath} ${item.problem}`)).toEqual(['ok.nt missing']);
    const run = await session.call('validate:run', { ref: 'o/1', fresh: true });
    expect(run).toBeTruthy();
    const findings = await session.call('validations:list', { ref: 'o/1', severity: 'ERROR' });
    expect(findings.items.map((item) => `${item.relpath} ${item.rule}`)).toEqual(['ok.nt missing-file']);
  }, 20_000);
});
