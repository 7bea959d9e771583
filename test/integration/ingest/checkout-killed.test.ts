/**
 * A checkout killed part-way (kill -9, a power cut) leaves its temp files in the folder it
 * was writing: for `--copy`, partial copies of whole releases (51 MB of GO and ChEBI here),
 * hidden by their dot names and outside the root, where doctor never looks. Checking out
 * again must clear them. The reference is the folder itself, read with GNU find and
 * coreutils' sha256sum, against the source release files.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

/** Real OBO releases shipped by Debian's emboss-data, not written here. */
const OBO_DIR = '/usr/share/EMBOSS/data/OBO';

let temp: ReturnType<typeof makeTempRoot>;
let root: string;
let source: string;
let out: string;

/** GNU find: every file under `dir`, as relpaths. */
function files(dir: string): string[] {
  const run = spawnSync('find', [dir, '-type', 'f', '-printf', '%P\\n'], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.split('\n').filter(Boolean).sort();
}

/** coreutils: `sha256sum` of the named files of `dir`. */
function hashes(dir: string, names: readonly string[]): string {
  const run = spawnSync('sha256sum', names, { cwd: dir, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

beforeEach(() => {
  temp = makeTempRoot('ontocat-checkout-killed');
  root = path.join(temp.root, 'root');
  source = path.join(temp.root, 'release');
  out = path.join(temp.root, 'out');
  mkdirSync(source);
  for (const name of ['eco.obo', 'ro.obo', 'so.obo']) copyFileSync(path.join(OBO_DIR, name), path.join(source, name));
  const ingested = runOntocat(['ingest', source, '--service', 'obo', '--version', '1'], { root });
  expect(ingested.code, ingested.stderr).toBe(0);
});
afterEach(() => temp.cleanup());

describe('a checkout killed part-way', () => {
  for (const copy of [true, false]) {
    it(`leaves no temp file once checked out again${copy ? ' (--copy)' : ''}, and nothing of the curator's is touched`, () => {
      mkdirSync(out);
      // A curator's own files, one even ending like a temp name: not Ontocat's pattern, so kept.
      writeFileSync(path.join(out, 'notes.ontocat-tmp'), 'mine');
      writeFileSync(path.join(out, '.eco.obo.bak'), 'mine too');
      const args = ['checkout', 'obo/1', out, ...(copy ? ['--copy'] : [])];
      const killed = runOntocat(args, { root, env: { ONTOCAT_CRASH_AT: 'checkout.before-publish' } });
      expect(killed.code, killed.stderr).toBe(-1);
      const left = files(out).filter((name) => name.endsWith('.ontocat-tmp') && name !== 'notes.ontocat-tmp');
      expect(left.length).toBeGreaterThan(0);

      const again = runOntocat(args, { root });
      expect(again.code, again.stderr).toBe(0);
      expect(files(out)).toEqual(['.eco.obo.bak', 'eco.obo', 'notes.ontocat-tmp', 'ro.obo', 'so.obo']);
      const names = ['eco.obo', 'ro.obo', 'so.obo'];
      expect(hashes(out, names)).toBe(hashes(source, names));
    });
  }
});

describe('a checkout killed part-way on a long name of multi-byte characters', () => {
  it('has its cut temp name cleared by the next checkout (--copy)', () => {
    // 85 three-byte characters: 255 bytes, as long as a Linux name can be; its temp name is cut to fit.
    const name = '語'.repeat(85);
    const single = path.join(temp.root, 'long');
    mkdirSync(single);
    copyFileSync(path.join(OBO_DIR, 'ro.obo'), path.join(single, name));
    const ingested = runOntocat(['ingest', single, '--service', 'long', '--version', '1'], { root });
    expect(ingested.code, ingested.stderr).toBe(0);
    const args = ['checkout', 'long/1', out, '--copy'];
    const killed = runOntocat(args, { root, env: { ONTOCAT_CRASH_AT: 'checkout.before-publish' } });
    expect(killed.code, killed.stderr).toBe(-1);
    expect(files(out).filter((left) => left.endsWith('.ontocat-tmp'))).toHaveLength(1);

    const again = runOntocat(args, { root });
    expect(again.code, again.stderr).toBe(0);
    expect(files(out)).toEqual([name]);
    expect(hashes(out, [name]).slice(0, 64)).toBe(hashes(OBO_DIR, ['ro.obo']).slice(0, 64));
  });
});
