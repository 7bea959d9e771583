/**
 * An object in the bucket whose bytes differ from the content its key names but whose size
 * is right (what `bucket doctor --deep` calls corrupt): `bucket push --deep` replaces it from
 * the local cache. Real CLI, real s3rver, Debian's EMBOSS files; the bucket read back and
 * hashed by the test's own client, the local files by coreutils sha256sum.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BucketDoctorReport, BucketPushResult } from '../../../electron/shared/contract/bucket.js';
import { runOntocat, runOntocatOk } from '../../helpers/run-cli.js';
import { sha256Hex, useBucketRoot, type TestBucket } from '../../helpers/test-bucket.js';
import { sha256sumOf } from '../../helpers/sync-fixtures.js';

let root: string;
let bucket: TestBucket;
let scratch: string;
useBucketRoot('ontocat-bucket-push-deep', (fixture) => ({ root, bucket, scratch } = fixture));

const EMBOSS = '/usr/share/EMBOSS/data';
const NAMES = ['EDAM.obo', 'EBLOSUM62', 'EPAM250'];


describe('bucket push --deep', { timeout: 240_000 }, () => {
  it('sends again an object the bucket holds at its size with other bytes, which a size-only push leaves', async () => {
    const env = bucket.env;
    const source = path.join(scratch, 'v1');
    mkdirSync(source, { recursive: true });
    for (const name of NAMES) copyFileSync(path.join(EMBOSS, name), path.join(source, name));
    runOntocatOk(['init', '--s3', bucket.url, '--endpoint', bucket.endpoint, '--region', bucket.region, '--path-style'], { root, env });
    runOntocatOk(['ingest', source, '--service', 'emboss', '--version', '1'], { root, env });

    // EPAM250's object now holds as many bytes of something else (bitrot, a bad copy by another tool).
    const epam = sha256sumOf(path.join(EMBOSS, 'EPAM250'));
    const size = (await bucket.get(bucket.casKey(epam))).length;
    await bucket.put(bucket.casKey(epam), Buffer.alloc(size, 'X'));
    expect(sha256Hex(await bucket.get(bucket.casKey(epam)))).not.toBe(epam);

    const doctor = runOntocat(['bucket', 'doctor', '--deep', '--json'], { root, env });
    expect(doctor.code).toBe(1);
    expect(doctor.json<BucketDoctorReport>().deep!.corrupt.map((item) => item.sha256)).toEqual([epam]);
    expect(runOntocat(['bucket', 'doctor', '--deep'], { root, env }).stdout).toContain('bucket push --deep');

    // A push by size sees nothing to do.
    expect(runOntocat(['bucket', 'push', '--json'], { root, env }).json<BucketPushResult>()).toMatchObject({ uploaded: 0, rehashed: null, corrupt: [] });
    const deep = runOntocat(['bucket', 'push', '--deep'], { root, env });
    expect(deep.code, deep.stderr).toBe(0);
    expect(deep.stdout).toContain('Uploaded 1 of 3 referenced objects');
    expect(deep.stdout).toContain('Re-hashed 3 objects the bucket held at their size: 1 held other bytes and was sent again.');

    // The test's own read of every object: each holds the bytes sha256sum gives the ingested file.
    for (const name of NAMES) {
      const sha = sha256sumOf(path.join(EMBOSS, name));
      expect(sha256Hex(await bucket.get(bucket.casKey(sha)))).toBe(sha);
    }
    expect(runOntocat(['bucket', 'doctor', '--deep', '--json'], { root, env }).json<BucketDoctorReport>()).toMatchObject({ ok: true });
  });
});
