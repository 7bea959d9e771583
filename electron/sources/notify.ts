/**
 * Notifications of source events: a webhook (POST JSON, retried with backoff, every
 * delivery recorded; the idempotency key makes a retry or a second call a no-op once
 * delivered) and a sink for desktop notifications (Electron main shows them).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Catalog } from '../catalog/open-catalog.js';
import { assertUrlAllowed, confinedLookup } from '../ingest/ingest-confinement.js';
import { ensureNotification, getNotification, recordDelivery, type SourceRow } from '../catalog/source-queries.js';
import type { Notification } from '../shared/contract/sources.js';

/** What a source run announces. */
export interface SourceEvent {
  readonly type: 'candidate.created' | 'candidate.promoted';
  readonly source: string;
  readonly service: string;
  readonly version: string;
  readonly run_id: string;
  readonly reason: string | null;
  readonly at: string;
}

/** Receives events for the desktop (or any other local) notification. */
export type SourceEventSink = (event: SourceEvent, text: { title: string; body: string }) => void;

/** The title and body a desktop notification shows for an event. */
export function describeEvent(event: SourceEvent): { title: string; body: string } {
  if (event.type === 'candidate.promoted') {
    return { title: `${event.service} ${event.version} is now latest`, body: `Promoted automatically by source ${event.source}: ${event.reason ?? ''}`.trim() };
  }
  return { title: `New ${event.service} release: ${event.version}`, body: `Source ${event.source} brought it in; it awaits review.` };
}

/**
 * One key per event and target: the same event never notifies a target twice. The run is
 * part of the event: a version pruned and brought in again under its name (a new release
 * the same day) is a new candidate, which shared the first one's key and was never sent.
 */
export function deliveryKey(event: Pick<SourceEvent, 'type' | 'service' | 'version' | 'run_id'>, target: string): string {
  return createHash('sha256').update(`${event.type}\0${event.service}\0${event.version}\0${event.run_id}\0${target}`).digest('hex');
}

export interface WebhookOptions {
  readonly retries?: number;
  readonly backoffMs?: number;
  readonly timeoutMs?: number;
}

function post(target: string, body: string, key: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(target);
    assertUrlAllowed(url);
    const client = url.protocol === 'https:' ? https : http;
    const lookup = confinedLookup();
    const req = client.request(url, {
      ...(lookup ? { lookup } : {}),
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'idempotency-key': key, 'user-agent': 'ontocat' },
    }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); res.on('error', reject); });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

const inFlight = new Map<string, Promise<Notification>>();

/**
 * Delivers `payload` to `target` once: recorded first (pending), then POSTed with an
 * Idempotency-Key header; 2xx delivers, 4xx fails for good, 5xx and network errors are
 * retried with backoff. A key already delivered is not sent again.
 */
export function deliverWebhook(catalog: Catalog, target: string, eventType: string, key: string, payload: unknown, options: WebhookOptions = {}): Promise<Notification> {
  const running = inFlight.get(key);
  if (running) return running;
  const task = (async () => {
    const row = await catalog.write((tx) => ensureNotification(tx, { key, event_type: eventType, target, payload }));
    if (row.status === 'delivered') return row;
    const body = JSON.stringify({ ...(payload as object), delivery_key: key });
    const retries = options.retries ?? 4;
    for (let attempt = 1; attempt <= retries + 1; attempt += 1) {
      let status: number | null = null;
      let error: string | null = null;
      try {
        status = await post(target, body, key, options.timeoutMs ?? 10_000);
      } catch (failure) {
        error = (failure as Error).message;
      }
      const delivered = status !== null && status >= 200 && status < 300;
      const permanent = status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429;
      const final = delivered || permanent || attempt === retries + 1;
      await catalog.write((tx) => recordDelivery(tx, key, { delivered, final: final && !delivered, http: status, error: error ?? (delivered ? null : `HTTP ${status}`) }));
      if (final) break;
      await new Promise((resolve) => setTimeout(resolve, (options.backoffMs ?? 1000) * 2 ** (attempt - 1)));
    }
    return (await catalog.read((conn) => getNotification(conn, key)))!;
  })();
  inFlight.set(key, task);
  return task.finally(() => inFlight.delete(key));
}

/** Announces an event: the desktop sink (if any) and the source's webhook (if set). Never throws. */
export async function notifySourceEvent(catalog: Catalog, source: SourceRow, event: SourceEvent, sink?: SourceEventSink, options?: WebhookOptions): Promise<void> {
  try {
    sink?.(event, describeEvent(event));
  } catch {
    // A notification the desktop cannot show is no reason to fail a run.
  }
  const target = source.spec.webhook;
  if (!target) return;
  await deliverWebhook(catalog, target, event.type, deliveryKey(event, target), event, options).catch(() => undefined);
}
