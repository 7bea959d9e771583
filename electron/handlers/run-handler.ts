/**
 * One channel call on a handler: input validation, the handler, the change event.
 *
 * Shared by the full registry (registry.ts) and the read session of the quick CLI entry
 * (read-session.ts), so both answer a call, a bad input and a failure alike.
 */
import { isOntocatError } from '../shared/errors.js';
import { describeFsError, errnoOf } from '../shared/fs-error-words.js';
import type { Channel, Result } from '../shared/contract.js';
import type { HandlerContext } from './handler-types.js';

/** What runHandler needs of a channel's input schema (a zod schema). */
export interface InputSchema {
  safeParse(input: unknown): { success: true; data: unknown } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** Summarises zod issues in one line, naming the fields. */
function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/** Validates `rawInput` with `schema` and runs `handler`, never throwing. */
export async function runHandler(name: Channel, schema: InputSchema, handler: unknown, writes: boolean, rawInput: unknown, ctx: HandlerContext): Promise<Result<unknown>> {
  const parsed = schema.safeParse(rawInput ?? {});
  if (!parsed.success) {
    return { ok: false, code: 'BAD_INPUT', message: `Invalid input for ${name}: ${describeIssues(parsed.error.issues)}` };
  }
  try {
    const data = await (handler as (input: unknown, context: HandlerContext) => Promise<unknown>)(parsed.data, ctx);
    if (writes) ctx.emit('catalog:changed', { channel: name, at: new Date().toISOString(), by: ctx.actor });
    return { ok: true, data };
  } catch (error) {
    if (isOntocatError(error)) return { ok: false, code: error.code, message: error.message };
    // A file system's refusal (full disk, permission denied): plain words, the errno kept.
    if (errnoOf(error)) return { ok: false, code: 'IO_ERROR', message: `${name} failed: ${describeFsError(error)}.` };
    const message = error instanceof Error ? error.message.split('\n')[0] ?? String(error) : String(error);
    console.error(`[ontocat] ${name} failed:`, error);
    return { ok: false, code: 'INTERNAL', message: `${name} failed: ${message}` };
  }
}
