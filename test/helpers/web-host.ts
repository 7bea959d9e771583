/**
 * The real web host for the UI end-to-end test and benchmark: builds the renderer when
 * stale, starts `ontocat serve --json` as a child process and stops it again.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { cliBin, projectRoot } from './run-cli.js';

export const RENDERER_DIR = path.join(projectRoot, 'dist', 'renderer');

/** Newest modification time below `dir` (files only). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the renderer only when its sources (or the shared contract) are newer than dist/renderer. */
export function ensureRendererBuilt(): void {
  let built = 0;
  try { built = statSync(path.join(RENDERER_DIR, 'index.html')).mtimeMs; } catch { /* not built yet */ }
  const sources = Math.max(newestMtime(path.join(projectRoot, 'renderer')), newestMtime(path.join(projectRoot, 'electron', 'shared')));
  if (built > sources) return;
  console.log('building the renderer (dist/renderer is missing or stale)…');
  // Under vitest NODE_ENV is 'test', and Vite would then bundle React's development build:
  // the test and the benchmark must see the bundle users get.
  const build = spawnSync(process.execPath, [path.join(projectRoot, 'scripts', 'build-renderer.mjs')], {
    cwd: projectRoot, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' },
  });
  if (build.status !== 0) throw new Error(`Renderer build failed:\n${build.stdout}\n${build.stderr}`);
}

export interface RunningServe {
  readonly child: ChildProcess;
  /** The printed URL, token included. */
  readonly url: string;
  /** `http://host:port`. */
  readonly origin: string;
  /** The storage root it owns, as it printed it, and its local endpoint (a Unix socket). */
  readonly root: string;
  readonly endpoint: string;
  readonly token: string;
  stop(): Promise<void>;
}

/**
 * Starts `ontocat serve --root ROOT --port 0 --json` and resolves once it printed its URL.
 * `port: 'default'` leaves `--port` out (serve then reuses the root's last port); `env` adds to its environment.
 */
export async function startServe(root: string, options: { port?: number | 'default'; env?: Readonly<Record<string, string>> } = {}): Promise<RunningServe> {
  const portArgs = options.port === 'default' ? [] : ['--port', String(options.port ?? 0)];
  const child = spawn(process.execPath, [cliBin, 'serve', '--root', root, ...portArgs, '--json'], {
    cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'], ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const lines = createInterface({ input: child.stdout! });
  const started = await new Promise<{ url: string; origin: string; root: string; endpoint: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ontocat serve printed no URL within 60 s:\n${stderr}`)), 60_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`ontocat serve exited with ${code}:\n${stderr}`)); });
    lines.once('line', (line) => { clearTimeout(timer); resolve(JSON.parse(line) as typeof started); });
  });
  const token = new URL(started.url).searchParams.get('token') ?? '';
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  return { child, url: started.url, origin: started.origin, root: started.root, endpoint: started.endpoint, token, stop };
}
