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

/**
 * Codes only an HTTP front door answers with, each for one status (httpStatusFor): the
 * request itself was refused before any channel ran. A client tells them apart by code, as
 * it does the OntocatErrorCodes, so a code never says other than its status.
 */
export type HttpRefusalCode =
  | 'UNAUTHORIZED' // 401: no or wrong token, or no live session
  | 'METHOD_NOT_ALLOWED' // 405, with Allow
  | 'TOO_LARGE' // 413: a request body over the door's limit
  | 'UNSUPPORTED_MEDIA_TYPE' // 415: a body that is not JSON
  | 'MISDIRECTED_REQUEST' // 421: a Host the team server does not answer as
  | 'RATE_LIMITED'; // 429, with Retry-After

/** Every code a failed Result over HTTP carries. */
export type HttpFailureCode = OntocatErrorCode | HttpRefusalCode;

/** True when `error` is an OntocatError, optionally of one code. */
export function isOntocatError(error: unknown, code?: OntocatErrorCode): error is OntocatError {
  return error instanceof OntocatError && (code === undefined || error.code === code);
}
