// File-level delta between two generated versions (200,000 files each at scale 1, ~5%
// churn), against `diff -rq` over the same two trees on disk, measured in the same run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { computeDelta, deltaTree } from '../../electron/catalog/delta-queries.js';
import { openCatalog } from '../../electron/catalog/open-catalog.js';
import { replaceVersionFiles, upsertVersion } from '../../electron/catalog/write-records.js';
import { generatePair, writeTree } from './delta-data.js';

const scale = Number(process.env.ONTOCAT_BENCH_SCALE ?? '1');

function p50(times: number[]): number {
  const sorted = [...times].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(runs: number, task: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await task();
    times.push(performance.now() - started);
  }
  return p50(times);
}

export async function main(): Promise<void> {
  const count = Math.max(1000, Math.round(200_000 * scale));
  const root = mkdtempSync(path.join(tmpdir(), 'ontocat-bench-delta-'));
  try {
    let started = performance.now();
    const pair = generatePair(count);
    console.log(`generated 2 x ${count} files (${JSON.stringify(pair.expected)}) in ${(performance.now() - started).toFixed(0)} ms`);

    const catalog = await openCatalog({ root: path.join(root, 'store') });
    started = performance.now();
    for (const [version, files] of [['a', pair.a], ['b', pair.b]] as const) {
      await catalog.write(async (tx) => {
        await upsertVersion(tx, { service: 'bench', version });
        await replaceVersionFiles(tx, { service: 'bench', version }, files);
      });
    }
    console.log(`recorded both versions in ${(performance.now() - started).toFixed(0)} ms`);

    started = performance.now();
    writeTree(path.join(root, 'a'), pair.a);
    writeTree(path.join(root, 'b'), pair.b);
    console.log(`wrote both trees in ${(performance.now() - started).toFixed(0)} ms`);

    const a = { service: 'bench', version: 'a' };
    const b = { service: 'bench', version: 'b' };
    const check = await catalog.read((conn) => computeDelta(conn, a, b));
    const s = check.summary;
    const got = { added: s.added.count, removed: s.removed.count, modified: s.modified.count, renamed: s.renamed.count, unchanged: s.unchanged.count };
    if (JSON.stringify(got) !== JSON.stringify(pair.expected)) throw new Error(`delta disagrees with the generator: ${JSON.stringify(got)}`);

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
    console.log(`\np50 over ${runs} runs (diff -rq: 3 runs), ${count} files per version:`);
    line('computeDelta (summary + page)', deltaMs, `   target < 200 ms: ${deltaMs < 200 ? 'met' : 'MISSED'}`);
    line('diff -rq on the two trees', diffMs, `   delta is ${(diffMs / deltaMs).toFixed(1)}x faster (target >= 20x: ${diffMs / deltaMs >= 20 ? 'met' : 'MISSED'})`);
    line('deltaTree at the root', treeRootMs, `   target < 100 ms: ${treeRootMs < 100 ? 'met' : 'MISSED'}`);
    line('deltaTree one folder down', treeSubMs, `   target < 100 ms: ${treeSubMs < 100 ? 'met' : 'MISSED'}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
