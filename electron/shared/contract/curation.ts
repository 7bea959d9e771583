/**
 * Curation channels: a curator's per-item choice on a doctor or prune plan, pin reasons,
 * and the files of a trash entry.
 *
 * A choice never edits a plan: it makes a new one (new id, new hash) from the old plan and
 * the choice, to be previewed and applied like any other (plan → preview → apply).
 */
import { z } from 'zod';
import type { DoctorPlan, PrunePlan, TrashFile } from './housekeeping.js';
import { planIdSchema } from './housekeeping.js';
import { channel, limit, offset, relpath, versionRefSchema } from './schemas.js';

/** A version's pin: whether it is pinned, why, and since when. */
export interface PinInfo {
  readonly ref: string;
  readonly pinned: boolean;
  readonly reason: string | null;
  readonly pinned_at: string | null;
}

const items = z.array(relpath).max(100_000);

export const curationContract = {
  'doctor:choose': channel(z.object({
    plan_id: planIdSchema,
    /** Paths of findings to leave out. */
    without: items.optional(),
    /** Paths of stray files to adopt into their version instead of moving them to the trash. */
    adopt: items.optional(),
  }).strict(), 'write').returns<DoctorPlan>(),
  'prune:choose': channel(z.object({
    plan_id: planIdSchema,
    /** Versions (`S/V`) to leave out: they are kept. */
    without: z.array(versionRefSchema).min(1).max(100_000),
  }).strict(), 'write').returns<PrunePlan>(),
  'pins:get': channel(z.object({ ref: versionRefSchema }).strict()).returns<PinInfo>(),
  'trash:files': channel(z.object({ plan_id: planIdSchema, offset, limit }).strict())
    .returns<{ readonly items: readonly TrashFile[]; readonly total: number; readonly offset: number; readonly limit: number }>(),
} as const;
