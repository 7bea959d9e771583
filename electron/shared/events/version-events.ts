/** Sentences for events about versions, the latest pointer and release dates. */
import { releaseSourceLabel } from '../release-order.js';
import { date, str, versionOf, type EventFormatter } from './event-text.js';

export const versionEvents: Readonly<Record<string, EventFormatter>> = {
  'version.created': (p) => { const v = versionOf(p); return v && `Version ${v} was recorded.`; },
  'version.updated': (p) => { const v = versionOf(p); return v && `Version ${v} was recorded again (its record was updated).`; },
  'version.pinned': (p) => { const v = versionOf(p); return v && `Version ${v} was pinned: prune keeps it.`; },
  'version.unpinned': (p) => { const v = versionOf(p); return v && `Version ${v} was unpinned.`; },
  'latest.set': (p) => {
    const v = versionOf(p);
    if (!v) return null;
    const previous = str(p, 'previous');
    const by = str(p, 'by');
    return `Latest of ${str(p, 'service')} set to ${str(p, 'version')}${previous ? ` (was ${previous})` : ' (none before)'}${by ? ` by ${by}` : ''}.`;
  },
  'version.release_date': (p) => {
    const v = versionOf(p);
    if (!v) return null;
    const source = str(p, 'source');
    const previous = str(p, 'previous');
    const detail = str(p, 'detail');
    // The words the version page uses for the source, and the file or name that said so.
    const from = source === 'curator' ? ' from a curator' : source ? `, ${releaseSourceLabel(source)}${detail ? `: ${detail}` : ''}` : '';
    return `Release date of ${v} set to ${date(str(p, 'release_date'))}${from}${previous ? ` (was ${date(previous)})` : ''}.`;
  },
};
