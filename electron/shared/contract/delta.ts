/**
 * Delta channels: what changed between two versions, file by file, folder by folder,
 * and in their validation findings.
 *
 * Change rows carry both file ids and formats so that a term-level delta (`--terms`,
 * `delta:terms`) can later compare the ontology files of a MODIFIED or RENAMED pair.
 */
import { z } from 'zod';
import type { Page, Severity, TermDelta, TermImpact } from '../models.js';
import { FINDING_FILTERS, KIND_FILTERS, TERM_CHANGE_KINDS, type ChangeKind, type FindingStatus } from '../delta-kinds.js';
import { channel, folder, limit, offset, relpath, search, versionRefSchema } from './schemas.js';

// The enumerations live in a zod-free module so the renderer can use them without zod.
export { CHANGE_KINDS, FINDING_FILTERS, FINDING_STATUSES, KIND_FILTERS } from '../delta-kinds.js';
export type { ChangeKind, FindingFilter, FindingStatus, KindFilter } from '../delta-kinds.js';

export interface KindTotals {
  readonly count: number;
  readonly bytes: number;
}

/** Files and bytes of each change kind (bytes: new size, REMOVED: old size). */
export interface KindCounts {
  readonly added_files: number;
  readonly added_bytes: number;
  readonly removed_files: number;
  readonly removed_bytes: number;
  readonly modified_files: number;
  readonly modified_bytes: number;
  readonly renamed_files: number;
  readonly renamed_bytes: number;
  readonly unchanged_files: number;
  readonly unchanged_bytes: number;
}

/** Changes of one format; also the rows of the growth report. */
export interface DeltaFormatRow extends KindCounts {
  readonly format: string;
  readonly files_from: number;
  readonly files_to: number;
  readonly bytes_from: number;
  readonly bytes_to: number;
  readonly net_bytes: number;
  /** New minus old size summed over MODIFIED files: how much the modified files grew (or shrank). */
  readonly modified_net_bytes: number;
}

/**
 * Totals of a delta. Bytes of a kind are the new sizes, except REMOVED (the old size);
 * `churn_bytes` is the new size of MODIFIED files; `net_growth` is bytes_to - bytes_from.
 */
export interface DeltaSummary {
  readonly from: string;
  readonly to: string;
  readonly prefix: string;
  readonly added: KindTotals;
  readonly removed: KindTotals;
  readonly modified: KindTotals;
  readonly renamed: KindTotals;
  readonly unchanged: KindTotals;
  readonly files_from: number;
  readonly files_to: number;
  readonly bytes_from: number;
  readonly bytes_to: number;
  readonly bytes_added: number;
  readonly bytes_removed: number;
  readonly net_growth: number;
  readonly churn_bytes: number;
  /** Nothing changed: a no-op release (within `prefix` when one is given). */
  readonly identical: boolean;
  readonly by_format: readonly DeltaFormatRow[];
}

/** One path of the delta. `relpath` is the path in the newer version when it has one. */
export interface FileChange {
  readonly kind: ChangeKind;
  readonly relpath: string;
  readonly old_relpath: string | null;
  readonly new_relpath: string | null;
  readonly old_size: number | null;
  readonly new_size: number | null;
  readonly old_sha256: string | null;
  readonly new_sha256: string | null;
  readonly format: string;
  readonly old_format: string | null;
  readonly new_format: string | null;
  readonly old_file_id: string | null;
  readonly new_file_id: string | null;
}

export interface DeltaResult {
  readonly summary: DeltaSummary;
  readonly changes: Page<FileChange>;
}

/** One child of a folder in the tree of changes: a sub-folder with aggregates, or a file. */
export interface DeltaTreeEntry extends KindCounts {
  readonly entry: 'dir' | 'file';
  readonly name: string;
  readonly relpath: string;
  /** The file's change (null for folders). */
  readonly kind: ChangeKind | null;
  /** A RENAMED file's path in the older version (null otherwise). */
  readonly old_relpath: string | null;
  /**
   * A RENAMED file's path in the newer version (null otherwise). In the tree of a folder a
   * file that moved out of it sits at its old path, so this is where it went.
   */
  readonly new_relpath: string | null;
  readonly files: number;
  readonly net_bytes: number;
}

/** A failed validation matched across two versions (by path following renames, validator, rule, subject). */
export interface FindingChange {
  readonly status: FindingStatus;
  readonly relpath: string;
  readonly old_relpath: string | null;
  readonly validator: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly subject: string | null;
  readonly message: string | null;
  readonly line: number | null;
  readonly old_line: number | null;
}

export interface FindingCounts {
  readonly new: number;
  readonly fixed: number;
  readonly persisting: number;
  /** Findings of files removed in the newer version (not fixed: the file is gone). */
  readonly gone: number;
}

export interface ValidationDeltaSummary extends FindingCounts {
  readonly from: string;
  readonly to: string;
  readonly by_severity: readonly (FindingCounts & { readonly severity: Severity })[];
  readonly by_validator: readonly (FindingCounts & { readonly validator: string })[];
}

export interface ValidationDeltaResult {
  readonly summary: ValidationDeltaSummary;
  readonly findings: Page<FindingChange>;
}

const deltaLimit = z.number().int().min(1).max(1000).optional();
const pair = { from: versionRefSchema, to: versionRefSchema };

export const deltaInputSchema = z.object({
  ...pair, kind: z.enum(KIND_FILTERS).optional(), prefix: folder, offset, limit: deltaLimit,
}).strict();
export const deltaTreeInputSchema = z.object({
  ...pair, dir: folder, changed_only: z.boolean().optional(), offset, limit: deltaLimit,
}).strict();
export const validationDeltaInputSchema = z.object({
  ...pair,
  status: z.enum(FINDING_FILTERS).optional(),
  severity: z.enum(['ERROR', 'WARN', 'INFO']).optional(),
  validator: z.string().min(1).max(64).optional(),
  prefix: folder, offset, limit: deltaLimit,
}).strict();

export type DeltaInput = z.infer<typeof deltaInputSchema>;
export type DeltaTreeInput = z.infer<typeof deltaTreeInputSchema>;
export type ValidationDeltaInput = z.infer<typeof validationDeltaInputSchema>;

/** Term-level delta of one ontology file: `relpath` in B, `old_relpath` in A when renamed. */
export const termDeltaInputSchema = z.object({
  from: versionRefSchema,
  to: versionRefSchema,
  relpath: relpath,
  old_relpath: relpath.optional(),
  change: z.enum(TERM_CHANGE_KINDS).optional(),
  search: search,
  offset,
  limit,
}).strict();

export const deltaContract = {
  'delta:compute': channel(deltaInputSchema).returns<DeltaResult>(),
  'delta:tree': channel(deltaTreeInputSchema).returns<Page<DeltaTreeEntry>>(),
  'delta:validations': channel(validationDeltaInputSchema).returns<ValidationDeltaResult>(),
  // Reads as far as the UI is concerned: it only fills the term cache.
  'delta:terms': channel(termDeltaInputSchema).returns<TermDelta>(),
  // Every changed ontology file of the pair, as a job (progress, cancel); fills the same cache.
  'delta:term-impact': channel(z.object({ ...pair }).strict()).returns<TermImpact>(),
} as const;
