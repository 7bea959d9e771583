/**
 * Channels other parts of the app are adding in parallel, typed locally.
 *
 * The pages call them only when the running build offers them (see `useChannelAvailable`);
 * after merge these local types are replaced by the contract's own.
 */
import type { Page } from '../../../electron/shared/models.js';

export type ChangeKind = 'added' | 'removed' | 'modified' | 'renamed' | 'unchanged';

export interface KindTotals { readonly count: number; readonly bytes: number }

export interface DeltaSummary {
  readonly added: KindTotals;
  readonly removed: KindTotals;
  readonly modified: KindTotals;
  readonly renamed: KindTotals;
  readonly unchanged: KindTotals;
  readonly bytes_added: number;
  readonly bytes_removed: number;
  readonly net_growth: number;
  readonly churn: number;
  readonly by_format: readonly { readonly format: string; readonly bytes_a?: number; readonly bytes_b?: number; readonly added?: number; readonly removed?: number; readonly modified?: number; readonly bytes?: number }[];
  readonly identical: boolean;
}

export interface DeltaChange {
  readonly relpath: string;
  readonly kind: ChangeKind;
  readonly old_relpath: string | null;
  readonly new_relpath: string | null;
  readonly old_size: number | null;
  readonly new_size: number | null;
  readonly old_sha256: string | null;
  readonly new_sha256: string | null;
  readonly format: string | null;
}

export interface DeltaTreeEntry {
  readonly name: string;
  readonly relpath: string;
  readonly kind: 'dir' | 'file';
  readonly added?: number;
  readonly removed?: number;
  readonly modified?: number;
  readonly renamed?: number;
  readonly unchanged?: number;
  readonly bytes_added?: number;
  readonly bytes_removed?: number;
  readonly change?: ChangeKind | null;
}

export type FindingStatus = 'NEW' | 'FIXED' | 'PERSISTING';

export interface ValidationDeltaRow {
  readonly status: FindingStatus;
  readonly relpath: string;
  readonly validator: string;
  readonly rule: string;
  readonly severity: string;
  readonly message: string | null;
}

export interface TermChange {
  readonly term: string;
  readonly change: 'added' | 'removed' | 'relabelled' | 'obsoleted' | 'modified';
  readonly old_label: string | null;
  readonly new_label: string | null;
}

export interface DoctorFinding {
  readonly kind: string;
  readonly path: string;
  readonly bytes: number;
  readonly fix: string;
}

export interface DoctorPlan {
  readonly plan_id: string;
  readonly job_id?: string;
  readonly findings: readonly DoctorFinding[];
}

export interface ApplyResult {
  readonly plan_id: string;
  readonly applied?: number;
  readonly bytes?: number;
  readonly message?: string;
}

export interface PruneVersionRef { readonly service: string; readonly version: string; readonly files?: number; readonly bytes?: number }

export interface PrunePlan {
  readonly plan_id: string;
  readonly versions_removed: readonly PruneVersionRef[];
  readonly files_removed: number;
  readonly bytes: number;
  readonly kept: readonly { readonly service: string; readonly version: string; readonly reasons: readonly string[] }[];
  readonly needs_allow_large: boolean;
}

export interface TrashEntry {
  readonly plan_id: string;
  readonly created_at: string;
  readonly versions?: readonly PruneVersionRef[];
  readonly files: number;
  readonly bytes: number;
}

/** Inputs and outputs of every pending channel. */
export interface PendingChannelMap {
  'delta:compute': {
    input: { a: string; b: string; kind?: ChangeKind; prefix?: string; offset?: number; limit?: number };
    output: { summary: DeltaSummary; changes: Page<DeltaChange> };
  };
  'delta:tree': { input: { a: string; b: string; dir?: string }; output: readonly DeltaTreeEntry[] | Page<DeltaTreeEntry> };
  'delta:validations': {
    input: { a: string; b: string; status?: FindingStatus; offset?: number; limit?: number };
    output: readonly ValidationDeltaRow[] | Page<ValidationDeltaRow>;
  };
  'delta:terms': {
    input: { a: string; b: string; relpath: string; offset?: number; limit?: number };
    output: readonly TermChange[] | Page<TermChange>;
  };
  'doctor:plan': { input: { deep?: boolean }; output: DoctorPlan };
  'doctor:apply': { input: { plan_id: string }; output: ApplyResult };
  'jobs:cancel': { input: { job_id: string }; output: unknown };
  'prune:plan': {
    input: { keep_last?: number; newer_than_days?: number; service?: string; orphans_only?: boolean; allow_large?: boolean };
    output: PrunePlan;
  };
  'prune:apply': { input: { plan_id: string }; output: ApplyResult };
  'trash:list': { input: Record<string, never>; output: readonly TrashEntry[] };
  'trash:restore': { input: { plan_id: string }; output: ApplyResult };
  'ingest:run': { input: { source: string; service: string; version: string; set_latest?: boolean }; output: unknown };
}

export type PendingChannel = keyof PendingChannelMap;
export type PendingInput<C extends PendingChannel> = PendingChannelMap[C]['input'];
export type PendingOutput<C extends PendingChannel> = PendingChannelMap[C]['output'];

export const pendingChannelNames: readonly PendingChannel[] = [
  'delta:compute', 'delta:tree', 'delta:validations', 'delta:terms', 'doctor:plan', 'doctor:apply', 'jobs:cancel',
  'prune:plan', 'prune:apply', 'trash:list', 'trash:restore', 'ingest:run',
];

/** Lists arrive either as arrays or as pages while the real contract settles. */
export function itemsOf<T>(value: readonly T[] | Page<T> | null | undefined): readonly T[] {
  if (!value) return [];
  return Array.isArray(value) ? value : (value as Page<T>).items;
}
