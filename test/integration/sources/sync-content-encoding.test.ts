/**
 * A server that applies a content coding although Ontocat asked for none (`Accept-Encoding:
 * identity`): the release is the file the server holds, decoded (RFC 9110 §8.4), not the
 * coded bytes under the file's name. A `.gz` file labelled with its own gzip (the classic
 * server setting) is kept as the file it is. The references: coreutils' sha256sum of the
 * real EDAM release and of the served .gz, and Python's gzip module, which wrote that .gz.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { syncSources } from '../../../electron/sources/sync.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { localHttpServer, sessionPerTest } from '../../helpers/sync-fixtures.js';

const fixture = path.join(projectRoot, 'test', 'fixtures', 'edam', 'EDAM_1.0.obo');
const edam = readFileSync(fixture);
const answers = new Map<string, { body: Buffer; encoding: string }>();
const local = localHttpServer((req, res) => {
  const answer = answers.get(new URL(req.url ?? '/', 'http://x').pathname);
  if (!answer) { res.writeHead(404).end(); return; }
  res.writeHead(200, { 'content-encoding': answer.encoding, 'content-length': answer.body.length, 'content-type': 'application/octet-stream' }).end(answer.body);
});

const sha256sum = (file: string): string => execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(/\s+/)[0]!;

describe('sync: a body in a content coding nobody asked for', () => {
  const live = sessionPerTest('ontocat-content-encoding');
  beforeEach(() => {
    answers.clear();
  });

  const syncOne = async (id: string, url: string) => {
    await live.session.call('sources:save', { spec: { id, service: id, artifacts: [{ type: 'url', url }] } });
    return (await syncSources(live.session.catalog, { ids: [id], trigger: 'cli', actor: 'test', fetch: { retries: 0 } })).runs[0]!;
  };
  const artifactOf = (service: string) => live.session.catalog.read((conn) => conn.one<{ fs_relpath: string; sha256: string; size_bytes: number }>(
    'SELECT fs_relpath, sha256, size_bytes FROM artifacts WHERE service = $1', [service]));

  it('a plain file sent gzip- or br-coded is recorded and stored as the file itself', async () => {
    const reference = sha256sum(fixture);
    answers.set('/gzip/edam.obo', { body: gzipSync(edam), encoding: 'gzip' });
    answers.set('/br/edam.obo', { body: brotliCompressSync(edam), encoding: 'br' });
    for (const id of ['gzip', 'br']) {
      const run = await syncOne(id, `${local.base}/${id}/edam.obo`);
      expect(run, id).toMatchObject({ status: 'changed', version: '1.0' });
      const artifact = (await artifactOf(id))!;
      expect(artifact, id).toMatchObject({ sha256: reference, size_bytes: edam.length });
      expect(sha256sum(path.join(live.session.root, ...artifact.fs_relpath.split('/'))), id).toBe(reference);
      expect(sha256sum(path.join(live.session.root, id, '1.0', 'data', 'edam.obo')), id).toBe(reference);
    }
  }, 120_000);

  it('a .gz file labelled Content-Encoding: gzip is kept as the .gz it is', async () => {
    const gz = path.join(live.temp.root, 'edam.obo.gz');
    execFileSync('python3', ['-c', 'import gzip,sys; open(sys.argv[2],"wb").write(gzip.compress(open(sys.argv[1],"rb").read()))', fixture, gz]);
    answers.set('/files/edam.obo.gz', { body: readFileSync(gz), encoding: 'gzip' });
    expect(await syncOne('gz', `${local.base}/files/edam.obo.gz`)).toMatchObject({ status: 'changed', version: '1.0' });
    expect(await artifactOf('gz')).toMatchObject({ sha256: sha256sum(gz), size_bytes: readFileSync(gz).length });
    expect(sha256sum(path.join(live.session.root, 'gz', '1.0', 'data', 'edam.obo'))).toBe(sha256sum(fixture));
  }, 120_000);

  it('a .gz gzip-coded again on the wire (a server compressing every response) is stored as the .gz the server holds, as curl --compressed saves it', async () => {
    const gz = path.join(live.temp.root, 'edam.obo.gz');
    execFileSync('python3', ['-c', 'import gzip,sys; open(sys.argv[2],"wb").write(gzip.compress(open(sys.argv[1],"rb").read()))', fixture, gz]);
    answers.set('/twice/edam.obo.gz', { body: gzipSync(readFileSync(gz)), encoding: 'gzip' });
    const url = `${local.base}/twice/edam.obo.gz`;
    // curl, asked to undo the content coding, saves the file the server holds.
    const curled = path.join(live.temp.root, 'curled.obo.gz');
    // (asynchronously: the server answering it runs in this process)
    await promisify(execFile)('curl', ['-sS', '--compressed', '-o', curled, url]);
    expect(sha256sum(curled)).toBe(sha256sum(gz));
    expect(await syncOne('twice', url)).toMatchObject({ status: 'changed', version: '1.0' });
    expect(await artifactOf('twice')).toMatchObject({ sha256: sha256sum(curled), size_bytes: readFileSync(gz).length });
    expect(sha256sum(path.join(live.session.root, 'twice', '1.0', 'data', 'edam.obo'))).toBe(sha256sum(fixture));
  }, 120_000);

  it('a file sent deflate-coded without the zlib wrapper (raw deflate, as some servers send it) is stored as the file, as curl --compressed saves it', async () => {
    answers.set('/raw/edam.obo', { body: deflateRawSync(edam), encoding: 'deflate' });
    answers.set('/zlib/edam.obo', { body: deflateSync(edam), encoding: 'deflate' });
    for (const id of ['raw', 'zlib']) {
      const url = `${local.base}/${id}/edam.obo`;
      // (asynchronously: the server answering it runs in this process)
      const curled = path.join(live.temp.root, `curled-${id}.obo`);
      await promisify(execFile)('curl', ['-sS', '--compressed', '-o', curled, url]);
      expect(sha256sum(curled), id).toBe(sha256sum(fixture));
      expect(await syncOne(id, url), id).toMatchObject({ status: 'changed', version: '1.0' });
      expect(await artifactOf(id), id).toMatchObject({ sha256: sha256sum(curled), size_bytes: edam.length });
    }
  }, 120_000);

  it('a coding Ontocat cannot decode fails the run saying so; nothing is recorded', async () => {
    answers.set('/zstd/edam.obo', { body: edam, encoding: 'zstd' });
    const run = await syncOne('zstd', `${local.base}/zstd/edam.obo`);
    expect(run).toMatchObject({ status: 'failed', error_code: 'FETCH_FAILED' });
    expect(run.error_message).toContain('Content-Encoding zstd');
    expect(await artifactOf('zstd')).toBeNull();
  }, 120_000);
});
