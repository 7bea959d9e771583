// Ingest speed against the tools a curator knows, on the same trees in the same run
// (issue 14): `cp -r` + `sync`, `sha256sum` over every file, `restic backup`, `borg create`,
// then `ontocat ingest` store-and-record only and with its validation, a second
// 90%-unchanged version, and large files against `dd` + fsync.
//   npm run bench -- ingest
//   ONTOCAT_BENCH_SCALE=0.05 npm run bench -- ingest        (smaller generated trees)
//   ONTOCAT_BENCH_TREES=small,mdi,large                     (pick trees; default all)
//   ONTOCAT_BENCH_PROFILE=DIR                               (a --cpu-prof of each ingest child)
//   ONTOCAT_BENCH_SKIP=borg,validate                      (leave out borg and/or the ingest with validation)
//   ONTOCAT_BENCH_ROUNDS=N    rounds of cp, restic and both ingests, in turn (default 3)
//   ONTOCAT_BENCH_CACHE=DIR   where npm-packed trees are kept (default <tmp>/ontocat-bench-cache)
//   ONTOCAT_BENCH_WORKER=sources   validation workers from the TypeScript sources through tsx
//                                  (default: the bundle users run, dist/cli/validate-worker.mjs)
// restic and borg are Debian packages (restic, borgbackup); when one is missing its column
// says so and is skipped. The material-design-icons tarballs come from `npm pack` once and
// stay in the cache folder, never in the repository.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../helpers/run-cli.js';
import { benchScale, bundledWorkerUrl, ceilingLine, parallelParseCeiling } from './bench-utils.js';

/** The pool's ceiling on this machine, measured once per bench run (bench-utils.ts). */
let ceiling: Awaited<ReturnType<typeof parallelParseCeiling>> | null = null;

const here = path.dirname(fileURLToPath(import.meta.url));
const scale = benchScale();
const cacheDir = process.env.ONTOCAT_BENCH_CACHE ?? path.join(tmpdir(), 'ontocat-bench-cache');
const profileDir = process.env.ONTOCAT_BENCH_PROFILE ?? null;
const skip = new Set((process.env.ONTOCAT_BENCH_SKIP ?? '').split(',').map((name) => name.trim()));
const wanted = new Set((process.env.ONTOCAT_BENCH_TREES ?? 'small,mdi,large').split(',').map((name) => name.trim()));
const rounds = Math.max(1, Math.round(Number(process.env.ONTOCAT_BENCH_ROUNDS ?? 3)) || 3);
/**
 * The validation worker the ingest children run: by default the bundle next to the CLI's
 * (built when stale), which is what `ontocat ingest` starts, as the validate bench does;
 * from the sources each worker compiles its TypeScript through tsx first (about 0.5 s
 * more a worker on this machine), a cost no user pays.
 */
const workerFromSources = process.env.ONTOCAT_BENCH_WORKER === 'sources';
const workerUrl = workerFromSources ? null : (await bundledWorkerUrl(projectRoot)).href;

/**
 * A generated file's content: valid N-Triples of 1-8 KB (so validation parses real
 * statements), literals cut from a random pool and salted so no two files are alike.
 */
function content(pool: string, i: number, salt: number): Buffer {
  const size = 1024 + ((i * 7919) % (7 * 1024));
  const offset = (i * 104729 + salt * 7777) % (pool.length - 40 * 400);
  const lines: string[] = [];
  let length = 0;
  for (let k = 0; length < size; k += 1) {
    const line = `<http://example.org/v${salt}/s${i}_${k}> <http://example.org/p${k % 7}> "${pool.slice(offset + k * 40, offset + k * 40 + 40)}" .\n`;
    lines.push(line);
    length += line.length;
  }
  return Buffer.from(lines.join(''));
}

function smallPath(dir: string, i: number): string {
  return path.join(dir, `d${Math.floor(i / 500)}`, `e${Math.floor(i / 50) % 10}`, `f${i}.nt`);
}

