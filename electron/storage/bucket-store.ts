import type * as ClientS3 from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OntocatError } from '../shared/errors.js';
import { fsyncDir, tempPathFor } from './atomic-write.js';
import type { BucketConfig } from './bucket-config.js';
import { crashPoint } from './crash-point.js';

type ClientModule = typeof ClientS3;
let sdkModule: Promise<ClientModule> | null = null;

/**
 * The AWS SDK, loaded on first use: it takes about a second to load on a busy machine,
 * and no command on a local-disk root should pay for it.
 */
export function loadSdk(): Promise<ClientModule> {
  sdkModule ??= import('@aws-sdk/client-s3');
  return sdkModule;
}

/** An S3 service error's HTTP status, or null for anything else. */
function serviceStatus(error: unknown): number | null {
  const meta = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  return meta && typeof meta.httpStatusCode === 'number' ? meta.httpStatusCode : (meta ? 0 : null);
}

/** Objects at least this large go up in parts (`putLarge`), each part checksummed. */
export const MULTIPART_THRESHOLD = 16 * 1024 * 1024;
/** Part size of a multipart upload; parts of one object go up `PART_QUEUE` at a time. */
export const PART_SIZE = 16 * 1024 * 1024;
const PART_QUEUE = 4;
/** Whole-object attempts (a streamed body cannot be replayed by the SDK's own retry). */
const OBJECT_ATTEMPTS = 4;
const BACKOFF_MS = 200;

/** The key area of content objects, relative to the prefix. */
export const CAS_AREA = 'cas/sha256';
/** The key area where bucket GC moves unreferenced objects, one folder per plan. */
export const TRASH_AREA = 'trash';

/** One listed object. */
export interface BucketObject {
  readonly key: string;
  readonly size: number;
}

const shaPattern = /^[0-9a-f]{64}$/;

/** True for failures worth another try: throttling, 5xx, dropped connections. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof OntocatError) return false;
  const status = serviceStatus(error);
  if (status !== null) {
    const name = (error as Error).name;
    return status >= 500 || status === 429 || name === 'SlowDown' || name === 'RequestTimeout';
  }
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET'].includes(code) || (error as Error).name === 'TimeoutError';
}

/** Runs `task` up to `attempts` times, waiting 200 ms, 400 ms, 800 ms… (with jitter) between tries. */
export async function withRetries<T>(task: () => Promise<T>, attempts = OBJECT_ATTEMPTS, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await task();
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error) || signal?.aborted) throw error;
      const wait = BACKOFF_MS * 2 ** (attempt - 1) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/**
 * Runs `task` over `items` with at most `limit` running at once, in order of start;
 * the first failure stops new starts and is thrown once the running ones settle.
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>, signal?: AbortSignal): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failure: unknown = null;
  const worker = async (): Promise<void> => {
    while (failure === null && next < items.length) {
      if (signal?.aborted) throw new OntocatError('CANCELLED', 'Cancelled.');
      const index = next++;
      try {
        out[index] = await task(items[index]!, index);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, () => worker()));
  if (failure !== null) throw failure;
  return out;
}

/**
 * 16 MiB part buffers kept for reuse by large uploads. A fresh buffer a part costs a page
 * fault per 4 KiB on first touch, which in this kind of VM was seconds of a 1 GB upload;
 * at most `POOLED_PARTS` wait here, any more in flight at once are made and dropped.
 */
const partBuffers: Buffer[] = [];
const POOLED_PARTS = 8;

function takePartBuffer(): Buffer {
  return partBuffers.pop() ?? Buffer.allocUnsafeSlow(PART_SIZE);
}

function returnPartBuffer(buffer: Buffer): void {
  if (partBuffers.length < POOLED_PARTS) partBuffers.push(buffer);
}

