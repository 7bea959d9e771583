import { randomUUID } from 'node:crypto';
import { validateVersion } from '../ingest/validate/validate-version.js';
import type { Channel } from '../shared/contract.js';
import type { validateContract } from '../shared/contract/validate.js';
import { parseVersionRef } from '../shared/version-ref.js';
import type { HandlerGroup } from './handler-types.js';

type ValidateChannel = keyof typeof validateContract & Channel;

/** Handlers of the validation channels. */
export const validateHandlers: HandlerGroup<ValidateChannel> = {
  async 'validate:run'(input, { catalog, emit }) {
    const ref = parseVersionRef(input.ref);
    const jobId = randomUUID();
    const started = Date.now();
    let last = { done: 0, total: null as number | null, bytes: 0 };
    try {
      const result = await validateVersion(catalog, ref, {
        workers: input.workers,
        onProgress(progress) {
          last = { done: progress.done, total: progress.total, bytes: progress.bytes };
          const elapsed = Date.now() - started;
          const eta = progress.total && progress.done > 0 ? Math.round((elapsed / progress.done) * (progress.total - progress.done)) : null;
          emit('job:progress', { job_id: jobId, kind: 'validate', ...last, current: progress.current, eta_ms: eta, state: 'running', message: null });
        },
      });
      emit('job:progress', { job_id: jobId, kind: 'validate', ...last, current: null, eta_ms: 0, state: 'done', message: `${result.failed} finding(s)` });
      return result;
    } catch (error) {
      emit('job:progress', { job_id: jobId, kind: 'validate', ...last, current: null, eta_ms: null, state: 'failed', message: (error as Error).message });
      throw error;
    }
  },
};
