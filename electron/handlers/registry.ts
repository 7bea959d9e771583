import { OntocatError, isOntocatError } from '../shared/errors.js';
import { channelNames, contract, writeChannels, type Channel, type ChannelInput, type ChannelOutput, type Result } from '../shared/contract.js';
import { coreHandlers } from './core-handlers.js';
import { validateHandlers } from './validate-handlers.js';
import { deltaHandlers } from './delta-handlers.js';
import { reportHandlers } from './report-handlers.js';
import { housekeepingHandlers } from './housekeeping-handlers.js';
import { ingestHandlers } from './ingest-handlers.js';
import { jobsHandlers } from './jobs-handlers.js';
import { sourcesHandlers } from './sources-handlers.js';
import type { Handler, HandlerContext } from './handler-types.js';

/** Every channel's handler; the type makes a missing or extra channel a compile error. */
export type Handlers = { readonly [C in Channel]: Handler<C> };

export const handlers: Handlers = {
  ...coreHandlers,
  ...validateHandlers,
  ...deltaHandlers,
  ...reportHandlers,
  ...ingestHandlers,
  ...jobsHandlers,
  ...housekeepingHandlers,
  ...sourcesHandlers,
};

/** Summarises zod issues in one line, naming the fields. */
function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/**
 * Validates and runs one channel call, never throwing.
 *
 * Every front door goes through here: unknown channels and malformed input become a
 * BAD_INPUT result before any handler runs, so a bad call can never write.
 */
export async function invokeChannel(channel: string, rawInput: unknown, ctx: HandlerContext): Promise<Result<unknown>> {
  if (!Object.hasOwn(contract, channel)) {
    return { ok: false, code: 'BAD_INPUT', message: `Unknown channel '${channel}'.` };
  }
  const name = channel as Channel;
  const parsed = contract[name].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    return { ok: false, code: 'BAD_INPUT', message: `Invalid input for ${name}: ${describeIssues(parsed.error.issues)}` };
  }
  try {
    const handler = handlers[name] as unknown as (input: unknown, context: HandlerContext) => Promise<unknown>;
    const data = await handler(parsed.data, ctx);
    if (writeChannels.has(name)) ctx.emit('catalog:changed', { channel: name, at: new Date().toISOString() });
    return { ok: true, data };
  } catch (error) {
    if (isOntocatError(error)) return { ok: false, code: error.code, message: error.message };
    const message = error instanceof Error ? error.message.split('\n')[0] ?? String(error) : String(error);
    console.error(`[ontocat] ${name} failed:`, error);
    return { ok: false, code: 'INTERNAL', message: `${name} failed: ${message}` };
  }
}

/** Like `invokeChannel`, but typed and throwing an OntocatError on failure (for Node callers). */
export async function call<C extends Channel>(channel: C, input: ChannelInput<C>, ctx: HandlerContext): Promise<ChannelOutput<C>> {
  const result = await invokeChannel(channel, input, ctx);
  if (!result.ok) throw new OntocatError(result.code as OntocatError['code'], result.message);
  return result.data as ChannelOutput<C>;
}

export { channelNames };
