/**
 * A local HTTP server on 127.0.0.1 serving a time series of real releases: a path serves
 * whichever release is "current" (the test moves it on), with ETag/Last-Modified and
 * 304s, plus scripted misbehaviour (5xx bursts, truncated bodies, slow bodies, redirects)
 * and an npm-style registry for packages.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { create as createTar } from 'tar';
import { projectRoot } from './run-cli.js';

export interface Release {
  readonly body: Buffer;
  readonly lastModified: string;
  readonly etag: string;
}

export function release(body: Buffer, lastModified: string): Release {
  return { body, lastModified, etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"` };
}

/** Trouble a path makes on its next requests. */
export interface Trouble {
  /** Answer 503 this many times first. */
  fail5xx?: number;
  /** Cut the body off half-way this many times first (Content-Length says the full size). */
  truncate?: number;
  /** Wait this long before each body chunk. */
  slowMs?: number;
  /** Send the headers and half the body, then go silent (the client must time out), this many times first. */
  stall?: number;
}

export class ReleaseServer {
  private server: http.Server | null = null;
  base = '';
  readonly current = new Map<string, Release>();
  readonly trouble = new Map<string, Trouble>();
  readonly redirects = new Map<string, string>();
  /** npm packages: name → versions (oldest first) with tarball release and publish time. */
  readonly packages = new Map<string, { version: string; tarball: Release; published: string }[]>();
  /** Requests by path, with the conditional headers they sent and the status answered. */
  readonly log: { path: string; ifNoneMatch: string | null; status: number }[] = [];
  /** Webhook POSTs received. */
  readonly posts: { path: string; key: string | null; body: unknown }[] = [];
  /** Answer webhook POSTs with this status this many times first. */
  webhookFailures = 0;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => { void this.handle(req, res); });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  hits(pathname: string): { ifNoneMatch: string | null; status: number }[] {
    return this.log.filter((entry) => entry.path === pathname);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', this.base).pathname;
    const note = (status: number): void => { this.log.push({ path: pathname, ifNoneMatch: (req.headers['if-none-match'] as string | undefined) ?? null, status }); };
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (this.webhookFailures > 0) {
        this.webhookFailures -= 1;
        note(503);
        res.writeHead(503).end();
        return;
      }
      this.posts.push({ path: pathname, key: (req.headers['idempotency-key'] as string | undefined) ?? null, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      note(204);
      res.writeHead(204).end();
      return;
    }
    const redirect = this.redirects.get(pathname);
    if (redirect) {
      note(302);
      res.writeHead(302, { location: redirect }).end();
      return;
    }
    if (pathname.startsWith('/registry/')) {
      const name = decodeURIComponent(pathname.slice('/registry/'.length));
      const versions = this.packages.get(name);
      if (!versions) { note(404); res.writeHead(404).end(); return; }
      const latest = versions.at(-1)!;
      const doc = {
        name,
        'dist-tags': { latest: latest.version },
        versions: Object.fromEntries(versions.map((v) => [v.version, { name, version: v.version, dist: { tarball: `${this.base}/tarballs/${name}-${v.version}.tgz` } }])),
        time: Object.fromEntries(versions.map((v) => [v.version, v.published])),
      };
      for (const v of versions) this.current.set(`/tarballs/${name}-${v.version}.tgz`, v.tarball);
      note(200);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
      return;
    }
    const served = this.current.get(pathname);
    if (!served) { note(404); res.writeHead(404).end(); return; }
    const trouble = this.trouble.get(pathname) ?? {};
    if ((trouble.fail5xx ?? 0) > 0) {
      trouble.fail5xx! -= 1;
      note(503);
      res.writeHead(503).end('busy');
      return;
    }
    if (req.headers['if-none-match'] === served.etag || (!req.headers['if-none-match'] && req.headers['if-modified-since'] === served.lastModified)) {
      note(304);
      res.writeHead(304, { etag: served.etag, 'last-modified': served.lastModified }).end();
      return;
    }
    note(200);
    res.writeHead(200, { 'content-length': served.body.length, etag: served.etag, 'last-modified': served.lastModified, 'content-type': 'application/octet-stream' });
    if ((trouble.truncate ?? 0) > 0) {
      trouble.truncate! -= 1;
      res.write(served.body.subarray(0, Math.floor(served.body.length / 2)));
      res.destroy();
      return;
    }
    if ((trouble.stall ?? 0) > 0) {
      trouble.stall! -= 1;
      res.write(served.body.subarray(0, Math.floor(served.body.length / 2)));
      return; // never ends: the connection closes when the client gives up or the server stops
    }
    if (trouble.slowMs) {
      const step = Math.ceil(served.body.length / 8);
      for (let at = 0; at < served.body.length; at += step) {
        await new Promise((resolve) => setTimeout(resolve, trouble.slowMs));
        if (res.destroyed) return;
        res.write(served.body.subarray(at, at + step));
      }
      res.end();
      return;
    }
    res.end(served.body);
  }
}

/** A real EDAM release vendored in test/fixtures/edam. */
export function edamRelease(name: string): Buffer {
  return readFileSync(path.join(projectRoot, 'test', 'fixtures', 'edam', name));
}

/**
 * An npm-style tarball (`package/…`) of a real `@zazuko/rdf-vocabularies` release from
 * node_modules: its package.json and a few of its vocabularies, to keep tests quick.
 */
export async function vocabulariesTarball(alias: 'rdf-vocabularies-2019' | 'rdf-vocabularies-2020' | 'rdf-vocabularies-2021', files = ['owl.nq', 'rdfs.nq', 'skos.nq', 'dcterms.nq']): Promise<{ version: string; body: Buffer }> {
  const dir = path.join(projectRoot, 'node_modules', alias);
  const version = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const stream = createTar({ gzip: true, cwd: dir, prefix: 'package', portable: true, mtime: new Date('2020-01-01T00:00:00Z') }, ['package.json', ...files.map((file) => `ontologies/${file}`)]);
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return { version, body: Buffer.concat(chunks) };
}
