/**
 * Conditional GETs of `fetch` and `ingest URL` against a real HTTP server on 127.0.0.1:
 * validators are sent only for the URL they were recorded for, a 304 reuses the stored copy
 * only while its bytes are still the ones the catalog recorded, and any URL gets a name.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { artifactNameFromUrl, fetchArtifact } from '../../../electron/ingest/fetch-artifact.js';
import { ingest } from '../../../electron/ingest/ingest.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

interface Served {
  readonly body: Buffer;
  readonly lastModified: string;
}

/**
 * Answers as `python3 -m http.server` does: Last-Modified from the file's mtime, no ETag,
 * and 304 when If-Modified-Since is not before it (whatever file the date came from).
 */
const files = new Map<string, Served>();
const requests: { path: string; ifNoneMatch: string | null; ifModifiedSince: string | null; status: number }[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const pathname = req.url ?? '/';
    const served = files.get(pathname);
    const note = (status: number): void => {
      requests.push({
        path: pathname, status,
        ifNoneMatch: (req.headers['if-none-match'] as string | undefined) ?? null,
        ifModifiedSince: (req.headers['if-modified-since'] as string | undefined) ?? null,
      });
    };
    if (!served) { note(404); res.writeHead(404).end(); return; }
    const since = req.headers['if-modified-since'];
    if (since && Date.parse(since) >= Date.parse(served.lastModified)) { note(304); res.writeHead(304).end(); return; }
    note(200);
    res.writeHead(200, { 'content-length': served.body.length, 'last-modified': served.lastModified, 'content-type': 'application/n-triples' });
    res.end(served.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const january: Served = { body: Buffer.from('<http://example.org/go> <http://example.org/release> "2024-01" .\n'), lastModified: 'Mon, 15 Jan 2024 00:00:00 GMT' };
const may: Served = { body: Buffer.from('<http://example.org/go> <http://example.org/release> "2024-05" .\n<http://example.org/a> <http://example.org/p> "more" .\n'), lastModified: 'Wed, 15 May 2024 00:00:00 GMT' };
const fast = { retries: 1, backoffMs: 10, timeoutMs: 2000 };

describe('fetch and ingest URL: validators and the stored copy on a 304', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let catalog: Catalog;
  beforeEach(async () => {
    temp = makeTempRoot('ontocat-fetch-copy');
    catalog = await openCatalog({ root: temp.root, app: 'test', threads: 1 });
    files.clear();
    requests.length = 0;
  });
  afterEach(async () => {
    await catalog.close();
    temp.cleanup();
  });

  const onDisk = (relpath: string): Buffer => readFileSync(path.join(temp.root, relpath));
  const artifactRow = (version: string) => catalog.read((conn) => conn.one<{ sha256: string; size_bytes: number; status: string; last_modified: string | null }>(
    `SELECT a.sha256, a.size_bytes, a.status, a.last_modified FROM artifacts a JOIN versions v USING (version_id) WHERE v.service = 'go' AND v.version = $1`, [version],
  ));
  const releaseDate = (version: string) => catalog.read((conn) => conn.one<{ release_date: string | null; release_date_source: string | null }>(
    `SELECT strftime(release_date, '%Y-%m-%d') AS release_date, release_date_source FROM versions WHERE service = 'go' AND version = $1`, [version],
  ));

  it('ingest URL never sends another URL\'s Last-Modified: an older release at another path gets its own bytes and date', async () => {
    files.set('/2024-01/go.nt', january);
    files.set('/2024-05/go.nt', may);
    await ingest(catalog, `${base}/2024-05/go.nt`, { service: 'go', version: '2024-05', fetch: fast });
    await ingest(catalog, `${base}/2024-01/go.nt`, { service: 'go', version: '2024-01', fetch: fast });

    const januaryRequests = requests.filter((entry) => entry.path === '/2024-01/go.nt');
    expect(januaryRequests).toEqual([{ path: '/2024-01/go.nt', status: 200, ifNoneMatch: null, ifModifiedSince: null }]);
    expect(sha256(onDisk('go/2024-01/archives/go.nt'))).toBe(sha256(january.body));
    expect(sha256(onDisk('go/2024-01/data/go.nt'))).toBe(sha256(january.body));
    expect(await artifactRow('2024-01')).toMatchObject({ sha256: sha256(january.body), size_bytes: january.body.length, status: 'fresh', last_modified: january.lastModified });
    expect(await releaseDate('2024-01')).toEqual({ release_date: '2024-01-15', release_date_source: 'http-last-modified' });
    expect(await releaseDate('2024-05')).toEqual({ release_date: '2024-05-15', release_date_source: 'http-last-modified' });
  });

  it('fetch never sends another URL\'s Last-Modified; the same URL still gets its conditional GET and 304', async () => {
    files.set('/2024-01/go.nt', january);
    files.set('/2024-05/go.nt', may);
    await fetchArtifact(catalog, `${base}/2024-05/go.nt`, { service: 'go', version: '2024-05', ...fast });
    const older = await fetchArtifact(catalog, `${base}/2024-01/go.nt`, { service: 'go', version: '2024-01', ...fast });
    expect(older).toMatchObject({ status: 'fresh', sha256: sha256(january.body), size_bytes: january.body.length });
    expect(requests.at(-1)).toEqual({ path: '/2024-01/go.nt', status: 200, ifNoneMatch: null, ifModifiedSince: null });
    expect(sha256(onDisk('go/2024-01/archives/go.nt'))).toBe(sha256(january.body));
    expect(await releaseDate('2024-01')).toEqual({ release_date: '2024-01-15', release_date_source: 'http-last-modified' });

    // The same URL again: its own validator goes out and the 304 reuses its own bytes.
    const again = await fetchArtifact(catalog, `${base}/2024-01/go.nt`, { service: 'go', version: '2024-01-again', ...fast });
    expect(requests.at(-1)).toEqual({ path: '/2024-01/go.nt', status: 304, ifNoneMatch: null, ifModifiedSince: january.lastModified });
    expect(again).toMatchObject({ status: 'cached', sha256: sha256(january.body) });
    expect(sha256(onDisk('go/2024-01-again/archives/go.nt'))).toBe(sha256(january.body));
  });

  it('a 304 whose stored copy was altered on disk fetches the bytes again instead of recording a hash they do not have', async () => {
    files.set('/go.nt', january);
    await fetchArtifact(catalog, `${base}/go.nt`, { service: 'go', version: 'v1', ...fast });
    // Same size, other bytes: only a hash tells them apart.
    const altered = Buffer.from(january.body.toString('utf8').replace('2024-01', '2099-01'));
    expect(altered.length).toBe(january.body.length);
    writeFileSync(path.join(temp.root, 'go/v1/archives/go.nt'), altered);

    const second = await fetchArtifact(catalog, `${base}/go.nt`, { service: 'go', version: 'v2', ...fast });
    // The conditional GET (304), then a plain GET (200) once the stored copy proved unusable.
    expect(requests.map((entry) => [entry.status, entry.ifModifiedSince])).toEqual([[200, null], [304, january.lastModified], [200, null]]);
    expect(second).toMatchObject({ status: 'fresh', sha256: sha256(january.body), size_bytes: january.body.length });
    expect(sha256(onDisk('go/v2/archives/go.nt'))).toBe(sha256(january.body));
    expect(await artifactRow('v2')).toMatchObject({ sha256: sha256(january.body), size_bytes: january.body.length, status: 'fresh' });
    // The altered copy is left as it is, for doctor to report; it is not overwritten through a link.
    expect(onDisk('go/v1/archives/go.nt')).toEqual(altered);
  });

  it('ingest URL: a 304 whose stored copy was altered (other size) ingests the served bytes', async () => {
    files.set('/go.nt', january);
    await ingest(catalog, `${base}/go.nt`, { service: 'go', version: 'v1', fetch: fast });
    writeFileSync(path.join(temp.root, 'go/v1/archives/go.nt'), '<http://example.org/x> <http://example.org/p> "edited by hand" .\n');
    await ingest(catalog, `${base}/go.nt`, { service: 'go', version: 'v2', fetch: fast });
    expect(requests.map((entry) => entry.status)).toEqual([200, 304, 200]);
    expect(sha256(onDisk('go/v2/archives/go.nt'))).toBe(sha256(january.body));
    expect(sha256(onDisk('go/v2/data/go.nt'))).toBe(sha256(january.body));
    expect(await artifactRow('v2')).toMatchObject({ sha256: sha256(january.body), size_bytes: january.body.length });
  });

  it('a 304 whose stored copy was deleted fetches the bytes again (no raw ENOENT), every time', async () => {
    files.set('/go.nt', january);
    await fetchArtifact(catalog, `${base}/go.nt`, { service: 'go', version: 'v1', ...fast });
    rmSync(path.join(temp.root, 'go/v1/archives/go.nt'));
    const second = await fetchArtifact(catalog, `${base}/go.nt`, { service: 'go', version: 'v2', ...fast });
    expect(second).toMatchObject({ status: 'fresh', sha256: sha256(january.body) });
    expect(sha256(onDisk('go/v2/archives/go.nt'))).toBe(sha256(january.body));
    // v2 is now the newest copy of the URL and intact: a 304 reuses it.
    const third = await fetchArtifact(catalog, `${base}/go.nt`, { service: 'go', version: 'v3', ...fast });
    expect(third).toMatchObject({ status: 'cached', sha256: sha256(january.body) });
    expect(requests.map((entry) => entry.status)).toEqual([200, 304, 200, 304]);
  });

  it('a URL with a percent escape that is not UTF-8 (caf%E9.nt) is named from its raw segment and fetched', async () => {
    expect(artifactNameFromUrl(`${base}/caf%E9.nt`)).toBe('caf_E9.nt');
    files.set('/caf%E9.nt', january);
    const result = await fetchArtifact(catalog, `${base}/caf%E9.nt`, { service: 'go', version: 'v1', ...fast });
    expect(result).toMatchObject({ name: 'caf_E9.nt', status: 'fresh', sha256: sha256(january.body), fs_relpath: 'go/v1/archives/caf_E9.nt' });
    expect(sha256(onDisk('go/v1/archives/caf_E9.nt'))).toBe(sha256(january.body));
  });

  it('a string that is not a URL is refused as BAD_INPUT naming it, before any request', async () => {
    await expect(fetchArtifact(catalog, 'http://[not a host]/go.nt', { service: 'go', version: 'v1', ...fast }))
      .rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('http://[not a host]/go.nt') });
    expect(requests).toEqual([]);
  });
});
