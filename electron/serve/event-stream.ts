import type { ServerResponse } from 'node:http';
import type { EventMap, EventName } from '../shared/contract.js';
import { eventNames } from '../shared/event-names.js';

/** Where events come from: the session's `on`. */
export type EventSource = <E extends EventName>(event: E, listener: (payload: EventMap[E]) => void) => () => void;

/** The header fields of an event stream, also sent alone in answer to a HEAD of it. */
export const EVENT_STREAM_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-store',
  // Tells nginx not to buffer the stream.
  'X-Accel-Buffering': 'no',
};

/**
 * Streams every pushed event to one SSE client until it goes away.
 *
 * Event name = the EventName, data = the JSON payload. A comment line every
 * `heartbeatMs` keeps proxies and idle timeouts from closing the stream and lets the
 * server notice dead clients. `allowed` is asked before every write: once it says no (the
 * team server's session signed out, expired or its account gone), the stream ends instead
 * of carrying that write. Returns a function that ends the stream.
 */
export function openEventStream(res: ServerResponse, on: EventSource, heartbeatMs: number, extraHeaders: Readonly<Record<string, string>>, allowed: () => boolean = () => true): () => void {
  const send = (text: string): void => {
    if (allowed()) res.write(text);
    else end();
  };
  const unsubscribers = eventNames.map((name) => on(name, (payload) => {
    send(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
  }));
  res.writeHead(200, {
    ...extraHeaders,
    ...EVENT_STREAM_HEADERS,
    Connection: 'keep-alive',
  });
  res.write('retry: 2000\n: connected\n\n');
  const heartbeat = setInterval(() => { send(': ping\n\n'); }, heartbeatMs);
  heartbeat.unref();
  let ended = false;
  function end(): void {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    for (const unsubscribe of unsubscribers) unsubscribe();
    if (!res.writableEnded) res.end();
  }
  res.on('close', end);
  return end;
}
