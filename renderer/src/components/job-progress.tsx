/**
 * Follows `job:progress` events of one kind of job while it runs, with a cancel button.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { EventMap } from '../../../electron/shared/contract.js';
import { useApi, useChannelAvailable, useMutation } from '../api/api-context.js';
import { formatBytes, formatCount } from '../lib/format.js';

export type JobProgressEvent = EventMap['job:progress'];

/** The newest progress event of jobs whose kind starts with `kindPrefix`, while `active`. */
export function useJobProgress(kindPrefix: string, active: boolean): JobProgressEvent | null {
  const { bridge } = useApi();
  const [progress, setProgress] = useState<JobProgressEvent | null>(null);
  useEffect(() => {
    if (!active) return undefined;
    setProgress(null);
    return bridge.subscribe('job:progress', (event) => {
      if (event.kind.startsWith(kindPrefix)) setProgress(event);
    });
  }, [bridge, kindPrefix, active]);
  return active ? progress : null;
}

/** A progress bar with done/total, bytes, the current item and Cancel. */
export function JobProgressBar({ label, progress }: { label: string; progress: JobProgressEvent | null }): ReactNode {
  const canCancel = useChannelAvailable('jobs:cancel');
  const cancel = useMutation('jobs:cancel');
  const total = progress?.total ?? null;
  const done = progress?.done ?? 0;
  return (
    <div className="job" role="group" aria-label={label}>
      <progress aria-label={label} max={total ?? undefined} value={total ? done : undefined} />
      <span className="muted" aria-live="polite">
        {progress ? `${formatCount(done)}${total !== null ? ` of ${formatCount(total)}` : ''} · ${formatBytes(progress.bytes)}` : 'Starting…'}
        {progress?.current && <> · <span className="mono">{progress.current}</span></>}
      </span>
      {canCancel && (
        <button type="button" disabled={!progress || cancel.pending} onClick={() => {
          if (progress) cancel.run({ job_id: progress.job_id }).catch(() => {});
        }}>Cancel</button>
      )}
    </div>
  );
}
