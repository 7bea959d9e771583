// `npm test`'s vitest step: the two vitest projects side by side instead of one after the other.
//
// The `node` project (unit and integration files, two at a time) and the `e2e` project (the
// Chromium suites, one at a time) run as two vitest processes at once. A browser suite spends
// much of its time waiting on Chromium and on `ontocat serve`, so the two cores have room for
// it next to the node files; one after the other, CI took about 20 minutes of vitest.
// `npx vitest run` alone still runs both projects one after the other (vitest.config.ts).
//
// Both run at the caller's priority: a node project niced below the browser suites was starved
// by the other work of a shared machine (618 s against 330 s for the same files at load 20).
//
// Each process's output goes through line by line (lines of the two never mix mid-line); the
// exit status is non-zero when either project fails. Extra arguments (a file filter) go to both.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
// A file filter given to both may match files of one project only: the other then passes empty.
const extra = process.argv.length > 2 ? [...process.argv.slice(2), '--passWithNoTests'] : [];

/** Runs one vitest project; resolves with its exit code and wall time. */
function runProject(project) {
  const started = Date.now();
  const child = spawn(process.execPath, [vitest, 'run', '--project', project, ...extra], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: process.env,
  });
  createInterface({ input: child.stdout }).on('line', (line) => process.stdout.write(`${line}\n`));
  createInterface({ input: child.stderr }).on('line', (line) => process.stderr.write(`${line}\n`));
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({ project, code: code ?? (signal ? 1 : 0), seconds: (Date.now() - started) / 1000 }));
  });
}

const started = Date.now();
const results = await Promise.all([runProject('node'), runProject('e2e')]);
for (const { project, code, seconds } of results) {
  console.log(`vitest project ${project}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds.toFixed(0)} s`);
}
console.log(`vitest, both projects side by side: ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(results.some(({ code }) => code !== 0) ? 1 : 0);
