/** Sentences for events of ingest: versions, artifacts, files and validations recorded. */
import { bytes, files, num, str, versionOf, type EventFormatter } from './event-text.js';

export const ingestEvents: Readonly<Record<string, EventFormatter>> = {
  'ingest.completed': (p) => {
    const v = versionOf(p);
    if (!v) return null;
    const source = str(p, 'source');
    return `Ingested ${v}${source ? ` from ${source}` : ''}: ${files(num(p, 'files'))}${bytes(num(p, 'bytes'))}${p.replaced === true ? ', replacing what was recorded' : ''}.`;
  },
  'ingest.unchanged': (p) => { const v = versionOf(p); return v && `Ingest of ${v} found nothing new: ${files(num(p, 'files'))} already recorded.`; },
  'ingest.failed': (p) => {
    const v = versionOf(p);
    const message = str(p, 'message');
    return v && `Ingest of ${v} failed${message ? `: ${message}` : ''}. Nothing was changed.`;
  },
  'artifact.recorded': (p) => {
    const v = versionOf(p);
    const name = str(p, 'name');
    return v && name ? `Artifact ${name} of ${v} recorded${bytes(num(p, 'bytes'))}${str(p, 'status') ? `, ${str(p, 'status')}` : ''}.` : null;
  },
  'files.recorded': (p) => { const v = versionOf(p); return v && `${files(num(p, 'files'))}${bytes(num(p, 'bytes'))} recorded in ${v}.`; },
  'validations.recorded': (p) => {
    const v = versionOf(p);
    return v && `Validated ${v}: ${num(p, 'passed') ?? '?'} checks passed, ${num(p, 'failed') ?? '?'} failed.`;
  },
  'manifest.imported': (p) => {
    const file = str(p, 'file');
    return file && `Manifest ${file} imported: ${num(p, 'imported') ?? 0} versions, ${num(p, 'failed') ?? 0} failed.`;
  },
};
