import { withActor } from '../catalog/actor-context.js';
import { OntocatError } from '../shared/errors.js';
import type * as ContractTypes from '../shared/contract.js';
import type { Channel, ChannelInput, ChannelOutput, Result } from '../shared/contract.js';
import { CHANNEL_NAMES } from '../shared/channel-names.js';
import { bucketHandlers } from './bucket-handlers.js';
import { coreHandlers } from './core-handlers.js';
import { validateHandlers } from './validate-handlers.js';
import { deltaHandlers } from './delta-handlers.js';
import { termsHandlers } from './terms-handlers.js';
import { reportHandlers } from './report-handlers.js';
import { housekeepingHandlers } from './housekeeping-handlers.js';
import { curationHandlers } from './curation-handlers.js';
import { ingestHandlers } from './ingest-handlers.js';
import { jobsHandlers } from './jobs-handlers.js';
import { publishHandlers } from './publish-handlers.js';
import { storeHandlers } from './store-handlers.js';
import { readingHandlers } from './reading-handlers.js';
import { sourcesHandlers } from './sources-handlers.js';
import { usersHandlers } from './users-handlers.js';
import { runHandler } from './run-handler.js';
import type { Handler, HandlerContext } from './handler-types.js';

/** Every channel's handler; the type makes a missing or extra channel a compile error. */
export type Handlers = { readonly [C in Channel]: Handler<C> };

export const handlers: Handlers = {
  ...coreHandlers,
  ...validateHandlers,
  ...deltaHandlers,
  ...termsHandlers,
  ...reportHandlers,
  ...ingestHandlers,
  ...jobsHandlers,
  ...housekeepingHandlers,
  ...publishHandlers,
  ...storeHandlers,
  ...readingHandlers,
  ...curationHandlers,
  ...sourcesHandlers,
  ...usersHandlers,
  ...bucketHandlers,
};

type ContractModule = typeof ContractTypes;
let schemas: Promise<ContractModule> | null = null;

/**
 * The channel schemas, loaded on the first call: zod and the schemas are a large part of
 * a short command's start, and a CLI that runs through a running owner never needs them.
 */
function loadSchemas(): Promise<ContractModule> {
  schemas ??= import('../shared/contract.js');
  return schemas;
}

const knownChannels: ReadonlySet<string> = new Set(CHANNEL_NAMES);

/**
 * Validates and runs one channel call, never throwing.
 *
 * Every front door goes through here: unknown channels and malformed input become a
 * BAD_INPUT result before any handler runs, so a bad call can never write.
 */
export function invokeChannel(channel: string, rawInput: unknown, ctx: HandlerContext): Promise<Result<unknown>> {
  // Events recorded by this call (and by jobs it starts) name who acted.
  return withActor(ctx.actor, () => invokeAsActor(channel, rawInput, ctx));
}

async function invokeAsActor(channel: string, rawInput: unknown, ctx: HandlerContext): Promise<Result<unknown>> {
  if (!knownChannels.has(channel)) {
    return { ok: false, code: 'BAD_INPUT', message: `Unknown channel '${channel}'.` };
  }
  const name = channel as Channel;
  const { contract, writeChannels } = await loadSchemas();
  return runHandler(name, contract[name].input, handlers[name], writeChannels.has(name), rawInput, ctx);
}

/** Like `invokeChannel`, but typed and throwing an OntocatError on failure (for Node callers). */
export async function call<C extends Channel>(channel: C, input: ChannelInput<C>, ctx: HandlerContext): Promise<ChannelOutput<C>> {
  const result = await invokeChannel(channel, input, ctx);
  if (!result.ok) throw new OntocatError(result.code as OntocatError['code'], result.message);
  return result.data as ChannelOutput<C>;
}

export { CHANNEL_NAMES as channelNames };
