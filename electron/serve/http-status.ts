import type { HttpFailureCode } from '../shared/errors.js';

/**
 * The HTTP status that goes with a failed Result's code; the body is the Result either way.
 * Every refusal is sent through it (sendFailure), so a status and its code always agree.
 */
export function httpStatusFor(code: HttpFailureCode | (string & {})): number {
  switch (code) {
    case 'BAD_INPUT':
    case 'UNSAFE_PATH':
      return 400;
    case 'NOT_FOUND':
      return 404;
    case 'LOCKED':
    case 'CONFLICT':
    case 'STALE_PLAN':
      return 409;
    case 'READ_ONLY':
    case 'FORBIDDEN':
      return 403;
    case 'UNAUTHORIZED':
      return 401;
    case 'METHOD_NOT_ALLOWED':
      return 405;
    case 'TOO_LARGE':
      return 413;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'MISDIRECTED_REQUEST':
      return 421;
    case 'RATE_LIMITED':
      return 429;
    case 'CANCELLED':
      return 409;
    case 'LIMIT_EXCEEDED':
      return 422;
    case 'FETCH_FAILED':
      return 502;
    default:
      return 500;
  }
}
