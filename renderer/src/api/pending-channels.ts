/**
 * Doctor, prune and trash channels, added in parallel and typed locally until they merge.
 *
 * The pages call them only when the running build offers them (see `useChannelAvailable`);
 * after merge these local types are replaced by the contract's own. Every other channel
 * is typed from the contract.
 */
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
  'doctor:plan': { input: { deep?: boolean }; output: DoctorPlan };
  'doctor:apply': { input: { plan_id: string }; output: ApplyResult };
  'prune:plan': {
    input: { keep_last?: number; newer_than_days?: number; service?: string; orphans_only?: boolean; allow_large?: boolean };
    output: PrunePlan;
  };
  'prune:apply': { input: { plan_id: string }; output: ApplyResult };
  'trash:list': { input: Record<string, never>; output: readonly TrashEntry[] };
  'trash:restore': { input: { plan_id: string }; output: ApplyResult };
}

export type PendingChannel = keyof PendingChannelMap;
export type PendingInput<C extends PendingChannel> = PendingChannelMap[C]['input'];
export type PendingOutput<C extends PendingChannel> = PendingChannelMap[C]['output'];

export const pendingChannelNames: readonly PendingChannel[] = [
  'doctor:plan', 'doctor:apply', 'prune:plan', 'prune:apply', 'trash:list', 'trash:restore',
];
