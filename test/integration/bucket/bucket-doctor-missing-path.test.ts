/**
 * `ontocat bucket doctor` names, for each object missing from the bucket, a file that holds
 * it: a path GNU find finds under the root, whose sha256sum is the missing object's name;
 * and says when its table shows only the first of them.
 * Real CLI, real s3rver, Debian's EMBOSS files in two versions of one service.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BucketDoctorReport } from '../../../electron/shared/contract/bucket.js';
import { runOntocat, runOntocatOk } from '../../helpers/run-cli.js';
import { sha256Hex, useBucketRoot, type TestBucket } from '../../helpers/test-bucket.js';

let root: string;
let bucket: TestBucket;
let scratch: string;
useBucketRoot('ontocat-bucket-doctor-path', (fixture) => ({ root, bucket, scratch } = fixture));

const EMBOSS = '/usr/share/EMBOSS/data';

function source(name: string, files: Record<string, string>): string {
  const dir = path.join(scratch, name);
  for (const [relpath, from] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, relpath)), { recursive: true });
    copyFileSync(path.join(EMBOSS, from), path.join(dir, relpath));
  }
  return dir;
}

describe('bucket doctor', { timeout: 240_000 }, () => {
  it('names a file of each missing object by its path under the root, as GNU find finds it', async () => {
    const env = bucket.env;
    runOntocatOk(['init', '--s3', bucket.url, '--endpoint', bucket.endpoint, '--region', bucket.region, '--path-style'], { root, env });
    runOntocatOk(['ingest', source('v1', { 'matrices/EBLOSUM62': 'EBLOSUM62', 'EDAM.obo': 'EDAM.obo' }), '--service', 'emboss', '--version', '1'], { root, env });
    runOntocatOk(['ingest', source('v2', { 'matrices/EBLOSUM62': 'EBLOSUM62', 'matrices/EPAM250': 'EPAM250' }), '--service', 'emboss', '--version', '2'], { root, env });
    const gone = ['EBLOSUM62', 'EPAM250'].map((name) => sha256Hex(readFileSync(path.join(EMBOSS, name))));
    await bucket.remove(gone.map((sha) => bucket.casKey(sha)));
    const run = runOntocat(['bucket', 'doctor', '--json'], { root, env });
    expect(run.code, run.stderr).toBe(1);
    const report = run.json<BucketDoctorReport>();
    expect(report.missing.map((item) => item.sha256).sort()).toEqual([...gone].sort());
    for (const item of report.missing) {
      // GNU find: the example is a file under the root, and sha256sum says it holds the missing object.
      const found = spawnSync('find', ['.', '-type', 'f', '-path', `./${item.example}`], { cwd: root, encoding: 'utf8' });
      expect(found.stdout.trim(), item.example).toBe(`./${item.example}`);
      const sum = spawnSync('sha256sum', [item.example], { cwd: root, encoding: 'utf8' });
      expect(sum.stdout.split(' ')[0]).toBe(item.sha256);
    }
    // The first in byte order among the versions holding it.
    expect(report.missing.find((item) => item.sha256 === gone[0])!.example).toBe('emboss/1/data/matrices/EBLOSUM62');
    const human = runOntocat(['bucket', 'doctor'], { root, env });
    expect(human.stdout).toContain('emboss/2/data/matrices/EPAM250');
  });

  it('says how many of the missing objects its table shows when it cannot show them all', async () => {
    const env = bucket.env;
    // Sixty of Debian's EMBOSS data files; sha256sum says how many distinct contents they are.
    const names = readdirSync(EMBOSS, { withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => entry.name).sort().slice(0, 60);
    const dir = source('many', Object.fromEntries(names.map((name) => [name, name])));
    const sums = spawnSync('sh', ['-c', 'sha256sum * | cut -c1-64 | sort -u | wc -l'], { cwd: dir, encoding: 'utf8' });
    const distinct = Number(sums.stdout.trim());
    expect(distinct).toBeGreaterThan(50);
    runOntocatOk(['init', '--s3', bucket.url, '--endpoint', bucket.endpoint, '--region', bucket.region, '--path-style'], { root, env });
    runOntocatOk(['ingest', dir, '--service', 'emboss', '--version', '1'], { root, env });
    const listed = await bucket.list('cas/');
    expect(listed).toHaveLength(distinct);
    await bucket.remove(listed.map((item) => item.key));

    const run = runOntocat(['bucket', 'doctor'], { root, env });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${distinct} referenced objects are MISSING`);
    const rows = run.stdout.split('\n').filter((line) => /^[0-9a-f]{64} /.test(line));
    expect(rows).toHaveLength(50);
    expect(run.stdout).toContain(`(the first 50 of ${distinct} by SHA-256)`);
  });
});
