import { EventEmitter } from 'node:events';
import { withActor } from '../catalog/actor-context.js';
import { openCatalog, type Catalog, type OpenCatalogOptions } from '../catalog/open-catalog.js';
import { ParquetAutoPublisher } from '../catalog/parquet-auto-publish.js';
import { recoverInterruptedTrash } from '../catalog/trash-recovery.js';
import { withConfinement } from '../ingest/ingest-confinement.js';
import { JobRunner, withCallRequest, withCallSignal } from '../jobs/job-runner.js';
import type { Clock } from '../sources/clock.js';
import type { SourceEventSink } from '../sources/notify.js';
import { SourceScheduler } from '../sources/scheduler.js';
import { syncSources } from '../sources/sync.js';
import type { CallOptions } from '../shared/api-protocol.js';
import type { Channel, ChannelInput, ChannelOutput, EventMap, EventName, Result } from '../shared/contract.js';
import type { IngestConfinement } from '../shared/ingest-confinement-policy.js';
import type { Role } from '../shared/contract/users.js';
import type { HandlerContext } from './handler-types.js';
import { call, invokeChannel } from './registry.js';

export interface SessionOptions extends OpenCatalogOptions {
  /** Who acts through this session: `cli`, `desktop`, `web`. */
  readonly actor: string;
}

/**
 * An open catalog plus the handler registry: what every front door holds.
 *
 * Electron main, the CLI and the web host each open one session and forward calls to it.
 */
export class Session {
  private readonly events = new EventEmitter();
  private readonly ctx: HandlerContext;
  /** Long work of this session; closing the session cancels and waits for it. */
  readonly jobs: JobRunner;
  private closing: Promise<void> | null = null;
  /** Keeps `ROOT/parquet` current when the root asks for it (`publish --auto on`). */
  private readonly publisher: ParquetAutoPublisher | null;
  private scheduler: SourceScheduler | null = null;

  private constructor(readonly catalog: Catalog, readonly actor: string) {
    this.events.setMaxListeners(100);
    const emit: HandlerContext['emit'] = (event, payload) => { this.events.emit(event, payload); };
    this.jobs = new JobRunner({ emit: (payload) => { emit('job:progress', payload); } });
    this.ctx = { catalog, actor, emit, jobs: this.jobs };
    this.publisher = catalog.readOnly ? null : new ParquetAutoPublisher(catalog);
  }

  /** The storage root this session's catalog lives in. */
  get root(): string {
    return this.catalog.root;
  }

  static async open(options: SessionOptions): Promise<Session> {
    const catalog = await openCatalog({ app: `ontocat-${options.actor}`, ...options });
    // A prune or trash restore that a crash stopped half-way is finished or undone first
    // (on a migrated catalog: `migrate --dry-run` opens without migrating and must not write).
    if (!catalog.readOnly && options.migrate !== false) {
      try {
        await recoverInterruptedTrash(catalog);
      } catch (error) {
        // Never leave the catalog (and its writer lock) open behind a failed open.
        await catalog.close();
        throw error;
      }
    }
    return new Session(catalog, options.actor);
  }

  /** Validates and runs a call from an untrusted front door; never throws. `options`: see CallOptions. */
  invoke(channel: string, input: unknown, options: CallOptions = {}): Promise<Result<unknown>> {
    return withRequest(options, () => invokeChannel(channel, input, this.ctx));
  }

  /**
   * Like `invoke`, on behalf of a named user (the team server): events and pointers record
   * `actor` instead of the session's front door. Role checks happen before, in the server;
   * `role` lets answers hold back what that role may not see.
   */
  invokeAs(actor: string, channel: string, input: unknown, confinement: IngestConfinement | null = null, role?: Role, options: CallOptions = {}): Promise<Result<unknown>> {
    // Confined: local sources only inside the ingest roots, no internal URLs (ingest-confinement.ts).
    return withRequest(options, () => withConfinement(confinement, () => invokeChannel(channel, input, { ...this.ctx, actor, ...(role ? { role } : {}) })));
  }

  /**
   * Like `invokeAs`, for a client process that waits on the answer (a CLI command run
   * through this owner): jobs the call starts are cancelled when `signal` aborts, as a
   * Ctrl-C stops the work of a command run directly, and carry the client's request id.
   */
  invokeWhile(signal: AbortSignal, actor: string, channel: string, input: unknown, options: CallOptions = {}): Promise<Result<unknown>> {
    return withCallSignal(signal, () => withRequest(options, () => this.invokeAs(actor, channel, input)));
  }

  /** Runs a typed call; throws an OntocatError on failure. */
  call<C extends Channel>(channel: C, input: ChannelInput<C>, options: CallOptions = {}): Promise<ChannelOutput<C>> {
    return withRequest(options, () => call(channel, input, this.ctx));
  }

  /** Subscribes to pushed events; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    this.events.on(event, listener);
    return () => { this.events.off(event, listener); };
  }

  /**
   * Runs the sources' schedules while this session is open (the app and `ontocat serve`;
   * one-shot CLI commands never do). Each due batch is a `sync` job like "Check now";
   * `onEvent` receives new candidates and promotions (the desktop shows a notification).
   */
  runSchedules(options: { onEvent?: SourceEventSink; clock?: Clock; confinement?: IngestConfinement | null } = {}): SourceScheduler {
    this.scheduler ??= new SourceScheduler(this.catalog, {
      clock: options.clock,
      run: (ids) => withActor(this.actor, async () => {
        const id = this.jobs.start('sync', ({ signal, onProgress }) => syncSources(this.catalog, {
          ids, trigger: 'schedule', actor: this.actor, signal, onProgress, onEvent: options.onEvent, clock: options.clock,
        }));
        await this.jobs.wait(id);
        this.events.emit('catalog:changed', { channel: 'sources:sync', at: new Date().toISOString() });
      }),
      onError: (error) => console.warn(`[ontocat] scheduled sync failed: ${(error as Error).message}`),
    });
    // A team server's scheduled syncs fetch under the same confinement as its users' calls
    // (the timers started here keep the context).
    const scheduler = this.scheduler;
    withConfinement(options.confinement ?? null, () => scheduler.start());
    return scheduler;
  }

  /**
   * Cancels running jobs and waits for them, then closes the catalog: queued writes
   * finish, DuckDB checkpoints and the writer lock is released. Safe to call twice.
   * `processExiting`: see Catalog.close.
   */
  close(options: { readonly processExiting?: boolean } = {}): Promise<void> {
    this.closing ??= (async () => {
      await this.scheduler?.stop();
      await this.jobs.shutdown();
      // What this session changed is published before the catalog closes (a CLI command exits next).
      await this.publisher?.close();
      this.events.removeAllListeners();
      await this.catalog.close(options);
    })();
    return this.closing;
  }
}

/** Runs `task` with the call's request id, when it has one, on the jobs it starts. */
function withRequest<T>(options: CallOptions, task: () => T): T {
  return options.requestId === undefined ? task() : withCallRequest(options.requestId, task);
}

/** Opens a session on a storage root. */
export function openSession(options: SessionOptions): Promise<Session> {
  return Session.open(options);
}
