/**
 * Progress of a job that goes through named phases (ingest: checking, copying or
 * extracting, storing, linking, recording, validating).
 *
 * Each phase gets its own line and its own bar, so a count that starts again from zero
 * in the next phase is never read as the bar going backwards: finished phases stay
 * listed with a check mark, the running one shows its count, bytes and current item.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { phaseInfo } from '../../../electron/shared/progress-phases.js';
import { useApi, useMutation } from '../api/api-context.js';
import { formatBytes, formatCount } from '../lib/format.js';
import { followOwnJob, useEarlierJobs, type JobProgressEvent } from './job-progress.js';

/** One phase as last seen. */
export interface PhaseProgress {
  readonly phase: string;
  readonly done: number;
  readonly total: number | null;
  readonly bytes: number;
  readonly current: string | null;
}

/** What a phased job has shown so far: the phases in the order seen, the last one running. */
export interface PhasedJob {
  readonly jobId: string;
  readonly state: JobProgressEvent['state'];
  readonly phases: readonly PhaseProgress[];
}

/** Folds one progress event into the phases seen so far (a pure step, unit-tested). */
export function addPhaseEvent(job: PhasedJob | null, event: JobProgressEvent): PhasedJob {
  const phases = job?.phases ?? [];
  const name = event.phase ?? phases.at(-1)?.phase ?? null;
  // The job's start push comes before any phase: it only says the job is running.
  if (name === null) return { jobId: event.job_id, state: event.state, phases };
  const item: PhaseProgress = { phase: name, done: event.done, total: event.total, bytes: event.bytes, current: event.current };
  const last = phases.at(-1);
  // A final push repeats the last phase's figures: it only changes the state.
  const next = last && last.phase === name ? [...phases.slice(0, -1), item] : [...phases, item];
  return { jobId: event.job_id, state: event.state, phases: next };
}

/**
 * The phases of the job of `kind` that the call with `requestId` started while `active`
 * (see followOwnJob: another client's ingest is not this one).
 */
export function usePhasedJob(kind: string, active: boolean, requestId: string | null = null): PhasedJob | null {
  const { bridge } = useApi();
  const [job, setJob] = useState<PhasedJob | null>(null);
  const earlier = useEarlierJobs(kind, active);
  useEffect(() => {
    if (!active) return undefined;
    setJob(null);
    return bridge.subscribe('job:progress', followOwnJob(kind, requestId, new Set(earlier.current), (event) => {
      setJob((current) => addPhaseEvent(current, event));
    }));
  }, [bridge, kind, active, requestId, earlier]);
  return job;
}

function counts(item: PhaseProgress): string {
  const unit = phaseInfo(item.phase).unit;
  if (unit === 'bytes') return item.total !== null ? `${formatBytes(item.done)} of ${formatBytes(item.total)}` : formatBytes(item.done);
  const count = `${formatCount(item.done)}${item.total !== null ? ` of ${formatCount(item.total)}` : ''} ${unit}`;
  return item.bytes > 0 ? `${count} · ${formatBytes(item.bytes)}` : count;
}

/**
 * The list of phases with a bar for the running one, and Cancel while it runs.
 * `running` is false once the call has returned (the last phase is then shown as done).
 */
export function PhasedProgress({ label, job, running }: { label: string; job: PhasedJob | null; running: boolean }): ReactNode {
  const cancel = useMutation('jobs:cancel');
  const phases = job?.phases ?? [];
  // Running: the last phase is the current one. Finished: all are done, unless the job
  // failed or was cancelled, when the last one is where it stopped.
  const stopped = !running && job !== null && job.state !== 'done' && job.state !== 'running';
  const currentIndex = running || stopped ? phases.length - 1 : phases.length;
  const current = phases[currentIndex];
  return (
    <div className="phased" role="group" aria-label={label}>
      <ol className="phases" aria-label={`${label} phases`}>
        {phases.length === 0 && <li className="phase phase-current"><span className="phase-name">Starting…</span></li>}
        {phases.map((item, index) => {
          const info = phaseInfo(item.phase);
          const isCurrent = index === currentIndex;
          return (
            <li key={`${item.phase}-${index}`} className={isCurrent ? 'phase phase-current' : 'phase phase-done'} aria-current={isCurrent ? 'step' : undefined}>
              <span className="phase-mark" aria-hidden="true">{isCurrent ? (stopped ? '✗' : '▸') : '✓'}</span>
              <span className="phase-name">{info.label}{isCurrent && stopped && <span className="muted"> — stopped ({job?.state})</span>}</span>
              {isCurrent && !stopped ? (
                <>
                  <progress aria-label={info.label} max={item.total ?? undefined} value={item.total ? Math.min(item.done, item.total) : undefined} />
                  <span className="muted small">{counts(item)}{item.current && <> · <span className="mono">{item.current}</span></>}</span>
                </>
              ) : <span className="muted small">{counts(item)}</span>}
            </li>
          );
        })}
      </ol>
      {/* One polite line for screen readers: the phase name, not every count. */}
      <span className="visually-hidden" aria-live="polite">{current ? phaseInfo(current.phase).label : ''}</span>
      {running && (
        <button type="button" disabled={!job || job.state !== 'running' || cancel.pending} onClick={() => {
          if (job) cancel.run({ job_id: job.jobId }).catch(() => {});
        }}>{cancel.pending ? 'Cancelling…' : 'Cancel'}</button>
      )}
      {cancel.error && <span className="error-text" role="alert">{cancel.error.message}</span>}
    </div>
  );
}
