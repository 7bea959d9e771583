/**
 * A stream whose client may no longer read (the team server's session ended since it was
 * checked) while the events it missed are replayed: over real HTTP on 127.0.0.1.
 */
import { EventEmitter } from 'node:events';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventLog, openEventStream, type EventLog } from '../../../electron/serve/event-stream.js';
import type { EventMap, EventName } from '../../../electron/shared/contract.js';

describe('an event stream refused during its replay', () => {
  const pushed = new EventEmitter();
  let log: EventLog;
  let server: Server;
  const failures: unknown[] = [];
  let firstId = '';

  beforeAll(async () => {
    log = createEventLog(<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void) => {
      pushed.on(event, listener);
      return () => { pushed.off(event, listener); };
    });
    const ids: string[] = [];
    const stop = log.follow(undefined, (id) => ids.push(id));
    for (const channel of ['versions:pin', 'latest:set', 'versions:set-release'] as const) {
      pushed.emit('catalog:changed', { channel, at: new Date().toISOString() } satisfies EventMap['catalog:changed']);
    }
    stop();
    firstId = ids[0]!;
    server = createServer((req, res) => {
      try {
        // The session was live when the request was checked and has ended since.
        openEventStream(res, log, String(req.headers['last-event-id']), 60_000, {}, () => false);
      } catch (error) {
        failures.push(error);
        res.destroy();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    log.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('ends the stream cleanly, carrying none of the replayed events', async () => {
    const port = (server.address() as AddressInfo).port;
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/api/events', headers: { 'last-event-id': firstId } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => { body += chunk; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      }).on('error', reject);
    });
    // Before: the replay ended the stream before it was set up (a ReferenceError), so the
    // client saw its connection reset rather than an ended stream.
    expect(failures).toEqual([]);
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('retry: 2000\n: connected\n\n');
  });
});
