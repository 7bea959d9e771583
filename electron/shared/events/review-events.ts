/** Sentences for events of sources, sync and review, and of the team server's users. */
import { byWhom, counted, num, str, versionOf, type EventFormatter } from './event-text.js';

const because = (p: Readonly<Record<string, unknown>>): string => (str(p, 'reason') ? `: ${str(p, 'reason')}` : '');

export const reviewEvents: Readonly<Record<string, EventFormatter>> = {
  'source.candidate': (p) => {
    const v = versionOf(p);
    const source = str(p, 'source');
    return v && source ? `Source ${source} brought ${v}${str(p, 'outcome') ? ` (${str(p, 'outcome')})` : ''}.` : null;
  },
  'source.version_rule': (p) => {
    const v = versionOf(p);
    const rule = str(p, 'rule');
    return v && rule ? `${v} was named by the ${rule} rule${str(p, 'evidence') ? `: ${str(p, 'evidence')}` : ''}.` : null;
  },
  'source.removed': (p) => { const source = str(p, 'source'); return source && `Source ${source}${str(p, 'service') ? ` (service ${str(p, 'service')})` : ''} was removed${byWhom(p)}.`; },
  'sources.imported': (p) => `Sources imported${byWhom(p)}: ${num(p, 'added') ?? 0} added, ${num(p, 'updated') ?? 0} updated, ${num(p, 'unchanged') ?? 0} unchanged.`,
  'candidate.held': (p) => { const v = versionOf(p); return v && `${v} is held for review${because(p)}.`; },
  'candidate.promoted': (p) => { const v = versionOf(p); return v && `${v} was made latest automatically${because(p)}.`; },
  'candidate.approved': (p) => {
    const v = versionOf(p);
    const previous = str(p, 'previous');
    return v && `${v} was approved and made latest${byWhom(p)}${previous ? ` (was ${previous})` : ''}${because(p)}.`;
  },
  'candidate.rejected': (p) => { const v = versionOf(p); return v && `${v} was rejected${byWhom(p)}${because(p)}.`; },
  'user.added': (p) => { const user = str(p, 'username'); return user && `User ${user} was added${str(p, 'role') ? ` as ${str(p, 'role')}` : ''}${byWhom(p)}.`; },
  'user.role': (p) => {
    const user = str(p, 'username');
    return user && `The role of ${user} changed${str(p, 'previous') ? ` from ${str(p, 'previous')}` : ''}${str(p, 'role') ? ` to ${str(p, 'role')}` : ''}${byWhom(p)}.`;
  },
  'user.password': (p) => {
    const user = str(p, 'username');
    const ended = num(p, 'sessions_ended') ?? 0;
    return user && `The password of ${user} was changed${byWhom(p)}${ended > 0 ? `; ${counted(ended, 'session')} ended` : ''}.`;
  },
  'user.removed': (p) => {
    const user = str(p, 'username');
    const ended = num(p, 'sessions_ended') ?? 0;
    return user && `User ${user} was removed${byWhom(p)}${ended > 0 ? `; ${counted(ended, 'session')} ended` : ''}.`;
  },
};
