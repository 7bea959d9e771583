// `npm start` / `npm run demo`: build, then open the desktop app on the default catalog,
// or, where no Electron binary can be had, the same app in a browser via `ontocat serve`.
//
//   npm start                       $ONTOCAT_ROOT, else the user data folder
//   npm run demo                    a demo catalog, built first, in --root DIR, else
//                                   $ONTOCAT_DEMO_ROOT, else $ONTOCAT_ROOT, else <tmp>/ontocat-demo
//   npm start -- --root DIR         the catalog in DIR
//   npm start -- --port 8080        extra arguments go to `ontocat serve` (web fallback)
//
// When an Ontocat already owns the root (the app, or `ontocat serve`), that one is opened
// (its URL printed and, unless $ONTOCAT_NO_BROWSER is set, opened) instead of failing.
//
// npm runs with ignore-scripts (.npmrc), so Electron's postinstall never downloaded its
// binary: this script tries that download once, and falls back to the web host when it
// fails (no network, ELECTRON_SKIP_BINARY_DOWNLOAD, unsupported platform).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(root, 'bin', 'ontocat.mjs');
const args = process.argv.slice(2);
const demo = args.includes('--demo');

/** Splits `--root DIR` / `--root=DIR` off the arguments (the last one given wins). */
function takeRoot(list) {
  let rootArg = null;
  const rest = [];
  for (let i = 0; i < list.length; i += 1) {
    if (list[i] === '--root' && i + 1 < list.length) rootArg = list[++i];
    else if (list[i].startsWith('--root=')) rootArg = list[i].slice('--root='.length);
    else rest.push(list[i]);
  }
  return { rootArg, rest };
}
const { rootArg, rest: passThrough } = takeRoot(args.filter((arg) => arg !== '--demo'));
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
if (rootArg) env.ONTOCAT_ROOT = rootArg;
else if (demo) env.ONTOCAT_ROOT = env.ONTOCAT_DEMO_ROOT ?? env.ONTOCAT_ROOT ?? path.join(tmpdir(), 'ontocat-demo');
const rootArgs = env.ONTOCAT_ROOT ? ['--root', path.resolve(env.ONTOCAT_ROOT)] : [];

/**
 * The live Ontocat process that owns `dir` (from its lock file, as the CLI reads it), or
 * null. Its web origin plus the root's kept token make the URL of the running app.
 */
function runningOwner(dir) {
  let holder;
  try {
    holder = JSON.parse(readFileSync(path.join(dir, '.ontocat.lock'), 'utf8'));
  } catch {
    return null;
  }
  if (typeof holder.pid !== 'number' || typeof holder.endpoint !== 'string' || !/^ontocat-[a-z]+$/.test(String(holder.app))) return null;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if (error.code !== 'EPERM') return null;
  }
  let token = null;
  try { token = readFileSync(path.join(dir, '.ontocat.token'), 'utf8').trim(); } catch { /* none */ }
  return { ...holder, url: typeof holder.web === 'string' && token ? `${holder.web}/?token=${token}` : null };
}

/** Points at the running owner instead of starting a second one; exits. */
function openRunning(owner, dir) {
  if (owner.url) {
    console.log(`Ontocat is already running on ${dir}: ${owner.app} (pid ${owner.pid}).\nOpen: ${owner.url}`);
    if (!process.env.ONTOCAT_NO_BROWSER) {
      // As `ontocat serve --open`: the browser gets an owner-only page that forwards to the
      // URL, never the token on a command line every local user can read (/proc/PID/cmdline).
      // The page stays after this script exits, for the browser to read; it is private to
      // the user, as the root's token file is.
      const { openBrowser } = createRequire(import.meta.url)(path.join(root, 'dist', 'cli', 'open-browser.cjs'));
      openBrowser(owner.url, (message) => console.log(message));
    }
  } else {
    console.log(`Ontocat is already running on ${dir}: ${owner.app} (pid ${owner.pid}); switch to its window.`);
  }
  process.exit(0);
}

if (demo) {
  // Idempotent: versions already there are recognised as unchanged.
  // Runs through the owner when the demo root is already open.
  const status = runNode(cli, ['demo', ...rootArgs], { env });
  if (status !== 0) process.exit(status);
}

const rootDir = path.resolve(env.ONTOCAT_ROOT ?? '.');
const owner = env.ONTOCAT_ROOT ? runningOwner(rootDir) : null;
if (owner) openRunning(owner, rootDir);

const electron = electronBinary() ?? (tryInstallElectron() ? electronBinary() : null);
if (electron) {
  // Chromium refuses to run as root with its sandbox on; only then is it switched off.
  const sandboxArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  foreground(electron, [root, ...sandboxArgs, ...rootArgs], env);
} else {
  console.log('The Electron binary could not be obtained (download failed or disabled); starting the web host instead.');
  foreground(process.execPath, [cli, 'serve', ...rootArgs, ...passThrough], env);
}
