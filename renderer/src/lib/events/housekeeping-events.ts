/** Sentences for events of doctor, prune, the trash, backups and the catalog itself. */
import { bytes, files, num, plan, str, type EventFormatter } from './event-text.js';

const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

export const housekeepingEvents: Readonly<Record<string, EventFormatter>> = {
  'plan.created': (p) => `A ${str(p, 'kind') ?? ''} ${plan(p)} was made (preview, nothing changed yet).`.replace('A  ', 'A '),
  'plans.retired': (p) => `${num(p, 'plans') ?? 0} old plans were retired.`,
  'doctor.applied': (p) => `Doctor applied ${plan(p)}: ${files(num(p, 'files_moved'))} moved to the trash${bytes(num(p, 'bytes'))}.`,
  'doctor.memory_retry': () => 'Doctor ran out of memory scanning the disk and retried with a larger limit.',
  'prune.applied': (p) => {
    const versions = list(p.versions);
    return `Pruned ${versions.length > 0 ? versions.join(', ') : 'versions'} (${plan(p)}): ${files(num(p, 'files'))}${bytes(num(p, 'bytes'))} moved to the trash.`;
  },
  'prune.rolled_back': (p) => `An interrupted prune (${plan(p)}) was rolled back${str(p, 'reason') ? `: ${str(p, 'reason')}` : ''}.`,
  'trash.restored': (p) => `Restored ${plan(p)} from the trash: ${files(num(p, 'files'))}${bytes(num(p, 'bytes'))}.`,
  'trash.restore_failed': (p) => `Restoring ${plan(p)} from the trash failed${str(p, 'reason') ? `: ${str(p, 'reason')}` : ''}.`,
  'trash.recovered': (p) => `An interrupted trash operation on ${plan(p)} was finished (${str(p, 'outcome') ?? 'recovered'}).`,
  'trash.recovery_failed': (p) => `Recovering ${plan(p)} in the trash failed${str(p, 'error') ? `: ${str(p, 'error')}` : ''}.`,
  'trash.emptied': (p) => `The trash was emptied: ${list(p.plans).length} plans${bytes(num(p, 'bytes'))} freed.`,
  'backup.created': (p) => `Catalog backup ${str(p, 'timestamp') ?? ''} created${bytes(num(p, 'bytes'))}.`,
  'backup.restored': (p) => `The catalog was restored from backup ${str(p, 'timestamp') ?? ''}${str(p, 'safety_backup') ? `; the catalog before is kept as ${str(p, 'safety_backup')}` : ''}.`,
  'catalog.compacted': (p) => `The catalog file was compacted${num(p, 'bytes_before') !== null ? ` (was ${bytes(num(p, 'bytes_before')).slice(2, -1)})` : ''}.`,
  'lock.recovered': () => 'A writer lock left by a process that is gone was recovered.',
  'catalog.totals_rebuilt': (p) => `The versions' kept ${str(p, 'compared') === 'all' ? 'file counts, sizes and health counts' : 'file counts and sizes'} disagreed with their rows${num(p, 'rows_off') !== null ? ` (${num(p, 'rows_off')} ${num(p, 'rows_off') === 1 ? 'row' : 'rows'})` : ''} and were recounted.`,
};
