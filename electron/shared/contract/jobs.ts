/**
 * Job channels: long work (ingest, scans, prune, backup, validation) running in the
 * background with progress and cancel.
 */
import { z } from 'zod';
import { channel, empty } from './schemas.js';

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** A job as the UI and `--json` see it. */
export interface JobInfo {
  readonly job_id: string;
  readonly kind: string;
  readonly state: JobState;
  /** Writer jobs run one at a time; the others run at once. */
  readonly exclusive: boolean;
  readonly created_at: string;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly done: number;
  readonly total: number | null;
  readonly bytes: number;
  readonly current: string | null;
  readonly phase: string | null;
  /** Estimated time left from the rate so far; null until there is a rate and a total. */
  readonly eta_ms: number | null;
  /** The work's return value once done. */
  readonly result: unknown;
  readonly error: { readonly code: string; readonly message: string } | null;
}

const jobId = z.string().regex(/^job-[0-9a-f-]{36}$/, 'Expected a job id such as job-…');

export const jobsContract = {
  'jobs:list': channel(empty).returns<JobInfo[]>(),
  'jobs:get': channel(z.object({ job_id: jobId }).strict()).returns<JobInfo>(),
  'jobs:cancel': channel(z.object({ job_id: jobId }).strict()).returns<JobInfo>(),
} as const;
