// `npm start` / `npm run demo`: build, then open the desktop app on the default catalog,
// or, where no Electron binary can be had, the same app in a browser via `ontocat serve`.
//
//   npm start                       $ONTOCAT_ROOT, else the user data folder
//   npm run demo                    a demo catalog in <tmp>/ontocat-demo, built first
//   npm start -- --port 8080        extra arguments go to `ontocat serve` (web fallback)
//
// npm runs with ignore-scripts (.npmrc), so Electron's postinstall never downloaded its
// binary: this script tries that download once, and falls back to the web host when it
// fails (no network, ELECTRON_SKIP_BINARY_DOWNLOAD, unsupported platform).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(root, 'bin', 'ontocat.mjs');
const args = process.argv.slice(2);
const demo = args.includes('--demo');
const passThrough = args.filter((arg) => arg !== '--demo');
const INSTALL_TIMEOUT_MS = 120_000;

/** Runs a node script in the foreground; returns its exit status. */
function runNode(script, scriptArgs, options = {}) {
  const result = spawnSync(process.execPath, [script, ...scriptArgs], { cwd: root, stdio: 'inherit', ...options });
  return result.status ?? 1;
}

/** The Electron executable if it is on disk, else null (require('electron') throws when it is missing). */
function electronBinary() {
  try {
    const binary = createRequire(path.join(root, 'package.json'))('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Tries Electron's own download once, quietly; true when a binary is there afterwards. */
function tryInstallElectron() {
  const installer = path.join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer) || process.env.ONTOCAT_NO_ELECTRON_DOWNLOAD) return false;
  spawnSync(process.execPath, [installer], { cwd: path.dirname(installer), stdio: 'ignore', timeout: INSTALL_TIMEOUT_MS });
  return electronBinary() !== null;
}

/** Starts a child in the foreground, passing Ctrl-C on; exits with its code. */
function foreground(command, commandArgs, env) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env });
  // Pass stop signals on (a terminal's Ctrl-C reaches the child too; the CLI ignores the
  // echo) and wait for the child to close the catalog before exiting with its code.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { if (child.exitCode === null) child.kill(signal); });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
}

const buildStatus = runNode(path.join(root, 'scripts', 'build.mjs'), []);
if (buildStatus !== 0) process.exit(buildStatus);

const env = { ...process.env };
if (demo) env.ONTOCAT_ROOT = env.ONTOCAT_DEMO_ROOT ?? path.join(tmpdir(), 'ontocat-demo');
const rootArgs = env.ONTOCAT_ROOT ? ['--root', path.resolve(env.ONTOCAT_ROOT)] : [];

if (demo) {
  // Idempotent: versions already there are recognised as unchanged.
  const status = runNode(cli, ['demo', ...rootArgs], { env });
  if (status !== 0) process.exit(status);
}

const electron = electronBinary() ?? (tryInstallElectron() ? electronBinary() : null);
if (electron) {
  // Chromium refuses to run as root with its sandbox on; only then is it switched off.
  const sandboxArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  foreground(electron, [root, ...sandboxArgs, ...rootArgs], env);
} else {
  console.log('The Electron binary could not be obtained (download failed or disabled); starting the web host instead.');
  foreground(process.execPath, [cli, 'serve', ...rootArgs, ...passThrough], env);
}
