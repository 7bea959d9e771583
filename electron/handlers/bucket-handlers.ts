import {
  applyBucketGc, bucketDoctor, bucketStatus, configureBucket, emptyBucketTrash, listBucketTrash, planBucketGc, pushToBucket, restoreBucketTrash,
} from '../catalog/bucket-housekeeping.js';
import { checkoutVersion } from '../ingest/checkout.js';
import type { Channel } from '../shared/contract.js';
import type { bucketContract } from '../shared/contract/bucket.js';
import { parseVersionRef } from '../shared/version-ref.js';
import type { HandlerGroup } from './handler-types.js';
import { runAsJob } from './run-job.js';

type BucketChannel = keyof typeof bucketContract & Channel;

/** Handlers of the object-storage channels and checkout. */
export const bucketHandlers: HandlerGroup<BucketChannel> = {
  'bucket:status': (_input, { catalog }) => Promise.resolve(bucketStatus(catalog.root)),
  'bucket:configure': (input, { catalog }) => configureBucket(catalog, input),
  'bucket:push': (input, ctx) => runAsJob(ctx, 'bucket-push', (control) => pushToBucket(ctx.catalog, control, { deep: input.deep === true })),
  'bucket:doctor': (input, ctx) => runAsJob(ctx, 'bucket-doctor', (control) => bucketDoctor(ctx.catalog, input, control)),
  'bucket:gc-plan': (_input, ctx) => runAsJob(ctx, 'bucket-gc-plan', (control) => planBucketGc(ctx.catalog, control)),
  'bucket:gc-apply': (input, ctx) => runAsJob(ctx, 'bucket-gc', (control) => applyBucketGc(ctx.catalog, input.plan_id, control)),
  'bucket:trash-list': (_input, { catalog }) => listBucketTrash(catalog),
  'bucket:trash-restore': (input, ctx) => runAsJob(ctx, 'bucket-trash-restore', (control) => restoreBucketTrash(ctx.catalog, input.plan_id, control)),
  'bucket:trash-empty': (input, { catalog }) => emptyBucketTrash(catalog, input.plan_id),
  'versions:checkout': (input, ctx) => runAsJob(ctx, 'checkout', (control) => checkoutVersion(ctx.catalog, parseVersionRef(input.ref), input.dir, { ...control, copy: input.copy })),
};
