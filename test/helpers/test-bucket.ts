import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { startS3rverProcess } from './s3rver-process.js';
import { makeTempRoot } from './temp-root.js';

/**
 * A bucket for tests: by default an s3rver (a real S3 protocol server from npm) started
 * on 127.0.0.1 in a child process, with its objects in a temp folder. With ONTOCAT_TEST_S3_ENDPOINT and
 * ONTOCAT_TEST_S3_BUCKET set, the same tests run against that endpoint instead (AWS S3,
 * MinIO, Ceph RGW, R2), each under a fresh random prefix it removes afterwards;
 * credentials then come from the usual AWS environment or profile.
 */
export interface TestBucket {
  readonly bucket: string;
  /** A fresh prefix for this test. */
  readonly prefix: string;
  /** `s3://bucket/prefix` */
  readonly url: string;
  readonly endpoint: string;
  readonly region: string;
  readonly pathStyle: boolean;
  /** Environment a child `ontocat` needs (credentials). */
  readonly env: NodeJS.ProcessEnv;
  /** A plain SDK client on the same bucket: the tests' independent view. */
  readonly client: S3Client;
  /** Every key under the prefix with its size, by a plain ListObjectsV2 walk. */
  list(under?: string): Promise<{ key: string; size: number }[]>;
  /** The bytes of one key, read directly. */
  get(key: string): Promise<Buffer>;
  put(key: string, body: Buffer | string): Promise<void>;
  remove(keys: readonly string[]): Promise<void>;
  /** The key of a content object. */
  casKey(sha256: string): string;
  close(): Promise<void>;
}

// The pinned SDK runs on Node 20; its notice about future releases is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** SHA-256 of bytes, hex. */
export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Starts (or attaches to) a test bucket. */
export async function startTestBucket(): Promise<TestBucket> {
  const external = process.env.ONTOCAT_TEST_S3_ENDPOINT;
  let stopServer: (() => Promise<void>) | null = null;
  let dir: string | null = null;
  let endpoint: string;
  let bucket: string;
  let region = process.env.ONTOCAT_TEST_S3_REGION ?? 'us-east-1';
  let pathStyle = process.env.ONTOCAT_TEST_S3_PATH_STYLE !== '0';
  const env: NodeJS.ProcessEnv = {};
  if (external) {
    endpoint = external;
    bucket = process.env.ONTOCAT_TEST_S3_BUCKET ?? '';
    if (!bucket) throw new Error('ONTOCAT_TEST_S3_ENDPOINT needs ONTOCAT_TEST_S3_BUCKET too.');
  } else {
    dir = mkdtempSync(path.join(tmpdir(), 'ontocat-s3rver-'));
    bucket = 'ontocat-test';
    const server = await startS3rverProcess(dir, bucket);
    stopServer = server.stop;
    endpoint = server.endpoint;
    region = 'us-east-1';
    pathStyle = true;
    // s3rver accepts its own fixed key pair; the app reads them through the SDK's env chain.
    env.AWS_ACCESS_KEY_ID = 'S3RVER';
    env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
    Object.assign(process.env, env);
  }
  const prefix = `ontocat-test-${randomBytes(6).toString('hex')}`;
  const client = new S3Client({
    region, endpoint, forcePathStyle: pathStyle, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const list = async (under = ''): Promise<{ key: string; size: number }[]> => {
    const out: { key: string; size: number }[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/${under}`, ContinuationToken: token }));
      for (const item of page.Contents ?? []) out.push({ key: item.Key!, size: Number(item.Size ?? 0) });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort((a, b) => (a.key < b.key ? -1 : 1));
  };
  const remove = async (keys: readonly string[]): Promise<void> => {
    for (let i = 0; i < keys.length; i += 1000) {
      await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })) } }));
    }
  };
  return {
    bucket, prefix, url: `s3://${bucket}/${prefix}`, endpoint, region, pathStyle, env, client, list, remove,
    async get(key) {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await out.Body!.transformToByteArray());
    },
    async put(key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    casKey: (sha) => `${prefix}/cas/sha256/${sha.slice(0, 2)}/${sha}`,
    async close() {
      if (external) await remove((await list()).map((item) => item.key)).catch(() => undefined);
      client.destroy();
      await stopServer?.();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What each bucket test gets afresh: a storage root, a folder for its sources, a bucket. */
export interface BucketRootFixture {
  readonly root: string;
  readonly scratch: string;
  readonly bucket: TestBucket;
}

/**
 * Gives every test of the calling file a fresh root, scratch folder and bucket (handed to
 * `take`), and removes them after it.
 */
export function useBucketRoot(label: string, take: (fixture: BucketRootFixture) => void): void {
  let cleanups: (() => Promise<void> | void)[] = [];
  beforeEach(async () => {
    const { root, cleanup } = makeTempRoot(label);
    const scratch = mkdtempSync(path.join(tmpdir(), `${label}-src-`));
    const bucket = await startTestBucket();
    cleanups = [() => bucket.close(), cleanup, () => rmSync(scratch, { recursive: true, force: true })];
    take({ root, scratch, bucket });
  });
  afterEach(async () => {
    for (const step of cleanups.splice(0)) await step();
  });
}

/** Polls until `check` holds (generous: the machine may be loaded). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 120_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** coreutils `stat -c '%a %i'` of a file: its mode and inode, to tell a link of the store's copy. */
export function modeAndInode(file: string): { mode: string; inode: string } {
  const [mode, inode] = execFileSync('stat', ['-c', '%a %i', file], { encoding: 'utf8' }).trim().split(' ');
  return { mode: mode!, inode: inode! };
}

/** Points a bucket root's storage config at a port that refuses every connection (127.0.0.1:9, discard). */
export function cutOffBucket(root: string): void {
  const configFile = path.join(root, '.ontocat-storage.json');
  writeFileSync(configFile, JSON.stringify({ ...JSON.parse(readFileSync(configFile, 'utf8')) as object, endpoint: 'http://127.0.0.1:9' }));
}
