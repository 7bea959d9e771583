import type { Channel } from '../shared/contract.js';
import type { jobsContract } from '../shared/contract/jobs.js';
import type { HandlerGroup } from './handler-types.js';

type JobsChannel = keyof typeof jobsContract & Channel;

/** Handlers of the job channels: list, inspect and cancel the session's jobs. */
export const jobsHandlers: HandlerGroup<JobsChannel> = {
  'jobs:list': async (_input, { jobs }) => jobs.list(),
  'jobs:get': async (input, { jobs }) => jobs.get(input.job_id),
  'jobs:cancel': async (input, { jobs }) => jobs.cancel(input.job_id),
};
