import { readFileSync } from 'node:fs';
import path from 'node:path';
import { OntocatError } from '../shared/errors.js';
import { writeFileAtomicSync } from './atomic-write.js';

/** The file under the root that says where its content objects live (`ontocat init --s3`). */
export const STORAGE_CONFIG_FILE = '.ontocat-storage.json';

/**
 * Where a root keeps its content objects: local disk, or an S3-compatible bucket.
 *
 * Credentials are never stored: the AWS SDK's standard chain (environment, shared
 * config/credentials files and profiles, SSO, instance or container roles) supplies them.
 */
export type StorageConfig =
  | { readonly kind: 'local' }
  | {
    readonly kind: 's3';
    readonly bucket: string;
    /** Key prefix inside the bucket, without leading or trailing slash ('' for the bucket's top). */
    readonly prefix: string;
    /** `https://…` for MinIO, Ceph RGW, R2 or a test server; null for AWS S3 itself. */
    readonly endpoint: string | null;
    readonly region: string;
    /** Path-style addressing (`endpoint/bucket/key`), which MinIO and Ceph RGW usually need. */
    readonly path_style: boolean;
    /** AWS shared-config profile to take credentials from; null for the default chain. */
    readonly profile: string | null;
  };

export type BucketConfig = Extract<StorageConfig, { kind: 's3' }>;

const bucketName = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Cleans a key prefix: no leading/trailing slash, no empty, `.` or `..` segments. */
export function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  const parts = trimmed.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..')) {
    throw new OntocatError('BAD_INPUT', `'${prefix}' is not a usable key prefix (empty, '.' or '..' segments).`);
  }
  return parts.join('/');
}

/**
 * Parses `s3://bucket/prefix` plus options into a bucket configuration, refusing what an
 * S3 service would refuse later (bad bucket names, odd endpoints) with a clear message.
 */
export function parseBucketUrl(url: string, options: { endpoint?: string | null; region?: string | null; path_style?: boolean; profile?: string | null } = {}): BucketConfig {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url.trim());
  if (!match) throw new OntocatError('BAD_INPUT', `'${url}' is not a bucket address; write s3://BUCKET or s3://BUCKET/PREFIX.`);
  const bucket = match[1]!;
  if (!bucketName.test(bucket)) throw new OntocatError('BAD_INPUT', `'${bucket}' is not a valid bucket name (3-63 lower-case letters, digits, dots and hyphens).`);
  let endpoint: string | null = options.endpoint ?? null;
  if (endpoint !== null) {
    let parsed: URL;
    try {
      parsed = new URL(endpoint);
    } catch {
      throw new OntocatError('BAD_INPUT', `'${endpoint}' is not an endpoint URL; write e.g. https://minio.example.org:9000.`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new OntocatError('BAD_INPUT', `The endpoint must be http(s), not ${parsed.protocol}`);
    endpoint = parsed.origin;
  }
  return {
    kind: 's3', bucket, prefix: normalisePrefix(match[2] ?? ''), endpoint,
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    path_style: options.path_style ?? false, profile: options.profile ?? null,
  };
}

/** Reads the root's storage configuration; a root without one keeps its objects on local disk. */
export function readStorageConfig(root: string): StorageConfig {
  let text: string;
  try {
    text = readFileSync(path.join(root, STORAGE_CONFIG_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'local' };
    throw error;
  }
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new OntocatError('BAD_INPUT', `${path.join(root, STORAGE_CONFIG_FILE)} is not valid JSON; fix it or run 'ontocat init --s3 …' again.`);
  }
  if (raw.kind === 'local') return { kind: 'local' };
  if (raw.kind !== 's3' || typeof raw.bucket !== 'string') {
    throw new OntocatError('BAD_INPUT', `${path.join(root, STORAGE_CONFIG_FILE)} names no storage kind this version knows ('local' or 's3').`);
  }
  return parseBucketUrl(`s3://${raw.bucket}/${typeof raw.prefix === 'string' ? raw.prefix : ''}`, {
    endpoint: typeof raw.endpoint === 'string' ? raw.endpoint : null,
    region: typeof raw.region === 'string' ? raw.region : null,
    path_style: raw.path_style === true,
    profile: typeof raw.profile === 'string' ? raw.profile : null,
  });
}

/** Writes the root's storage configuration atomically. */
export function writeStorageConfig(root: string, config: StorageConfig): void {
  writeFileAtomicSync(path.join(root, STORAGE_CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
}

/** The bucket of a root, or null when its objects are on local disk. */
export function bucketOf(root: string): BucketConfig | null {
  const config = readStorageConfig(root);
  return config.kind === 's3' ? config : null;
}
