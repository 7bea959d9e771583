/**
 * Shared pieces of the channel contract: input schema fragments and the channel helper.
 */
import { z } from 'zod';
import { nameProblem } from '../name-rules.js';
import { parseVersionRef } from '../version-ref.js';

/** `SERVICE/VERSION`, checked with the same rules as the filesystem layout. */
export const versionRefSchema = z.string().max(260).superRefine((text, ctx) => {
  try { parseVersionRef(text); } catch (error) { ctx.addIssue({ code: 'custom', message: (error as Error).message }); }
});

/** A service or version name: the shared rule (name-rules.ts), its message naming what is wrong. */
export function nameSchema(kind: 'service' | 'version'): z.ZodType<string> {
  return z.string().superRefine((text, ctx) => {
    const problem = nameProblem(kind, text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

export const offset = z.number().int().min(0).max(1_000_000_000).optional();
export const limit = z.number().int().min(1).max(1000).optional();
export const direction = z.enum(['asc', 'desc']).optional();
export const service = nameSchema('service');
export const relpath = z.string().min(1).max(4096);
/**
 * The latest version a set-latest preview compared with (null: the service had none): the
 * write refuses when the pointer moved since, so a confirmation never applies a change
 * other than the one it showed.
 */
export const expectedLatest = nameSchema('version').nullable().optional();
/**
 * The stamps (versions:stats with `stamp`) of the version a set-latest preview showed and of
 * the latest it compared with (null: none): the write refuses when either one's release
 * date, files or findings changed since, so Confirm never applies what the preview did not show.
 */
export const expectedStamps = z.object({ to: z.string().min(1).max(200), from: z.string().min(1).max(200).nullable() }).strict().optional();
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

