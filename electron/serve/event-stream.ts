import { randomBytes } from 'node:crypto';
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

/** One pushed event as the log keeps it: its SSE id, its name and its payload as JSON. */
interface LoggedEvent { readonly seq: number; readonly name: EventName; readonly data: string }

/** How many recent events a reconnecting client can be given again. */
export const EVENT_LOG_SIZE = 2000;

/**
 * The session's pushed events, numbered and kept (the last EVENT_LOG_SIZE) from the time the
 * server starts, so that a client whose stream dropped gets what it missed: browsers'
 * EventSource sends the last `id:` it saw as Last-Event-ID when it reconnects (WHATWG HTML
 * §9.2). Ids carry a prefix of this run, so one from an earlier run replays nothing.
 */
export interface EventLog {
  /** Gives every event after `lastEventId` (none when it is not this run's), then each new one. */
  follow(lastEventId: string | undefined, listener: (id: string, name: EventName, data: string) => void): () => void;
  /** Stops listening to the session. */
  close(): void;
}

export function createEventLog(on: EventSource, size = EVENT_LOG_SIZE): EventLog {
  const run = randomBytes(6).toString('base64url');
  const kept: LoggedEvent[] = [];
  const followers = new Set<(id: string, name: EventName, data: string) => void>();
  let seq = 0;
  const unsubscribers = eventNames.map((name) => on(name, (payload) => {
    seq += 1;
    const event: LoggedEvent = { seq, name, data: JSON.stringify(payload) };
    kept.push(event);
    if (kept.length > size) kept.splice(0, kept.length - size);
    for (const follower of [...followers]) follower(`${run}-${seq}`, name, event.data);
  }));
  return {
    follow(lastEventId, listener) {
      const match = lastEventId === undefined ? null : /^([A-Za-z0-9_-]+)-(\d+)$/.exec(lastEventId.trim());
      if (match && match[1] === run) {
        const after = Number(match[2]);
        // Replayed and then followed in one turn: nothing is missed or given twice.
        for (const event of kept) if (event.seq > after) listener(`${run}-${event.seq}`, event.name, event.data);
      }
      followers.add(listener);
      return () => { followers.delete(listener); };
    },
    close() {
      for (const unsubscribe of unsubscribers) unsubscribe();
      followers.clear();
    },
  };
}

/**
 * Streams every pushed event to one SSE client until it goes away.
 *
 * Event name = the EventName, data = the JSON payload, id = its place in `log`; a client
 * that reconnects with Last-Event-ID first gets the events it missed. A comment line every
 * `heartbeatMs` keeps proxies and idle timeouts from closing the stream and lets the
 * server notice dead clients. `allowed` is asked before every write: once it says no (the
 * team server's session signed out, expired or its account gone), the stream ends instead
 * of carrying that write. Returns a function that ends the stream.
 */
export function openEventStream(res: ServerResponse, log: EventLog, lastEventId: string | undefined, heartbeatMs: number, extraHeaders: Readonly<Record<string, string>>, allowed: () => boolean = () => true): () => void {
  // Declared before anything is sent: the replay below may already find the stream not
  // allowed (a session that expired since it was checked) and end it from inside follow().
  let ended = false;
  let unfollow: () => void = () => undefined;
  let heartbeat: NodeJS.Timeout | undefined = undefined;
  function end(): void {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    unfollow();
    if (!res.writableEnded) res.end();
  }
  const send = (text: string): void => {
    if (ended) return;
    if (allowed()) res.write(text);
    else end();
  };
  res.writeHead(200, {
    ...extraHeaders,
    ...EVENT_STREAM_HEADERS,
    Connection: 'keep-alive',
  });
  res.write('retry: 2000\n: connected\n\n');
  res.on('close', end);
  const following = log.follow(lastEventId, (id, name, data) => {
    send(`id: ${id}\nevent: ${name}\ndata: ${data}\n\n`);
  });
  if (ended) {
    following();
    return end;
  }
  unfollow = following;
  heartbeat = setInterval(() => { send(': ping\n\n'); }, heartbeatMs);
  heartbeat.unref();
  return end;
}