function generateSmall(dir: string, count: number, pool: string): number {
  let bytes = 0;
  for (let i = 0; i < count; i += 1) {
    if (i % 50 === 0) mkdirSync(path.dirname(smallPath(dir, i)), { recursive: true });
    const data = content(pool, i, 0);
    writeFileSync(smallPath(dir, i), data);
    bytes += data.length;
  }
  return bytes;
}

/** A second version: a hardlinked copy of `from` with every tenth file given new content. */
function generateChanged(from: string, to: string, count: number, pool: string): number {
  run(`cp -al '${from}' '${to}'`);
  let changed = 0;
  for (let i = 3; i < count; i += 10) {
    const file = smallPath(to, i);
    unlinkSync(file); // never write through a link shared with the first tree
    writeFileSync(file, content(pool, i, 1));
    changed += 1;
  }
  return changed;
}

function generateLarge(dir: string, totalBytes: number, files = 4): number {
  mkdirSync(dir, { recursive: true });
  const chunk = randomBytes(8 << 20);
  const per = Math.floor(totalBytes / files);
  for (let f = 0; f < files; f += 1) {
    const fd = openSync(path.join(dir, `big${f}.nq`), 'w');
    chunk.writeUInt32LE(f, 0); // distinct content per file: nothing to deduplicate
    for (let written = 0; written < per;) {
      const n = Math.min(chunk.length, per - written);
      writeSync(fd, chunk, 0, n);
      written += n;
    }
    closeSync(fd);
  }
  return per * files;
}

function run(command: string): void {
  const result = spawnSync('bash', ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`command failed: ${command}\n${result.stderr}`);
}

/** Wall time of a shell command in ms; the disk is flushed first so no step pays for an earlier one. */
function timeShell(command: string, env: NodeJS.ProcessEnv = {}): number {
  settleDisk();
  const started = process.hrtime.bigint();
  const result = spawnSync('bash', ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`reference command failed: ${command}\n${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * Flushes the disk and waits until it is quiet: no request in flight and none completed
 * for half a second (at most 60 s). This machine's root is mounted with `discard`, so the
 * trims of a deleted tree follow its sync, and a step that creates many files right after
 * one ran up to 7x slower (`cp -r` of material-design-icons: 1.9 s quiet, 14.9 s in the
 * bench after the 100,000-file tree was deleted), while restic, which writes a few large
 * packs, hardly felt it.
 */
function settleDisk(): void {
  spawnSync('sync', { stdio: 'ignore' });
  const statFile = blockStat();
  if (statFile === null) return;
  const started = Date.now();
  let last = '';
  let quietSince = Date.now();
  while (Date.now() - started < 60_000) {
    const fields = readFileSync(statFile, 'utf8').trim().split(/\s+/);
    // Completed reads, writes, discards and flushes, and the requests in flight.
    const done = [fields[0], fields[4], fields[11], fields[15]].join(' ');
    if (done !== last || fields[8] !== '0') {
      last = done;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= 500) {
      settleWaitMs += Date.now() - started;
      return;
    }
    spawnSync('sleep', ['0.1']);
  }
  settleWaitMs += Date.now() - started;
}

let settleWaitMs = 0;

/**
 * What the timed steps wrote, removed only between trees. ext4 does not hand out an inode
 * freed in the last 60 s (`recently_deleted` in its allocator), and checks every candidate:
 * right after 100,000 files were deleted, `cp -r` of material-design-icons spent 56% of its
 * time there (perf) and took 15.4 s instead of 1.9 s, while restic, which writes a few
 * large packs, did not feel it. So no step deletes another's output, and a tree starts
 * 65 s after the last deletion.
 */
const leftovers: string[] = [];
/** Deletions made before the bench are not known: the first tree waits too. */
let lastDeletion = Date.now();

function removeLater(target: string): void {
  leftovers.push(target);
}

/** Removes what the steps left, and remembers when. */
function removeLeftovers(): void {
  for (const target of leftovers.splice(0)) rmSync(target, { recursive: true, force: true });
  lastDeletion = Date.now();
}

/** Waits until 65 s have passed since the last deletion (see `leftovers`). */
function awaitInodeReuse(): void {
  const wait = lastDeletion + 65_000 - Date.now();
  if (wait <= 0) return;
  spawnSync('sync', { stdio: 'ignore' });
  spawnSync('sleep', [String(Math.ceil(wait / 1000))]);
  inodeWaitMs += wait;
}
let inodeWaitMs = 0;
let blockStatFile: string | null | undefined;

/** The kernel's I/O counters of the block device the bench writes to (Linux), or null. */
function blockStat(): string | null {
  if (blockStatFile !== undefined) return blockStatFile;
  try {
    const dev = statSync(tmpdir()).dev;
    // Linux's dev_t: major in bits 8-19, minor in bits 0-7 and 20-31.
    const major = (dev >> 8) & 0xfff;
    const minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
    const file = `/sys/dev/block/${major}:${minor}/stat`;
    blockStatFile = existsSync(file) ? file : null;
  } catch {
    blockStatFile = null;
  }
  return blockStatFile;
}

function has(tool: string): boolean {
  return spawnSync('bash', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

interface IngestRun {
  ms: number;
  /** The ingest alone (without validation), when each phase began, and the child's CPU time (user + sys, every thread). */
  ingest_ms: number; phases: [string, number][]; cpu_ms: number; files: number; bytes: number; bytes_deduplicated: number; max_rss_mb: number; validate_ms: number | null;
  /** The validating run's re-validation without reuse on one worker and on the pool. */
  pool?: {
    one_ms: number; pool_ms: number; workers: number; checked: number;
    /** CPU of the main thread and of all threads in each run (Linux /proc; null elsewhere). */
    one_cpu: { main_ms: number; all_ms: number } | null; pool_cpu: { main_ms: number; all_ms: number } | null;
  } | null;
  /** Per declared format: files with a syntax check, their bytes, and the worker time those checks took. */
  formats?: { format: string; files: number; bytes: number; worker_ms: number }[];
}

/** One ingest in a child process (its own catalog, as the CLI would), timed inside it. */
function runIngest(root: string, source: string, service: string, version: string, validate: boolean): IngestRun {
  settleDisk();
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `${service}-${version}-${validate ? 'full' : 'store'}.cpuprofile`] : [];
  const result = spawnSync(process.execPath, [...profile, '--import', 'tsx', path.join(here, 'ingest-child.ts'), root, source, service, version, validate ? 'validate' : 'store'], {
    encoding: 'utf8', maxBuffer: 1 << 26, env: workerUrl ? { ...process.env, ONTOCAT_BENCH_WORKER_URL: workerUrl } : process.env,
  });
  if (result.status !== 0) throw new Error(`ingest child failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as IngestRun;
}

const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);

