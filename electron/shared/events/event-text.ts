/**
 * Small helpers every event formatter uses to read a payload safely (payloads are JSON
 * written by different versions of Ontocat, so any field may be missing).
 */
import { formatByteSize } from '../byte-size.js';
import { formatCountOf } from '../count-noun.js';
import { storedDay } from '../local-day.js';

export type Payload = Readonly<Record<string, unknown>>;

/** A formatter: the payload as one sentence, or null when the payload lacks what it needs. */
export type EventFormatter = (payload: Payload) => string | null;

export const str = (p: Payload, key: string): string | null => (typeof p[key] === 'string' && p[key] !== '' ? p[key] : null);
export const num = (p: Payload, key: string): number | null => (typeof p[key] === 'number' && Number.isFinite(p[key]) ? p[key] : null);

/** `service/version` when both are there. */
export const versionOf = (p: Payload): string | null => {
  const service = str(p, 'service');
  const version = str(p, 'version');
  return service && version ? `${service}/${version}` : null;
};

export const files = (n: number | null): string => (n === null ? 'files' : formatCountOf(n, 'file'));
/** A count with its noun ('1 plan', '2 plans'); a missing count reads as 0. */
export const counted = (n: number | null, singular: string, plural?: string): string => formatCountOf(n ?? 0, singular, plural);
/** Who did it, as ' by NAME' (empty when the payload does not say). */
export const byWhom = (p: Payload): string => (str(p, 'by') ? ` by ${str(p, 'by')}` : '');
export const bytes = (n: number | null): string => (n === null || !Number.isFinite(n) ? '' : ` (${formatByteSize(n, '−')})`);
/** A release day as stored, never shifted by the browser's time zone. */
export const date = (iso: string | null): string => (iso ? storedDay(iso) : 'no date');
/** The whole plan id: its first 8 characters were 'prune-20' or 'doctor-2' for every plan. */
export const plan = (p: Payload): string => { const id = str(p, 'plan_id'); return id ? `plan ${id}` : 'a plan'; };
