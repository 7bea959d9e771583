import { describe, expect, it } from 'vitest';
import { isNormalisedRelpath, normaliseRelpath } from '../../../electron/storage/safe-path.js';

/** What normaliseRelpath says of a path: normalised already, or not. */
function normalisedBySlowRule(relpath: string): boolean {
  try {
    return normaliseRelpath(relpath) === relpath;
  } catch {
    return false;
  }
}

describe('isNormalisedRelpath (the fast rule bulk inserts use)', () => {
  const samples = [
    'a.ttl', 'dir/a.ttl', 'deep/er/still.obo', '.hidden', 'a/.hidden', '..a', 'a..', 'a/..b/c', 'ünï 名前.ttl', ' lead', 'a b/c d',
    '', '.', '..', './a', 'a/.', 'a/./b', '../a', 'a/../b', 'a/..', '/abs', 'a//b', 'a/', 'a\\b', 'C:/x', 'c:x', 'a\0b',
  ];
  it.each(samples)('agrees with normaliseRelpath on %j', (relpath) => {
    expect(isNormalisedRelpath(relpath)).toBe(normalisedBySlowRule(relpath));
  });
});