/** Each phase's share of an ingest: `list 0.4 s, copy 20.1 s, sync 1.2 s, record 3.0 s`. */
function phaseLine(run: IngestRun): string {
  const parts = run.phases.filter(([name]) => name !== 'validate').map(([name, at], i, all) => {
    const end = i + 1 < all.length ? all[i + 1]![1] : run.ingest_ms;
    return `${name} ${((end - at) / 1000).toFixed(1)} s`;
  });
  return `${parts.join(', ')}; CPU ${(run.cpu_ms / 1000).toFixed(1)} s`;
}
const sec = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const verdict = (ratio: number, target: number, atMost: boolean): string =>
  `${ratio.toFixed(2)}x (target ${atMost ? '<=' : '>='} ${target.toFixed(1)}x: ${(atMost ? ratio <= target : ratio >= target) ? 'met' : 'NOT met'})`;

/** `cp -r` of a tree and a sync, in ms; the copy is removed again. */
function timeCopy(work: string, name: string, tree: string): number {
  const copy = path.join(work, `${name}-copy-${leftovers.length}`);
  const ms = timeShell(`cp -r '${tree}' '${copy}' && sync -f '${work}'`);
  removeLater(copy);
  return ms;
}

/** `restic backup` of a tree into a new repository and a sync, in ms; the repository is removed after the tree. */
function timeRestic(work: string, name: string, tree: string): number {
  const repo = path.join(work, `${name}-restic-${leftovers.length}`);
  const env = { RESTIC_PASSWORD: 'bench', RESTIC_CACHE_DIR: path.join(work, `restic-cache-${leftovers.length}`) };
  run(`RESTIC_PASSWORD=bench restic init --quiet --repo '${repo}'`);
  const ms = timeShell(`restic backup --quiet --repo '${repo}' '${tree}' && sync -f '${work}'`, env);
  removeLater(repo);
  removeLater(env.RESTIC_CACHE_DIR);
  return ms;
}

