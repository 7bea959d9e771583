import { chooseDoctor, choosePrune } from '../catalog/plan-choice.js';
import { listTrashFiles } from '../catalog/trash.js';
import { pinInfo } from '../catalog/version-queries.js';
import type { Channel } from '../shared/contract.js';
import type { curationContract } from '../shared/contract/curation.js';
import { parseVersionRef } from '../shared/version-ref.js';
import type { HandlerGroup } from './handler-types.js';
import { runAsJob } from './run-job.js';

type CurationChannel = keyof typeof curationContract & Channel;

/** Handlers of the curation channels: per-item choices on plans, pin reasons, trash files. */
export const curationHandlers: HandlerGroup<CurationChannel> = {
  'doctor:choose': (input, ctx) => runAsJob(ctx, 'doctor-choose', () => chooseDoctor(ctx.catalog, input.plan_id, { without: input.without, adopt: input.adopt })),
  'prune:choose': (input, ctx) => runAsJob(ctx, 'prune-plan', () => choosePrune(ctx.catalog, input.plan_id, input.without)),
  'pins:get': (input, { catalog }) => catalog.read((conn) => pinInfo(conn, parseVersionRef(input.ref))),
  'trash:files': (input, { catalog }) => Promise.resolve(listTrashFiles(catalog.root, input.plan_id, input.offset, input.limit)),
};
