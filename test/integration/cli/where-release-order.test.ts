/**
 * `ontocat where SHA256` (and the file panel's "Same content elsewhere", the same channel)
 * lists the versions holding a content in release order, as every list does (DESIGN.md):
 * releases brought in newest first (a backfill) were listed in ingest order.
 *
 * Outside truth: coreutils' sha256sum names the content; GNU sort -V orders the undated
 * versions' names.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runOntocat } from '../../helpers/run-cli.js';
import { sha256sumOf } from '../../helpers/sync-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const RO = '/usr/share/EMBOSS/data/OBO/ro.obo';
const temp = makeTempRoot('ontocat-where-order');
const root = path.join(temp.root, 'root');
afterAll(() => temp.cleanup());

describe.runIf(existsSync(RO))('where: versions holding a content', () => {
  it('are listed in release order, not in the order they were ingested', () => {
    // A backfill: the newest release first, then the older ones (no release dates: the names decide).
    const ingested = ['1.10', '1.9', '1.2'];
    for (const version of ingested) {
      const dir = path.join(temp.root, 'src', version);
      mkdirSync(dir, { recursive: true });
      copyFileSync(RO, path.join(dir, 'ro.obo'));
      const run = runOntocat(['ingest', dir, '--service', 'ro', '--version', version], { root });
      expect(run.code, run.stderr).toBe(0);
    }
    const byName = spawnSync('sort', ['-V'], { input: `${ingested.join('\n')}\n`, encoding: 'utf8' }).stdout.trim().split('\n');
    expect(byName).toEqual(['1.2', '1.9', '1.10']);
    const releaseOrder = runOntocat(['versions', '--service', 'ro', '--sort', 'release', '--json'], { root }).json<{ version: string }[]>()
      .map((v) => v.version);
    expect(releaseOrder).toEqual(byName);

    const where = runOntocat(['where', sha256sumOf(RO), '--json'], { root });
    expect(where.code, where.stderr).toBe(0);
    expect(where.json<{ files: { version: string; relpath: string }[] }>().files.map((f) => `${f.version}/${f.relpath}`))
      .toEqual(releaseOrder.map((version) => `${version}/ro.obo`));
    const table = runOntocat(['where', sha256sumOf(RO)], { root }).stdout.split('\n').filter((line) => line.startsWith('ro/')).map((line) => line.split(/\s+/)[0]);
    expect(table).toEqual(releaseOrder.map((version) => `ro/${version}`));
  });
});
