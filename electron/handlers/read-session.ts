/**
 * A read-only session for the core channels: what the quick CLI entry opens.
 *
 * A full Session loads every handler (ingest, sources, buckets, publishing…) and every
 * channel schema before it answers. `info`, `versions` and `latest get` need the catalog,
 * the core handlers and the core schemas; this session holds just those, and loads the
 * schemas (zod) while DuckDB opens the catalog on its own thread. Calls are validated
 * and answered by the same code as the full registry (run-handler.ts).
 */
import { EventEmitter } from 'node:events';
import { withActor } from '../catalog/actor-context.js';
import { openCatalog, type Catalog, type OpenCatalogOptions } from '../catalog/open-catalog.js';
import { JobRunner } from '../jobs/job-runner.js';
import type { Channel, ChannelInput, ChannelOutput, EventMap, EventName } from '../shared/contract.js';
import type { coreContract } from '../shared/contract/core.js';
import { OntocatError } from '../shared/errors.js';
import { coreHandlers } from './core-handlers.js';
import type { HandlerContext } from './handler-types.js';
import { runHandler } from './run-handler.js';

type CoreContract = typeof coreContract;

export class ReadSession {
  private readonly events = new EventEmitter();
  private readonly ctx: HandlerContext;

  private constructor(readonly catalog: Catalog, readonly actor: string, private readonly schemas: CoreContract) {
    const emit: HandlerContext['emit'] = (event, payload) => { this.events.emit(event, payload); };
    this.ctx = { catalog, actor, emit, jobs: new JobRunner({ emit: (payload) => { emit('job:progress', payload); } }) };
  }

  get root(): string {
    return this.catalog.root;
  }

  /** Opens the catalog read-only; the schemas load meanwhile. */
  static async open(options: Omit<OpenCatalogOptions, 'readOnly'> & { readonly actor: string }): Promise<ReadSession> {
    const schemas = import('../shared/contract/core.js').then((m) => m.coreContract);
    // One reader connection: a command runs one query at a time. Both awaited either way,
    // so a failed open never leaves a rejected import unhandled.
    const [catalog, loaded] = await Promise.allSettled([openCatalog({ app: `ontocat-${options.actor}`, readers: 1, ...options, readOnly: true }), schemas]);
    if (catalog.status === 'rejected') throw catalog.reason;
    if (loaded.status === 'rejected') {
      await catalog.value.close();
      throw loaded.reason;
    }
    return new ReadSession(catalog.value, options.actor, loaded.value);
  }

  /** Runs a typed call on a core read channel; throws an OntocatError on failure. */
  async call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
    const handler = (coreHandlers as Partial<Record<Channel, unknown>>)[channel];
    const spec = (this.schemas as Partial<Record<Channel, CoreContract[keyof CoreContract]>>)[channel];
    if (!handler || !spec || spec.effect !== 'read') throw new OntocatError('INTERNAL', `${channel} is not a core read channel.`);
    const result = await withActor(this.ctx.actor, () => runHandler(channel, spec.input, handler, false, input, this.ctx));
    if (!result.ok) throw new OntocatError(result.code as OntocatError['code'], result.message);
    return result.data as ChannelOutput<C>;
  }

  /** Subscribes to pushed events; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    this.events.on(event, listener);
    return () => { this.events.off(event, listener); };
  }

  /** Closes the catalog (see Catalog.close for `processExiting`). */
  async close(options: { readonly processExiting?: boolean } = {}): Promise<void> {
    this.events.removeAllListeners();
    await this.catalog.close(options);
  }
}

/** Opens a read session on a storage root. */
export function openReadSession(options: Omit<OpenCatalogOptions, 'readOnly'> & { readonly actor: string }): Promise<ReadSession> {
  return ReadSession.open(options);
}