/** Reads exactly `target.length` bytes at `position`, or fails: the file is shorter than it was. */
async function readExactly(handle: FileHandle, target: Buffer, position: number, expected: string): Promise<void> {
  let filled = 0;
  while (filled < target.length) {
    const { bytesRead } = await handle.read(target, filled, target.length - filled, position + filled);
    if (bytesRead === 0) {
      throw new OntocatError('IO_ERROR', `The local copy of ${expected} changed while it was uploaded (it ended at byte ${position + filled}); nothing was stored.`, { bad_local_copy: expected });
    }
    filled += bytesRead;
  }
}

/** `ab…` hex SHA-256 → base64, as S3's `x-amz-checksum-sha256` wants it. */
export function sha256Base64(sha256: string): string {
  return Buffer.from(sha256, 'hex').toString('base64');
}

/**
 * The content objects of a root on an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, R2).
 *
 * Keys: `<prefix>/cas/sha256/<ab>/<sha256>`, the same names as the local store. Objects
 * are immutable and named by their content, so a PUT is idempotent and an object under
 * its final key is always complete: S3 makes a PUT or a multipart upload visible only
 * when it finishes.
 */
export class BucketStore {
  private clientMade: Promise<S3Client> | null = null;
  private made: S3Client | null = null;

  constructor(readonly config: BucketConfig) {}

  /** The S3 client, made (and the SDK loaded) on first use. */
  private client(): Promise<S3Client> {
    this.clientMade ??= makeS3Client(this.config).then((client) => { this.made = client; return client; });
    return this.clientMade;
  }

  /** `<prefix>/` or '' */
  get base(): string {
    return this.config.prefix === '' ? '' : `${this.config.prefix}/`;
  }

  /** The key of a content object. */
  keyOf(sha256: string): string {
    if (!shaPattern.test(sha256)) throw new OntocatError('BAD_INPUT', `'${sha256}' is not a SHA-256.`);
    return `${this.base}${CAS_AREA}/${sha256.slice(0, 2)}/${sha256}`;
  }

  /** The SHA-256 a content key names, or null for a key that is not a well-formed content key. */
  shaOfKey(key: string): string | null {
    const prefix = `${this.base}${CAS_AREA}/`;
    if (!key.startsWith(prefix)) return null;
    const match = /^([0-9a-f]{2})\/([0-9a-f]{64})$/.exec(key.slice(prefix.length));
    return match && match[2]!.startsWith(match[1]!) ? match[2]! : null;
  }

  /** `<prefix>/trash/<plan-id>/` */
  trashPrefix(planId: string): string {
    return `${this.base}${TRASH_AREA}/${planId}/`;
  }

  /** Fails with a clear message when the bucket cannot be reached with these settings and credentials. */
  async check(): Promise<void> {
    try {
      await (await this.client()).send(new (await loadSdk()).HeadBucketCommand({ Bucket: this.config.bucket }));
    } catch (error) {
      throw bucketError(error, `reach bucket ${this.config.bucket}`);
    }
  }

  /** The size of a content object, or null when it is absent. */
  async head(sha256: string): Promise<number | null> {
    try {
      const out = await withRetries(async () => (await this.client()).send(new (await loadSdk()).HeadObjectCommand({ Bucket: this.config.bucket, Key: this.keyOf(sha256) })));
      return out.ContentLength ?? 0;
    } catch (error) {
      if (serviceStatus(error) === 404 || (error as Error).name === 'NotFound') return null;
      throw bucketError(error, `look up ${sha256}`);
    }
  }

  /**
   * The content objects under one two-hex-digit key folder (`cas/sha256/<ab>/`) by SHA-256
   * with their sizes, from one listing request; null when the folder holds more than one
   * page (1,000 keys), where looking up each object is cheaper than listing the folder.
   */
  async contentFolder(ab: string, signal?: AbortSignal): Promise<Map<string, number> | null> {
    if (!/^[0-9a-f]{2}$/.test(ab)) throw new OntocatError('BAD_INPUT', `'${ab}' is not a content key folder.`);
    const prefix = `${this.base}${CAS_AREA}/${ab}/`;
    const page = await withRetries(async () => (await this.client()).send(new (await loadSdk()).ListObjectsV2Command({
      Bucket: this.config.bucket, Prefix: prefix, MaxKeys: 1000,
    }), { abortSignal: signal }), OBJECT_ATTEMPTS, signal).catch((error: unknown) => { throw bucketError(error, `list ${prefix}`); });
    if (page.IsTruncated) return null;
    const found = new Map<string, number>();
    for (const item of page.Contents ?? []) {
      const sha256 = this.shaOfKey(item.Key ?? '');
      if (sha256) found.set(sha256, Number(item.Size ?? 0));
    }
    return found;
  }

