// Ingest throughput: many small files and a few large ones, against `find | xargs sha256sum`
// on the same tree and Node's raw SHA-256 speed, measured in the same run.
//   ONTOCAT_BENCH_SCALE=0.05 npx tsx test/bench/run.ts ingest
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, openSync, rmSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const scale = Number(process.env.ONTOCAT_BENCH_SCALE ?? '1') || 1;

function generateSmall(dir: string, count: number): number {
  let bytes = 0;
  const pool = randomBytes(1 << 20);
  for (let i = 0; i < count; i += 1) {
    const sub = path.join(dir, `d${Math.floor(i / 500)}`, `e${Math.floor(i / 50) % 10}`);
    if (i % 50 === 0) mkdirSync(sub, { recursive: true });
    const size = 1024 + ((i * 7919) % (7 * 1024));
    const start = (i * 104729) % (pool.length - size);
    writeFileSync(path.join(sub, `f${i}.nt`), pool.subarray(start, start + size));
    bytes += size;
  }
  return bytes;
}

function generateLarge(dir: string, totalBytes: number, files = 4): number {
  mkdirSync(dir, { recursive: true });
  const chunk = randomBytes(8 << 20);
  const per = Math.floor(totalBytes / files);
  for (let f = 0; f < files; f += 1) {
    const fd = openSync(path.join(dir, `big${f}.nq`), 'w');
    // Vary the content per file so the store cannot deduplicate them.
    chunk.writeUInt32LE(f, 0);
    for (let written = 0; written < per;) {
      const n = Math.min(chunk.length, per - written);
      writeSync(fd, chunk, 0, n);
      written += n;
    }
    closeSync(fd);
  }
  return per * files;
}

function timeShell(command: string): number {
  const started = process.hrtime.bigint();
  const result = spawnSync('bash', ['-c', command], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`reference command failed: ${command}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Flushes earlier writes (the generated trees) so that no timed step pays for them. */
function settleDisk(): void {
  spawnSync('sync', { stdio: 'ignore' });
}

function runIngest(root: string, source: string, version: string): { ms: number; files: number; bytes: number; max_rss_mb: number } {
  settleDisk();
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'ingest-child.ts'), root, source, 'bench', version], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ingest child failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!);
}

async function nodeSha256(files: readonly string[]): Promise<number> {
  const started = process.hrtime.bigint();
  for (const file of files) {
    const hash = createHash('sha256');
    await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), hash);
  }
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);

export async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'ontocat-bench-ingest-'));
  try {
    const smallCount = Math.max(100, Math.round(100_000 * scale));
    const largeBytes = Math.max(8 << 20, Math.round(1e9 * scale));
    console.log(`scale ${scale}: ${smallCount} small files (1-8 KB), ${mb(largeBytes)} MB in 4 large files`);

    const smallDir = path.join(work, 'small');
    const smallBytes = generateSmall(smallDir, smallCount);
    settleDisk();
    const refSmall = timeShell(`find '${smallDir}' -type f -print0 | xargs -0 sha256sum > /dev/null`);
    settleDisk();
    // Ingest must write every new file (store object + hardlink); a plain copy shows what
    // the disk alone costs for that, beside the read-only hashing reference.
    const copySmall = timeShell(`cp -r '${smallDir}' '${path.join(work, 'copy-small')}' && sync -f '${work}'`);
    const small = runIngest(path.join(work, 'root-small'), smallDir, 'small');
    console.log(`small files: ${small.files} files, ${mb(smallBytes)} MB`);
    console.log(`  find | xargs sha256sum: ${refSmall.toFixed(0)} ms (${Math.round(smallCount / (refSmall / 1000))} files/s)`);
    console.log(`  cp -r + sync (writes):  ${copySmall.toFixed(0)} ms`);
    console.log(`  ontocat ingest:         ${small.ms.toFixed(0)} ms (${Math.round(small.files / (small.ms / 1000))} files/s, ${mb(small.bytes / (small.ms / 1000))} MB/s), peak RSS ${small.max_rss_mb.toFixed(0)} MB`);
    console.log(`  ratio ingest / reference wall time: ${(small.ms / refSmall).toFixed(2)}x (target <= 1.5x)`);

    const largeDir = path.join(work, 'large');
    generateLarge(largeDir, largeBytes);
    const largeFiles = [0, 1, 2, 3].map((i) => path.join(largeDir, `big${i}.nq`));
    settleDisk();
    const rawMs = await nodeSha256(largeFiles);
    settleDisk();
    const refLarge = timeShell(`find '${largeDir}' -type f -print0 | xargs -0 sha256sum > /dev/null`);
    const large = runIngest(path.join(work, 'root-large'), largeDir, 'large');
    const rawMbs = largeBytes / 1e6 / (rawMs / 1000);
    const ingestMbs = large.bytes / 1e6 / (large.ms / 1000);
    console.log(`large files: ${large.files} files, ${mb(large.bytes)} MB`);
    console.log(`  node raw SHA-256:       ${rawMs.toFixed(0)} ms (${rawMbs.toFixed(0)} MB/s)`);
    console.log(`  find | xargs sha256sum: ${refLarge.toFixed(0)} ms (${(largeBytes / 1e6 / (refLarge / 1000)).toFixed(0)} MB/s)`);
    console.log(`  ontocat ingest:         ${large.ms.toFixed(0)} ms (${ingestMbs.toFixed(0)} MB/s), peak RSS ${large.max_rss_mb.toFixed(0)} MB`);
    console.log(`  ratio ingest / raw SHA-256 throughput: ${(ingestMbs / rawMbs).toFixed(2)}x (target >= 0.8x)`);
    // The disk's own ceiling: ingest must write every byte durably once, so it can never
    // beat a sequential write + fsync of the same amount.
    const ddFile = path.join(work, 'dd-reference');
    settleDisk();
    const ddMs = timeShell(`dd if=/dev/zero of='${ddFile}' bs=8M count=${Math.max(1, Math.round(largeBytes / (8 << 20)))} conv=fsync status=none`);
    rmSync(ddFile, { force: true });
    const ddMbs = largeBytes / 1e6 / (ddMs / 1000);
    console.log(`  dd write + fsync:       ${ddMs.toFixed(0)} ms (${ddMbs.toFixed(0)} MB/s): ingest reaches ${(ingestMbs / ddMbs).toFixed(2)}x of the disk's durable write speed`);
    const peak = Math.max(small.max_rss_mb, large.max_rss_mb);
    console.log(`peak RSS ${peak.toFixed(0)} MB (target < 500 MB)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
