import { applyStoreMigration, planStoreMigration } from '../catalog/store-migration.js';
import type { Channel } from '../shared/contract.js';
import type { storeContract } from '../shared/contract/store.js';
import type { HandlerGroup } from './handler-types.js';
import { runAsJob } from './run-job.js';

type StoreChannel = keyof typeof storeContract & Channel;

/** Handlers of the content store channels: the one-level fan-out migration. */
export const storeHandlers: HandlerGroup<StoreChannel> = {
  'store:migrate-plan': (_input, ctx) => runAsJob(ctx, 'migrate-store-plan', () => planStoreMigration(ctx.catalog)),
  'store:migrate-apply': (input, ctx) => runAsJob(ctx, 'migrate-store', (control) => applyStoreMigration(ctx.catalog, input.plan_id, control)),
};
