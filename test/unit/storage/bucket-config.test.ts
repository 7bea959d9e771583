import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseBucketUrl, readStorageConfig, STORAGE_CONFIG_FILE, writeStorageConfig } from '../../../electron/storage/bucket-config.js';
import { BucketStore, isRetryable, mapBounded } from '../../../electron/storage/bucket-store.js';
import { OntocatError } from '../../../electron/shared/errors.js';

let root: string;
beforeEach(() => { root = mkdtempSync(path.join(tmpdir(), 'ontocat-bucket-config-')); });
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('bucket configuration', () => {
  it('parses s3://bucket/prefix and normalises the prefix and endpoint', () => {
    expect(parseBucketUrl('s3://my-bucket/a/b/', { endpoint: 'https://minio.example.org:9000/', region: 'eu-west-1', path_style: true })).toEqual({
      kind: 's3', bucket: 'my-bucket', prefix: 'a/b', endpoint: 'https://minio.example.org:9000', region: 'eu-west-1', path_style: true, profile: null,
    });
    expect(parseBucketUrl('s3://my-bucket', { region: 'auto' }).prefix).toBe('');
  });

  it('refuses what a service would refuse later, with the reason', () => {
    expect(() => parseBucketUrl('https://my-bucket/x')).toThrow(/s3:\/\/BUCKET/);
    expect(() => parseBucketUrl('s3://My_Bucket/x')).toThrow(/not a valid bucket name/);
    expect(() => parseBucketUrl('s3://my-bucket/a/../b')).toThrow(/'\.\.'/);
    expect(() => parseBucketUrl('s3://my-bucket/a', { endpoint: 'ftp://host' })).toThrow(/http\(s\)/);
    expect(() => parseBucketUrl('s3://my-bucket/a', { endpoint: 'not a url' })).toThrow(/not an endpoint URL/);
  });

  it('a root without the file is on local disk; the file round-trips and holds no secret', () => {
    expect(readStorageConfig(root)).toEqual({ kind: 'local' });
    const config = parseBucketUrl('s3://my-bucket/p', { endpoint: 'http://127.0.0.1:9000', path_style: true, region: 'us-east-1' });
    writeStorageConfig(root, config);
    expect(readStorageConfig(root)).toEqual(config);
    writeFileSync(path.join(root, STORAGE_CONFIG_FILE), '{ not json');
    expect(() => readStorageConfig(root)).toThrow(/not valid JSON/);
    writeFileSync(path.join(root, STORAGE_CONFIG_FILE), '{"kind":"gcs"}');
    expect(() => readStorageConfig(root)).toThrow(/'local' or 's3'/);
  });

  it('names content keys like the local store and recognises only well-formed ones', () => {
    const store = new BucketStore(parseBucketUrl('s3://my-bucket/team/a', { region: 'us-east-1' }));
    const sha = 'ab'.padEnd(64, '0');
    expect(store.keyOf(sha)).toBe(`team/a/cas/sha256/ab/${sha}`);
    expect(store.shaOfKey(`team/a/cas/sha256/ab/${sha}`)).toBe(sha);
    expect(store.shaOfKey(`team/a/cas/sha256/cd/${sha}`)).toBeNull();
    expect(store.shaOfKey(`team/a/cas/sha256/ab/${sha}.tmp`)).toBeNull();
    expect(() => store.keyOf('../etc')).toThrow(OntocatError);
    store.close();
  });

  it('retries only what is worth retrying, and bounds parallel work', async () => {
    expect(isRetryable(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetryable(new OntocatError('IO_ERROR', 'hash mismatch'))).toBe(false);
    let running = 0;
    let peak = 0;
    const out = await mapBounded(Array.from({ length: 40 }, (_, i) => i), 3, async (i) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 2));
      running -= 1;
      return i * 2;
    });
    expect(peak).toBe(3);
    expect(out).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
  });
});