  /**
   * Uploads a local file as the content object of `sha256`.
   *
   * Small objects: one PUT carrying `x-amz-checksum-sha256`, which S3 checks against the
   * bytes it received (`putSmall`). Large ones: a multipart upload with a SHA-256 checksum
   * per part (each part checked by the service and retried on its own); the whole-file
   * hash of the bytes sent is checked before completing, and a mismatch aborts the upload
   * (`putLarge`). A failed upload is retried whole with backoff, re-reading the file.
   */
  async put(sha256: string, file: string, size: number, onBytes?: (bytes: number) => void, signal?: AbortSignal): Promise<void> {
    if (size < MULTIPART_THRESHOLD) {
      await this.putSmall(sha256, file, size, onBytes, signal);
      return;
    }
    const key = this.keyOf(sha256);
    let sent = 0;
    const count = (bytes: number): void => { sent += bytes; onBytes?.(bytes); };
    await withRetries(async () => {
      // Progress of a failed attempt is taken back, so retries do not inflate the total.
      if (sent > 0) { onBytes?.(-sent); sent = 0; }
      await this.putLarge(sha256, key, file, size, count, signal);
    }, OBJECT_ATTEMPTS, signal).catch(async (error: unknown) => {
      await this.removeIfIncomplete(key, size);
      throw bucketError(error, `upload ${sha256}`);
    });
  }

