// Object storage against a real S3 protocol server (s3rver in a child process on
// 127.0.0.1, test/helpers/s3rver-process.ts), each Ontocat figure next to a reference run on the same server in the
// same run:
//   1. ingest of 10,000 small files into a bucket root  vs  the same PUTs with the bare SDK
//   2. ingest of 1 GB (4 files of 256 MB)              vs  the same uploads with lib-storage
//      (targets: Ontocat's throughput >= 0.8x the SDK's)
//   3. bucket doctor of a large bucket (list into DuckDB, compare with the catalog in SQL)
//      vs  a plain ListObjectsV2 walk of the same keys (target <= 1.5x)
// Sizes: ONTOCAT_BENCH_SCALE multiplies all; ONTOCAT_BENCH_S3_OBJECTS sets part 3's
// object counts (a comma list, default 100,000 x scale; ONTOCAT_BENCH_S3_ROUNDS rounds each); ONTOCAT_BENCH_S3_ONLY=10k-files,1GB,doctor picks
// parts. Ontocat uploads while it stages, so "upload tail" is what remains after staging.
// Run: npm run bench -- s3
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { bucketDoctor } from '../../electron/catalog/bucket-housekeeping.js';
import { replaceVersionFiles, upsertVersion, type NewFile } from '../../electron/catalog/write-records.js';
import { openSession, type Session } from '../../electron/handlers/session.js';
import { writeStorageConfig } from '../../electron/storage/bucket-config.js';
import { mapBounded, PART_SIZE } from '../../electron/storage/bucket-store.js';
import { UPLOAD_PARALLEL } from '../../electron/ingest/bucket-upload.js';
import { ingest } from '../../electron/ingest/ingest.js';
import { startS3rverProcess } from '../helpers/s3rver-process.js';
import { fmt, printTable, scaled } from './bench-utils.js';

const BUCKET = 'bench';
process.env.AWS_ACCESS_KEY_ID ??= 'S3RVER';
process.env.AWS_SECRET_ACCESS_KEY ??= 'S3RVER';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function sdkClient(endpoint: string): S3Client {
  return new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
}

