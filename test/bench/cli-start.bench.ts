// How fast a read command answers as a user runs it (a new node process on
// bin/ontocat.mjs, which runs the esbuild bundle) on a catalog of 1,000,000 file rows:
// `info`, `versions` and `latest get`, once opening the catalog in the process (direct)
// and once through a running `ontocat serve` that owns the root (its local endpoint).
// The reference is `node -e 0`, run alternately with each command: the floor no CLI goes
// below, under the same load (the table also gives each command's time above that floor).
// Targets (issue 14): under 300 ms direct, under 100 ms through a running owner. Through
// the running serve also bin/ontocat, the sh launcher (curl, no node), and a bare curl
// call to the same socket: the floor of any client of it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openCatalog } from '../../electron/catalog/open-catalog.js';
import {
  replaceVersionFiles, replaceVersionValidations, setLatestPointer, upsertVersion, type NewFile, type NewValidation,
} from '../../electron/catalog/write-records.js';
import { cliBin } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { startServe } from '../helpers/web-host.js';
import { fmt, percentile, printTable, scaled, timeRuns } from './bench-utils.js';

const SERVICES = ['go', 'chebi', 'uberon', 'mondo', 'hp'];
const VERSIONS_PER_SERVICE = 2;
const RUNS = Number(process.env.ONTOCAT_BENCH_RUNS ?? '15');

function* versionFiles(service: string, versionIndex: number, perVersion: number): Generator<NewFile> {
  for (let i = 0; i < perVersion; i += 1) {
    yield {
      relpath: `part${i % 20}/group ${Math.floor(i / 20) % 50}/term_${i}.ttl`,
      format: 'turtle',
      size_bytes: 1000 + ((i * 37) % 9000),
      sha256: createHash('sha256').update(`${service}:${i}:${i % 33 === 0 ? versionIndex : 0}`).digest('hex'),
      mtime: Date.UTC(2024, versionIndex, 1),
    };
  }
}

/**
 * A validated version's results: every other file has a syntax result (one in seven of
 * those fails) and every fifth a warning, about 0.7 results a file, as a version a
 * validator has read. Health counts them all, so a catalog without them measures less.
 */
function* versionValidations(files: readonly NewFile[]): Generator<NewValidation> {
  for (const [i, file] of files.entries()) {
    if (i % 2 === 0) yield { relpath: file.relpath, validator: 'turtle', rule: 'syntax', severity: 'ERROR', passed: i % 14 !== 0, message: i % 14 === 0 ? 'bad token' : null };
    if (i % 5 === 0) yield { relpath: file.relpath, validator: 'lint', rule: 'label', severity: 'WARN', passed: false, message: 'no label', line: 1, col: 1 };
  }
}

/** Fills the catalog at `root` with `total` file rows over 10 versions of 5 services, validated. */
export async function fillCatalog(root: string, total: number): Promise<void> {
  const catalog = await openCatalog({ root });
  try {
    const perVersion = Math.floor(total / (SERVICES.length * VERSIONS_PER_SERVICE));
    for (const [s, service] of SERVICES.entries()) {
      for (let v = 0; v < VERSIONS_PER_SERVICE; v += 1) {
        const version = `2024.${v + 1}`;
        const files = [...versionFiles(service, v, perVersion)];
        await catalog.write(async (tx) => {
          await upsertVersion(tx, { service, version, created_at: new Date(Date.UTC(2024, v, 1 + s)) });
          await replaceVersionFiles(tx, { service, version }, files);
          await replaceVersionValidations(tx, { service, version }, versionValidations(files));
          if (v === VERSIONS_PER_SERVICE - 1) await setLatestPointer(tx, { service, version }, 'bench');
        });
      }
    }
  } finally {
    await catalog.close();
  }
}

function run(args: readonly string[], file: string = process.execPath, input?: string): () => void {
  return () => {
    const result = spawnSync(file, args, { encoding: 'utf8', input });
    if (result.status !== 0) throw new Error(`${file} ${args.join(' ')}: ${result.stderr}`);
  };
}

