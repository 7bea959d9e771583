/**
 * `ontocat latest set S/V --preview` shows what the app's Set as latest dialog shows before
 * Confirm (files, bytes, terms, findings, and a warning when latest would go back a
 * release) and writes nothing; `ontocat latest set` that goes back a release says so on
 * stderr, with the way back.
 *
 * Outside truth: Debian's OBO releases, GNU diff -rq and stat for the files and bytes, a line
 * scan of each file's ids, alt_ids and header names for the terms, Python's json for
 * LATEST.json.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LatestPreview } from '../../../electron/cli/latest-preview.js';
import { edamRelease } from '../../helpers/release-server.js';
import { runOntocat, runOntocatAsync } from '../../helpers/run-cli.js';
import { localHttpServer } from '../../helpers/sync-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const OBO_DIR = '/usr/share/EMBOSS/data/OBO';
const hasObo = existsSync(path.join(OBO_DIR, 'so.obo'));
const temp = makeTempRoot('ontocat-latest-preview');
const root = path.join(temp.root, 'root');
const releases = { '2022-01-01': ['ro.obo', 'eco.obo'], '2022-02-01': ['ro.obo', 'so.obo'] } as const;

/** Python's json: the version LATEST.json names, as any other tool reads it. */
function latestJson(): string {
  const run = spawnSync('python3', ['-c', 'import json,sys; print(json.load(open(sys.argv[1]))["version"])', path.join(root, 'obo', 'LATEST.json')], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim();
}

/** A line scan of an OBO file: each stanza's id and alt_ids, and the header's subset and synonym type names. */
function oboNames(file: string): Set<string> {
  const names = new Set<string>();
  let stanza = '';
  for (const line of readFileSync(path.join(OBO_DIR, file), 'utf8').split('\n')) {
    if (line.startsWith('[')) stanza = line.trim();
    const header = /^(?:subsetdef|synonymtypedef): (\S+)/.exec(line);
    if (stanza === '' && header) names.add(header[1]!);
    const id = /^(?:id|alt_id): (\S+)/.exec(line);
    if (id && ['[Term]', '[Typedef]', '[Instance]'].includes(stanza)) names.add(id[1]!);
  }
  return names;
}

function sizeOf(file: string): number {
  const run = spawnSync('stat', ['-c', '%s', path.join(OBO_DIR, file)], { encoding: 'utf8' });
  return Number(run.stdout.trim());
}

beforeAll(() => {
  if (!hasObo) return;
  for (const [version, files] of Object.entries(releases)) {
    const dir = path.join(temp.root, 'src', version);
    mkdirSync(dir, { recursive: true });
    for (const file of files) copyFileSync(path.join(OBO_DIR, file), path.join(dir, file));
    const run = runOntocat(['ingest', dir, '--service', 'obo', '--version', version, ...(version === '2022-01-01' ? ['--set-latest'] : [])], { root });
    expect(run.code, run.stderr).toBe(0);
  }
}, 300_000);
afterAll(() => temp.cleanup());

describe.skipIf(!hasObo)('ontocat latest set --preview', () => {
  it('shows the files, bytes, terms and findings a move of latest changes, and changes nothing', () => {
    const run = runOntocat(['latest', 'set', 'obo/2022-02-01', '--preview', '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
    const preview = run.json<LatestPreview>();
    expect(latestJson()).toBe('2022-01-01');

    // GNU diff: the files only in one release or the other, and none that differ.
    const diff = spawnSync('diff', ['-rq', path.join(temp.root, 'src', '2022-01-01'), path.join(temp.root, 'src', '2022-02-01')], { encoding: 'utf8' });
    const only = (version: string) => diff.stdout.split('\n').filter((line) => line.startsWith(`Only in ${path.join(temp.root, 'src', version)}`)).length;
    expect(diff.stdout).not.toMatch(/^Files .* differ$/m);
    expect(preview.files).toEqual({ added: only('2022-02-01'), removed: only('2022-01-01'), modified: 0, renamed: 0, bytes_added: sizeOf('so.obo'), bytes_removed: sizeOf('eco.obo') });
    expect({ files: preview.target.files, bytes: preview.target.bytes }).toEqual({ files: 2, bytes: sizeOf('ro.obo') + sizeOf('so.obo') });

    // The terms by a line scan: names in the new release's files and not the old's, and back.
    const union = (files: readonly string[]) => new Set(files.flatMap((file) => [...oboNames(file)]));
    const before = union(releases['2022-01-01']);
    const after = union(releases['2022-02-01']);
    expect({ added: preview.terms?.totals.added, removed: preview.terms?.totals.removed })
      .toEqual({ added: [...after].filter((name) => !before.has(name)).length, removed: [...before].filter((name) => !after.has(name)).length });
    expect(preview.older_than_current).toBeNull();
    expect(preview.current).toBe('2022-01-01');

    const human = runOntocat(['latest', 'set', 'obo/2022-02-01', '--preview'], { root });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('The latest obo version is now 2022-01-01. After this change it would be 2022-02-01.');
    expect(human.stdout).toContain(`terms added / removed: +${preview.terms!.totals.added.toLocaleString('en-US')} / −${preview.terms!.totals.removed}`);
    expect(human.stdout).toMatch(/^Nothing was changed\. To apply: ontocat latest set obo\/2022-02-01$/m);
    expect(human.stdout).not.toContain('WARNING');
    expect(latestJson()).toBe('2022-01-01');
    // No move of the pointer was recorded either.
    expect(runOntocat(['latest', 'history', 'obo', '--json'], { root }).json<unknown[]>()).toHaveLength(1);
  });

  it('warns before, and says after, that latest goes back a release by release order', () => {
    const forward = runOntocat(['latest', 'set', 'obo/2022-02-01'], { root });
    expect(forward.code, forward.stderr).toBe(0);
    expect(forward.stderr).toBe('');
    expect(latestJson()).toBe('2022-02-01');

    const preview = runOntocat(['latest', 'set', 'obo/2022-01-01', '--preview'], { root });
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toMatch(/^WARNING: obo\/2022-01-01 is older than 2022-02-01 by release order \(.*\): curators and pipelines following latest would go back a release\.$/m);
    expect(latestJson()).toBe('2022-02-01');

    const back = runOntocat(['latest', 'set', 'obo/2022-01-01', '--json'], { root });
    expect(back.code, back.stderr).toBe(0);
    expect(back.json<{ previous: string; older_than_previous: string | null }>()).toMatchObject({ previous: '2022-02-01', older_than_previous: expect.stringContaining('2022-01-01') });
    expect(back.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^ontocat: warning: obo\/2022-01-01 is older than 2022-02-01 by release order .* went back a release; 'ontocat latest set obo\/2022-02-01' undoes it\.$/),
    ]);
    expect(latestJson()).toBe('2022-01-01');
  });
});

describe.skipIf(!hasObo)('ontocat release-date', () => {
  /** The service's versions in release order, newest first, as `versions` lists them. */
  const order = () => runOntocat(['versions', '--service', 'obo', '--sort', 'release', '--desc', '--json'], { root }).json<{ version: string }[]>().map((v) => v.version);
  const correct = (ref: string, date: string): string => {
    const run = runOntocat(['release-date', ref, date], { root });
    expect(run.code, run.stderr).toBe(0);
    return run.stdout.trimEnd().split('\n')[1]!;
  };

  it('says what a corrected date did to the release order: against the latest, or the move', () => {
    // Left by the tests above: 2022-01-01, the older of the two, is the latest.
    expect({ latest: latestJson(), order: order() }).toEqual({ latest: '2022-01-01', order: ['2022-02-01', '2022-01-01'] });
    expect(correct('obo/2022-01-01', '2022-03-01')).toBe('obo/2022-01-01, the latest, is now the newest release by release order.');
    expect(order()).toEqual(['2022-01-01', '2022-02-01']);
    expect(correct('obo/2022-02-01', '2022-04-01')).toBe('obo/2022-02-01 now comes after the latest (2022-01-01) by release order: it is newer than the latest, which stays until set.');
    expect(correct('obo/2022-02-01', '2022-02-15')).toBe('obo/2022-02-01 now comes before the latest (2022-01-01) by release order.');
    expect(correct('obo/2022-02-01', '2022-02-10')).toBe('Its place in release order is unchanged (the oldest of 2).');
    expect(correct('obo/2022-01-01', '2022-01-05')).toBe('obo/2022-01-01, the latest, is no longer the newest release by release order (now the oldest of 2): pipelines following latest are a release behind.');
    expect({ latest: latestJson(), order: order() }).toEqual({ latest: '2022-01-01', order: ['2022-02-01', '2022-01-01'] });
  });
});

describe('ontocat review approve --preview', () => {
  let body: Buffer = Buffer.alloc(0);
  const local = localHttpServer((_req, res) => { res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' }).end(body); });
  const reviewRoot = path.join(temp.root, 'review-root');
  const candidates = () => runOntocat(['review', 'list', '--state', 'all', '--json'], { root: reviewRoot }).json<{ items: { version: string; state: string }[] }>().items
    .map((candidate) => [candidate.version, candidate.state]);

  it('shows a candidate older than the latest as going back a release, changes nothing, and its approval says so', async () => {
    const file = path.join(temp.root, 'sources.json');
    writeFileSync(file, JSON.stringify({ schema: 'ontocat.sources/2', sources: [{ id: 'edam', service: 'edam', artifacts: [{ type: 'url', url: `${local.base}/EDAM.obo` }] }] }));
    expect(runOntocat(['sources', 'import', file], { root: reviewRoot }).code).toBe(0);
    // A mirror serves 1.2, which is approved, then lags behind with 1.0: a candidate older than the latest.
    for (const release of ['1.2', '1.0']) {
      body = edamRelease(`EDAM_${release}.obo`);
      // Not spawnSync: the server answering it runs in this process.
      const sync = await runOntocatAsync(['sync'], { root: reviewRoot });
      expect(sync.code, sync.stderr).toBe(0);
      if (release === '1.2') expect(runOntocat(['review', 'approve', 'edam/1.2'], { root: reviewRoot }).stderr).toBe('');
    }
    expect(candidates()).toEqual(expect.arrayContaining([['1.2', 'approved'], ['1.0', 'pending']]));

    const preview = runOntocat(['review', 'approve', 'edam/1.0', '--preview'], { root: reviewRoot });
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toMatch(/^WARNING: edam\/1\.0 is older than 1\.2 by release order \(.*\): curators and pipelines following latest would go back a release\.$/m);
    expect(preview.stdout).toMatch(/^Nothing was changed\. To apply: ontocat review approve edam\/1\.0$/m);
    expect(candidates()).toEqual(expect.arrayContaining([['1.0', 'pending']]));
    expect(runOntocat(['latest', 'get', 'edam', '--json'], { root: reviewRoot }).json<{ version: string }>().version).toBe('1.2');

    const approved = runOntocat(['review', 'approve', 'edam/1.0'], { root: reviewRoot });
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stderr).toMatch(/^ontocat: warning: edam\/1\.0 is older than 1\.2 by release order .*'ontocat latest set edam\/1\.2' undoes it\.\n$/);
    expect(candidates()).toEqual(expect.arrayContaining([['1.0', 'approved']]));
  }, 120_000);
});
