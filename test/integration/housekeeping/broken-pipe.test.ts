import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliBin, runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

// `ontocat doctor --json | head -1`: the reader closes before the CLI has written; the
// CLI printed an unhandled EPIPE stack trace and exited 1.

let root: string;
let cleanup: () => void;

beforeEach(() => {
  ({ root, cleanup } = makeTempRoot('ontocat-epipe'));
  const init = runOntocat(['init'], { root });
  expect(init.code, init.stderr).toBe(0);
});
afterEach(() => cleanup());

/** Runs the real CLI with its stdout read end closed at once, like `| head -0`. */
function runIntoClosedPipe(args: readonly string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliBin, ...args, '--root', root], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('a reader that closes early', () => {
  for (const args of [['doctor', '--json'], ['versions', '--json'], ['--help']]) {
    it(`ontocat ${args.join(' ')} exits quietly, without a stack trace`, async () => {
      const run = await runIntoClosedPipe(args);
      expect(run.stderr).not.toMatch(/EPIPE|Unhandled|at .*\.cjs/);
      expect(run.stderr).toBe('');
      expect(run.signal).toBeNull();
      expect(run.code).toBe(0);
    }, 60_000);
  }

  it('the doctor run still finishes: its plan is stored for the next reader', async () => {
    expect((await runIntoClosedPipe(['doctor', '--json'])).code).toBe(0);
    expect(readdirSync(path.join(root, '.ontocat-plans')).filter((name) => name.startsWith('doctor-'))).toHaveLength(1);
    // And the catalog was closed cleanly: the next command needs no lock recovery.
    expect(existsSync(path.join(root, '.ontocat.lock'))).toBe(false);
  }, 60_000);
});
