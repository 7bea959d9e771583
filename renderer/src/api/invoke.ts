/**
 * Calls any channel on a Bridge by name, typed from the contract.
 */
import { methodName, type Bridge, type CallOptions } from '../../../electron/shared/api-protocol.js';
import type { Channel, ChannelInput, ChannelOutput, Result } from '../../../electron/shared/contract.js';

/** Any contract channel (kept as names the hooks share). */
export type AnyChannel = Channel;
export type AnyInput<C extends AnyChannel> = ChannelInput<C>;
export type AnyOutput<C extends AnyChannel> = ChannelOutput<C>;

type Method = (input: unknown, options?: CallOptions) => Promise<Result<unknown>>;

function methodOf(bridge: Bridge, channel: string): Method | undefined {
  const fn = (bridge as unknown as Record<string, unknown>)[methodName(channel as Channel)];
  return typeof fn === 'function' ? (fn as Method) : undefined;
}

/** True when the bridge offers `channel`. */
export function bridgeHas(bridge: Bridge, channel: string): boolean {
  return methodOf(bridge, channel) !== undefined;
}

/**
 * A new request id for one call (CallOptions.requestId). Not crypto.randomUUID: a team
 * server reached over plain HTTP on another host is no secure context, and lacks it.
 */
export function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `ui-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Invokes `channel`; a missing channel or a thrown transport error becomes a failed Result. */
export async function invoke<C extends AnyChannel>(bridge: Bridge, channel: C, input: AnyInput<C>, options?: CallOptions): Promise<Result<AnyOutput<C>>> {
  const fn = methodOf(bridge, channel);
  if (!fn) return { ok: false, code: 'NOT_AVAILABLE', message: `'${channel}' is not available in this build.` };
  try {
    return (await (options === undefined ? fn.call(bridge, input) : fn.call(bridge, input, options))) as Result<AnyOutput<C>>;
  } catch (error) {
    return { ok: false, code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
  }
}

/** A failed Result as an Error the hooks can hold. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly code: string, message: string) { super(message); }
}
