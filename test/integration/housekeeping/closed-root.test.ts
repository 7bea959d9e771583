/**
 * The storage root is a closed world (issue 18, items 1, 2, 6, 8, 13): each attack the
 * adversary reproduced, done again with real symlinks on disk, the real CLI in child
 * processes and a real DuckDB catalog. After each one, an independent hash walk shows
 * nothing outside the root changed, the catalog still opens and doctor works.
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DoctorPlan, PrunePlan } from '../../../electron/shared/contract/housekeeping.js';
import type { ManifestImportResult, VerifyResult } from '../../../electron/shared/contract/ingest.js';
import { runOntocat, type CliRun } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

/** Debian's emboss-data OBO files: real ontology releases nobody here wrote. */
const OBO_DIR = '/usr/share/EMBOSS/data/OBO';
const haveObo = existsSync(path.join(OBO_DIR, 'ro.obo'));
/** Each attack runs a dozen real CLI processes on a shared machine. */
const TIMEOUT = 300_000;

let base: string;
let cleanup: () => void;
let root: string;

/**
 * Every entry under `dir` with what identifies it: a file's SHA-256, size and link count
 * (a new hardlink to it shows), a link's target. Written here with plain readdir/lstat,
 * sharing nothing with the code under test.
 */
function hashWalk(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const child = path.join(abs, name);
      const key = rel ? `${rel}/${name}` : name;
      const stat = lstatSync(child);
      if (stat.isSymbolicLink()) out[key] = `link -> ${readlinkSync(child)}`;
      else if (stat.isDirectory()) {
        out[key] = 'dir';
        walk(child, key);
      } else out[key] = `${createHash('sha256').update(readFileSync(child)).digest('hex')} ${stat.size} nlink=${stat.nlink}`;
    }
  };
  walk(dir, '');
  return out;
}

function cli(args: readonly string[]): CliRun {
  return runOntocat(args, { root });
}

function ok(run: CliRun): CliRun {
  expect(run.code, `${run.stderr}\n${run.stdout}`).toBe(0);
  return run;
}

/** The catalog opens and doctor plans; its findings are returned for a closer look. */
function doctorWorks(): DoctorPlan {
  return ok(cli(['doctor', '--json'])).json<DoctorPlan>();
}

/** A source folder of real OBO releases (plus one file of our own so versions differ). */
function makeSource(name: string, files: readonly string[], extra: string): string {
  const dir = path.join(base, 'sources', name);
  mkdirSync(dir, { recursive: true });
  for (const file of files) copyFileSync(path.join(OBO_DIR, file), path.join(dir, file));
  writeFileSync(path.join(dir, 'notes.txt'), extra);
  return dir;
}

/** A folder outside the root holding files with the same names as a version's data. */
function makeOutside(name: string): string {
  const dir = path.join(base, name);
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  writeFileSync(path.join(dir, 'data', 'ro.obo'), 'precious, not the catalog\'s ro.obo\n');
  writeFileSync(path.join(dir, 'data', 'eco.obo'), 'precious, not the catalog\'s eco.obo\n');
  writeFileSync(path.join(dir, 'data', 'notes.txt'), 'precious notes\n');
  return dir;
}

/** Replaces a folder of the root by a symlink to `target`. */
function replaceByLink(relpath: string, target: string): void {
  rmSync(path.join(root, relpath), { recursive: true, force: true });
  symlinkSync(target, path.join(root, relpath));
}

beforeEach(() => {
  ({ root: base, cleanup } = makeTempRoot('ontocat-closed-root'));
  root = path.join(base, 'root');
});
afterEach(() => cleanup());