/** CPU seconds (user + system) of this process and of the s3rver child so far: who the 2 cores went to. */
function cpuNow(serverPid: number | undefined): { client: number; server: number } {
  const own = process.cpuUsage();
  let server = 0;
  if (serverPid) {
    // /proc/PID/stat fields 14 and 15 (utime, stime) in clock ticks (100 a second on Linux).
    const fields = readFileSync(`/proc/${serverPid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    server = (Number(fields[11]) + Number(fields[12])) / 100;
  }
  return { client: (own.user + own.system) / 1e6, server };
}

/** CPU seconds spent between two `cpuNow` readings, as "client / s3rver". */
function cpuSpent(from: { client: number; server: number }, to: { client: number; server: number }): string {
  return `${(to.client - from.client).toFixed(1)} / ${(to.server - from.server).toFixed(1)}`;
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const casKey = (prefix: string, sha: string): string => `${prefix}/cas/sha256/${sha.slice(0, 2)}/${sha}`;

/** A root configured for the bench bucket under `prefix`, opened as a session. */
async function bucketRoot(work: string, name: string, endpoint: string, prefix: string): Promise<Session> {
  const root = path.join(work, name);
  mkdirSync(root, { recursive: true });
  writeStorageConfig(root, { kind: 's3', bucket: BUCKET, prefix, endpoint, region: 'us-east-1', path_style: true, profile: null });
  return openSession({ root, actor: 'bench' });
}

/**
 * Times the ingest boundary (stage, upload, one catalog commit) and the upload tail after
 * staging. Not `ingest:run`, which then validates the new version as a boundary of its own
 * (parsing 10,000 generated .obo files is no part of getting them into the bucket).
 */
async function timedIngest(session: Session, source: string, service: string): Promise<{ total: number; upload: number }> {
  let uploadStart = 0;
  let uploadEnd = 0;
  const started = performance.now();
  await ingest(session.catalog, source, {
    service, version: 'v1', actor: 'bench',
    onProgress: (event) => {
      if (event.phase === 'upload') {
        uploadStart ||= performance.now();
        uploadEnd = performance.now();
      }
    },
  });
  const total = performance.now() - started;
  return { total, upload: uploadEnd - uploadStart };
}

/** The same PUTs with the bare SDK (lib-storage for the large files), 8 at a time: the reference. */
async function sdkPuts(endpoint: string, prefix: string, hashed: readonly { path: string; size: number; sha: string }[], large: boolean): Promise<number> {
  const client = sdkClient(endpoint);
  const started = performance.now();
  await mapBounded(hashed, UPLOAD_PARALLEL, async (file) => {
    if (!large) {
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: casKey(prefix, file.sha), Body: createReadStream(file.path), ContentLength: file.size }));
    } else {
      await new Upload({ client, queueSize: 4, partSize: PART_SIZE, params: { Bucket: BUCKET, Key: casKey(prefix, file.sha), Body: createReadStream(file.path) } }).done();
    }
  });
  const ms = performance.now() - started;
  client.destroy();
  return ms;
}

async function ingestVsSdk(label: string, work: string, endpoint: string, files: readonly { path: string; size: number }[], source: string, large: boolean, serverPid?: number): Promise<Record<string, string | number>> {
  // The reference gets its hashes for free (computed before its clock starts), and runs
  // before and after Ontocat's ingest so a change of load in between shows.
  const hashed = files.map((file) => ({ ...file, sha: sha256(readFileSync(file.path)) }));
  const cpu0 = cpuNow(serverPid);
  const sdkBefore = await sdkPuts(endpoint, `ref-${label}-a`, hashed, large);
  const cpu1 = cpuNow(serverPid);
  const session = await bucketRoot(work, `root-${label}`, endpoint, `ontocat-${label}`);
  let result;
  try {
    result = await timedIngest(session, source, `bench-${label}`);
  } finally {
    await session.close();
  }
  const cpu2 = cpuNow(serverPid);
  const sdkAfter = await sdkPuts(endpoint, `ref-${label}-b`, hashed, large);
  const sdkMs = (sdkBefore + sdkAfter) / 2;
  // The same ingest into a local-disk root: what the bucket adds on top of it.
  const localRoot = path.join(work, `local-${label}`);
  const local = await openSession({ root: localRoot, actor: 'bench' });
  let localMs;
  try {
    localMs = (await timedIngest(local, source, `bench-${label}`)).total;
  } finally {
    await local.close();
  }
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  return {
    case: label, files: files.length, MB: (bytes / 1e6).toFixed(0),
    'sdk puts ms (before / after)': `${fmt(sdkBefore)} / ${fmt(sdkAfter)}`, 'ontocat ingest ms': fmt(result.total),
    'upload tail after staging ms': fmt(result.upload), 'local-disk ingest ms': fmt(localMs),
    'cpu s, sdk (client / s3rver)': cpuSpent(cpu0, cpu1), 'cpu s, ingest (client / s3rver)': cpuSpent(cpu1, cpu2),
    'ingest / sdk (throughput)': (sdkMs / result.total).toFixed(2),
  };
}

/**
 * Writes objects `from`..`to`-1 straight into s3rver's folder layout (PUTs of a million
 * objects take hours there): the object bytes and the `.md5` file s3rver reads for the
 * ETag (it would compute and write it during the first listing otherwise). No
 * `_S3rver_metadata.json`: s3rver treats it as optional (an object stored without a
 * Content-Type), and two files an object instead of three make the seeding a third
 * cheaper and every listing page (s3rver stats every file of the folder it resumes in)
 * lighter for the plain listing and doctor alike. Seeding is bench setup, not measured.
 */
function seedObjects(serverDir: string, prefix: string, from: number, to: number): NewFile[] {
  const files: NewFile[] = [];
  const made = new Set<string>();
  for (let i = from; i < to; i += 1) {
    const content = Buffer.from(`object ${i}\n`);
    const sha = sha256(content);
    const dir = path.join(serverDir, BUCKET, prefix, 'cas', 'sha256', sha.slice(0, 2));
    if (!made.has(dir)) { mkdirSync(dir, { recursive: true }); made.add(dir); }
    const base = path.join(dir, sha);
    writeFileSync(`${base}._S3rver_object`, content);
    writeFileSync(`${base}._S3rver_object.md5`, createHash('md5').update(content).digest('hex'));
    files.push({ relpath: `d${i % 1000}/f${i}.txt`, format: 'text', size_bytes: content.length, sha256: sha, cas_relpath: null });
  }
  return files;
}

async function plainListing(endpoint: string, prefix: string, maxPages = Infinity): Promise<{ ms: number; keys: number }> {
  const client = sdkClient(endpoint);
  const started = performance.now();
  let keys = 0;
  let token: string | undefined;
  let pages = 0;
  do {
    if (++pages > maxPages) break;
    const page = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${prefix}/cas/sha256/`, ContinuationToken: token, MaxKeys: 1000 }));
    keys += page.KeyCount ?? 0;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  const ms = performance.now() - started;
  client.destroy();
  return { ms, keys };
}

/** ONTOCAT_BENCH_S3_ONLY=10k-files,1GB,doctor runs only the named parts. */
function wanted(part: string): boolean {
  const only = process.env.ONTOCAT_BENCH_S3_ONLY;
  return !only || only.split(',').includes(part);
}

