import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MULTIPART_THRESHOLD } from '../../../electron/storage/bucket-store.js';
import { runOntocatAsync } from '../../helpers/run-cli.js';
import { sessionOn } from '../../helpers/temp-root.js';
import { sha256Hex, useBucketRoot, type TestBucket } from '../../helpers/test-bucket.js';

let root: string;
let bucket: TestBucket;
let scratch: string;
const withSession = sessionOn(() => root);
useBucketRoot('ontocat-bucket-crash', (fixture) => ({ root, bucket, scratch } = fixture));

/** A real `ontocat` child; s3rver runs in this process, so the call must not block it. */
function cli(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  return runOntocatAsync([...args, '--json'], { root, env: { ...bucket.env, ...env } });
}

describe('the bucket through the real CLI', () => {
  it('kill -9 in the middle of a multipart upload leaves no referenced or half-written object; a re-run completes', async () => {
    const init = await cli(['init', '--s3', bucket.url, '--endpoint', bucket.endpoint, '--region', bucket.region, '--path-style']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.json<{ storage: { kind: string; url: string } }>().storage).toMatchObject({ kind: 's3', url: bucket.url });
    const status = await cli(['bucket', 'status']);
    expect(status.json<{ kind: string; path_style: boolean }>()).toMatchObject({ kind: 's3', path_style: true });

    const source = path.join(scratch, 'release');
    mkdirSync(source, { recursive: true });
    const big = randomBytes(MULTIPART_THRESHOLD * 2 + 12345);
    writeFileSync(path.join(source, 'big.owl'), big);
    const small = Array.from({ length: 20 }, (_, i) => `term ${i}\n`);
    small.forEach((text, i) => writeFileSync(path.join(source, `t${i}.obo`), text));

    const crashed = await cli(['ingest', source, '--service', 'go', '--version', 'v1'], { ONTOCAT_CRASH_AT: 'bucket:mid-upload' });
    expect(crashed.code, `expected SIGKILL mid-upload; stderr: ${crashed.stderr}`).toBe(-1);

    // The big object never appeared under its key; whatever did appear is complete.
    const keys = await bucket.list('cas/');
    expect(keys.map((item) => item.key)).not.toContain(bucket.casKey(sha256Hex(big)));
    for (const item of keys) expect(bucket.casKey(sha256Hex(await bucket.get(item.key)))).toBe(item.key);
    // And the catalog references none of it.
    await withSession(async (session) => {
      expect((await session.call('versions:list', {})).total).toBe(0);
      const report = await session.call('bucket:doctor', {});
      expect(report).toMatchObject({ referenced: 0, missing_count: 0, size_mismatch_count: 0, unreferenced_count: keys.length });
    });

    const rerun = await cli(['ingest', source, '--service', 'go', '--version', 'v1']);
    expect(rerun.code, rerun.stderr).toBe(0);
    const doctor = await cli(['bucket', 'doctor', '--deep']);
    expect(doctor.code, doctor.stdout).toBe(0);
    expect(doctor.json<{ ok: boolean; referenced: number; deep: { checked: number } }>()).toMatchObject({ ok: true, referenced: 21, deep: { checked: 21 } });
    expect(sha256Hex(await bucket.get(bucket.casKey(sha256Hex(big))))).toBe(sha256Hex(big));

    // Checkout from the bucket alone: a fresh cache-less view of the same root.
    rmSync(path.join(root, '.cas'), { recursive: true, force: true });
    const out = path.join(scratch, 'out');
    const checkout = await cli(['checkout', 'go/v1', out]);
    expect(checkout.code, checkout.stderr).toBe(0);
    expect(checkout.json<{ files: number; downloaded: number }>()).toMatchObject({ files: 21, downloaded: 21 });
    expect(sha256Hex(readFileSync(path.join(out, 'big.owl')))).toBe(sha256Hex(big));
    small.forEach((text, i) => expect(readFileSync(path.join(out, `t${i}.obo`), 'utf8')).toBe(text));

    // Bucket GC through the CLI: plan (nothing moves), then apply.
    const plan = await cli(['bucket', 'prune']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.json<{ objects: number }>().objects).toBe(0);
  }, 600_000); // seven CLI runs and a 33 MB multipart upload: minutes at load 20
});
