/**
 * A failure a user can act on: a stable code plus a one-line message.
 *
 * Every layer throws this for expected failures (bad input, unknown version, lock held)
 * so that each front door (IPC, HTTP, CLI) can report it without a stack trace.
 */
export class OntocatError extends Error {
  override readonly name = 'OntocatError';
  constructor(
    readonly code: OntocatErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

/** Stable error codes; front doors map them (CLI exit codes, HTTP status). */
export type OntocatErrorCode =
  | 'BAD_INPUT'
  | 'NOT_FOUND'
  | 'LOCKED'
  | 'READ_ONLY'
  | 'MIGRATION_TAMPERED'
  | 'MIGRATION_FAILED'
  | 'CONFLICT'
  | 'STALE_PLAN'
  | 'UNSAFE_PATH'
  | 'FORBIDDEN'
  | 'LIMIT_EXCEEDED'
  | 'FETCH_FAILED'
  | 'CANCELLED'
  | 'IO_ERROR'
  | 'INTERNAL';

/** True when `error` is an OntocatError, optionally of one code. */
export function isOntocatError(error: unknown, code?: OntocatErrorCode): error is OntocatError {
  return error instanceof OntocatError && (code === undefined || error.code === code);
}