export async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'ontocat-s3-bench-'));
  const serverDir = path.join(work, 's3rver');
  mkdirSync(serverDir);
  const { endpoint, stop, child } = await startS3rverProcess(serverDir, BUCKET);
  try {
    // 1. Many small files.
    const smallCount = wanted('10k-files') ? scaled(10_000) : 0;
    const smallDir = path.join(work, 'small');
    const small: { path: string; size: number }[] = [];
    for (let i = 0; i < smallCount; i += 1) {
      const file = path.join(smallDir, `d${i % 100}`, `f${i}.obo`);
      if (i < 100) mkdirSync(path.dirname(file), { recursive: true });
      const data = randomBytes(1024 + (i % 2048));
      writeFileSync(file, data);
      small.push({ path: file, size: data.length });
    }
    // 2. 1 GB in four large files (multipart).
    const bigDir = path.join(work, 'big');
    mkdirSync(bigDir);
    const big: { path: string; size: number }[] = [];
    const bigSize = scaled(256 * 1024 * 1024, PART_SIZE * 2);
    for (let i = 0; i < (wanted('1GB') ? 4 : 0); i += 1) {
      const file = path.join(bigDir, `part${i}.owl`);
      const chunk = randomBytes(8 * 1024 * 1024);
      const out: Buffer[] = [];
      for (let written = 0; written < bigSize; written += chunk.length) out.push(Buffer.concat([Buffer.from(`${i}:${written}`), chunk.subarray(0, Math.min(chunk.length, bigSize - written) - String(`${i}:${written}`).length)]));
      writeFileSync(file, Buffer.concat(out));
      big.push({ path: file, size: bigSize });
    }
    const rows = [];
    if (wanted('10k-files')) rows.push(await ingestVsSdk('10k-files', work, endpoint, small, smallDir, false, child.pid));
    if (wanted('1GB')) rows.push(await ingestVsSdk('1GB', work, endpoint, big, bigDir, true, child.pid));
    printTable(rows);
    if (!wanted('doctor')) return;

    // 3. Doctor of a large bucket listing, at each size of ONTOCAT_BENCH_S3_OBJECTS (a
    // comma list, e.g. 100000,300000,1000000): the bucket grows from one size to the next,
    // so the per-page cost shows how each listing scales with the bucket.
    const sizes = (process.env.ONTOCAT_BENCH_S3_OBJECTS ?? String(scaled(100_000))).split(',').map(Number).sort((a, b) => a - b);
    const rounds = Number(process.env.ONTOCAT_BENCH_S3_ROUNDS ?? 2);
    const session = await bucketRoot(work, 'root-doctor', endpoint, 'doctor');
    const files: NewFile[] = [];
    const timings: Record<string, string | number>[] = [];
    try {
      await plainListing(endpoint, 'warm-up'); // the SDK's first request loads and sets up more than a page costs
      for (const objects of sizes) {
        const seedStart = performance.now();
        for (const file of seedObjects(serverDir, 'doctor', files.length, objects)) files.push(file); // no push(...), whose arguments overflow the stack past ~120,000
        console.log(`seeded objects up to ${objects} into s3rver's folder in ${fmt(performance.now() - seedStart)} ms (load ${loadavg().map((n) => n.toFixed(1)).join(' ')})`);
        await session.catalog.write(async (tx) => {
          await upsertVersion(tx, { service: 'big', version: 'v1' });
          await replaceVersionFiles(tx, { service: 'big', version: 'v1' }, files);
        });
        const pages = Math.ceil(objects / 1000);
        for (let round = 1; round <= rounds; round += 1) {
          const plain = await plainListing(endpoint, 'doctor');
          const started = performance.now();
          const report = await bucketDoctor(session.catalog, {});
          const doctorMs = performance.now() - started;
          if (report.listed !== objects || plain.keys !== objects || !report.ok) throw new Error(`doctor listed ${report.listed}, plain ${plain.keys}, ok=${report.ok}`);
          const row = {
            objects, round, 'plain ListObjectsV2 ms': fmt(plain.ms), 'bucket doctor ms': fmt(doctorMs),
            'plain ms / page': fmt(plain.ms / pages), 'doctor ms / page': fmt(doctorMs / pages), 'doctor / plain': (doctorMs / plain.ms).toFixed(2),
            load: loadavg()[0]!.toFixed(1),
          };
          console.log(JSON.stringify(row));
          timings.push(row);
        }
      }
      printTable(timings);
      // ONTOCAT_BENCH_S3_PROBE=N: grow the bucket on to N objects and time only the first
      // ONTOCAT_BENCH_S3_PROBE_PAGES (default 50) pages of a plain listing: what one page
      // costs s3rver at a size where a whole listing takes too long to run here.
      const probe = Number(process.env.ONTOCAT_BENCH_S3_PROBE ?? 0);
      if (probe > files.length) {
        const seedStart = performance.now();
        seedObjects(serverDir, 'doctor', files.length, probe);
        console.log(`seeded objects up to ${probe} in ${fmt(performance.now() - seedStart)} ms`);
        const probePages = Number(process.env.ONTOCAT_BENCH_S3_PROBE_PAGES ?? 50);
        const first = await plainListing(endpoint, 'doctor', probePages);
        console.log(JSON.stringify({ objects: probe, 'pages listed': probePages, 'plain ms': fmt(first.ms), 'plain ms / page': fmt(first.ms / probePages), load: loadavg()[0]!.toFixed(1) }));
      }
    } finally {
      await session.close();
    }
  } finally {
    await stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
