/**
 * A version's file is a hard link to its content store object, so an edit of it in place
 * (`dd conv=notrunc`, or a cut with `truncate`) changes the object too, and with it every
 * checkout of any version holding that content. `checkout` handed those bytes out as the
 * version's ("Checked out … 6 files"), linked or copied. It now checks each object against
 * its record (size, then mtime; the hash only where the mtime moved) and leaves such files
 * out, naming them, while a mere `touch` changes nothing.
 *
 * References: coreutils dd, truncate, touch and sha256sum; the real package tree is the
 * yaml library's files, as a curator would ingest one.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256sumWalk } from '../../helpers/hash-files.js';
import { projectRoot, runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const EDITED = 'dist/index.js';
const CUT = 'package.json';
const TOUCHED = 'README.md';

function run(command: string, args: readonly string[]): void {
  const done = spawnSync(command, args, { encoding: 'utf8' });
  expect(done.status, `${command} ${args.join(' ')}: ${done.stderr}`).toBe(0);
}

/** The sha256sum walk of `dir` without the lines of `left` (paths relative to it). */
function walkWithout(dir: string, left: readonly string[]): string {
  return sha256sumWalk(dir).split('\n').filter((line) => !left.some((relpath) => line.endsWith(`  ./${relpath}`))).join('\n');
}

describe('checkout of a version whose stored copies were edited through a version file', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let root: string;
  let source: string;
  beforeAll(() => {
    temp = makeTempRoot('ontocat-checkout-edited');
    root = path.join(temp.root, 'root');
    source = path.join(temp.root, 'yaml');
    cpSync(path.join(projectRoot, 'node_modules', 'yaml'), source, { recursive: true, dereference: true });
    const ingested = runOntocat(['ingest', source, '--service', 'yaml', '--version', '2'], { root });
    expect(ingested.code, ingested.stderr).toBe(0);
    const data = path.join(root, 'yaml', '2', 'data');
    // One byte changed in place, size kept; another file cut short; a third only touched.
    run('chmod', ['u+w', path.join(data, EDITED), path.join(data, CUT)]);
    run('dd', ['of=' + path.join(data, EDITED), 'bs=1', 'seek=3', 'count=1', 'conv=notrunc', 'if=/dev/zero']);
    run('truncate', ['-s', '5', path.join(data, CUT)]);
    run('touch', ['-d', '2031-01-01', path.join(data, TOUCHED)]);
  }, 120_000);
  afterAll(() => temp.cleanup());

  for (const copy of [false, true]) {
    it(`${copy ? 'copied' : 'linked'}: leaves out the edited and the cut file, naming them, and checks out the rest as the source holds them`, () => {
      const target = path.join(temp.root, copy ? 'copied' : 'linked');
      const result = runOntocat(['checkout', 'yaml/2', target, ...(copy ? ['--copy'] : [])], { root });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/2 of \d+ files of yaml\/2 were changed on disk since they were stored/);
      expect(result.stderr).toContain(`first: ${EDITED}: its stored copy has the recorded size but other bytes`);
      expect(result.stderr).toMatch(/Run 'ontocat doctor'/);
      expect(existsSync(path.join(target, EDITED))).toBe(false);
      expect(existsSync(path.join(target, CUT))).toBe(false);
      // Everything else, the touched file included, is the source's bytes.
      expect(sha256sumWalk(target)).toBe(walkWithout(source, [EDITED, CUT]));
      expect(readdirSync(target).length).toBeGreaterThan(3);
    }, 60_000);
  }
});