/** One ingest into a new root, removed after the tree; its run. */
function ingestOnce(work: string, name: string, tree: string, validate: boolean): IngestRun {
  const root = path.join(work, `${name}-root-${validate ? 'full' : 'store'}-${leftovers.length}`);
  const result = runIngest(root, tree, name, 'v1', validate);
  removeLater(root);
  return result;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The references and both ingests of one tree, with every ratio of the issue. */
function compareOnTree(work: string, name: string, tree: string, files: number, bytes: number): { store: IngestRun; root: string; storeMs: number } {
  console.log(`\n${name}: ${files.toLocaleString()} files, ${mb(bytes)} MB`);
  awaitInodeReuse();
  const copyMs = timeCopy(work, name, tree);
  const shaMs = timeShell(`cd '${tree}' && find . -type f -print0 | xargs -0 sha256sum > /dev/null`);
  const resticMs = has('restic') ? timeRestic(work, name, tree) : null;
  let borgMs: number | null = null;
  if (has('borg') && !skip.has('borg')) {
    const repo = path.join(work, `${name}-borg`);
    const env = { BORG_PASSPHRASE: 'bench', BORG_BASE_DIR: path.join(work, 'borg-home') };
    run(`BORG_PASSPHRASE=bench BORG_BASE_DIR='${path.join(work, 'borg-home')}' borg init --encryption=repokey '${repo}'`);
    borgMs = timeShell(`borg create '${repo}::a' '${tree}' && sync -f '${work}'`, env);
    removeLater(repo);
  }
  const storeRoot = path.join(work, `${name}-root`);
  const store = runIngest(storeRoot, tree, name, 'v1', false);
  const fullRoot = path.join(work, `${name}-root-full`);
  const full = skip.has('validate') ? null : runIngest(fullRoot, tree, name, 'v1', true);
  removeLater(fullRoot);
  // More rounds of the steps the targets compare, each round in another order, so that a
  // disk or a load that changes during the bench weighs on every side alike; the verdicts
  // take the median of the rounds' ratios.
  const times: Record<'cp' | 'restic' | 'store' | 'full', number[]> = {
    cp: [copyMs], restic: resticMs === null ? [] : [resticMs], store: [store.ms], full: full ? [full.ms] : [],
  };
  const steps = (['cp', 'restic', 'store', 'full'] as const).filter((step) => times[step].length > 0);
  for (let round = 1; round < rounds; round += 1) {
    for (let i = 0; i < steps.length; i += 1) {
      const step = steps[(i + round) % steps.length]!;
      if (step === 'cp') times.cp.push(timeCopy(work, name, tree));
      else if (step === 'restic') times.restic.push(timeRestic(work, name, tree));
      else times[step].push(ingestOnce(work, name, tree, step === 'full').ms);
    }
  }
  const rate = (ms: number): string => `${Math.round(files / (ms / 1000)).toLocaleString()} files/s, ${mb(bytes / (ms / 1000))} MB/s`;
  console.log(`  cp -r + sync:                      ${sec(copyMs)} (${rate(copyMs)})`);
  console.log(`  find | xargs sha256sum:            ${sec(shaMs)} (${rate(shaMs)})`);
  console.log(`  restic backup:                     ${resticMs === null ? 'skipped (restic not installed: apt-get install restic)' : `${sec(resticMs)} (${rate(resticMs)})`}`);
  console.log(`  borg create:                       ${borgMs === null ? (skip.has('borg') ? 'skipped (ONTOCAT_BENCH_SKIP)' : 'skipped (borg not installed: apt-get install borgbackup)') : `${sec(borgMs)} (${rate(borgMs)})`}`);
  console.log(`  ontocat ingest, store and record:  ${sec(store.ms)} (${rate(store.ms)}), peak RSS ${store.max_rss_mb.toFixed(0)} MB`);
  console.log(`    phases: ${phaseLine(store)}`);
  if (full) {
    console.log(`  ontocat ingest with validation:    ${sec(full.ms)} (validation ${sec(full.validate_ms ?? 0)}), peak RSS ${full.max_rss_mb.toFixed(0)} MB`);
    console.log(`    validation workers: ${workerFromSources ? 'TypeScript sources through tsx (ONTOCAT_BENCH_WORKER=sources)' : 'the bundle users run (dist/cli/validate-worker.mjs)'}`);
  }
  if (full?.pool) {
    const { one_ms: oneMs, pool_ms: poolMs, workers, checked } = full.pool;
    // A worker holds up to 16 tiny files at once and their parses interleave, so a file's
    // recorded time overlaps its neighbours'; the one-worker run's wall time is shared out
    // by those times instead (the worker is busy through nearly all of it).
    const recorded = (full.formats ?? []).reduce((sum, f) => sum + f.worker_ms, 0);
    console.log(`  validation per format (the one-worker run's time shared out by each format's part of the files' parse times, so a rate per busy core):`);
    for (const f of full.formats ?? []) {
      const seconds = Math.max((oneMs * f.worker_ms) / Math.max(recorded, 1), 1) / 1000;
      console.log(`    ${f.format.padEnd(10)} ${f.files.toLocaleString().padStart(7)} files ${mb(f.bytes).padStart(7)} MB  ${Math.round(f.files / seconds).toLocaleString().padStart(7)} files/s ${(f.bytes / 1e6 / seconds).toFixed(1).padStart(6)} MB/s`);
    }
    const checkedBytes = (full.formats ?? []).reduce((sum, f) => sum + f.bytes, 0);
    console.log(`  validation, no reuse, 1 worker:     ${sec(oneMs)} (${Math.round(checked / (oneMs / 1000)).toLocaleString()} files/s, ${mb(checkedBytes / (oneMs / 1000))} MB/s of checked files, ${files.toLocaleString()} stat'ed)`);
    console.log(`  validation, no reuse, ${workers} workers:    ${sec(poolMs)} (${Math.round(checked / (poolMs / 1000)).toLocaleString()} files/s): pool ${(oneMs / poolMs).toFixed(2)}x one worker (ideal ${workers}.00x: every core busy)`);
    const { one_cpu: oneCpu, pool_cpu: poolCpu } = full.pool;
    if (oneCpu && poolCpu) {
      // Load-independent: CPU seconds, and the pool's bound on this machine's cores
      // (no run on N cores is shorter than all its threads' CPU / N).
      const cores = availableParallelism();
      console.log(`    CPU, 1 worker:  main thread ${sec(oneCpu.main_ms)}, all threads ${sec(oneCpu.all_ms)} (${(oneCpu.all_ms / oneMs).toFixed(2)} cores busy on average)`);
      console.log(`    CPU, ${workers} workers: main thread ${sec(poolCpu.main_ms)}, all threads ${sec(poolCpu.all_ms)} (${(poolCpu.all_ms / poolMs).toFixed(2)} cores busy on average); on ${cores} cores no faster than ${sec(poolCpu.all_ms / cores)}, so at best ${(oneMs / Math.max(poolCpu.all_ms / cores, 1)).toFixed(2)}x one worker`);
    }
    // What any pool of this many parsers gains on this machine, measured in the same run.
    if (ceiling) console.log(`    ${ceilingLine(workers, ceiling)}`);
  }
  const list = (values: readonly number[]): string => values.map((ms) => (ms / 1000).toFixed(1)).join(', ');
  console.log(`  ${rounds} round(s), s: cp ${list(times.cp)}; restic ${list(times.restic)}; ingest ${list(times.store)}${full ? `; with validation ${list(times.full)}` : ''}`);
  /** The median of the rounds' ratios a/b, with each round's. */
  const ratio = (a: readonly number[], b: readonly number[]): { median: number; each: string } => {
    const each = a.map((ms, i) => ms / b[i]!);
    return { median: median(each), each: each.map((r) => r.toFixed(2)).join(', ') };
  };
  const line = (label: string, a: readonly number[], b: readonly number[], target: number): void => {
    const r = ratio(a, b);
    console.log(`  ${label.padEnd(35)}${verdict(r.median, target, true)}${rounds > 1 ? `, median of ${r.each}` : ''}`);
  };
  if (resticMs !== null) {
    line('ingest / restic:', times.store, times.restic, 1.0);
    if (full) line('full ingest / restic:', times.full, times.restic, 2.0);
  }
  line('ingest / (cp -r + sync):', times.store, times.cp, 1.5);
  console.log(`  ingest / sha256sum:                ${(store.ms / shaMs).toFixed(2)}x (no target: a reader)`);
  if (borgMs !== null && resticMs !== null) console.log(`  borg / restic:                     ${(borgMs / resticMs).toFixed(2)}x`);
  return { store, root: storeRoot, storeMs: median(times.store) };
}

/** The npm tarball of a package version, packed once into the cache folder; null when npm cannot reach the registry. */
function packed(spec: string): string | null {
  mkdirSync(cacheDir, { recursive: true });
  const file = path.join(cacheDir, `${spec.replace('@', '-')}.tgz`);
  if (existsSync(file)) return file;
  const result = spawnSync('npm', ['pack', spec, '--silent'], { cwd: cacheDir, encoding: 'utf8' });
  if (result.status !== 0 || !existsSync(file)) {
    console.log(`  (npm pack ${spec} failed: ${result.stderr.trim().split('\n').at(-1) ?? 'no output'}; skipped)`);
    return null;
  }
  return file;
}

function unpack(tarball: string, into: string): { tree: string; files: number; bytes: number } {
  mkdirSync(into, { recursive: true });
  run(`tar -xzf '${tarball}' -C '${into}'`);
  const tree = path.join(into, 'package');
  const counted = spawnSync('bash', ['-c', `find '${tree}' -type f -printf '%s\\n' | awk '{n++; s+=$1} END {print n, s}'`], { encoding: 'utf8' });
  const [files, bytes] = counted.stdout.trim().split(' ').map(Number) as [number, number];
  return { tree, files, bytes };
}

/** Share of files of `second` whose path and content are in `first`, by an independent sha256sum walk. */
function unchangedShare(first: string, second: string): number {
  const sums = (dir: string): Map<string, string> => {
    const out = spawnSync('bash', ['-c', `cd '${dir}' && find . -type f -print0 | xargs -0 sha256sum`], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
    return new Map(out.trim().split('\n').map((line) => [line.slice(66), line.slice(0, 64)]));
  };
  const a = sums(first);
  const b = sums(second);
  let same = 0;
  for (const [file, sha] of b) if (a.get(file) === sha) same += 1;
  return same / Math.max(1, b.size);
}

/** The second version into the first round's root, against the median of the first ingest's rounds. */
function secondVersion(name: string, root: string, tree: string, first: IngestRun, firstMs: number, note: string): void {
  const second = runIngest(root, tree, name, 'v2', false);
  console.log(`  second version (${note}): ${sec(second.ms)}, ${mb(second.bytes_deduplicated)} of ${mb(second.bytes)} MB already stored`);
  console.log(`    phases: ${phaseLine(second)} (first: ${(first.cpu_ms / 1000).toFixed(1)} s)`);
  console.log(`  second / first ingest (median):    ${verdict(second.ms / firstMs, 0.5, true)}`);
}

export async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'ontocat-bench-ingest-'));
  try {
    console.log(`scale ${scale}; trees: ${[...wanted].join(', ')}; restic ${has('restic') ? 'found' : 'missing'}, borg ${has('borg') ? 'found' : 'missing'}`);
    console.log(`${new Date().toISOString()}; load average ${loadavg().map((n) => n.toFixed(1)).join(', ')} on ${availableParallelism()} cores`);
    console.log(`Every timed step starts after a sync, on a quiet disk (${blockStat() ?? 'no block device counters here: after the sync only'}); ingests run in a child process, timed from its catalog open to the commit.`);
    ceiling = await parallelParseCeiling(availableParallelism());
    console.log(ceilingLine(availableParallelism(), ceiling));

    if (wanted.has('small')) {
      const count = Math.max(100, Math.round(100_000 * scale));
      const pool = randomBytes(1 << 19).toString('hex');
      const dir = path.join(work, 'small-tree');
      const bytes = generateSmall(dir, count, pool);
      const { store, root, storeMs } = compareOnTree(work, 'small', dir, count, bytes);
      const changedDir = path.join(work, 'small-tree-2');
      const changed = generateChanged(dir, changedDir, count, pool);
      // Making the changed files unlinked 10,000 of the copy's links.
      lastDeletion = Date.now();
      awaitInodeReuse();
      secondVersion('small', root, changedDir, store, storeMs, `${changed.toLocaleString()} of ${count.toLocaleString()} files changed`);
      for (const target of [dir, root, changedDir]) removeLater(target);
      removeLeftovers();
    }

    if (wanted.has('mdi')) {
      const first = packed('material-design-icons@2.0.0');
      if (first) {
        const { tree, files, bytes } = unpack(first, path.join(work, 'mdi-2.0.0'));
        const { store, root, storeMs } = compareOnTree(work, 'mdi', tree, files, bytes);
        const next = packed('material-design-icons@2.2.3');
        if (next) {
          const second = unpack(next, path.join(work, 'mdi-2.2.3'));
          const share = unchangedShare(tree, second.tree);
          secondVersion('mdi', root, second.tree, store, storeMs, `material-design-icons 2.2.3, ${second.files.toLocaleString()} files, ${(share * 100).toFixed(0)}% unchanged from 2.0.0`);
          removeLater(path.join(work, 'mdi-2.2.3'));
        }
        removeLater(root);
        removeLater(path.join(work, 'mdi-2.0.0'));
        removeLeftovers();
      }
    }

    if (wanted.has('large')) {
      const largeBytes = Math.max(8 << 20, Math.round(1e9 * scale));
      const dir = path.join(work, 'large');
      generateLarge(dir, largeBytes);
      awaitInodeReuse();
      // dd runs before and after the ingest and the ratio uses the mean of both, so a load
      // that changes during the ingest weighs on both sides alike.
      const ddFile = path.join(work, 'dd-reference');
      const dd = (): number => {
        const ms = timeShell(`dd if=/dev/zero of='${ddFile}' bs=1M count=${Math.max(1, Math.round(largeBytes / (1 << 20)))} conv=fsync status=none`);
        rmSync(ddFile, { force: true });
        return ms;
      };
      const ddBefore = dd();
      const large = runIngest(path.join(work, 'large-root'), dir, 'large', 'v1', false);
      const ddAfter = dd();
      const ddMs = (ddBefore + ddAfter) / 2;
      const ingestMbs = large.bytes / 1e6 / (large.ms / 1000);
      const ddMbs = largeBytes / 1e6 / (ddMs / 1000);
      console.log(`\nlarge files: ${large.files} files, ${mb(large.bytes)} MB`);
      console.log(`  dd bs=1M conv=fsync:               ${sec(ddMs)} (${ddMbs.toFixed(0)} MB/s; before ${sec(ddBefore)}, after ${sec(ddAfter)})`);
      console.log(`  ontocat ingest, store and record:  ${sec(large.ms)} (${ingestMbs.toFixed(0)} MB/s), peak RSS ${large.max_rss_mb.toFixed(0)} MB`);
      console.log(`    phases: ${phaseLine(large)}`);
      console.log(`  ingest / dd + fsync throughput:    ${verdict(ingestMbs / ddMbs, 0.9, false)}`);
    }
    console.log('\nBulk insert of file rows against DuckDB alone doing the same inserts and commits: see the catalog bench (npm run bench -- catalog).');
    console.log(`load average at the end: ${loadavg().map((n) => n.toFixed(1)).join(', ')} (on ${availableParallelism()} cores); waited ${sec(settleWaitMs)} in all for a quiet disk before the timed steps, ${sec(inodeWaitMs)} for ext4 to reuse freed inodes`);
  } finally {
    removeLeftovers();
    for (const entry of readdirSync(work)) rmSync(path.join(work, entry), { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}
