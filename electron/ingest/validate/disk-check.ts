import type { RootFileProbe } from '../../storage/safe-path.js';
import type { DiskCheckDifference, DiskCheckTask } from './worker-protocol.js';

/**
 * Checks a batch of files no validator reads on disk and returns those not as recorded:
 * absent or not a regular file (size null), or of another size. Throws UNSAFE_PATH where
 * one of them, or a folder on the way, is a link or mount point.
 *
 * `probe` is one run's (a validation worker lives for one run; the main thread makes one
 * a run): a folder it checked stays checked, so a probe kept across runs would miss a
 * folder swapped for a link in between.
 */
export function checkOnDisk(check: DiskCheckTask, probe: RootFileProbe): DiskCheckDifference[] {
  const differences: DiskCheckDifference[] = [];
  for (let index = 0; index < check.relpaths.length; index += 1) {
    const { stat } = probe.probe(check.base + check.relpaths[index]!);
    const size = stat?.isFile() ? stat.size : null;
    if (size !== check.sizes[index]) differences.push({ index, size });
  }
  return differences;
}
