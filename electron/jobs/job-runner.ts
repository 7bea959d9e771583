import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { EventMap, JobInfo, JobState } from '../shared/contract.js';
import { OntocatError, isOntocatError } from '../shared/errors.js';
import { describeFsError, errnoOf, upperFirst } from '../shared/fs-error-words.js';
import type { Progress, WorkControl } from '../shared/progress.js';
import { estimateEtaMs } from './eta.js';
import { Throttle } from './throttle.js';
import { countOf } from '../shared/count-noun.js';

/** What a job's work receives: a signal that is always there and a progress sink. */
export interface JobControl extends WorkControl {
  readonly signal: AbortSignal;
  readonly onProgress: (progress: Progress) => void;
}

/** The long work itself; its resolved value becomes the job's `result`. */
export type JobWork<T> = (control: JobControl) => Promise<T>;

export interface JobOptions {
  /**
   * Writer jobs (the default) run one at a time, in the order started, so two long
   * writes never interleave; pass false for work that only reads, which starts at once.
   */
  readonly exclusive?: boolean;
}

/** What the channel call being run says about the jobs it starts. */
interface CallContext {
  readonly signal?: AbortSignal;
  readonly requestId?: string;
}

const callContexts = new AsyncLocalStorage<CallContext>();

/**
 * Runs `task` (one channel call) so that every job it starts is cancelled when `signal`
 * aborts: a client process that waits on the call went away (Ctrl-C), and its work stops
 * as it would have in the client's own process.
 */
export function withCallSignal<T>(signal: AbortSignal, task: () => T): T {
  return callContexts.run({ ...callContexts.getStore(), signal }, task);
}

/**
 * Runs `task` (one channel call) so that every job it starts carries `requestId` in its
 * `job:progress` events: the caller follows its own job by it, not another client's.
 */
export function withCallRequest<T>(requestId: string, task: () => T): T {
  return callContexts.run({ ...callContexts.getStore(), requestId }, task);
}

export interface JobRunnerOptions {
  /** Receives `job:progress` pushes (throttled, plus every state change). */
  readonly emit: (payload: EventMap['job:progress']) => void;
  /** Least time between two progress pushes of one job (default 100 ms: 10 a second). */
  readonly throttleMs?: number;
  /** Finished jobs kept for `list`/`get` (default 100, oldest dropped first). */
  readonly keepFinished?: number;
  readonly now?: () => number;
}

/** The part of the runner handlers use to start long work (`ctx.jobs`). */
export interface JobStarter {
  start<T>(kind: string, work: JobWork<T>, options?: JobOptions): string;
}

interface JobRecord {
  readonly id: string;
  readonly kind: string;
  readonly exclusive: boolean;
  /** The request id of the call that started it (withCallRequest), or null. */
  readonly requestId: string | null;
  readonly createdAt: number;
  readonly controller: AbortController;
  readonly throttle: Throttle;
  settled: Promise<void>;
  state: JobState;
  startedAt: number | null;
  finishedAt: number | null;
  progress: Progress;
  result: unknown;
  error: { code: string; message: string } | null;
  message: string | null;
}

const finalStates: ReadonlySet<JobState> = new Set(['done', 'failed', 'cancelled']);

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** Turns whatever the work threw into a stable code and one line. */
function describeFailure(error: unknown): { code: string; message: string } {
  if (isOntocatError(error)) return { code: error.code, message: error.message };
  // A file system's refusal (full disk, permission denied): plain words, the errno kept.
  if (errnoOf(error)) return { code: 'IO_ERROR', message: `${upperFirst(describeFsError(error))}.` };
  const text = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: text.split('\n')[0] ?? text };
}

/**
 * Runs long work as jobs: queued, running, then done, failed or cancelled.
 *
 * Writer jobs share one queue so that long writes never interleave while reads (and
 * non-exclusive jobs) stay responsive. Progress is pushed as `job:progress`, at most
 * `throttleMs` apart per job, and every state change is pushed at once, so the last
 * push of a job always carries its final state. Cancel aborts the job's signal; work
 * that stops with any error after that counts as cancelled, not failed.
 */
