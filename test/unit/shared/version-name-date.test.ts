/**
 * The day a calendar-versioned name spells, and no day for names that are not a date.
 */
import { describe, expect, it } from 'vitest';
import { versionNameDate } from '../../../electron/shared/version-name-date.js';

describe('versionNameDate', () => {
  it('reads the spellings publishers use for a release day', () => {
    expect(['2021.9.22', '2021-09-22', '2021_09_22', '20210922', 'v2021.9.22', '2021/9/22'].map(versionNameDate))
      .toEqual(Array(6).fill('2021-09-22T00:00:00.000Z'));
    expect(versionNameDate('2019.6.27')).toBe('2019-06-27T00:00:00.000Z');
  });

  it('gives no day for semver, partial dates, suffixes, mixed separators or impossible days', () => {
    for (const name of ['1.2', '6.10.0', '2021.9', '2021.9.22-2', '2021.9.22.1', '2021-09.22', '2021.2.30', '2021.13.1', '202109', '1.0-rc1', '3021.1.1', '20211301']) {
      expect(versionNameDate(name), name).toBeNull();
    }
  });
});
