// Issue 18 item 3, the rest: xz decodes in a worker thread, so a corrupt stream fails like a
// corrupt .gz and a slow or hung decode can be abandoned (cancel, jobs:cancel, SIGTERM).
// Every archive is made by Debian's `xz` here; the test skips where there is none.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../electron/catalog/open-catalog.js';
import { ingest } from '../../../electron/ingest/ingest.js';
import { xzDecodeStream } from '../../../electron/ingest/xz-worker.js';
import { rawRequest, type RawResponse } from '../../helpers/http-request.js';
import { cliBin } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { listTree, makeTarXz, writeTree } from './archive-fixtures.js';

const hasXz = spawnSync('xz', ['--version']).status === 0 && spawnSync('tar', ['--version']).status === 0;
/** Zero bytes in the big archive's one file: ~10 s of decoding on a quiet machine, a 150 KB archive. */
const BIG_BYTES = 1_000_000_000;
const noRatio = { maxRatio: 1e9 };

const ingestLeftovers = (root: string): string[] => {
  try { return readdirSync(path.join(root, '.tmp')).filter((name) => name.startsWith('ingest-')); } catch { return []; }
};

describe.skipIf(!hasXz)('xz decoding in an abandonable worker thread (issue 18 item 3)', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let src: string;
  let small: string;
  let big: string;
  beforeAll(async () => {
    temp = makeTempRoot('ontocat-xz');
    src = path.join(temp.root, 'src');
    // Random hex barely compresses, so offsets in the archive are offsets in the data.
    writeTree(path.join(src, 'tree'), { 'one.nt': randomBytes(400_000).toString('hex'), 'two.ttl': '@prefix ex: <http://example.org/> .\n' });
    small = path.join(src, 'small.tar.xz');
    expect(await makeTarXz(small, path.join(src, 'tree'))).toBe(true);
    // A sparse 1 GB file of zeros, tarred and compressed by GNU tar and xz.
    big = path.join(src, 'big.tar.xz');
    const made = spawnSync('sh', ['-c', `cd "${src}" && truncate -s ${BIG_BYTES} zeros.bin && tar -cf - zeros.bin | xz -0 -T1 -c > big.tar.xz && rm zeros.bin`]);
    expect(made.status, made.stderr.toString()).toBe(0);
  }, 300_000);
  afterAll(() => temp.cleanup());

  it('a truncated or bit-flipped .tar.xz fails with a clear BAD_INPUT at every offset, nothing kept, the writer free', async () => {
    const root = path.join(temp.root, 'corrupt-root');
    const catalog = await openCatalog({ root, app: 'test', threads: 1 });
    try {
      const raw = readFileSync(small);
      const flips = [0, 4, 8, 14, 24, Math.floor(raw.length * 0.25), Math.floor(raw.length * 0.5), Math.floor(raw.length * 0.75), raw.length - 40, raw.length - 12, raw.length - 3];
      const cuts = [1, 12, 40, Math.floor(raw.length * 0.5), raw.length - 1];
      const cases: { name: string; bytes: Buffer; reason: RegExp }[] = [
        ...flips.map((at) => {
          const copy = Buffer.from(raw);
          copy[at] = copy[at]! ^ 0x10;
          return { name: `flip-${at}.tar.xz`, bytes: copy, reason: at < 6 ? /not an xz stream/ : /corrupt|not an xz stream/ };
        }),
        ...cuts.map((length) => ({ name: `cut-${length}.tar.xz`, bytes: raw.subarray(0, length), reason: /ends early \(truncated\)/ })),
      ];
      const took: string[] = [];
      for (const item of cases) {
        const file = path.join(src, item.name);
        writeFileSync(file, item.bytes);
        const started = Date.now();
        const error = await ingest(catalog, file, { service: 'svc', version: 'bad' }).then(() => null, (caught: unknown) => caught);
        took.push(`${item.name} ${Date.now() - started} ms`);
        expect(error, item.name).toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(new RegExp(`Cannot read the archive ${item.name.replace(/\./g, '\\.')}: xz: `)) });
        expect((error as Error).message, item.name).toMatch(item.reason);
        expect(listTree(path.join(root, '.tmp')).filter((p) => !p.startsWith('duckdb')), item.name).toEqual([]);
      }
      process.stdout.write(`corrupt .tar.xz refused: ${took.join(', ')}\n`);
      expect(await catalog.read((conn) => conn.scalar<number>('SELECT count(*) FROM versions'))).toBe(0);
      // The writer is free and the intact archive ingests.
      await expect(ingest(catalog, small, { service: 'svc', version: 'good' })).resolves.toMatchObject({ status: 'ingested', files: 2 });
    } finally {
      await catalog.close();
    }
  }, 300_000);

  it('destroying the decode stream mid-way ends its thread', async () => {
    let exited = false;
    const stream = xzDecodeStream(big, { onThreadExit: () => { exited = true; } });
    let bytes = 0;
    for await (const chunk of stream) {
      bytes += (chunk as Buffer).length;
      if (bytes > 20_000_000) break; // leaving the loop destroys the stream
    }
    expect(bytes).toBeLessThan(BIG_BYTES);
    await expect.poll(() => exited, { timeout: 30_000 }).toBe(true);
  }, 120_000);

  it('cancelling an ingest mid-decode of a 1 GB .tar.xz stops it, removes its work folder and frees the writer', async () => {
    const root = path.join(temp.root, 'cancel-root');
    const catalog = await openCatalog({ root, app: 'test', threads: 1 });
    try {
      const controller = new AbortController();
      let decoding = false;
      const run = ingest(catalog, big, {
        service: 'big', version: '1', limits: noRatio, signal: controller.signal,
        onProgress: (progress) => { if (progress.phase === 'scan') decoding = true; },
      });
      await expect.poll(() => decoding, { timeout: 60_000, interval: 50 }).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 500));
      controller.abort();
      await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(ingestLeftovers(root)).toEqual([]);
      expect(await catalog.read((conn) => conn.scalar<number>('SELECT count(*) FROM versions'))).toBe(0);
      await expect(ingest(catalog, small, { service: 'svc', version: 'next' })).resolves.toMatchObject({ status: 'ingested' });
    } finally {
      await catalog.close();
    }
  }, 300_000);

  it('`ontocat serve`: jobs:cancel stops a decoding ingest, and SIGTERM mid-decode exits with the lock released and no work folder', async () => {
    const root = path.join(temp.root, 'serve-root');
    const child = spawn(process.execPath, [cliBin, 'serve', '--json', '--root', root], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ONTOCAT_MAX_RATIO: '1000000000' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => stdout.includes('\n'), { timeout: 60_000, interval: 100 }).toBe(true);
      const started = JSON.parse(stdout.split('\n')[0]!) as { url: string; port: number };
      const token = new URL(started.url).searchParams.get('token')!;
      const call = (channel: string, body: unknown): Promise<RawResponse> => rawRequest(started.port, {
        method: 'POST', path: `/api/${channel}`, headers: { 'x-ontocat-token': token, 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
      const decodingJob = async (): Promise<string> => {
        let id = '';
        await expect.poll(async () => {
          const jobs = (await call('jobs:list', {})).json<{ data: { job_id: string; kind: string; state: string }[] }>().data;
          id = jobs.find((job) => job.kind === 'ingest' && job.state === 'running')?.job_id ?? '';
          return id !== '' && ingestLeftovers(root).length === 1;
        }, { timeout: 60_000, interval: 100 }).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 500));
        return id;
      };

      const first = call('ingest:run', { source: big, service: 'big', version: '1' });
      const jobId = await decodingJob();
      expect((await call('jobs:cancel', { job_id: jobId })).status).toBe(200);
      expect((await first).json()).toMatchObject({ ok: false, code: 'CANCELLED' });
      expect(ingestLeftovers(root)).toEqual([]);
      // The writer is free: the next ingest goes through.
      expect((await call('ingest:run', { source: small, service: 'svc', version: '1' })).json()).toMatchObject({ ok: true, data: { status: 'ingested' } });

      void call('ingest:run', { source: big, service: 'big', version: '2' }).catch(() => undefined);
      await decodingJob();
      child.kill('SIGTERM');
      expect(await exited, stderr).toBe(0);
      expect(existsSync(path.join(root, '.ontocat.lock'))).toBe(false);
      expect(ingestLeftovers(root)).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 300_000);
});
