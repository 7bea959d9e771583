/**
 * The term search modes and term delta kinds, without zod.
 *
 * contract/terms.ts builds its schemas from these; the CLI imports them from here, so a
 * command that runs through a running app does not load zod and the channel schemas.
 */
export const TERM_MATCHES = ['exact', 'prefix', 'contains'] as const;
export type TermMatch = (typeof TERM_MATCHES)[number];

export const TERM_DELTA_KINDS = ['ADDED', 'REMOVED', 'RELABELLED', 'REDEFINED', 'REPARENTED', 'DEPRECATED'] as const;
export type TermDeltaKind = (typeof TERM_DELTA_KINDS)[number];
