import type { EventName } from './contract.js';

/** Every pushed event, as a runtime list; the `satisfies` makes a missing one a compile error. */
const eventFlags = { 'catalog:changed': true, 'job:progress': true } as const satisfies Record<EventName, true>;

export const eventNames = Object.keys(eventFlags) as EventName[];
