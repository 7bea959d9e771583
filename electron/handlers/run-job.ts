import type { JobControl, JobOptions } from '../jobs/job-runner.js';
import { OntocatError, type OntocatErrorCode } from '../shared/errors.js';
import type { HandlerContext } from './handler-types.js';

/**
 * Runs long work as a job of the session and resolves with its result.
 *
 * The channel still answers with the outcome, while the job gives the UI progress
 * (`job:progress`, with the job id) and a way to stop it (`jobs:cancel`); writer jobs
 * queue behind each other. A failed or cancelled job rejects with its code.
 */
export async function runAsJob<T>(ctx: HandlerContext, kind: string, work: (control: JobControl) => Promise<T>, options?: JobOptions): Promise<T> {
  const id = ctx.jobs.start(kind, work, options);
  const info = await ctx.jobs.wait(id);
  if (info.state === 'done') return info.result as T;
  if (info.state === 'cancelled') throw new OntocatError('CANCELLED', info.error?.message ?? `The ${kind} job was cancelled.`);
  throw new OntocatError((info.error?.code as OntocatErrorCode | undefined) ?? 'INTERNAL', info.error?.message ?? `The ${kind} job failed.`);
}
