import { publicationStatus, publishParquet } from '../catalog/parquet-publish.js';
import type { Channel } from '../shared/contract.js';
import type { HandlerGroup } from './handler-types.js';
import { runAsJob } from './run-job.js';

/** Handlers of the publish channels: the catalog as open Parquet. */
export const publishHandlers: HandlerGroup<Extract<Channel, 'catalog:publish' | 'catalog:publication'>> = {
  'catalog:publish': (input, ctx) => runAsJob(ctx, 'publish', () => publishParquet(ctx.catalog, { auto: input.auto })),
  'catalog:publication': (_input, { catalog }) => Promise.resolve(publicationStatus(catalog.root)),
};
