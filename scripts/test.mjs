// `npm test`'s vitest step: the two vitest projects side by side instead of one after the other.
//
// The `node` project (unit and integration files, two at a time) and the `e2e` project (the
// Chromium suites, one at a time) run as two vitest processes at once. A browser suite spends
// much of its time waiting on Chromium and on `ontocat serve`, so the two cores have room for
// it next to the node files; one after the other, CI took about 20 minutes of vitest.
// `npx vitest run` alone still runs both projects one after the other (vitest.config.ts).
//
// The node project runs at a lower CPU priority (nice +5, inherited by its workers and the
// CLI processes they start): the browser steps wait on rendering with timeouts, the node files
// wait on nothing but their own work.
//
// Each process's output goes through line by line (lines of the two never mix mid-line); the
// exit status is non-zero when either project fails. Extra arguments (a file filter) go to both.
import { spawn } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
// A file filter given to both may match files of one project only: the other then passes empty.
const extra = process.argv.length > 2 ? [...process.argv.slice(2), '--passWithNoTests'] : [];

/** Runs one vitest project, `niceness` below this process; resolves with its exit code and wall time. */
function runProject(project, niceness) {
  const started = Date.now();
  const child = spawn(process.execPath, [vitest, 'run', '--project', project, ...extra], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: process.env,
  });
  if (niceness > 0 && child.pid !== undefined) {
    try { setPriority(child.pid, Math.min(19, getPriority() + niceness)); } catch { /* not permitted: same priority */ }
  }
  createInterface({ input: child.stdout }).on('line', (line) => process.stdout.write(`${line}\n`));
  createInterface({ input: child.stderr }).on('line', (line) => process.stderr.write(`${line}\n`));
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({ project, code: code ?? (signal ? 1 : 0), seconds: (Date.now() - started) / 1000 }));
  });
}

const started = Date.now();
const results = await Promise.all([runProject('node', 5), runProject('e2e', 0)]);
for (const { project, code, seconds } of results) {
  console.log(`vitest project ${project}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds.toFixed(0)} s`);
}
console.log(`vitest, both projects side by side: ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(results.some(({ code }) => code !== 0) ? 1 : 0);