  /**
   * One multipart upload of a large local file: parts read in order into reused buffers,
   * `PART_QUEUE` of them in flight, each sent with its SHA-256 (`x-amz-checksum-sha256`,
   * checked by the service) and retried on its own from its buffer. The whole file's
   * SHA-256 is computed from the same buffers as they are read and checked before
   * CompleteMultipartUpload: a local copy that changed under the upload is never
   * completed (servers such as s3rver check no part checksum). Any failure aborts the
   * multipart upload, so no part is left behind.
   *
   * Not lib-storage's `Upload`: it copies every byte of a stream body into a fresh buffer
   * a part (Buffer.concat) and hashes each part again on top of the whole-object check;
   * together that was about half of the main thread's time in a 1 GB ingest.
   */
  private async putLarge(sha256: string, key: string, file: string, size: number, count: (bytes: number) => void, signal?: AbortSignal): Promise<void> {
    const sdk = await loadSdk();
    const client = await this.client();
    const bucket = this.config.bucket;
    const cut = new AbortController();
    const onAbort = (): void => cut.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const created = await withRetries(async () => client.send(new sdk.CreateMultipartUploadCommand({
        Bucket: bucket, Key: key, ChecksumAlgorithm: 'SHA256', ContentType: 'application/octet-stream',
      }), { abortSignal: cut.signal }), OBJECT_ATTEMPTS, cut.signal);
      const uploadId = created.UploadId;
      if (!uploadId) throw new OntocatError('IO_ERROR', `The bucket started no multipart upload for ${sha256}.`);
      try {
        const parts = await this.sendParts({ sha256, key, uploadId, file, size, count, cut });
        await withRetries(async () => client.send(new sdk.CompleteMultipartUploadCommand({
          Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts },
        }), { abortSignal: cut.signal }), OBJECT_ATTEMPTS, cut.signal);
      } catch (error) {
        cut.abort();
        await client.send(new sdk.AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
        throw error;
      }
    } catch (error) {
      throw signal?.aborted ? new OntocatError('CANCELLED', 'Upload cancelled.') : error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Sends the parts of one multipart upload and returns them in order for completion,
   * after checking that the bytes sent are the file's SHA-256 and size.
   */
  private async sendParts(upload: {
    sha256: string; key: string; uploadId: string; file: string; size: number; count: (bytes: number) => void; cut: AbortController;
  }): Promise<{ PartNumber: number; ETag: string; ChecksumSHA256: string }[]> {
    const { sha256, key, uploadId, file, size, count, cut } = upload;
    const sdk = await loadSdk();
    const client = await this.client();
    const handle = await open(file, 'r');
    const whole = createHash('sha256');
    const partCount = Math.ceil(size / PART_SIZE);
    const done: { PartNumber: number; ETag: string; ChecksumSHA256: string }[] = [];
    // Reads run one after another in part order, so the whole-file hash sees the bytes in order.
    let reads: Promise<void> = Promise.resolve();
    let sent = 0;
    let crashed = false;
    try {
      await mapBounded(Array.from({ length: partCount }, (_, index) => index), PART_QUEUE, async (index) => {
        const buffer = takePartBuffer();
        const body = buffer.subarray(0, Math.min(PART_SIZE, size - index * PART_SIZE));
        reads = reads.then(async () => {
          await readExactly(handle, body, index * PART_SIZE, sha256);
          whole.update(body);
        });
        let part: { PartNumber: number; ETag: string; ChecksumSHA256: string };
        try {
          await reads;
          const checksum = createHash('sha256').update(body).digest('base64');
          const out = await withRetries(async () => client.send(new sdk.UploadPartCommand({
            Bucket: this.config.bucket, Key: key, UploadId: uploadId, PartNumber: index + 1, Body: body, ContentLength: body.length, ChecksumSHA256: checksum,
          }), { abortSignal: cut.signal }), OBJECT_ATTEMPTS, cut.signal);
          part = { PartNumber: index + 1, ETag: out.ETag ?? '', ChecksumSHA256: out.ChecksumSHA256 ?? checksum };
        } catch (error) {
          // The other parts in flight stop too; the first failure is what the caller sees.
          cut.abort();
          throw error;
        }
        done.push(part);
        // Only a buffer whose request ended cleanly is reused (an aborted one may still be queued on a socket).
        returnPartBuffer(buffer);
        sent += body.length;
        count(body.length);
        // Tests kill the process here, half way through a large object.
        if (!crashed && sent * 2 >= size) {
          crashed = true;
          crashPoint('bucket:mid-upload');
        }
      }, cut.signal);
      const actual = whole.digest('hex');
      const now = (await handle.stat()).size;
      if (actual !== sha256 || now !== size) {
        throw new OntocatError('IO_ERROR', `The local copy of ${sha256} changed while it was uploaded (read ${size} bytes hashing to ${actual}, the file now ${now} bytes); nothing was stored.`, { bad_local_copy: sha256 });
      }
      return done.sort((a, b) => a.PartNumber - b.PartNumber);
    } finally {
      await handle.close();
    }
  }

  /**
   * One PUT of an object under the multipart threshold, from memory: the file is read
   * whole and its SHA-256 checked before anything is sent (a changed local copy is never
   * uploaded), then sent with `x-amz-checksum-sha256` for the service to check again. A
   * buffer instead of a stream costs one read and no per-file 1 MiB stream buffer, which
   * dominated for many small files; at most 8 such bodies (under 16 MiB each) are held.
   */
  private async putSmall(sha256: string, file: string, size: number, onBytes?: (bytes: number) => void, signal?: AbortSignal): Promise<void> {
    const key = this.keyOf(sha256);
    await withRetries(async () => {
      if (signal?.aborted) throw new OntocatError('CANCELLED', 'Cancelled.');
      const body = await readFile(file, { signal });
      const actual = createHash('sha256').update(body).digest('hex');
      if (actual !== sha256 || body.length !== size) {
        throw new OntocatError('IO_ERROR', `The local copy of ${sha256} changed before it was uploaded (${body.length} bytes hashing to ${actual}); nothing was stored.`, { bad_local_copy: sha256 });
      }
      await (await this.client()).send(new (await loadSdk()).PutObjectCommand({
        Bucket: this.config.bucket, Key: key, Body: body, ContentLength: size, ChecksumSHA256: sha256Base64(sha256),
        ContentType: 'application/octet-stream',
      }), { abortSignal: signal });
      onBytes?.(size);
    }, OBJECT_ATTEMPTS, signal).catch(async (error: unknown) => {
      await this.removeIfIncomplete(key, size);
      throw bucketError(error, `upload ${sha256}`);
    });
  }

  /**
   * After a failed upload, removes what a server left under the key if it is not the
   * whole object. S3 itself never shows a cut-short PUT; some S3-compatible test servers
   * (s3rver) store the bytes they got.
   */
  private async removeIfIncomplete(key: string, size: number): Promise<void> {
    try {
      const out = await (await this.client()).send(new (await loadSdk()).HeadObjectCommand({ Bucket: this.config.bucket, Key: key }));
      if ((out.ContentLength ?? 0) !== size) await this.deleteKeys([key]);
    } catch {
      // Absent, or the service is unreachable: nothing references the key either way.
    }
  }

  /**
   * Downloads a content object to `target` atomically (temp file, hash check, fsync,
   * rename); a download whose bytes do not hash to `sha256` is refused and leaves nothing.
   */
  async download(sha256: string, target: string, onBytes?: (bytes: number) => void, signal?: AbortSignal): Promise<number> {
    await mkdir(path.dirname(target), { recursive: true });
    return withRetries(async () => {
      const temp = tempPathFor(target);
      try {
        // Read-only, as every object of the local store (file-worker-pool writes them 0444): a
        // linked checkout of it must not let an editor change the cache's bytes in place.
        const size = await this.downloadTo(sha256, createWriteStream(temp, { flags: 'wx', mode: 0o444 }), onBytes, signal);
        await rename(temp, target);
        fsyncDir(path.dirname(target));
        return size;
      } catch (error) {
        await unlink(temp).catch(() => undefined);
        throw error;
      }
    }, OBJECT_ATTEMPTS, signal).catch((error: unknown) => { throw bucketError(error, `download ${sha256}`); });
  }

  /** Re-reads a content object and returns the SHA-256 and size of what the bucket holds. */
  async rehash(sha256: string, onBytes?: (bytes: number) => void, signal?: AbortSignal): Promise<{ sha256: string; size: number } | null> {
    try {
      const out = await withRetries(async () => (await this.client()).send(new (await loadSdk()).GetObjectCommand({ Bucket: this.config.bucket, Key: this.keyOf(sha256) }), { abortSignal: signal }));
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of out.Body as Readable) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
        onBytes?.((chunk as Buffer).length);
      }
      return { sha256: hash.digest('hex'), size };
    } catch (error) {
      if (serviceStatus(error) === 404 || (error as Error).name === 'NoSuchKey') return null;
      throw bucketError(error, `read ${sha256}`);
    }
  }

  private async downloadTo(sha256: string, sink: NodeJS.WritableStream, onBytes?: (bytes: number) => void, signal?: AbortSignal): Promise<number> {
    const out = await (await this.client()).send(new (await loadSdk()).GetObjectCommand({ Bucket: this.config.bucket, Key: this.keyOf(sha256) }), { abortSignal: signal });
    const hash = createHash('sha256');
    let size = 0;
    const check = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        onBytes?.(chunk.length);
        callback(null, chunk);
      },
      flush(callback) {
        const actual = hash.digest('hex');
        callback(actual === sha256 ? null : new OntocatError('IO_ERROR', `The bucket's object ${sha256} holds other bytes (they hash to ${actual}); run 'ontocat bucket doctor --deep'.`));
      },
    });
    await pipeline(out.Body as Readable, check, sink);
    return size;
  }

  /**
   * Lists every key under `<prefix>/<area>/`, one page (up to 1,000 keys) at a time; the
   * next page is requested while the caller handles this one.
   */
  async *pages(area: string, signal?: AbortSignal): AsyncGenerator<BucketObject[]> {
    const prefix = `${this.base}${area}`;
    let token: string | undefined;
    const fetchPage = (continuation: string | undefined) => withRetries(async () => (await this.client()).send(new (await loadSdk()).ListObjectsV2Command({
      Bucket: this.config.bucket, Prefix: prefix, ContinuationToken: continuation, MaxKeys: 1000,
    }), { abortSignal: signal }), OBJECT_ATTEMPTS, signal);
    let pending = fetchPage(undefined);
    for (;;) {
      const page = await pending.catch((error: unknown) => { throw bucketError(error, `list ${prefix}`); });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      if (token) pending = fetchPage(token);
      yield (page.Contents ?? []).map((item) => ({ key: item.Key ?? '', size: Number(item.Size ?? 0) }));
      if (!token) return;
      if (signal?.aborted) throw new OntocatError('CANCELLED', 'Cancelled.');
    }
  }

  /** Copies one key to another inside the bucket (server-side). */
  async copy(from: string, to: string): Promise<void> {
    await withRetries(async () => (await this.client()).send(new (await loadSdk()).CopyObjectCommand({
      Bucket: this.config.bucket, Key: to, CopySource: `${this.config.bucket}/${from.split('/').map(encodeURIComponent).join('/')}`,
    }))).catch((error: unknown) => { throw bucketError(error, `copy ${from} to ${to}`); });
  }

  /** Deletes keys, 1,000 per request; a missing key is not an error. */
  async deleteKeys(keys: readonly string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += 1000) {
      const batch = keys.slice(start, start + 1000);
      const out = await withRetries(async () => (await this.client()).send(new (await loadSdk()).DeleteObjectsCommand({
        Bucket: this.config.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
      }))).catch((error: unknown) => { throw bucketError(error, `delete ${batch.length} objects`); });
      if (out.Errors && out.Errors.length > 0) {
        throw new OntocatError('IO_ERROR', `The bucket refused to delete ${out.Errors.length} objects (first: ${out.Errors[0]!.Key}: ${out.Errors[0]!.Message ?? out.Errors[0]!.Code ?? 'error'}).`);
      }
    }
  }

  /** Closes the client's sockets (a client never made needs nothing). */
  close(): void {
    this.made?.destroy();
  }
}

