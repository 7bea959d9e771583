// `npm test`'s vitest part: the node project and the browser (e2e) project side by side, as
// two vitest processes. The browser suites leave most of a core idle (they wait on Chromium
// and on servers), which the node files then use. The node project prints as it goes; the
// browser project's output is kept and printed after it, so the two never interleave. Exits
// non-zero when either project fails. Extra arguments go to both (`-- --reporter=dot`).
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// vitest's own bin (its package exports no path to it); a direct devDependency, so not nested.
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const extra = process.argv.slice(2);

/** Runs one project; `keep` collects its output instead of printing it. */
function runProject(name, keep) {
  const child = spawn(process.execPath, [vitest, 'run', '--project', name, ...extra], {
    stdio: keep ? ['ignore', 'pipe', 'pipe'] : 'inherit',
  });
  const output = [];
  if (keep) {
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
  }
  const done = new Promise((resolve) => {
    child.on('error', (error) => { output.push(Buffer.from(`${error.message}\n`)); resolve(1); });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
  return { child, output, done };
}

const started = Date.now();
const browser = runProject('e2e', true);
const node = runProject('node', false);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => { node.child.kill(signal); browser.child.kill(signal); });
}
const nodeCode = await node.done;
const browserCode = await browser.done;
process.stdout.write(`\n== browser suites (vitest --project e2e, run beside the node project)\n`);
process.stdout.write(Buffer.concat(browser.output));
const seconds = Math.round((Date.now() - started) / 1000);
console.log(`\n== node project: ${nodeCode === 0 ? 'passed' : `failed (exit ${nodeCode})`}; browser suites: ${browserCode === 0 ? 'passed' : `failed (exit ${browserCode})`}; ${seconds} s in all`);
process.exit(nodeCode === 0 && browserCode === 0 ? 0 : 1);
