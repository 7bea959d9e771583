/**
 * A body that ends before its Content-Length (or before the last chunk) is retried, and a
 * run whose every attempt was cut off fails saying so and how much was read: "aborted" told a
 * curator nothing. Nothing is recorded and no part of the body stays under the root.
 */
import { readdirSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncSources } from '../../../electron/sources/sync.js';
import { edamRelease } from '../../helpers/release-server.js';
import { sessionPerTest } from '../../helpers/sync-fixtures.js';

const body = edamRelease('EDAM_1.0.obo');
const half = body.subarray(0, 400_000);
/** A server that writes raw HTTP/1.1 and closes the connection cleanly mid-body. */
let server: net.Server;
let base = '';
beforeAll(async () => {
  server = net.createServer((socket) => {
    socket.once('data', (request) => {
      const chunked = request.toString('latin1').startsWith('GET /chunked/');
      const head = chunked
        ? 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n' + `${half.length.toString(16)}\r\n`
        : `HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\n\r\n`;
      socket.end(Buffer.concat([Buffer.from(head, 'latin1'), half]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => { await new Promise((resolve) => server.close(resolve)); });

describe('sync: a body cut off by a clean close', () => {
  const live = sessionPerTest('ontocat-cut-off');

  it('fails after its retries saying the body was cut off, with the bytes read of those announced; nothing recorded or left', async () => {
    for (const [id, expected] of [['length', new RegExp(`cut off \\((\\d+) of ${body.length} bytes read\\)`)], ['chunked', /cut off \((\d+) of unknown bytes read\)/]] as const) {
      await live.session.call('sources:save', { spec: { id, service: id, artifacts: [{ type: 'url', url: `${base}/${id === 'chunked' ? 'chunked' : 'length'}/edam.obo` }] } });
      const run = (await syncSources(live.session.catalog, { ids: [id], trigger: 'cli', actor: 'test', fetch: { retries: 1, backoffMs: 10 } })).runs[0]!;
      expect(run, id).toMatchObject({ status: 'failed', error_code: 'FETCH_FAILED' });
      expect(run.error_message, id).toContain('after 2 attempts');
      // What was read before the close is at most what was sent.
      const read = expected.exec(run.error_message ?? '');
      expect(read, `${id}: ${run.error_message}`).not.toBeNull();
      expect(Number(read![1]), id).toBeLessThanOrEqual(half.length);
    }
    expect((await live.session.call('versions:list', {})).items).toEqual([]);
    const tmp = path.join(live.session.root, '.tmp');
    expect(readdirSync(tmp, { recursive: true }).filter((entry) => !String(entry).startsWith('duckdb'))).toEqual([]);
  }, 120_000);
});