/** An S3 client for a bucket configuration; credentials come from the SDK's standard chain. */
export async function makeS3Client(config: BucketConfig): Promise<S3Client> {
  // The pinned SDK supports Node 20 (package.json engines); its notice about future SDK
  // releases needing Node 22 would otherwise print on every CLI command that uses a bucket.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { S3Client } = await loadSdk();
  return new S3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.path_style,
    ...(config.profile ? { profile: config.profile } : {}),
    maxAttempts: 4,
    retryMode: 'standard',
    // Checksums only where asked for: the content checksum (SHA-256) is set explicitly on
    // every upload; the SDK's default CRC32 trailer (aws-chunked) is not understood by
    // every S3-compatible server.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** An OntocatError with what was being done and what the service said. */
export function bucketError(error: unknown, doing: string): Error {
  if (error instanceof OntocatError) return error;
  const status = serviceStatus(error);
  if (status !== null) {
    const code = status === 404 ? 'NOT_FOUND' : 'IO_ERROR';
    return new OntocatError(code, `Could not ${doing}: ${(error as Error).name}${status ? ` (HTTP ${status})` : ''}: ${(error as Error).message}`);
  }
  const cause = error as NodeJS.ErrnoException;
  if (cause.name === 'CredentialsProviderError') {
    return new OntocatError('IO_ERROR', `Could not ${doing}: no AWS credentials found (set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or a role).`);
  }
  return new OntocatError('IO_ERROR', `Could not ${doing}: ${cause.code ?? cause.name}: ${cause.message}`);
}
