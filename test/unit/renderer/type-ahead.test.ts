import { describe, expect, it } from 'vitest';
import { isTypeAheadKey, typeAheadMatch } from '../../../renderer/src/lib/type-ahead.js';

// Rows as a tree shows them: a folder, its open children, then files; null is a "Load more" row.
const rows = ['data', 'doc.md', 'defs.ttl', null, 'go.owl', 'go-basic.obo', 'README.txt'];

describe('type-ahead', () => {
  it('moves to the next item starting with a typed letter, wrapping, case-insensitive', () => {
    expect(typeAheadMatch(rows, 0, 'd')).toBe(1);
    expect(typeAheadMatch(rows, 2, 'D')).toBe(0);
    expect(typeAheadMatch(rows, 0, 'r')).toBe(6);
  });

  it('steps through items of one letter when it is typed again and again', () => {
    expect(typeAheadMatch(rows, 1, 'dd')).toBe(2);
    expect(typeAheadMatch(rows, 2, 'ddd')).toBe(0);
  });

  it('keeps the active item while a longer prefix still matches it, else finds the next one', () => {
    expect(typeAheadMatch(rows, 4, 'go')).toBe(4);
    expect(typeAheadMatch(rows, 4, 'go-')).toBe(5);
    expect(typeAheadMatch(rows, 0, 'do')).toBe(1);
    expect(typeAheadMatch(rows, 1, 'de')).toBe(2);
  });

  it('finds nothing for a prefix no item has, and skips rows that are not items', () => {
    expect(typeAheadMatch(rows, 0, 'x')).toBe(-1);
    expect(typeAheadMatch([null, null], 0, 'a')).toBe(-1);
    expect(typeAheadMatch([], 0, 'a')).toBe(-1);
  });

  it('takes printable characters only, never shortcuts or the space bar', () => {
    const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) =>
      isTypeAheadKey({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods });
    expect(key('a')).toBe(true);
    expect(key('7')).toBe(true);
    expect(key(' ')).toBe(false);
    expect(key('ArrowDown')).toBe(false);
    expect(key('a', { ctrlKey: true })).toBe(false);
    expect(key('z', { metaKey: true })).toBe(false);
  });
});
