/**
 * A catalog backup from before a prune, restored, lists the pruned version again, and the
 * prune's trash holds the only copy of its files: emptying the trash is refused until doctor
 * has put them back. That holds for the download `fetch` keeps in `S/V/archives/` as for the
 * version's data files. Outside truth: coreutils' sha256sum of the copies on disk against the
 * SHA-256 the fetch recorded, of a real release (EDAM 1.2's OWL, gzipped).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot, runOntocat, runOntocatAsync } from '../../helpers/run-cli.js';
import { localHttpServer } from '../../helpers/sync-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const release = readFileSync(path.join(projectRoot, 'test/fixtures/edam/EDAM_1.2.owl.gz'));
const next = readFileSync(path.join(projectRoot, 'test/fixtures/edam/EDAM_1.1.obo'));

/** coreutils' digest of one file, or null when it is not there. */
function sha256sum(file: string): string | null {
  try {
    return execFileSync('sha256sum', [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).slice(0, 64);
  } catch {
    return null;
  }
}

function ok(args: string[], root: string): ReturnType<typeof runOntocat> {
  const run = runOntocat(args, { root });
  expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
  return run;
}

describe('a restored catalog backup and the trash of a prune of a fetched version', () => {
  const temp = makeTempRoot('ontocat-restored-archive');
  const root = path.join(temp.root, 'root');
  const local = localHttpServer((req, res) => {
    // /next/ serves the release after it (EDAM 1.1's OBO file) under the same name.
    const body = req.url?.startsWith('/next/') ? next : release;
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length });
    res.end(body);
  });
  afterAll(() => temp.cleanup());

  it('refuses to empty the trash while it holds the only copy of the download, and doctor puts it back', async () => {
    ok(['init'], root);
    const fetched = await runOntocatAsync(['fetch', `${local.base}/EDAM_1.2.owl.gz`, '--service', 'edam', '--version', '1.2', '--json'], { root });
    expect(fetched.code, fetched.stderr).toBe(0);
    const recorded = fetched.json<{ sha256: string; fs_relpath: string }>();
    ok(['release-date', 'edam/1.2', '2020-01-01'], root);
    const newer = path.join(temp.root, 'newer');
    mkdirSync(newer);
    writeFileSync(path.join(newer, 'notes.txt'), 'a later release\n');
    ok(['ingest', newer, '--service', 'edam', '--version', '1.3'], root);
    ok(['release-date', 'edam/1.3', '2021-01-01'], root);

    const backup = ok(['backup', '--json'], root).json<{ timestamp: string }>().timestamp;
    const plan = ok(['prune', '--keep-last', '1', '--allow-large', '--json'], root).json<{ plan_id: string }>().plan_id;
    ok(['prune', '--apply', plan], root);
    const archive = path.join(root, recorded.fs_relpath);
    const trashed = path.join(root, '.trash', plan, 'files', recorded.fs_relpath);
    expect(sha256sum(archive)).toBeNull();
    expect(sha256sum(trashed)).toBe(recorded.sha256);

    // The catalog from before the prune lists edam/1.2 and its download again; the trash has its only copy.
    ok(['restore', backup], root);
    const empty = runOntocat(['trash', 'empty'], { root });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain(recorded.fs_relpath);
    expect(sha256sum(trashed)).toBe(recorded.sha256);

    const doctor = ok(['doctor', '--json'], root).json<{ plan_id: string }>();
    ok(['doctor', '--apply', doctor.plan_id], root);
    expect(sha256sum(archive)).toBe(recorded.sha256);
    ok(['trash', 'empty'], root);
    expect(ok(['verify', '--json'], root).json<{ mismatches: unknown[] }>().mismatches).toEqual([]);
    expect(sha256sum(archive)).toBe(recorded.sha256);
  });

  it('refuses to empty the trash while a replaced download holds the only copy of the bytes a restored backup records', async () => {
    const other = path.join(temp.root, 'replaced');
    ok(['init'], other);
    const fetched = await runOntocatAsync(['fetch', `${local.base}/EDAM.gz`, '--service', 'edam', '--version', '1', '--json'], { root: other });
    expect(fetched.code, fetched.stderr).toBe(0);
    const recorded = fetched.json<{ sha256: string; fs_relpath: string }>();
    const backup = ok(['backup', '--json'], other).json<{ timestamp: string }>().timestamp;
    // Fetched again with --replace: the first download goes to a trash entry of kind replace.
    const replaced = await runOntocatAsync(['fetch', `${local.base}/next/EDAM.gz`, '--service', 'edam', '--version', '1', '--replace', '--json'], { root: other });
    expect(replaced.code, replaced.stderr).toBe(0);
    const archive = path.join(other, recorded.fs_relpath);
    expect(sha256sum(archive)).not.toBe(recorded.sha256);
    // The catalog as it was before: it records the first download's bytes, which only the trash holds.
    ok(['restore', backup], other);
    const empty = runOntocat(['trash', 'empty'], { root: other });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain(recorded.fs_relpath);
    const entry = ok(['trash', 'list', '--json'], other).json<{ plan_id: string }[]>()[0]!;
    expect(sha256sum(path.join(other, '.trash', entry.plan_id, 'files', recorded.fs_relpath))).toBe(recorded.sha256);

    // As the refusal says: the other bytes moved aside, the trash entry puts the recorded ones back.
    renameSync(archive, path.join(temp.root, 'aside.gz'));
    ok(['trash', 'restore', entry.plan_id], other);
    expect(sha256sum(archive)).toBe(recorded.sha256);
    expect(ok(['verify', '--json'], other).json<{ mismatches: unknown[] }>().mismatches).toEqual([]);
  });

  it('refuses to empty the trash while a doctor entry holds the only stored copy of content a restored backup records', () => {
    const other = path.join(temp.root, 'doctored');
    const first = path.join(temp.root, 'first');
    const second = path.join(temp.root, 'second');
    mkdirSync(first);
    mkdirSync(second);
    writeFileSync(path.join(first, 'EDAM.obo'), readFileSync(path.join(projectRoot, 'test/fixtures/edam/EDAM_1.0.obo')));
    writeFileSync(path.join(second, 'EDAM.obo'), next);
    ok(['init'], other);
    ok(['ingest', first, '--service', 'edam', '--version', '1'], other);
    const recorded = sha256sum(path.join(first, 'EDAM.obo'))!;
    const backup = ok(['backup', '--json'], other).json<{ timestamp: string }>().timestamp;
    // Replaced by the next release: the first one's store object is unused, and doctor trashes it.
    ok(['ingest', second, '--service', 'edam', '--version', '1', '--replace'], other);
    const tidy = ok(['doctor', '--json'], other).json<{ plan_id: string }>().plan_id;
    ok(['doctor', '--apply', tidy], other);
    const object = `.cas/sha256/${recorded.slice(0, 2)}/${recorded}`;
    expect(sha256sum(path.join(other, '.trash', tidy, 'files', object))).toBe(recorded);

    // The catalog from before the replace records the first release again; only the trash holds its bytes.
    ok(['restore', backup], other);
    const empty = runOntocat(['trash', 'empty'], { root: other });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain(object);
    expect(sha256sum(path.join(other, '.trash', tidy, 'files', object))).toBe(recorded);

    // Doctor puts the content back from the trash; the version's file is the first release again.
    const repair = ok(['doctor', '--json'], other).json<{ plan_id: string }>().plan_id;
    ok(['doctor', '--apply', repair], other);
    expect(sha256sum(path.join(other, 'edam/1/data/EDAM.obo'))).toBe(recorded);
    ok(['trash', 'empty'], other);
    expect(sha256sum(path.join(other, 'edam/1/data/EDAM.obo'))).toBe(recorded);
  });
});
