/**
 * Follows `job:progress` events of one job while it runs, with a cancel button.
 *
 * A long channel (ingest, validate, demo, verify) runs as a job and resolves only with its
 * final result, so the job id is learnt from its progress events: those that carry the
 * request id the page's call sent (the owner marks each job with its call's), or, from an
 * owner older than request ids, the first of that kind.
 */
import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { isOwnJobEvent } from '../../../electron/shared/api-protocol.js';
import type { EventMap } from '../../../electron/shared/contract.js';
import { useApi, useMutation } from '../api/api-context.js';
import { formatBytes, formatCount } from '../lib/format.js';

export type JobProgressEvent = EventMap['job:progress'];

/**
 * Ids of the jobs of `kind` heard while not `active`: another client's or the scheduler's,
 * running before this page asked for its own. Progress is sent to every client, and the first
 * such job heard after the click was taken for this one (its bar shown, Cancel sent to it).
 */
export function useEarlierJobs(kind: string, active: boolean): RefObject<ReadonlySet<string>> {
  const { bridge } = useApi();
  const earlier = useRef<Set<string>>(new Set());
  const activeRef = useRef(active);
  activeRef.current = active;
  useEffect(() => bridge.subscribe('job:progress', (event) => {
    if (!activeRef.current && event.kind.startsWith(kind)) earlier.current.add(event.job_id);
  }), [bridge, kind]);
  return earlier;
}

/**
 * Follows the one job of `kind` that the page's own call started: returns a listener that
 * hands on only its events. `requestId` is the call's (useMutation's or useQuery's); every
 * client's progress reaches every client, so another client's job of the same kind started
 * at the same moment must not be taken. An owner older than request ids sends events
 * without one: then the first job of the kind heard while `active` is taken, leaving out
 * those heard before (`others`, see useEarlierJobs).
 */
export function followOwnJob(kind: string, requestId: string | null, others: ReadonlySet<string>, onEvent: (event: JobProgressEvent) => void): (event: JobProgressEvent) => void {
  let jobId: string | null = null;
  return (event) => {
    if (!event.kind.startsWith(kind) || others.has(event.job_id) || (jobId !== null && event.job_id !== jobId)) return;
    if (requestId !== null && !isOwnJobEvent(event, requestId)) return;
    jobId = event.job_id;
    onEvent(event);
  };
}

/**
 * The newest progress of the job whose kind starts with `kind` that the call with
 * `requestId` started while `active` (see followOwnJob).
 */
export function useJobProgress(kind: string, active: boolean, requestId: string | null = null): JobProgressEvent | null {
  const { bridge } = useApi();
  const [progress, setProgress] = useState<JobProgressEvent | null>(null);
  const earlier = useEarlierJobs(kind, active);
  useEffect(() => {
    if (!active) return undefined;
    setProgress(null);
    return bridge.subscribe('job:progress', followOwnJob(kind, requestId, new Set(earlier.current), setProgress));
  }, [bridge, kind, active, requestId, earlier]);
  return active ? progress : null;
}

/** A progress bar with done/total, bytes, the current item and Cancel. */
export function JobProgressBar({ label, progress }: { label: string; progress: JobProgressEvent | null }): ReactNode {
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
      <button type="button" disabled={!progress || progress.state !== 'running' || cancel.pending} onClick={() => {
        if (progress) cancel.run({ job_id: progress.job_id }).catch(() => {});
      }}>{cancel.pending ? 'Cancelling…' : 'Cancel'}</button>
      {cancel.error && <span className="error-text" role="alert">{cancel.error.message}</span>}
    </div>
  );
}
