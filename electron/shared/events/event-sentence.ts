/**
 * An audit event as a sentence with paths and version names; an unknown type (or a
 * payload its formatter cannot read) falls back to a readable "key: value" list.
 */
import { housekeepingEvents } from './housekeeping-events.js';
import { ingestEvents } from './ingest-events.js';
import { reviewEvents } from './review-events.js';
import type { EventFormatter, Payload } from './event-text.js';
import { versionEvents } from './version-events.js';

const formatters: ReadonlyMap<string, EventFormatter> = new Map(Object.entries({ ...versionEvents, ...ingestEvents, ...housekeepingEvents, ...reviewEvents }));

/** Ids mean nothing to a reader next to the names the payload also carries. */
const HIDDEN_KEYS = /(^|_)id$/;

/** A payload value as short text. */
function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(valueText).join(', ');
  return JSON.stringify(value);
}

/** The payload's fields as label/value pairs (ids left out), for unknown types and the details view. */
export function eventFields(payload: Payload): { label: string; value: string }[] {
  return Object.entries(payload)
    .filter(([key]) => !HIDDEN_KEYS.test(key))
    .map(([key, value]) => ({ label: key.replace(/_/g, ' '), value: valueText(value) }));
}

/** The sentence of an event, or null when only the field list can describe it. */
export function eventSentence(type: string, payload: Payload): string | null {
  const format = formatters.get(type);
  if (!format) return null;
  try {
    return format(payload);
  } catch {
    return null;
  }
}
