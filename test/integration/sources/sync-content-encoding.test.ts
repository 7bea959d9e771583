/**
 * A server that applies a content coding although Ontocat asked for none (`Accept-Encoding:
 * identity`): the release is the file the server holds, decoded (RFC 9110 §8.4), not the
 * coded bytes under the file's name. A `.gz` file labelled with its own gzip (the classic
 * server setting) is kept as the file it is. The references: coreutils' sha256sum of the
 * real EDAM release and of the served .gz, and Python's gzip module, which wrote that .gz.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { syncSources } from '../../../electron/sources/sync.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const fixture = path.join(projectRoot, 'test', 'fixtures', 'edam', 'EDAM_1.0.obo');
const edam = readFileSync(fixture);
const answers = new Map<string, { body: Buffer; encoding: string }>();
let server: http.Server;
let base = '';
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const answer = answers.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (!answer) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-encoding': answer.encoding, 'content-length': answer.body.length, 'content-type': 'application/octet-stream' }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const sha256sum = (file: string): string => execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(/\s+/)[0]!;

describe('sync: a body in a content coding nobody asked for', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let session: Session;
  beforeEach(async () => {
    temp = makeTempRoot('ontocat-content-encoding');
    session = await openSession({ root: path.join(temp.root, 'root'), actor: 'test' });
    answers.clear();
  });
  afterEach(async () => {
    await session.close();
    temp.cleanup();
  });

  const syncOne = async (id: string, url: string) => {
    await session.call('sources:save', { spec: { id, service: id, artifacts: [{ type: 'url', url }] } });
    return (await syncSources(session.catalog, { ids: [id], trigger: 'cli', actor: 'test', fetch: { retries: 0 } })).runs[0]!;
  };
  const artifactOf = (service: string) => session.catalog.read((conn) => conn.one<{ fs_relpath: string; sha256: string; size_bytes: number }>(
    'SELECT fs_relpath, sha256, size_bytes FROM artifacts WHERE service = $1', [service]));

  it('a plain file sent gzip- or br-coded is recorded and stored as the file itself', async () => {
    const reference = sha256sum(fixture);
    answers.set('/gzip/edam.obo', { body: gzipSync(edam), encoding: 'gzip' });
    answers.set('/br/edam.obo', { body: brotliCompressSync(edam), encoding: 'br' });
    for (const id of ['gzip', 'br']) {
      const run = await syncOne(id, `${base}/${id}/edam.obo`);
      expect(run, id).toMatchObject({ status: 'changed', version: '1.0' });
      const artifact = (await artifactOf(id))!;
      expect(artifact, id).toMatchObject({ sha256: reference, size_bytes: edam.length });
      expect(sha256sum(path.join(session.root, ...artifact.fs_relpath.split('/'))), id).toBe(reference);
      expect(sha256sum(path.join(session.root, id, '1.0', 'data', 'edam.obo')), id).toBe(reference);
    }
  }, 120_000);

  it('a .gz file labelled Content-Encoding: gzip is kept as the .gz it is', async () => {
    const gz = path.join(temp.root, 'edam.obo.gz');
    execFileSync('python3', ['-c', 'import gzip,sys; open(sys.argv[2],"wb").write(gzip.compress(open(sys.argv[1],"rb").read()))', fixture, gz]);
    answers.set('/files/edam.obo.gz', { body: readFileSync(gz), encoding: 'gzip' });
    expect(await syncOne('gz', `${base}/files/edam.obo.gz`)).toMatchObject({ status: 'changed', version: '1.0' });
    expect(await artifactOf('gz')).toMatchObject({ sha256: sha256sum(gz), size_bytes: readFileSync(gz).length });
    expect(sha256sum(path.join(session.root, 'gz', '1.0', 'data', 'edam.obo'))).toBe(sha256sum(fixture));
  }, 120_000);

  it('a coding Ontocat cannot decode fails the run saying so; nothing is recorded', async () => {
    answers.set('/zstd/edam.obo', { body: edam, encoding: 'zstd' });
    const run = await syncOne('zstd', `${base}/zstd/edam.obo`);
    expect(run).toMatchObject({ status: 'failed', error_code: 'FETCH_FAILED' });
    expect(run.error_message).toContain('Content-Encoding zstd');
    expect(await artifactOf('zstd')).toBeNull();
  }, 120_000);
});
