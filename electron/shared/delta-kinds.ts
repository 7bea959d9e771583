/**
 * The enumerations of the delta channels as plain constants, without zod.
 *
 * contract/delta.ts builds its schemas from these; the renderer imports them from here so
 * that its bundle does not pull in the schemas.
 */
import { TERM_DELTA_KINDS } from './term-names.js';

export const CHANGE_KINDS = ['ADDED', 'REMOVED', 'MODIFIED', 'RENAMED', 'UNCHANGED'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Kind filters of the change list: one kind, every change (default), or all rows. */
export const KIND_FILTERS = ['added', 'removed', 'modified', 'renamed', 'unchanged', 'changed', 'all'] as const;
export type KindFilter = (typeof KIND_FILTERS)[number];

/** GONE: a finding of a file that was removed (not fixed: the file left with it). */
export const FINDING_STATUSES = ['NEW', 'FIXED', 'PERSISTING', 'GONE'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** Status filters of `delta:validations` (lower case, plus every status). */
export const FINDING_FILTERS = ['new', 'fixed', 'persisting', 'gone', 'all'] as const;
export type FindingFilter = (typeof FINDING_FILTERS)[number];

/** Change filters of `delta:terms`: every kind the whole-version delta names, in its order. */
export const TERM_CHANGE_KINDS = TERM_DELTA_KINDS;
