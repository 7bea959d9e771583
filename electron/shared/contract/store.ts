/**
 * Content store channels: moving a store made with two levels of fan-out (`ab/cd/<sha>`)
 * to one (`ab/<sha>`), plan → preview → apply, resumable.
 */
import { z } from 'zod';
import { planIdSchema } from './housekeeping.js';
import { channel, empty } from './schemas.js';

/** A stored store-migration plan and its preview. */
export interface StoreMigrationPlan {
  readonly plan_id: string;
  /** Objects in the two-level layout, to move. */
  readonly objects: number;
  readonly bytes: number;
  /** Catalogued files whose rows point into the two-level layout. */
  readonly rows: number;
  /** Objects already in the one-level layout. */
  readonly already_one_level: number;
  /** The first moves, as relative paths. */
  readonly preview: readonly { readonly from: string; readonly to: string }[];
}

/** What applying a store-migration plan did. */
export interface StoreMigrationResult {
  readonly plan_id: string;
  readonly objects: number;
  /** Objects that now have only their one-level name (by this run). */
  readonly moved: number;
  /** Objects an earlier, interrupted run had already moved. */
  readonly already_moved: number;
  /** Objects found under both names as two different files: the old copy stays for doctor. */
  readonly left_in_place: number;
  /**
   * Objects whose new name held another file that does not hash to the object's name (cut
   * short, changed): their rows keep the old name, whose copy is the object; doctor lists that file.
   */
  readonly foreign_new_copies: number;
  /** Objects of the plan found under neither name (doctor reports them). */
  readonly missing: number;
  readonly rows_updated: number;
  /** Rows still pointing into the two-level layout afterwards (0 when the move is complete). */
  readonly rows_left: number;
  readonly folders_removed: number;
}

export const storeContract = {
  'store:migrate-plan': channel(empty, 'write').returns<StoreMigrationPlan>(),
  'store:migrate-apply': channel(z.object({ plan_id: planIdSchema }).strict(), 'write').returns<StoreMigrationResult>(),
} as const;
