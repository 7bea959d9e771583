import { describe, expect, it } from 'vitest';
import { describeReleaseMove, type ReleasePlace } from '../../../electron/shared/release-order.js';

const place = (rank: number, latest: string | null, latestRank: number | null): ReleasePlace => ({ rank, versions: 3, latest, latest_rank: latestRank });

describe('describeReleaseMove', () => {
  it('names a move that keeps the version on the same side of the latest by its places', () => {
    expect(describeReleaseMove('go/b', { before: place(2, 'c', 3), after: place(1, 'c', 3) })).toBe('In release order it moved from the 2nd oldest of 3 to the oldest of 3.');
  });

  it('names the move of a service with no latest by its places', () => {
    expect(describeReleaseMove('go/a', { before: place(1, null, null), after: place(3, null, null) })).toBe('In release order it moved from the oldest of 3 to the newest of 3.');
  });

  it('counts a place between the ends from the oldest, as an ordinal', () => {
    const at = (rank: number, versions: number): ReleasePlace => ({ rank, versions, latest: null, latest_rank: null });
    expect(describeReleaseMove('go/x', { before: at(12, 30), after: at(23, 30) })).toBe('In release order it moved from the 12th oldest of 30 to the 23rd oldest of 30.');
    expect(describeReleaseMove('go/x', { before: at(21, 30), after: at(2, 30) })).toBe('In release order it moved from the 21st oldest of 30 to the 2nd oldest of 30.');
  });

  it('says when the latest stays the newest', () => {
    expect(describeReleaseMove('go/c', { before: place(3, 'c', 3), after: place(3, 'c', 3) })).toBe('Its place in release order is unchanged (the newest of 3).');
  });
});
