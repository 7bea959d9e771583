import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexFailure } from '../../../electron/ingest/terms/term-recorder.js';
import { validateFile } from '../../../electron/ingest/validate/validate-file.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let dir: string;
let cleanup: () => void;
let server: Server;
let base: string;
let requests = 0;

beforeAll(async () => {
  ({ root: dir, cleanup } = makeTempRoot('ontocat-jsonld'));
  // A real context server on 127.0.0.1: if the validator ever fetched, it would succeed here.
  server = createServer((_req, res) => {
    requests += 1;
    res.setHeader('content-type', 'application/ld+json');
    res.end(JSON.stringify({ '@context': { name: 'http://schema.org/name' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  cleanup();
});

describe('JSON-LD with a remote @context', () => {
  it('never touches the network and reports a clear remote-context finding', async () => {
    const absPath = path.join(dir, 'remote.jsonld');
    const text = JSON.stringify({ '@context': `${base}/context.jsonld`, '@id': 'http://x/a', name: 'A' });
    writeFileSync(absPath, text);
    const result = await validateFile({ absPath, relpath: 'remote.jsonld', format: 'jsonld', size_bytes: text.length });
    expect(requests).toBe(0);
    expect(result.rows.map((r) => [r.rule, r.passed, r.severity])).toEqual([['syntax', true, 'INFO'], ['remote-context', false, 'WARN']]);
    const finding = result.rows[1]!;
    expect(finding.message).toContain(`${base}/context.jsonld`);
    expect(finding.message).toMatch(/never fetches from the network/);
    expect(finding.details).toEqual({ url: `${base}/context.jsonld` });
    expect(result.terms).toBeNull();
    // Asked for its terms, it gives none, and the term index keeps it as a content it cannot
    // read (until the parsers change), saying why.
    const indexed = await validateFile({ absPath, relpath: 'remote.jsonld', format: 'jsonld', size_bytes: text.length, index_terms: true });
    expect(indexed.index_terms).toBeUndefined();
    expect(indexFailure(indexed)).toEqual({ reason: 'unparsable', message: finding.message });
  });

  it('refuses a remote context nested in a context array too', async () => {
    const absPath = path.join(dir, 'nested.jsonld');
    const text = JSON.stringify({ '@context': [{ ex: 'http://x/' }, `${base}/other.jsonld`], '@id': 'ex:a', 'ex:p': 1 });
    writeFileSync(absPath, text);
    const result = await validateFile({ absPath, relpath: 'nested.jsonld', format: 'jsonld', size_bytes: text.length });
    expect(requests).toBe(0);
    expect(result.rows.find((r) => r.rule === 'remote-context')?.details).toEqual({ url: `${base}/other.jsonld` });
  });
});

describe('JSON-LD with a byte order mark', () => {
  it('parses as the same document without one (a BOM read as an unreadable file before)', async () => {
    const text = JSON.stringify({ '@id': 'http://e.org/a', 'http://e.org/b': 'c' });
    const withBom = path.join(dir, 'bom.jsonld');
    writeFileSync(withBom, `\uFEFF${text}`);
    const result = await validateFile({ absPath: withBom, relpath: 'bom.jsonld', format: 'jsonld', size_bytes: Buffer.byteLength(`\uFEFF${text}`) });
    expect(result.rows.map((r) => [r.validator, r.rule, r.passed])).toEqual([['jsonld', 'syntax', true]]);
    expect(result.triples).toBe(1);
  });
});
