/** Sentences for events of doctor, prune, the trash, backups and the catalog itself. */
import { bytes, counted, files, num, plan, str, type EventFormatter } from './event-text.js';

const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

export const housekeepingEvents: Readonly<Record<string, EventFormatter>> = {
  'plan.created': (p) => `A ${str(p, 'kind') ?? ''} ${plan(p)} was made (preview, nothing changed yet).`.replace('A  ', 'A '),
  'plans.retired': (p) => `${counted(num(p, 'plans'), 'old plan')} ${num(p, 'plans') === 1 ? 'was' : 'were'} retired.`,
  'plan.chosen': (p) => {
    const from = str(p, 'from');
    return `${plan(p)[0]!.toUpperCase()}${plan(p).slice(1)} was made from ${from ? `plan ${from}` : 'another plan'}, ${counted(num(p, 'left_out'), 'item')} left out and ${counted(num(p, 'adopted'), 'stray file')} adopted (preview, nothing changed yet).`;
  },
  'files.adopted': (p) => {
    const adopted = list(p.files);
    const shown = adopted.slice(0, 3).join(', ');
    return `${counted(adopted.length, 'stray file')} adopted into ${adopted.length === 1 ? 'its version' : 'their versions'}${shown ? `: ${shown}${adopted.length > 3 ? ', …' : ''}` : ''}.`;
  },
  'store.migrated': (p) => {
    const missing = num(p, 'missing') ?? 0;
    const left = num(p, 'rows_left') ?? 0;
    return `The content store moved to one folder level (${plan(p)}): ${counted(num(p, 'objects'), 'object')}${missing > 0 ? `, ${missing.toLocaleString('en-US')} missing` : ''}`
      + `${left > 0 ? `; ${counted(left, 'file row')} still to update` : ''}.`;
  },
  'root.identity_changed': (p) => {
    const before = str(p, 'before');
    const now = str(p, 'now');
    return `The storage root is not the folder it was${before && now ? ` (was ${before}, now ${now})` : ''}, as after a copy, a restore or a move to another disk.`;
  },
  'storage.configured': (p) => {
    const url = str(p, 'url');
    return url && `New content objects now go to the S3 bucket ${url}${str(p, 'endpoint') ? ` at ${str(p, 'endpoint')}` : ''}.`;
  },
  'bucket.pushed': (p) => {
    const missing = num(p, 'not_cached') ?? 0;
    const bad = num(p, 'bad_local') ?? 0;
    return `${counted(num(p, 'uploaded'), 'content object')}${bytes(num(p, 'bytes'))} uploaded to the bucket`
      + `${missing > 0 ? `; ${counted(missing, 'object')} not in the local store could not be` : ''}`
      + `${bad > 0 ? `; ${counted(bad, 'local copy', 'local copies')} no longer matching ${bad === 1 ? 'its' : 'their'} SHA-256 ${bad === 1 ? 'was' : 'were'} not (run doctor --deep)` : ''}.`;
  },
  'bucket.doctor': (p) => {
    const problems = [['missing', 'missing'], ['unreferenced', 'unreferenced'], ['size_mismatches', 'of the wrong size'], ['strays', 'stray']]
      .map(([key, words]) => [num(p, key!) ?? 0, words] as const).filter(([n]) => n > 0).map(([n, words]) => `${n.toLocaleString('en-US')} ${words}`);
    const deep = num(p, 'deep_checked');
    return `Bucket check: ${counted(num(p, 'listed'), 'object')} listed, ${problems.length > 0 ? problems.join(', ') : 'nothing wrong'}`
      + `${deep !== null ? `; ${deep.toLocaleString('en-US')} re-hashed, ${(num(p, 'corrupt') ?? 0).toLocaleString('en-US')} corrupt` : ''}.`;
  },
  'doctor.applied': (p) => `Doctor applied ${plan(p)}: ${files(num(p, 'files_moved'))} moved to the trash${bytes(num(p, 'bytes'))}.`,
  'doctor.memory_retry': () => 'Doctor ran out of memory scanning the disk and retried with a larger limit.',
  'prune.applied': (p) => {
    const versions = list(p.versions);
    // No bytes: a version file and its content object are one inode, so their sizes' sum is no size on disk.
    return `Pruned ${versions.length > 0 ? versions.join(', ') : 'versions'} (${plan(p)}): ${files(num(p, 'files'))} moved to the trash.`;
  },
  'prune.rolled_back': (p) => `An interrupted prune (${plan(p)}) was rolled back${str(p, 'reason') ? `: ${str(p, 'reason')}` : ''}.`,
  'trash.restored': (p) => `Restored ${plan(p)} from the trash: ${files(num(p, 'files'))}${bytes(num(p, 'bytes'))}.`,
  'trash.restore_failed': (p) => `Restoring ${plan(p)} from the trash failed${str(p, 'reason') ? `: ${str(p, 'reason')}` : ''}.`,
  'trash.recovered': (p) => `An interrupted trash operation on ${plan(p)} was finished (${str(p, 'outcome') ?? 'recovered'}).`,
  'trash.recovery_failed': (p) => `Recovering ${plan(p)} in the trash failed${str(p, 'error') ? `: ${str(p, 'error')}` : ''}.`,
  'trash.emptied': (p) => `The trash was emptied: ${counted(list(p.plans).length, 'plan')}${bytes(num(p, 'bytes'))} freed.`,
  'backup.created': (p) => `Catalog backup ${str(p, 'timestamp') ?? ''} created${bytes(num(p, 'bytes'))}.`,
  'backup.restored': (p) => `The catalog was restored from backup ${str(p, 'timestamp') ?? ''}${str(p, 'safety_backup') ? `; the catalog before is kept as ${str(p, 'safety_backup')}` : ''}.`,
  'catalog.compacted': (p) => `The catalog file was compacted${num(p, 'bytes_before') !== null ? ` (was ${bytes(num(p, 'bytes_before')).slice(2, -1)})` : ''}.`,
  'lock.recovered': () => 'A writer lock left by a process that is gone was recovered.',
  'catalog.totals_rebuilt': (p) => `The versions' kept ${str(p, 'compared') === 'all' ? 'file counts, sizes and health counts' : 'file counts and sizes'} disagreed with their rows${num(p, 'rows_off') !== null ? ` (${num(p, 'rows_off')} ${num(p, 'rows_off') === 1 ? 'row' : 'rows'})` : ''} and were recounted.`,
};
