/**
 * Who is acting, carried along the async work of one channel call.
 *
 * Every front door runs a call inside `withActor(name, …)`; audit events read it when they
 * are recorded, so each event names its user without threading a parameter through every
 * query. Jobs started by the call inherit it (AsyncLocalStorage follows promises and timers),
 * so a long ingest still records who started it after the browser has gone.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<string>();

/** Runs `task` with `actor` as the acting user. */
export function withActor<T>(actor: string, task: () => T): T {
  return storage.run(actor, task);
}

/** The acting user of the current call, or null outside one. */
export function currentActor(): string | null {
  return storage.getStore() ?? null;
}