export class JobRunner implements JobStarter {
  private readonly jobs = new Map<string, JobRecord>();
  private writerTail: Promise<void> = Promise.resolve();
  private readonly throttleMs: number;
  private readonly keepFinished: number;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly options: JobRunnerOptions) {
    this.throttleMs = options.throttleMs ?? 100;
    this.keepFinished = options.keepFinished ?? 100;
    this.now = options.now ?? Date.now;
  }

  /** Queues `work` as a job of `kind` and returns its id at once. */
  start<T>(kind: string, work: JobWork<T>, options: JobOptions = {}): string {
    if (this.closed) throw new OntocatError('CANCELLED', 'The session is closing; no new jobs start.');
    const id = `job-${randomUUID()}`;
    const exclusive = options.exclusive ?? true;
    const controller = new AbortController();
    const call = callContexts.getStore();
    const record: JobRecord = {
      id, kind, exclusive, controller, requestId: call?.requestId ?? null,
      settled: Promise.resolve(),
      createdAt: this.now(),
      throttle: new Throttle(this.throttleMs, () => { this.push(record); }, this.now),
      state: 'queued', startedAt: null, finishedAt: null,
      progress: { done: 0, total: null, bytes: 0, current: null },
      result: null, error: null, message: null,
    };
    const run = async (): Promise<void> => {
      if (record.state !== 'queued') return;
      await this.execute(record, work);
    };
    if (exclusive) {
      record.settled = this.writerTail.then(run);
      this.writerTail = record.settled;
    } else {
      record.settled = Promise.resolve().then(run);
    }
    this.jobs.set(id, record);
    const callSignal = call?.signal;
    if (callSignal?.aborted) this.cancel(id);
    else callSignal?.addEventListener('abort', () => { this.cancel(id); }, { once: true });
    return id;
  }

  private async execute(record: JobRecord, work: JobWork<unknown>): Promise<void> {
    record.state = 'running';
    record.startedAt = this.now();
    record.throttle.flush();
    const control: JobControl = {
      signal: record.controller.signal,
      onProgress: (progress) => {
        if (finalStates.has(record.state)) return;
        const newPhase = (progress.phase ?? null) !== (record.progress.phase ?? null);
        record.progress = progress;
        // A new phase is pushed at once: a short phase must not be throttled out of sight,
        // and a count that starts again from 0 must arrive with the name of its phase.
        if (newPhase) record.throttle.flush(); else record.throttle.request();
      },
    };
    try {
      const result = await work(control);
      record.result = result ?? null;
      record.state = 'done';
    } catch (error) {
      if (record.controller.signal.aborted) {
        record.state = 'cancelled';
        record.message = 'Cancelled.';
      } else {
        record.error = describeFailure(error);
        record.state = 'failed';
        record.message = record.error.message;
      }
    }
    this.finish(record);
  }

  private finish(record: JobRecord): void {
    record.finishedAt = this.now();
    record.throttle.flush();
    this.prune();
  }

  private push(record: JobRecord): void {
    if (record.state === 'queued') return;
    const info = this.describe(record);
    try {
      this.options.emit({
        job_id: info.job_id, kind: info.kind, done: info.done, total: info.total, bytes: info.bytes,
        current: info.current, eta_ms: info.eta_ms, state: info.state as EventMap['job:progress']['state'], message: record.message,
        phase: info.phase, request_id: record.requestId,
      });
    } catch (error) {
      // A failing listener must not take the job down with it.
      console.error('[ontocat] job:progress listener failed:', error);
    }
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((job) => finalStates.has(job.state));
    for (const job of finished.slice(0, Math.max(0, finished.length - this.keepFinished))) this.jobs.delete(job.id);
  }

  private describe(record: JobRecord): JobInfo {
    const { done, total, bytes, current, phase } = record.progress;
    const elapsed = record.startedAt === null ? 0 : (record.finishedAt ?? this.now()) - record.startedAt;
    return {
      job_id: record.id,
      kind: record.kind,
      state: record.state,
      exclusive: record.exclusive,
      created_at: iso(record.createdAt)!,
      started_at: iso(record.startedAt),
      finished_at: iso(record.finishedAt),
      done, total, bytes, current,
      phase: phase ?? null,
      eta_ms: record.state === 'running' ? estimateEtaMs(done, total, elapsed) : record.state === 'done' ? 0 : null,
      result: record.result,
      error: record.error,
    };
  }

  private require(id: string): JobRecord {
    const record = this.jobs.get(id);
    if (!record) throw new OntocatError('NOT_FOUND', `No job ${id} in this session (finished jobs are kept for a while, then forgotten).`);
    return record;
  }

  /** Every job still known, newest first. */
  list(): JobInfo[] {
    return [...this.jobs.values()].reverse().map((record) => this.describe(record));
  }

  /** One job's state; NOT_FOUND when unknown. */
  get(id: string): JobInfo {
    return this.describe(this.require(id));
  }

  /**
   * Asks a job to stop. A queued job is cancelled on the spot; a running one when its
   * work notices the signal. Cancelling a finished job changes nothing.
   */
  cancel(id: string): JobInfo {
    const record = this.require(id);
    if (record.state === 'queued') {
      record.state = 'cancelled';
      record.message = 'Cancelled before it started.';
      record.controller.abort();
      this.finish(record);
    } else if (record.state === 'running') {
      record.controller.abort();
    }
    return this.describe(record);
  }

  /** Resolves with the job's final state. */
  async wait(id: string): Promise<JobInfo> {
    const record = this.require(id);
    await record.settled;
    return this.describe(record);
  }

  /**
   * Refuses new jobs, cancels every queued or running one and waits for them to stop,
   * at most `graceMs`: a job that ignores its signal must not keep a server from stopping.
   * Resolves with the kinds of the jobs that were still running when the wait gave up.
   */
  async shutdown(graceMs = 10_000): Promise<string[]> {
    this.closed = true;
    const pending = [...this.jobs.values()].filter((job) => !finalStates.has(job.state));
    for (const job of pending) this.cancel(job.id);
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), graceMs); });
    const outcome = await Promise.race([Promise.all(pending.map((job) => job.settled)), gaveUp]);
    clearTimeout(timer);
    if (outcome !== 'timeout') return [];
    const stuck = pending.filter((job) => !finalStates.has(job.state)).map((job) => job.kind);
    console.error(`[ontocat] gave up waiting for ${countOf(stuck.length, 'cancelled job')} to stop: ${stuck.join(', ')}`);
    return stuck;
  }
}
