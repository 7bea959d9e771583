/**
 * Shared pieces of the channel contract: input schema fragments and the channel helper.
 */
import { z } from 'zod';
import { parseVersionRef } from '../version-ref.js';

/** `SERVICE/VERSION`, checked with the same rules as the filesystem layout. */
export const versionRefSchema = z.string().max(260).refine((text) => {
  try { parseVersionRef(text); return true; } catch { return false; }
}, { message: 'Expected SERVICE/VERSION with names of letters, digits, ., _, + or -' });

export const offset = z.number().int().min(0).max(1_000_000_000).optional();
export const limit = z.number().int().min(1).max(1000).optional();
export const direction = z.enum(['asc', 'desc']).optional();
export const service = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/, 'Invalid service name');
export const relpath = z.string().min(1).max(4096);
export const folder = z.string().max(4096).optional();
export const validationStatus = z.enum(['failed', 'passed', 'unvalidated']).optional();
export const format = z.string().min(1).max(64).optional();
export const search = z.string().max(500).optional();
/**
 * A catalog id (file, artifact, version): UUID-shaped hex from a hash of the natural key
 * (electron/catalog/ids.ts). Not an RFC 9562 UUID, so `z.uuid()` would refuse it.
 */
export const catalogId = z.guid();

/** Whether a channel only reads, or changes the catalog or the disk (the UI refreshes after those). */
export type ChannelEffect = 'read' | 'write';

/** Ties an input schema to an output type; `output` exists only for the type system. */
export function channel<I extends z.ZodType>(input: I, effect: ChannelEffect = 'read'): {
  returns<O>(): { readonly input: I; readonly output: O; readonly effect: ChannelEffect };
} {
  return { returns: <O>() => ({ input, output: undefined as unknown as O, effect }) };
}

export const empty = z.object({}).strict();

