/**
 * A file name may be 255 bytes (Linux's NAME_MAX, the limit ingest enforces). Ingest took
 * such names, but checkout wrote each file under a temp name beside it (`.<name>.<12 hex>
 * .ontocat-tmp`, 26 bytes longer) and failed with ENAMETOOLONG, so the version could not be
 * checked out, and doctor could not put such a file back. The reference is coreutils'
 * sha256sum over the source tree and the checkout (`find -print0 | sort -z | xargs -0`).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { sha256sumWalk } from '../../helpers/hash-files.js';


describe('names of 255 bytes check out and come back', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let root: string;
  let source: string;
  const names = [
    '日'.repeat(85), // 255 bytes of UTF-8
    `${'x'.repeat(251)}.ttl`,
    `deep/${'é'.repeat(127)}.`.slice(0, -1) + 'o', // 255 bytes in a subfolder
  ];
  beforeAll(() => {
    temp = makeTempRoot('ontocat-long-names');
    root = path.join(temp.root, 'root');
    source = path.join(temp.root, 'source');
    for (const [i, name] of names.entries()) {
      expect(Buffer.byteLength(path.basename(name))).toBe(255);
      mkdirSync(path.join(source, path.dirname(name)), { recursive: true });
      writeFileSync(path.join(source, name), `file ${i}\n`);
    }
    writeFileSync(path.join(source, 'short.txt'), 'short\n');
    const ingested = runOntocat(['ingest', source, '--service', 'long', '--version', '1'], { root });
    expect(ingested.code, ingested.stderr).toBe(0);
  }, 120_000);
  afterAll(() => temp.cleanup());

  it('a linked and a --copy checkout hold the source\'s files', () => {
    const want = sha256sumWalk(source);
    expect(want.split('\n').filter(Boolean)).toHaveLength(4);
    for (const extra of [[], ['--copy']]) {
      const dest = path.join(temp.root, `out${extra.join('')}`);
      const run = runOntocat(['checkout', 'long/1', dest, ...extra], { root });
      expect(run.code, run.stderr).toBe(0);
      expect(sha256sumWalk(dest)).toBe(want);
    }
  });

  it('doctor puts a deleted one back from the content store', () => {
    rmSync(path.join(root, 'long', '1', 'data', names[0]!));
    const plan = runOntocat(['doctor', '--json'], { root });
    expect(plan.code, plan.stderr).toBe(0);
    const applied = runOntocat(['doctor', '--apply', plan.json<{ plan_id: string }>().plan_id], { root });
    expect(applied.code, applied.stderr).toBe(0);
    expect(sha256sumWalk(path.join(root, 'long', '1', 'data'))).toBe(sha256sumWalk(source));
  });
});
