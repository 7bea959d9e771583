// The real `ontocat` CLI as a child process, run to the end or killed with SIGKILL.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'ontocat.mjs');

export interface ChildRun {
  readonly code: number | null;
  readonly killed: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `ontocat ARGS --root ROOT`; with `killAfterMs`, sends SIGKILL after that long if it still runs. */
export function runChild(root: string, args: readonly string[], killAfterMs?: number): Promise<ChildRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args, '--root', root], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const timer = killAfterMs === undefined ? null : setTimeout(() => { killed = child.kill('SIGKILL'); }, killAfterMs);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, killed: killed && code === null, stdout, stderr });
    });
  });
}

/** Whether a run's output shows DuckDB giving up (the thing a recovery tool must never do). */
export function sawFatal(run: ChildRun): boolean {
  return /FATAL|database has been invalidated/i.test(run.stderr + run.stdout);
}
