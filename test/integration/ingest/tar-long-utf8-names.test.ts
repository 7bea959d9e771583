/**
 * A tar entry whose name is longer than the header's 100-byte name field comes with its
 * whole name in a GNU long-name record or a pax `path` record. Ingest decoded the cut name
 * field too, and a non-ASCII name cut there ends mid-character: any such archive (41 CJK
 * characters in a name are enough) was refused as "not UTF-8 text", naming bytes that were.
 * The reference is GNU tar, which writes these archives (--format=gnu and --format=posix),
 * and coreutils' sha256sum walk of the source against the version checked out.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { sha256sumWalk } from '../../helpers/hash-files.js';

const hasGnuTar = /GNU tar/.test(spawnSync('tar', ['--version'], { encoding: 'utf8' }).stdout ?? '');
if (!hasGnuTar) console.warn('tar-long-utf8-names: skipped, GNU tar is not installed here (Debian tar)');


describe.skipIf(!hasGnuTar)('tar: long UTF-8 names from GNU long-name and pax records', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let root: string;
  let source: string;
  beforeAll(() => {
    temp = makeTempRoot('ontocat-tar-long-utf8');
    root = path.join(temp.root, 'root');
    source = path.join(temp.root, 'source');
    const names = [
      '日'.repeat(41), // 123 bytes: the name field cuts the 34th character
      '日'.repeat(85), // 255 bytes
      `${'é'.repeat(60)}/${'ü'.repeat(60)}.obo`, // a long folder and name, two bytes each
      'short.txt',
    ];
    for (const [i, name] of names.entries()) {
      mkdirSync(path.join(source, path.dirname(name)), { recursive: true });
      writeFileSync(path.join(source, name), `file ${i}\n`);
    }
  });
  afterAll(() => temp.cleanup());

  for (const format of ['gnu', 'posix'] as const) {
    it(`--format=${format}: ingested and checked out, the files are the source's`, () => {
      const archive = path.join(temp.root, `names-${format}.tar`);
      const packed = spawnSync('tar', [`--format=${format}`, '-C', source, '-cf', archive, '.'], { encoding: 'utf8' });
      expect(packed.status, packed.stderr).toBe(0);
      const ingested = runOntocat(['ingest', archive, '--service', 'names', '--version', format], { root });
      expect(ingested.code, ingested.stderr).toBe(0);
      const dest = path.join(temp.root, `out-${format}`);
      const run = runOntocat(['checkout', `names/${format}`, dest], { root });
      expect(run.code, run.stderr).toBe(0);
      expect(sha256sumWalk(dest)).toBe(sha256sumWalk(source));
    }, 120_000);
  }
});
