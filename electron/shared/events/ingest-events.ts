/** Sentences for events of ingest: versions, artifacts, files and validations recorded. */
import { bytes, counted, files, num, str, versionOf, type EventFormatter } from './event-text.js';

export const ingestEvents: Readonly<Record<string, EventFormatter>> = {
  'ingest.completed': (p) => {
    const v = versionOf(p);
    if (!v) return null;
    const source = str(p, 'source');
    const restored = num(p, 'restored_on_disk');
    if (restored !== null) return `Ingested ${v} again${source ? ` from ${source}` : ''}, its content unchanged: ${files(restored)} not on disk as recorded put back.`;
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
  // A failed check is a finding (an ERROR, WARN or INFO), so the failures are counted as findings.
  'validations.recorded': (p) => {
    const v = versionOf(p);
    return v && `Validated ${v}: ${counted(num(p, 'passed'), 'check')} passed, ${counted(num(p, 'failed'), 'finding')}.`;
  },
  'validate.completed': (p) => {
    const v = versionOf(p);
    const reused = num(p, 'reused') ?? 0;
    return v && `Validation of ${v} finished: ${files(num(p, 'files'))}${bytes(num(p, 'bytes'))}`
      + `${reused > 0 ? `, ${reused.toLocaleString('en-US')} of them by earlier results for the same content` : ''}; `
      + `${counted(num(p, 'passed'), 'check')} passed, ${counted(num(p, 'failed'), 'finding')}.`;
  },
  'fetch.completed': (p) => {
    const v = versionOf(p);
    const url = str(p, 'url');
    const attempts = num(p, 'attempts') ?? 1;
    return v && url ? `Downloaded ${str(p, 'name') ?? url} for ${v} from ${url}${bytes(num(p, 'bytes'))}${attempts > 1 ? ` after ${attempts} attempts` : ''}.` : null;
  },
  'fetch.failed': (p) => {
    const v = versionOf(p);
    const url = str(p, 'url');
    return v && url ? `Download of ${url} for ${v} failed${str(p, 'message') ? `: ${str(p, 'message')}` : ''}.` : null;
  },
  'checkout.completed': (p) => {
    const v = versionOf(p);
    const directory = str(p, 'directory');
    const downloaded = num(p, 'downloaded') ?? 0;
    return v && directory ? `Checked out ${v} into ${directory}: ${files(num(p, 'files'))}${downloaded > 0 ? `, ${downloaded.toLocaleString('en-US')} of them downloaded from the bucket` : ''}.` : null;
  },
  'terms.backfilled': (p) => {
    const service = str(p, 'service');
    const unparsable = num(p, 'unparsable') ?? 0;
    const unreadable = num(p, 'unreadable') ?? 0;
    return `Term index backfill${service ? ` of ${service}` : ''}: ${(num(p, 'indexed') ?? 0).toLocaleString('en-US')} of ${counted(num(p, 'contents'), 'file content')} indexed`
      + `${unparsable > 0 ? `, ${unparsable.toLocaleString('en-US')} do not parse` : ''}${unreadable > 0 ? `, ${unreadable.toLocaleString('en-US')} could not be read` : ''}.`;
  },
  'manifest.imported': (p) => {
    const file = str(p, 'file');
    return file && `Manifest ${file} imported: ${num(p, 'imported') ?? 0} versions, ${num(p, 'failed') ?? 0} failed.`;
  },
};
