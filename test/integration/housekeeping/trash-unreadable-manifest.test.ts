/**
 * One trash entry whose manifest.json cannot be read (cut short or edited by hand) must not
 * take the rest of the trash, or doctor, down with it; and nothing of it may be deleted
 * while its files are not known.
 *
 * Before, `trash list`, `trash empty` and `doctor` all stopped at it ("The trash manifest of
 * … is unreadable"), so the other entries could not be listed or emptied and doctor checked
 * nothing at all. Checked with GNU find (the entry's files still on disk), coreutils
 * sha256sum (a restored version equals its source) and Python's json (the manifest really
 * is unreadable, not something Ontocat alone refuses).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256sumWalk } from '../../helpers/hash-files.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let temp: ReturnType<typeof makeTempRoot>;
let root: string;
const sources: Record<string, string> = {};
let damaged: string;
let readable: string;

function filesUnder(dir: string): string[] {
  const run = spawnSync('find', ['.', '-type', 'f'], { cwd: dir, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.split('\n').filter(Boolean).sort();
}

function pruneOne(service: string): string {
  const plan = runOntocat(['prune', '--keep-last', '1', '--service', service, '--allow-large', '--json'], { root });
  expect(plan.code, plan.stderr).toBe(0);
  const id = plan.json<{ plan_id: string }>().plan_id;
  const applied = runOntocat(['prune', '--apply', id], { root });
  expect(applied.code, applied.stderr).toBe(0);
  return id;
}

beforeAll(() => {
  temp = makeTempRoot('ontocat-trash-unreadable');
  root = path.join(temp.root, 'catalog');
  for (const service of ['a', 'b']) {
    for (const version of ['1', '2']) {
      const dir = path.join(temp.root, 'src', service, version);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'terms.txt'), `${service} release ${version}\n`);
      writeFileSync(path.join(dir, 'notes.txt'), `notes of ${service} ${version}\n`);
      sources[`${service}/${version}`] = dir;
      const ingest = runOntocat(['ingest', dir, '--service', service, '--version', version], { root });
      expect(ingest.code, ingest.stderr).toBe(0);
    }
  }
  damaged = pruneOne('a');
  readable = pruneOne('b');
  const manifest = path.join(root, '.trash', damaged, 'manifest.json');
  const text = readFileSync(manifest, 'utf8');
  writeFileSync(manifest, text.slice(0, Math.floor(text.length / 2)));
  const python = spawnSync('python3', ['-c', 'import json,sys; json.load(open(sys.argv[1]))', manifest], { encoding: 'utf8' });
  expect(python.status).not.toBe(0);
}, 120_000);

afterAll(() => temp.cleanup());

describe('a trash entry whose manifest cannot be read', () => {
  it('is listed as such beside the others, which stay usable', () => {
    const list = runOntocat(['trash', 'list', '--json'], { root });
    expect(list.code, list.stderr).toBe(0);
    const rows = list.json<{ plan_id: string; status: string; problem?: string; files: number }[]>();
    expect(rows.map((row) => `${row.plan_id} ${row.status}`).sort()).toEqual([`${damaged} unreadable_manifest`, `${readable} trashed`].sort());
    expect(rows.find((row) => row.plan_id === damaged)!.problem).toMatch(/manifest of .* is unreadable/);
    expect(rows.find((row) => row.plan_id === readable)!.files).toBeGreaterThan(0);
  });

  it('is a finding of doctor, which still checks the rest of the root', () => {
    const plan = runOntocat(['doctor', '--json'], { root });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.json<{ findings: { kind: string; fix: string; path: string }[] }>().findings.map((item) => `${item.kind}/${item.fix} ${item.path}`))
      .toEqual([`trash_unreadable/leave .trash/${damaged}`]);
  });

  it('is never emptied or restored, while the readable entry is restored whole', () => {
    const before = filesUnder(path.join(root, '.trash', damaged));
    expect(before.length).toBeGreaterThan(1);
    const one = runOntocat(['trash', 'empty', '--plan', damaged], { root });
    expect(one.code).toBe(1);
    expect(one.stderr).toMatch(/unreadable.*Nothing was deleted\./);
    expect(runOntocat(['trash', 'restore', damaged], { root }).code).toBe(1);

    const restored = runOntocat(['trash', 'restore', readable], { root });
    expect(restored.code, restored.stderr).toBe(0);
    expect(sha256sumWalk(path.join(root, 'b', '1', 'data'))).toBe(sha256sumWalk(sources['b/1']!));

    const all = runOntocat(['trash', 'empty'], { root });
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(new RegExp(`Left ${damaged}: its manifest cannot be read`));
    expect(filesUnder(path.join(root, '.trash', damaged))).toEqual(before);
  }, 60_000);
});
