import { validateVersion } from '../ingest/validate/validate-version.js';
import type { Channel } from '../shared/contract.js';
import type { validateContract } from '../shared/contract/validate.js';
import { parseVersionRef } from '../shared/version-ref.js';
import type { HandlerGroup } from './handler-types.js';
import { runAsJob } from './run-job.js';

type ValidateChannel = keyof typeof validateContract & Channel;

/** Handlers of the validation channels. */
export const validateHandlers: HandlerGroup<ValidateChannel> = {
  'validate:run': (input, ctx) => runAsJob(ctx, 'validate', ({ signal, onProgress }) =>
    validateVersion(ctx.catalog, parseVersionRef(input.ref), { workers: input.workers, reuse: input.fresh !== true, signal, onProgress })),
};
