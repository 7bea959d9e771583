/** Counts read as people say them: "1 file", "0 files", "2 files", in the CLI and the app. */
import { describe, expect, it } from 'vitest';
import { countOf } from '../../../electron/shared/count-noun.js';
import { formatCountOf } from '../../../renderer/src/lib/format.js';

describe('counts with their nouns', () => {
  it('says one in the singular and every other count in the plural', () => {
    expect([0, 1, 2].map((n) => countOf(n, 'file'))).toEqual(['0 files', '1 file', '2 files']);
    expect(countOf(1, 'entry', 'entries')).toBe('1 entry');
    expect(countOf(3, 'entry', 'entries')).toBe('3 entries');
  });

  it('groups the digits of large counts in the app, as every other count there', () => {
    expect(formatCountOf(1, 'version')).toBe('1 version');
    expect(formatCountOf(12345, 'file')).toBe('12,345 files');
  });
});
