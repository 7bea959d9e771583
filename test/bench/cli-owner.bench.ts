// `ontocat info` run directly (the CLI opens the catalog itself) and through a running
// `ontocat serve` that owns the root (the CLI is a client of its local endpoint). Issue
// 13's target: under 100 ms through a running app. Two views: the whole command as a user
// runs it (a new node process on bin/ontocat.mjs, which runs the esbuild bundle), and the
// command alone inside one process (the bundle loaded once), which isolates the cost of
// opening DuckDB from the cost of one round trip on the socket.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';
import { cliBin, projectRoot } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { startServe } from '../helpers/web-host.js';
import { fmt, percentile, printTable, timeRuns } from './bench-utils.js';

type RunCli = (argv: readonly string[], io: { stdout: (t: string) => void; stderr: (t: string) => void; env: NodeJS.ProcessEnv }) => Promise<number>;

function row(label: string, times: readonly number[]): Record<string, string | number> {
  return { run: label, n: times.length, p50_ms: fmt(percentile(times, 50)), p95_ms: fmt(percentile(times, 95)), min_ms: fmt(Math.min(...times)) };
}

export async function main(): Promise<void> {
  const temp = makeTempRoot('ontocat-bench-owner');
  const root = temp.root;
  const processRun = (): void => {
    const result = spawnSync(process.execPath, [cliBin, 'info', '--json', '--root', root], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(result.stderr);
  };
  const io = { stdout: () => undefined, stderr: () => undefined, env: process.env };
  // The bundle bin/ontocat.mjs runs, loaded once the first spawned command has (re)built it.
  const runCli = (): RunCli => (createRequire(import.meta.url)(path.join(projectRoot, 'dist', 'cli', 'main.cjs')) as { runCli: RunCli }).runCli;
  const inProcess = async (): Promise<void> => {
    if (await runCli()(['info', '--json', '--root', root], io) !== 0) throw new Error('info failed');
  };
  try {
    // Make the catalog (and rebuild a stale bundle) outside the timings.
    if (spawnSync(process.execPath, [cliBin, 'init', '--root', root]).status !== 0) throw new Error('init failed');
    const rows = [row('process, direct', await timeRuns(processRun, 10, 1)), row('in-process, direct', await timeRuns(inProcess, 20, 2))];
    const serve = await startServe(root);
    try {
      rows.push(row('process, via serve', await timeRuns(processRun, 10, 1)), row('in-process, via serve', await timeRuns(inProcess, 20, 2)));
    } finally {
      await serve.stop();
    }
    printTable(rows);
  } finally {
    temp.cleanup();
  }
}
