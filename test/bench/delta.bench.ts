// File-level delta between two generated versions (200,000 files each at scale 1, ~5%
// churn), against `diff -rq` over the same two trees on disk, measured in the same run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { computeDelta, deltaTree } from '../../electron/catalog/delta-queries.js';
import { openCatalog } from '../../electron/catalog/open-catalog.js';
import { replaceVersionFiles, upsertVersion } from '../../electron/catalog/write-records.js';
import { percentile, scaled, timeRuns } from './bench-utils.js';
import { generatePair, writeTree, type GeneratedPair } from './delta-data.js';

// Release-like names: the delta looks for files named by their version (EDAM_1.1.obo ->
// EDAM_1.2.obo) in every pair whose names hold a digit, so the bench pays that search.
const VERSION_A = '2024.1';
const VERSION_B = '2024.2';

/** Median of `runs` timed calls of `task` (no warm-up: the callers decide what is warm). */
async function timed(runs: number, task: () => Promise<unknown> | unknown): Promise<number> {
  return percentile(await timeRuns(task, runs, 0), 50);
}

/**
 * Generates the pair, records it in a catalog under `root/store` and writes both trees, then
 * flushes the writes to disk so that neither the generated objects (garbage by then) nor
 * the kernel's writeback of 400,000 new files overlap the timings. Returns the expected counts.
 */
async function prepare(count: number, root: string): Promise<GeneratedPair['expected']> {
  let started = performance.now();
  const pair = generatePair(count);
  console.log(`generated 2 x ${count} files (${JSON.stringify(pair.expected)}) in ${(performance.now() - started).toFixed(0)} ms`);

  const writer = await openCatalog({ root: path.join(root, 'store') });
  started = performance.now();
  for (const [version, files] of [[VERSION_A, pair.a], [VERSION_B, pair.b]] as const) {
    await writer.write(async (tx) => {
      await upsertVersion(tx, { service: 'bench', version });
      await replaceVersionFiles(tx, { service: 'bench', version }, files);
    });
  }
  await writer.close();
  console.log(`recorded both versions in ${(performance.now() - started).toFixed(0)} ms`);

  started = performance.now();
  writeTree(path.join(root, 'a'), pair.a);
  writeTree(path.join(root, 'b'), pair.b);
  spawnSync('sync');
  console.log(`wrote both trees in ${(performance.now() - started).toFixed(0)} ms`);
  return pair.expected;
}

export async function main(): Promise<void> {
  const count = scaled(200_000, 1000);
  const root = mkdtempSync(path.join(tmpdir(), 'ontocat-bench-delta-'));
  try {
    const expected = await prepare(count, root);

    const store = path.join(root, 'store');
    // First calls: each of `opens` fresh opens of the catalog runs each query once, so the
    // first computeDelta pays for everything (reading the columns, the join, the rename
    // pairing); no delta result is cached anywhere. The median of the opens damps a busy machine.
    const a = { service: 'bench', version: VERSION_A };
    const b = { service: 'bench', version: VERSION_B };
    const opens = 3;
    const first = { delta: [] as number[], root: [] as number[], sub: [] as number[] };
    for (let i = 0; i < opens; i += 1) {
      const fresh = await openCatalog({ root: store });
      let check: Awaited<ReturnType<typeof computeDelta>> | undefined;
      first.delta.push(await timed(1, async () => { check = await fresh.read((conn) => computeDelta(conn, a, b)); }));
      first.root.push(await timed(1, () => fresh.read((conn) => deltaTree(conn, a, b))));
      first.sub.push(await timed(1, () => fresh.read((conn) => deltaTree(conn, a, b, { dir: 'part0' }))));
      await fresh.close();
      const s = check!.summary;
      const got = { added: s.added.count, removed: s.removed.count, modified: s.modified.count, renamed: s.renamed.count, unchanged: s.unchanged.count };
      if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`delta disagrees with the generator: ${JSON.stringify(got)}`);
    }
    const [firstDeltaMs, firstRootMs, firstSubMs] = [percentile(first.delta, 50), percentile(first.root, 50), percentile(first.sub, 50)];

    const catalog = await openCatalog({ root: store });
    const runs = 7;
    const deltaMs = await timed(runs, () => catalog.read((conn) => computeDelta(conn, a, b)));
    const treeRootMs = await timed(runs, () => catalog.read((conn) => deltaTree(conn, a, b)));
    const treeSubMs = await timed(runs, () => catalog.read((conn) => deltaTree(conn, a, b, { dir: 'part0' })));
    const diffMs = await timed(3, () => {
      const result = spawnSync('diff', ['-rq', path.join(root, 'a'), path.join(root, 'b')], { stdio: 'ignore' });
      if (result.status !== 1) throw new Error(`diff -rq exited ${result.status}`);
    });
    await catalog.close();

    const line = (label: string, ms: number, extra = ''): void => console.log(`${label.padEnd(34)} ${ms.toFixed(1).padStart(9)} ms${extra}`);
    const ratio = (ms: number): string => `   delta is ${(diffMs / ms).toFixed(1)}x faster (target >= 20x: ${diffMs / ms >= 20 ? 'met' : 'MISSED'})`;
    const under = (ms: number, target: number): string => `   target < ${target} ms: ${ms < target ? 'met' : 'MISSED'}`;
    console.log(`\np50 over ${runs} runs (diff -rq: 3 runs), ${count} files per version:`);
    line('computeDelta (summary + page)', deltaMs, under(deltaMs, 200));
    line('diff -rq on the two trees', diffMs, ratio(deltaMs));
    line('deltaTree at the root', treeRootMs, under(treeRootMs, 100));
    line('deltaTree one folder down', treeSubMs, under(treeSubMs, 100));
    console.log(`\nfirst calls after opening the catalog (computeDelta, then the tree, as the delta view asks; p50 over ${opens} fresh opens; no warm-up, no result cache):`);
    line('computeDelta (summary + page)', firstDeltaMs, `${under(firstDeltaMs, 200)};${ratio(firstDeltaMs).replace('   delta', ' delta')}`);
    line('deltaTree at the root', firstRootMs, under(firstRootMs, 100));
    line('deltaTree one folder down', firstSubMs, under(firstSubMs, 100));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
