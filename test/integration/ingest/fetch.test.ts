import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { fetchArtifact } from '../../../electron/ingest/fetch-artifact.js';
import { ingest } from '../../../electron/ingest/ingest.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { runOntocatAsync } from '../../helpers/run-cli.js';
import { listTree } from './archive-fixtures.js';

const body = Buffer.from('<http://example.org/a> <http://example.org/p> "x" .\n'.repeat(200));
const sha = createHash('sha256').update(body).digest('hex');

/** A real HTTP server on 127.0.0.1 whose behaviour each test scripts per path. */
type Script = (req: http.IncomingMessage, res: http.ServerResponse, hit: number) => void;
const scripts = new Map<string, Script>();
const hits = new Map<string, number>();
const seenHeaders = new Map<string, http.IncomingHttpHeaders[]>();
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const hit = (hits.get(url) ?? 0) + 1;
    hits.set(url, hit);
    seenHeaders.set(url, [...(seenHeaders.get(url) ?? []), req.headers]);
    const script = scripts.get(url);
    if (!script) { res.statusCode = 404; res.end(); return; }
    script(req, res, hit);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => { await new Promise((resolve) => server.close(resolve)); });

const ok: Script = (req, res) => {
  if (req.headers['if-none-match'] === '"v1"') { res.statusCode = 304; res.end(); return; }
  res.writeHead(200, { 'content-type': 'application/n-triples', 'content-length': body.length, etag: '"v1"', 'last-modified': 'Wed, 01 Jan 2025 00:00:00 GMT' });
  res.end(body);
};

