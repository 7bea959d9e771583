import { describe, expect, it } from 'vitest';
import { lastModifiedEvidence, parseHttpDate } from '../../../electron/shared/http-date.js';

const now = new Date('2026-12-05T00:00:00Z');

describe('HTTP dates (RFC 9110 §5.6.7)', () => {
  it('reads the three example forms of one instant, all in UTC', () => {
    for (const text of ['Sun, 06 Nov 1994 08:49:37 GMT', 'Sunday, 06-Nov-94 08:49:37 GMT', 'Sun Nov  6 08:49:37 1994']) {
      expect(parseHttpDate(text, now)?.toISOString(), text).toBe('1994-11-06T08:49:37.000Z');
    }
  });

  it('takes an rfc850 year as the latest one not more than 50 years ahead', () => {
    expect(parseHttpDate('Thursday, 06-Nov-76 08:49:37 GMT', now)?.getUTCFullYear()).toBe(2076);
    expect(parseHttpDate('Thursday, 06-Nov-77 08:49:37 GMT', now)?.getUTCFullYear()).toBe(1977);
  });

  it('reads nothing else, nor a day that does not exist', () => {
    for (const text of ['0', '1', 'garbage 12', '2012-12-13', 'Thu, 13 Dec 2012 00:00:00 +0900', 'Sat, 30 Feb 2013 00:00:00 GMT', 'Thu, 13 Dec 2012 24:00:00 GMT', '']) {
      expect(parseHttpDate(text, now), text).toBeNull();
    }
  });

  it('a Last-Modified after its retrieval is no evidence', () => {
    expect(lastModifiedEvidence('Mon, 01 Jan 2099 00:00:00 GMT', now)).toBeNull();
    expect(lastModifiedEvidence('Thu, 13 Dec 2012 00:00:00 GMT', now)?.toISOString()).toBe('2012-12-13T00:00:00.000Z');
    expect(lastModifiedEvidence(null, now)).toBeNull();
  });
});
