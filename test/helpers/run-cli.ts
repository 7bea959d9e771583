import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliBin = path.join(projectRoot, 'bin', 'ontocat.mjs');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  json<T = unknown>(): T;
}

/** Runs the real `ontocat` command in a child process. */
export function runOntocat(args: readonly string[], options: { root?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): CliRun {
  const result = spawnSync(process.execPath, [cliBin, ...args, ...(options.root ? ['--root', options.root] : [])], {
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    input: options.input,
    timeout: options.timeoutMs ?? 120_000,
  });
  return {
    code: result.status ?? -1,
    stdout: result.stdout,
    stderr: result.stderr,
    json<T>() {
      return JSON.parse(result.stdout) as T;
    },
  };
}

/** `runOntocat` for a step that must succeed: any other exit fails the test, with its stderr. */
export function runOntocatOk(args: readonly string[], options: Parameters<typeof runOntocat>[1] = {}): CliRun {
  const run = runOntocat(args, options);
  if (run.code !== 0) throw new Error(`ontocat ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return run;
}

/**
 * Runs the real `ontocat` command without blocking this process, so a server this test
 * runs (HTTP on 127.0.0.1) can answer it.
 */
export function runOntocatAsync(args: readonly string[], options: { root?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliBin, ...args, ...(options.root ? ['--root', options.root] : [])], {
      env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({
      code: code ?? -1, stdout, stderr,
      json<T>() { return JSON.parse(stdout) as T; },
    }));
  });
}

/** The latest version of `service` as `ontocat latest get --json` says (null: none), without blocking this process. */
export async function latestByCli(root: string, service: string): Promise<string | null> {
  const run = await runOntocatAsync(['latest', 'get', service, '--json'], { root });
  if (run.code !== 0) throw new Error(`ontocat latest get ${service} exited ${run.code}: ${run.stderr}`);
  return run.json<{ version: string } | null>()?.version ?? null;
}
