/**
 * `ontocat verify` re-hashes every stored file the catalog records a SHA-256 for, the
 * downloaded archives of `fetch` (`S/V/archives/NAME`) included, and its answer agrees with
 * an independent hash walk (`find -type f -print0 | xargs -0 sha256sum`) of the version folder;
 * doctor names such an archive too (by its size, and by its hash with --deep).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { VerifyResult } from '../../../electron/shared/contract/ingest.js';
import type { DoctorPlan } from '../../../electron/shared/contract/housekeeping.js';
import { projectRoot, runOntocat, runOntocatAsync } from '../../helpers/run-cli.js';
import { localHttpServer } from '../../helpers/sync-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

/** A real release, served as EDAM publishes it: the gzipped OWL file. */
const release = readFileSync(path.join(projectRoot, 'test/fixtures/edam/EDAM_1.2.owl.gz'));

/** sha256sum's digest of every file under `dir`, keyed by its path below `dir`. */
function hashWalk(dir: string): Map<string, string> {
  const out = execFileSync('sh', ['-c', 'find . -type f -print0 | xargs -0 sha256sum'], { cwd: dir, encoding: 'utf8' });
  return new Map(out.trim().split('\n').map((line) => {
    const [sha, name] = [line.slice(0, 64), line.slice(66)];
    return [name.replace(/^\.\//, ''), sha];
  }));
}

describe('verify and a fetched archive', () => {
  const temp = makeTempRoot('ontocat-verify-archives');
  const local = localHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': release.length });
    res.end(release);
  });
  afterAll(() => temp.cleanup());

  it('lists an archive whose bytes are no longer the recorded ones, as sha256sum sees them', async () => {
    const fetched = await runOntocatAsync(['fetch', `${local.base}/EDAM_1.2.owl.gz`, '--service', 'edam', '--version', '1.2', '--json'], { root: temp.root });
    expect(fetched.code, fetched.stderr).toBe(0);
    const recorded = fetched.json<{ sha256: string; fs_relpath: string }>();
    const versionDir = path.join(temp.root, 'edam/1.2');
    expect(hashWalk(versionDir).get('archives/EDAM_1.2.owl.gz')).toBe(recorded.sha256);
    const clean = runOntocat(['verify', 'edam/1.2', '--json'], { root: temp.root });
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.json<VerifyResult>()).toMatchObject({ checked: 1, ok: 1, mismatches: [] });

    // Bit rot in the stored download: one byte in the middle, same size.
    const file = path.join(temp.root, recorded.fs_relpath);
    execFileSync('dd', ['if=/dev/zero', `of=${file}`, 'bs=1', 'count=1', `seek=${Math.floor(release.length / 2)}`, 'conv=notrunc', 'status=none']);
    const walked = hashWalk(versionDir).get('archives/EDAM_1.2.owl.gz');
    expect(walked).not.toBe(recorded.sha256);
    const rotted = runOntocat(['verify', 'edam/1.2', '--json'], { root: temp.root });
    expect(rotted.code).toBe(1);
    expect(rotted.json<VerifyResult>().mismatches).toEqual([expect.objectContaining({
      service: 'edam', version: '1.2', relpath: 'archives/EDAM_1.2.owl.gz', problem: 'sha256', expected_sha256: recorded.sha256, actual_sha256: walked,
    })]);
    const archiveFindings = (args: string[]): DoctorPlan['findings'] =>
      runOntocat(['doctor', ...args, '--json'], { root: temp.root }).json<DoctorPlan>().findings.filter((item) => item.path === recorded.fs_relpath);
    expect(archiveFindings(['--deep'])).toEqual([expect.objectContaining({ kind: 'content_modified', fix: 'leave' })]);
    const human = runOntocat(['verify'], { root: temp.root });
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('archives/EDAM_1.2.owl.gz');

    // Cut short.
    writeFileSync(file, release.subarray(0, 1000));
    const cut = runOntocat(['verify', '--json'], { root: temp.root });
    expect(cut.code).toBe(1);
    expect(cut.json<VerifyResult>().mismatches).toEqual([expect.objectContaining({ relpath: 'archives/EDAM_1.2.owl.gz', problem: 'size', actual_size: 1000 })]);
    expect(archiveFindings([])).toEqual([expect.objectContaining({ kind: 'content_modified', fix: 'leave', bytes: 1000 })]);
  });
});
