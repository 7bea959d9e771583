/** The HTTP status that goes with a failed Result's code; the body is the Result either way. */
export function httpStatusFor(code: string): number {
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