describe.skipIf(!haveObo)('the storage root is a closed world', () => {
  it('item 1: prune never trashes or deletes files outside the root through a symlinked version folder', () => {
    ok(cli(['ingest', makeSource('v1', ['ro.obo', 'eco.obo'], 'one\n'), '--service', 'svc', '--version', 'v1', '--json']));
    ok(cli(['ingest', makeSource('v2', ['ro.obo', 'eco.obo'], 'two\n'), '--service', 'svc', '--version', 'v2', '--set-latest', '--json']));
    const outside = makeOutside('outside-1');
    replaceByLink('svc/v1', outside);
    const before = hashWalk(outside);

    // verify does not read through the link: every file of v1 is missing, nothing is hashed there.
    const verify = cli(['verify', 'svc/v1', '--json']);
    expect(verify.code).toBe(1);
    expect(verify.json<VerifyResult>().mismatches.map((m) => [m.relpath, m.problem])).toEqual([['eco.obo', 'missing'], ['notes.txt', 'missing'], ['ro.obo', 'missing']]);

    const plan = ok(cli(['prune', '--keep-last', '1', '--allow-large', '--json'])).json<PrunePlan>();
    expect(plan.removals.map((v: { version: string }) => v.version)).toEqual(['v1']);
    expect(plan.files.filter((file: { path: string }) => file.path.startsWith('svc/v1/'))).toEqual([]);
    // The apply compares v1's data folder with the device and inode the catalog recorded at
    // ingest: it now lies behind a link, so the plan is stale and nothing moves.
    const refused = cli(['prune', '--apply', plan.plan_id]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is stale: svc\/v1\/data lies behind svc\/v1, which is now a symbolic link.*Nothing was changed/);
    ok(cli(['trash', 'empty']));
    expect(hashWalk(outside)).toEqual(before);

    // The link is a doctor finding; the fix moves the link itself, never its target.
    const doctor = doctorWorks();
    expect(doctor.findings).toContainEqual(expect.objectContaining({ kind: 'symlink', path: 'svc/v1', fix: 'trash', detail: expect.stringMatching(/symbolic link.*never follows/) }));
    ok(cli(['doctor', '--apply', doctor.plan_id]));
    expect(lstatSync(path.join(root, 'svc/v1'), { throwIfNoEntry: false })?.isSymbolicLink() ?? false).toBe(false);
    ok(cli(['trash', 'empty']));
    expect(hashWalk(outside)).toEqual(before);
    // With the link gone, the same policy prunes v1 (its files, put back or not, are the root's own).
    let settle = doctorWorks();
    if (settle.findings.length > 0) ok(cli(['doctor', '--apply', settle.plan_id]));
    const again = ok(cli(['prune', '--keep-last', '1', '--allow-large', '--json'])).json<PrunePlan>();
    expect(again.removals.map((v: { version: string }) => v.version)).toEqual(['v1']);
    ok(cli(['prune', '--apply', again.plan_id]));
    ok(cli(['trash', 'empty']));
    expect(hashWalk(outside)).toEqual(before);
    settle = doctorWorks();
    expect(settle.findings).toEqual([]);
    ok(cli(['verify', 'svc/v2']));
  }, 2 * TIMEOUT);

  it('item 2: a service or version named like the root\'s own files is refused before anything is written', () => {
    const source = makeSource('v1', ['ro.obo'], 'one\n');
    ok(cli(['ingest', source, '--service', 'svc', '--version', 'v1', '--json']));
    const cases: [string, string, RegExp][] = [
      ['catalog.duckdb.wal', 'v1', /reserved for the storage root's own files/],
      ['svc', 'LATEST.json', /reserved for the storage root's own files/],
      ['catalog.duckdb', 'v1', /reserved for the storage root's own files/],
      ['CON', 'v1', /CON is a device name Windows reserves/],
      ['.cas', 'v1', /reserved for the storage root's own folders/],
    ];
    for (const [service, version, rule] of cases) {
      const before = hashWalk(root);
      const run = cli(['ingest', source, '--service', service, '--version', version]);
      expect(run.code, run.stdout).not.toBe(0);
      expect(run.stderr).toMatch(rule);
      expect(run.stderr).not.toMatch(/EEXIST|ENOTDIR/);
      expect(hashWalk(root)).toEqual(before);
    }
    expect(existsSync(path.join(root, 'catalog.duckdb.wal'))).toBe(false);
    expect(cli(['latest', 'set', 'svc', 'nul']).stderr).toMatch(/NUL is a device name/);
    expect(doctorWorks().findings).toEqual([]);
    expect(ok(cli(['versions', '--json'])).json<{ version: string }[]>().map((v: { version: string }) => v.version)).toEqual(['v1']);
  }, TIMEOUT);

  it('item 6: ingest, latest set, trash restore and doctor\'s relink never write through a symlinked folder', () => {
    const source = makeSource('v1', ['ro.obo', 'eco.obo'], 'one\n');
    ok(cli(['ingest', source, '--service', 'svc', '--version', 'v1', '--json']));
    ok(cli(['ingest', makeSource('v2', ['ro.obo', 'eco.obo'], 'two\n'), '--service', 'svc', '--version', 'v2', '--set-latest', '--json']));

    // Ingest into a symlinked service folder, and into a symlinked version folder.
    const outService = makeOutside('outside-service');
    symlinkSync(outService, path.join(root, 'linked'));
    const outVersion = makeOutside('outside-version');
    symlinkSync(outVersion, path.join(root, 'svc', 'v9'));
    const beforeService = hashWalk(outService);
    const beforeVersion = hashWalk(outVersion);
    const intoService = cli(['ingest', source, '--service', 'linked', '--version', 'v1']);
    expect(intoService.code).not.toBe(0);
    expect(intoService.stderr).toMatch(/'linked' is a symbolic link inside the storage root/);
    const intoVersion = cli(['ingest', source, '--service', 'svc', '--version', 'v9']);
    expect(intoVersion.stderr).toMatch(/'svc\/v9' is a symbolic link/);

    // latest set would write LATEST.json into the linked service folder.
    renameSync(path.join(root, 'svc'), path.join(base, 'svc-moved'));
    symlinkSync(path.join(base, 'svc-moved'), path.join(root, 'svc'));
    const beforeMoved = hashWalk(path.join(base, 'svc-moved'));
    const latest = cli(['latest', 'set', 'svc', 'v1']);
    expect(latest.code).not.toBe(0);
    expect(latest.stderr).toMatch(/'svc' is a symbolic link/);
    expect(hashWalk(path.join(base, 'svc-moved'))).toEqual(beforeMoved);
    expect(ok(cli(['latest', 'get', 'svc', '--json'])).stdout).toMatch(/"v2"/);
    rmSync(path.join(root, 'svc'));
    renameSync(path.join(base, 'svc-moved'), path.join(root, 'svc'));
    rmSync(path.join(root, 'svc', 'v9'));

    // trash restore into a version folder that became a link after the prune.
    const plan = ok(cli(['prune', '--keep-last', '1', '--allow-large', '--json'])).json<PrunePlan>();
    expect(plan.removals.map((v: { version: string }) => v.version)).toEqual(['v1']);
    ok(cli(['prune', '--apply', plan.plan_id]));
    const outRestore = makeOutside('outside-restore');
    replaceByLink('svc/v1', outRestore);
    const beforeRestore = hashWalk(outRestore);
    const restore = cli(['trash', 'restore', plan.plan_id]);
    expect(restore.code).not.toBe(0);
    expect(restore.stderr).toMatch(/'svc\/v1' is a symbolic link/);
    expect(hashWalk(outRestore)).toEqual(beforeRestore);
    rmSync(path.join(root, 'svc/v1'));
    ok(cli(['trash', 'restore', plan.plan_id]));
    ok(cli(['verify']));

    // doctor's relink: the content store is a link to a copy outside (its own inodes, so a
    // hardlink made to one shows in its link count), and one data file is gone.
    const outCas = path.join(base, 'outside-cas');
    cpSync(path.join(root, '.cas'), outCas, { recursive: true });
    replaceByLink('.cas', outCas);
    rmSync(path.join(root, 'svc/v2/data/ro.obo'));
    const beforeCas = hashWalk(outCas);
    const doctor = doctorWorks();
    const links = doctor.findings.filter((f) => f.kind === 'symlink').map((f) => f.path);
    expect(links).toEqual(['.cas', 'linked']);
    ok(cli(['doctor', '--apply', doctor.plan_id]));
    ok(cli(['trash', 'empty']));
    // No hardlink was made to an object outside the root (link counts unchanged), nothing deleted there.
    expect(hashWalk(outCas)).toEqual(beforeCas);
    expect(hashWalk(outService)).toEqual(beforeService);
    expect(hashWalk(outVersion)).toEqual(beforeVersion);
    expect(lstatSync(path.join(root, '.cas')).isDirectory()).toBe(true);
    // The store was rebuilt inside the root from good data files; ro.obo of v2 came back too.
    expect(statSync(path.join(root, 'svc/v2/data/ro.obo')).size).toBe(statSync(path.join(OBO_DIR, 'ro.obo')).size);
    ok(cli(['verify']));
    expect(doctorWorks().findings).toEqual([]);
  }, TIMEOUT);

  it('item 8: import-manifest hashes what it imports, never replaces what ingest recorded, and refuses links', () => {
    ok(cli(['ingest', makeSource('v1', ['ro.obo', 'eco.obo'], 'one\n'), '--service', 'svc', '--version', 'v1', '--json']));
    const data = path.join(root, 'svc/v1/data');
    const ro = readFileSync(path.join(data, 'ro.obo'));
    const sha = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');
    writeFileSync(path.join(data, 'legacy.txt'), 'a legacy download\n');
    writeFileSync(path.join(data, 'forged.txt'), 'what is really on disk\n');
    symlinkSync('/etc/passwd', path.join(data, 'passwd'));
    const passwdSize = statSync('/etc/passwd').size;
    const lines = [
      // 1. the ingested file with a forged hash; 2. even with its true hash
      { path: 'ro.obo', sha256: sha('forged'), size: ro.length, service: 'svc', version: 'v1' },
      { path: 'svc/v1/data/ro.obo', sha256: sha(ro), size: ro.length, service: 'svc', version: 'v1' },
      // 3. a hash the bytes do not have
      { path: 'forged.txt', sha256: sha('something else\n'), size: 23, service: 'svc', version: 'v1' },
      // 4. a symlink to /etc/passwd
      { path: 'passwd', sha256: sha(readFileSync('/etc/passwd')), size: passwdSize, service: 'svc', version: 'v1' },
      // 5. a good line
      { path: 'legacy.txt', sha256: sha('a legacy download\n'), size: 18, service: 'svc', version: 'v1' },
    ];
    const manifest = path.join(base, 'manifest.jsonl');
    writeFileSync(manifest, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
    const run = cli(['import-manifest', manifest, '--json']);
    expect(run.code).toBe(1);
    const result = run.json<ManifestImportResult>();
    expect(result).toMatchObject({ lines: 5, imported: 1, failed: 4 });
    expect(result.errors.map((e) => e.line)).toEqual([1, 2, 3, 4]);
    expect(result.errors[0]!.message).toMatch(/svc\/v1\/data\/ro\.obo was recorded by ingest/);
    expect(result.errors[1]!.message).toMatch(/recorded by ingest/);
    expect(result.errors[2]!.message).toMatch(/sha256 of svc\/v1\/data\/forged\.txt is [0-9a-f]{64}, not/);
    expect(result.errors[3]!.message).toMatch(/'svc\/v1\/data\/passwd' is a symbolic link/);

    const files = ok(cli(['files', 'svc/v1', '--json'])).json<{ relpath: string; sha256: string }[]>();
    expect(files.map((f) => f.relpath)).toEqual(['eco.obo', 'legacy.txt', 'notes.txt', 'ro.obo']);
    expect(files.find((f) => f.relpath === 'ro.obo')!.sha256).toBe(sha(ro));
    // The healthy version still verifies: its ingested rows and content store links are intact.
    ok(cli(['verify', 'svc/v1']));
    const doctor = doctorWorks();
    expect(doctor.findings.map((f) => [f.kind, f.path])).toEqual([['symlink', 'svc/v1/data/passwd'], ['orphan', 'svc/v1/data/forged.txt']]);
    expect(existsSync('/etc/passwd')).toBe(true);
  }, TIMEOUT);

  it('item 13: ingest refuses the storage root, a folder inside it, or one containing it as its source', () => {
    ok(cli(['ingest', makeSource('v1', ['ro.obo'], 'one\n'), '--service', 'svc', '--version', 'v1', '--json']));
    const alias = path.join(base, 'alias');
    symlinkSync(root, alias);
    const cases: [string, RegExp][] = [
      [root, /is inside the storage root/],
      [path.join(root, '.cas'), /is inside the storage root/],
      [path.join(root, 'svc'), /is inside the storage root/],
      [alias, /is inside the storage root/],
      [base, /contains the storage root/],
    ];
    const before = hashWalk(root);
    for (const [source, rule] of cases) {
      const run = cli(['ingest', source, '--service', 'copy', '--version', 'v1']);
      expect(run.code, run.stdout).not.toBe(0);
      expect(run.stderr).toMatch(rule);
    }
    expect(existsSync(path.join(root, 'copy'))).toBe(false);
    expect(ok(cli(['versions', '--json'])).json<{ service: string }[]>().map((v) => v.service)).toEqual(['svc']);
    expect(doctorWorks().findings).toEqual([]);
    // Only the catalog's own files (events of the refusals) changed, never the service tree or the store.
    const after = hashWalk(root);
    const tree = (walk: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(walk).filter(([key]) => key.startsWith('svc') || key.startsWith('.cas')));
    expect(tree(after)).toEqual(tree(before));
  }, TIMEOUT);
});