/** bin/ontocat, the sh launcher (a running owner answers its quick commands without node). */
const shLauncher = path.join(path.dirname(cliBin), 'ontocat');

export async function main(): Promise<void> {
  const temp = makeTempRoot('ontocat-bench-cli-start');
  const root = temp.root;
  const total = scaled(1_000_000, 1000);
  try {
    // Creates the catalog (and rebuilds a stale bundle) outside the timings.
    run([cliBin, 'init', '--root', root])();
    const filling = performance.now();
    await fillCatalog(root, total);
    console.log(`catalog: ${total.toLocaleString('en-US')} file rows and about ${Math.round(0.7 * total).toLocaleString('en-US')} validation results in ${SERVICES.length * VERSIONS_PER_SERVICE} versions (filled in ${((performance.now() - filling) / 1000).toFixed(1)} s); ${RUNS} runs each`);
    const commands: [string, string[]][] = [
      ['info', ['info']],
      ['versions', ['versions']],
      ['latest get', ['latest', 'get', 'uberon']],
    ];
    // Each command's runs alternate with runs of `node -e 0`, so both see the load of the
    // moment; the ratio is of the two medians of those paired runs.
    const floors: number[] = [];
    const rows: Record<string, string | number>[] = [];
    const viaNode = (words: readonly string[]): (() => void) => run([cliBin, ...words, '--json', '--root', root]);
    const measure = async (via: string, target: number, commandFor: (words: readonly string[]) => () => void = viaNode, list = commands): Promise<void> => {
      for (const [label, words] of list) {
        const command = commandFor(words);
        const floor = run(['-e', '0']);
        command();
        const times: number[] = [];
        const paired: number[] = [];
        for (let i = 0; i < RUNS; i += 1) {
          paired.push((await timeRuns(floor, 1, 0))[0]!);
          times.push((await timeRuns(command, 1, 0))[0]!);
        }
        floors.push(...paired);
        const p50 = percentile(times, 50);
        const floor50 = percentile(paired, 50);
        rows.push({
          command: label, via, p50_ms: fmt(p50), p95_ms: fmt(percentile(times, 95)), 'node -e 0 p50': fmt(floor50),
          'p50 / node -e 0': `${(p50 / floor50).toFixed(2)}x`, 'p50 - node -e 0': fmt(p50 - floor50), target_ms: target, ok: p50 < target ? 'yes' : 'NO',
        });
      }
    };
    await measure('direct', 300);
    const serve = await startServe(root);
    try {
      await measure('running serve', 100);
      await measure('sh launcher, running serve', 100, (words) => run([shLauncher, ...words, '--json', '--root', root], '/bin/sh'));
      // The floor of any client of the socket: curl alone asking the owner for catalog:info.
      const token = readFileSync(path.join(root, '.ontocat.token'), 'utf8').trim();
      await measure('bare curl, running serve', 100, () => run(
        ['-q', '-s', '-f', '-o', '/dev/null', '--unix-socket', path.join(root, '.ontocat.sock'), '-K', '-', '-H', 'Content-Type: application/json', '--data-binary', '{}', 'http://localhost/api/catalog:info'],
        'curl', `header = "x-ontocat-token: ${token}"\n`,
      ), [['catalog:info (curl)', []]]);
    } finally {
      await serve.stop();
    }
    rows.unshift({
      command: 'node -e 0 (reference)', via: '-', p50_ms: fmt(percentile(floors, 50)), p95_ms: fmt(percentile(floors, 95)), 'node -e 0 p50': '',
      'p50 / node -e 0': '1.00x', 'p50 - node -e 0': '', target_ms: '', ok: '',
    });
    printTable(rows);
    console.log('(the machine is shared: compare the ratios to node -e 0 more than the milliseconds)');
  } finally {
    temp.cleanup();
  }
}
