/**
 * "Space is freed only when the trash is emptied: N then" is what a curator quotes before
 * pruning. It was the size of the content objects only pruned versions use, whatever else
 * holds them: after `ontocat checkout` (hard links to the store, the default) of a version
 * about to be pruned, emptying its trash frees nothing, yet the plan said EDAM 1.1's size.
 * The reference is the disk: every inode GNU find lists under the root and the checkout
 * folder before the prune, and which of them are gone once its trash is emptied.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestEdamReleases } from '../../helpers/edam-releases.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

/** inode → size of every regular file under `dirs`, as GNU find lists them; the catalog's own files left out. */
function inodes(dirs: readonly string[]): Map<string, number> {
  const run = spawnSync('find', [...dirs, '-type', 'f', '!', '-name', 'catalog.duckdb*', '-printf', '%i %s\\n'], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return new Map(run.stdout.trim().split('\n').filter(Boolean).map((line) => line.split(' ') as [string, string]).map(([ino, size]) => [ino, Number(size)]));
}

/** Bytes of the files among `before` that no longer exist in `after`. */
function gone(before: Map<string, number>, after: Map<string, number>): number {
  let bytes = 0;
  for (const [ino, size] of before) if (!after.has(ino)) bytes += size;
  return bytes;
}

describe('prune: the space a plan says emptying frees is the space the disk gets back', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let root: string;
  beforeEach(() => {
    temp = makeTempRoot('ontocat-prune-freed');
    root = path.join(temp.root, 'root');
    ingestEdamReleases(temp.root, root, ['1.1', '1.2']);
  }, 120_000);
  afterEach(() => temp.cleanup());

  /** Plans keep-last 1 (EDAM 1.1 goes), applies it, empties the trash; returns what the plan said and what went. */
  function pruneAndEmpty(watched: readonly string[]): { said: number; entry: number; freed: number; emptied: number } {
    const plan = runOntocat(['prune', '--keep-last', '1', '--allow-large', '--json'], { root });
    expect(plan.code, plan.stderr).toBe(0);
    const body = plan.json<{ plan_id: string; reclaimed_bytes: number; removals: { version: string }[] }>();
    expect(body.removals.map((row) => row.version)).toEqual(['1.1']);
    const before = inodes(watched);
    expect(runOntocat(['prune', '--apply', body.plan_id], { root }).code).toBe(0);
    const entry = runOntocat(['trash', 'list', '--json'], { root }).json<{ plan_id: string; freed_bytes: number }[]>().find((item) => item.plan_id === body.plan_id);
    const emptied = runOntocat(['trash', 'empty', '--plan', body.plan_id, '--json'], { root });
    expect(emptied.code, emptied.stderr).toBe(0);
    return { said: body.reclaimed_bytes, entry: entry!.freed_bytes, freed: gone(before, inodes(watched)), emptied: emptied.json<{ freed_bytes: number }>().freed_bytes };
  }

  it('says 0 when a linked checkout still holds the pruned version\'s files', () => {
    const checkout = path.join(temp.root, 'checkout-1.1');
    expect(runOntocat(['checkout', 'edam/1.1', checkout], { root }).code).toBe(0);
    const result = pruneAndEmpty([root, checkout]);
    expect(result.freed).toBe(0);
    expect(result).toEqual({ said: result.freed, entry: result.freed, freed: result.freed, emptied: result.freed });
  }, 120_000);

  it('says the pruned release\'s size when nothing else holds it', () => {
    const result = pruneAndEmpty([root]);
    expect(result.freed).toBeGreaterThan(1_000_000);
    expect(result).toEqual({ said: result.freed, entry: result.freed, freed: result.freed, emptied: result.freed });
  }, 120_000);
});
