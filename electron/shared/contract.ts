/**
 * The channel contract: every operation the app offers, by name.
 *
 * One map from channel name (`domain:verb`) to its zod input schema and output type,
 * assembled from one module per domain. Electron IPC, the HTTP host, the CLI and the
 * renderer's api client are all typed from this map, and the handler registry must
 * implement exactly these channels.
 */
import type { z } from 'zod';
import { bucketContract } from './contract/bucket.js';
import { coreContract } from './contract/core.js';
import { curationContract } from './contract/curation.js';
import { deltaContract } from './contract/delta.js';
import { housekeepingContract } from './contract/housekeeping.js';
import { ingestContract } from './contract/ingest.js';
import { jobsContract } from './contract/jobs.js';
import { publishContract } from './contract/publish.js';
import { readingContract } from './contract/reading.js';
import { reportContract } from './contract/report.js';
import { storeContract } from './contract/store.js';
import { termsContract } from './contract/terms.js';
import { sourcesContract } from './contract/sources.js';
import { validateContract } from './contract/validate.js';
import { usersContract } from './contract/users.js';

export type { CatalogInfo, MigrateResult, ServiceSummary, SetLatestResult } from './contract/core.js';
export type { DedupReport, DemoResult, FetchSummary, IngestResult, IngestSummary, ManifestImportResult, VerifyResult, WhereResult } from './contract/ingest.js';
export type { JobInfo, JobState } from './contract/jobs.js';
export type { PublicationStatus, PublishReport } from './contract/publish.js';
export type { ValidateRunResult } from './contract/validate.js';
export type { Role, UserInfo } from './contract/users.js';

export const contract = {
  ...coreContract,
  ...ingestContract,
  ...validateContract,
  ...deltaContract,
  ...reportContract,
  ...jobsContract,
  ...housekeepingContract,
  ...publishContract,
  ...storeContract,
  ...termsContract,
  ...readingContract,
  ...curationContract,
  ...sourcesContract,
  ...usersContract,
  ...bucketContract,
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type ChannelInput<C extends Channel> = z.infer<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = Contract[C]['output'];

/** Every channel name, in contract order. */
export const channelNames = Object.keys(contract) as Channel[];

/** What every front door returns: data, or a stable code with a one-line message. */
export type Result<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly code: string; readonly message: string };

/** Channels that change the catalog or the disk; the UI refreshes after them. */
export const writeChannels: ReadonlySet<Channel> = new Set(channelNames.filter((name) => contract[name].effect === 'write'));

/** Events pushed to the renderer (IPC events in Electron, SSE over HTTP). */
export interface EventMap {
  /** `by`: who made the change (a team-server user name, or the front door). */
  readonly 'catalog:changed': { readonly channel: Channel; readonly at: string; readonly by?: string };
  readonly 'job:progress': {
    readonly job_id: string; readonly kind: string; readonly done: number; readonly total: number | null;
    readonly bytes: number; readonly current: string | null; readonly eta_ms: number | null;
    readonly state: 'running' | 'done' | 'failed' | 'cancelled'; readonly message: string | null;
    /** The step the job is in (`check`, `copy`, `extract`, `record`, `validate`, …); `done`/`total` count within it. */
    readonly phase?: string | null;
    /**
     * The request id of the call that started the job (CallOptions.requestId), null when the
     * call named none: a client follows its own job by it while other clients' jobs run too.
     * Absent from an owner older than request ids.
     */
    readonly request_id?: string | null;
  };
}
export type EventName = keyof EventMap;

/** The api the renderer depends on; Electron's preload and the HTTP client both implement it. */
export type OntocatApi = {
  readonly invoke: <C extends Channel>(channel: C, input: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>>;
  readonly subscribe: <E extends EventName>(event: E, listener: (payload: EventMap[E]) => void) => () => void;
};
