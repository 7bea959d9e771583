import type { Catalog } from '../catalog/open-catalog.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { Channel, ChannelInput, ChannelOutput, EventMap, EventName } from '../shared/contract.js';
import type { Role } from '../shared/contract/users.js';

/** What every handler gets: the open catalog, a way to push events to front doors, and the job runner. */
export interface HandlerContext {
  readonly catalog: Catalog;
  /** Who acts, recorded in events and pointers (`cli`, `desktop`, `web`). */
  readonly actor: string;
  /**
   * The signed-in user's role on the team server; absent for the owner's own front doors
   * (desktop, `serve`, CLI), which see everything. Answers hold back what the role may not
   * see (a source's webhook URL from who may not edit sources).
   */
  readonly role?: Role;
  readonly emit: <E extends EventName>(event: E, payload: EventMap[E]) => void;
  /**
   * The session's jobs: long handlers call `ctx.jobs.start(kind, (control) => work(control))`
   * and return the job id at once; progress and the outcome follow as `job:progress`.
   */
  readonly jobs: JobRunner;
}

/** One function per channel. */
export type Handler<C extends Channel> = (input: ChannelInput<C>, ctx: HandlerContext) => Promise<ChannelOutput<C>>;

/** A domain's handlers: a subset of the channels. */
export type HandlerGroup<C extends Channel> = { readonly [K in C]: Handler<K> };