describe('fetchArtifact against a local HTTP server', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let catalog: Catalog;
  beforeEach(async () => {
    temp = makeTempRoot('ontocat-fetch');
    catalog = await openCatalog({ root: temp.root, app: 'test', threads: 1 });
    scripts.clear();
    hits.clear();
    seenHeaders.clear();
  });
  afterEach(async () => {
    await catalog.close();
    temp.cleanup();
  });
  const fast = { retries: 3, backoffMs: 10, timeoutMs: 2000 };

  it('downloads (200), then re-uses the stored bytes on 304 (status cached)', async () => {
    scripts.set('/go.nt', ok);
    const first = await fetchArtifact(catalog, `${base}/go.nt`, { service: 'go', version: 'v1', ...fast });
    expect(first).toMatchObject({ status: 'fresh', size_bytes: body.length, sha256: sha, fs_relpath: 'go/v1/archives/go.nt', attempts: 1 });
    expect(readFileSync(path.join(temp.root, 'go/v1/archives/go.nt'))).toEqual(body);

    const second = await fetchArtifact(catalog, `${base}/go.nt`, { service: 'go', version: 'v2', ...fast });
    expect(second).toMatchObject({ status: 'cached', sha256: sha, fs_relpath: 'go/v2/archives/go.nt' });
    expect(seenHeaders.get('/go.nt')![1]!['if-none-match']).toBe('"v1"');
    expect(seenHeaders.get('/go.nt')![1]!['if-modified-since']).toBe('Wed, 01 Jan 2025 00:00:00 GMT');
    expect(readFileSync(path.join(temp.root, 'go/v2/archives/go.nt'))).toEqual(body);
    const rows = await catalog.read((conn) => conn.all<{ version: string; status: string }>(
      'SELECT v.version, a.status FROM artifacts a JOIN versions v USING (version_id) ORDER BY v.version',
    ));
    expect(rows).toEqual([{ version: 'v1', status: 'fresh' }, { version: 'v2', status: 'cached' }]);
  });

  it('retries 5xx and succeeds', async () => {
    scripts.set('/flaky.nt', (req, res, hit) => {
      if (hit < 3) { res.statusCode = 503; res.end('busy'); return; }
      ok(req, res, hit);
    });
    const result = await fetchArtifact(catalog, `${base}/flaky.nt`, { service: 'go', version: 'v1', ...fast });
    expect(result).toMatchObject({ status: 'fresh', attempts: 3, sha256: sha });
  });

  it('retries a connection reset and succeeds', async () => {
    scripts.set('/reset.nt', (req, res, hit) => {
      if (hit === 1) { req.socket.destroy(); return; }
      ok(req, res, hit);
    });
    const result = await fetchArtifact(catalog, `${base}/reset.nt`, { service: 'go', version: 'v1', ...fast });
    expect(result.attempts).toBe(2);
  });

  it('refuses a truncated body and leaves nothing behind', async () => {
    scripts.set('/cut.nt', (_req, res) => {
      res.writeHead(200, { 'content-length': body.length });
      res.write(body.subarray(0, 100));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await expect(fetchArtifact(catalog, `${base}/cut.nt`, { service: 'go', version: 'v1', ...fast, retries: 1 }))
      .rejects.toMatchObject({ code: 'FETCH_FAILED', message: expect.stringMatching(/after 2 attempts/) });
    expect(hits.get('/cut.nt')).toBe(2);
    expect(listTree(temp.root).filter((p) => !p.startsWith('catalog.duckdb') && p !== '.ontocat.lock')).toEqual(['.tmp']);
    expect(await catalog.read((conn) => conn.scalar<number>('SELECT count(*) FROM artifacts'))).toBe(0);
  });

  it('refuses an oversized body, announced or not', async () => {
    scripts.set('/big.nt', ok);
    await expect(fetchArtifact(catalog, `${base}/big.nt`, { service: 'go', version: 'v1', ...fast, limits: { maxDownloadBytes: 1000 } }))
      .rejects.toMatchObject({ code: 'LIMIT_EXCEEDED', message: expect.stringMatching(/over the download limit of 1000 bytes/) });
    scripts.set('/chunked.nt', (_req, res) => { res.writeHead(200); res.write(body); res.end(body); });
    await expect(fetchArtifact(catalog, `${base}/chunked.nt`, { service: 'go', version: 'v1', ...fast, limits: { maxDownloadBytes: body.length + 10 } }))
      .rejects.toMatchObject({ code: 'LIMIT_EXCEEDED', message: expect.stringMatching(/passed the download limit/) });
    expect(hits.get('/big.nt')).toBe(1); // a size refusal is never retried
    expect(listTree(temp.root).filter((p) => !p.startsWith('catalog.duckdb') && p !== '.ontocat.lock')).toEqual(['.tmp']);
  });

  it('reports a 404 without retrying', async () => {
    await expect(fetchArtifact(catalog, `${base}/missing.nt`, { service: 'go', version: 'v1', ...fast }))
      .rejects.toMatchObject({ code: 'FETCH_FAILED', message: expect.stringMatching(/HTTP 404/) });
    expect(hits.get('/missing.nt')).toBe(1);
  });

  it('ingests a URL (archive or single file) with its artifact row', async () => {
    scripts.set('/go.nt', ok);
    const summary = await ingest(catalog, `${base}/go.nt`, { service: 'go', version: 'v1', fetch: fast });
    expect(summary).toMatchObject({ status: 'ingested', files: 1, artifacts: 1 });
    const file = await catalog.read((conn) => conn.one<{ relpath: string; format: string; artifact_name: string }>(
      'SELECT f.relpath, f.format, a.name AS artifact_name FROM extracted_files f JOIN artifacts a USING (artifact_id)',
    ));
    expect(file).toEqual({ relpath: 'go.nt', format: 'ntriples', artifact_name: 'go.nt' });
    expect(readFileSync(path.join(temp.root, 'go/v1/archives/go.nt'))).toEqual(body);
    expect(readFileSync(path.join(temp.root, 'go/v1/data/go.nt'))).toEqual(body);
    // Same URL, same version again: 304 and the same content, so nothing changes.
    const again = await ingest(catalog, `${base}/go.nt`, { service: 'go', version: 'v1', fetch: fast });
    expect(again.status).toBe('unchanged');
    expect(listTree(path.join(temp.root, '.tmp'))).toEqual([]);
  });

  it('refuses changed content for an artifact the version already records (CONFLICT, nothing changed) unless replace', async () => {
    // No etag or date: every GET is a full download, as from a server that rewrites a release in place.
    let served = body;
    scripts.set('/moving.nt', (_req, res) => { res.writeHead(200, { 'content-length': served.length }); res.end(served); });
    await fetchArtifact(catalog, `${base}/moving.nt`, { service: 'go', version: 'v1', ...fast });
    // The same bytes again are no conflict.
    expect(await fetchArtifact(catalog, `${base}/moving.nt`, { service: 'go', version: 'v1', ...fast })).toMatchObject({ status: 'fresh', sha256: sha });
    const rowBefore = await catalog.read((conn) => conn.one('SELECT sha256, size_bytes, fetched_at FROM artifacts'));

    served = Buffer.from('<http://example.org/a> <http://example.org/p> "changed" .\n');
    await expect(fetchArtifact(catalog, `${base}/moving.nt`, { service: 'go', version: 'v1', ...fast })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(new RegExp(`go/v1 already records moving\\.nt with different content \\(sha256 ${sha.slice(0, 12)}…, ${body.length} bytes; downloaded [0-9a-f]{12}…, ${served.length} bytes\\); nothing was changed.*--replace`)),
    });
    expect(readFileSync(path.join(temp.root, 'go/v1/archives/moving.nt'))).toEqual(body);
    expect(await catalog.read((conn) => conn.one('SELECT sha256, size_bytes, fetched_at FROM artifacts'))).toEqual(rowBefore);
    expect(listTree(path.join(temp.root, '.tmp'))).toEqual([]);
    const refusal = await catalog.read((conn) => conn.one<{ payload: string }>("SELECT payload_json AS payload FROM events WHERE type = 'fetch.failed'"));
    expect(JSON.parse(refusal!.payload)).toMatchObject({ service: 'go', version: 'v1', code: 'CONFLICT' });

    // Another version takes the new content without question; replace replaces.
    await fetchArtifact(catalog, `${base}/moving.nt`, { service: 'go', version: 'v2', ...fast });
    const replaced = await fetchArtifact(catalog, `${base}/moving.nt`, { service: 'go', version: 'v1', ...fast, replace: true });
    expect(replaced.sha256).toBe(createHash('sha256').update(served).digest('hex'));
    expect(readFileSync(path.join(temp.root, 'go/v1/archives/moving.nt'))).toEqual(served);
  });

  it('ontocat fetch (real CLI) refuses changed content with exit 1 and takes it with --replace', async () => {
    let served = body;
    scripts.set('/cli.nt', (_req, res) => { res.writeHead(200, { 'content-length': served.length }); res.end(served); });
    // The CLI owns the root: this test's catalog lets go of it first.
    await catalog.close();
    const args = ['fetch', `${base}/cli.nt`, '--service', 'go', '--version', 'v1', '--json'];
    const first = await runOntocatAsync(args, { root: temp.root });
    expect(first.code, first.stderr).toBe(0);
    served = Buffer.from('<http://example.org/b> <http://example.org/p> "new" .\n');
    const refused = await runOntocatAsync(args, { root: temp.root });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/go\/v1 already records cli\.nt with different content .*nothing was changed.*--replace/);
    expect(readFileSync(path.join(temp.root, 'go/v1/archives/cli.nt'))).toEqual(body);
    const replaced = await runOntocatAsync([...args, '--replace'], { root: temp.root });
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.json<{ sha256: string }>().sha256).toBe(createHash('sha256').update(served).digest('hex'));
    expect(readFileSync(path.join(temp.root, 'go/v1/archives/cli.nt'))).toEqual(served);
    // The replaced bytes were the version's only copy: they wait in the trash, not gone.
    const trash = (await runOntocatAsync(['trash', 'list', '--json'], { root: temp.root })).json<{ plan_id: string; kind: string; files: number; bytes: number }[]>();
    expect(trash).toMatchObject([{ kind: 'replace', files: 1, bytes: body.length }]);
    expect(readFileSync(path.join(temp.root, '.trash', trash[0]!.plan_id, 'files/go/v1/archives/cli.nt'))).toEqual(body);
    // Fetching the same bytes again keeps no second copy.
    expect((await runOntocatAsync([...args, '--replace'], { root: temp.root })).code).toBe(0);
    expect((await runOntocatAsync(['trash', 'list', '--json'], { root: temp.root })).json<unknown[]>()).toHaveLength(1);
    expect((await runOntocatAsync(['trash', 'empty', '--json'], { root: temp.root })).code).toBe(0);
    expect((await runOntocatAsync(['doctor', '--json'], { root: temp.root })).json<{ findings: unknown[] }>().findings).toEqual([]);
    catalog = await openCatalog({ root: temp.root, app: 'test', threads: 1 });
  });
});
