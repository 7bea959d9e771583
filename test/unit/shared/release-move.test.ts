import { describe, expect, it } from 'vitest';
import { describeReleaseMove, type ReleasePlace } from '../../../electron/shared/release-order.js';

const place = (rank: number, latest: string | null, latestRank: number | null): ReleasePlace => ({ rank, versions: 3, latest, latest_rank: latestRank });

describe('describeReleaseMove', () => {
  it('names a move that keeps the version on the same side of the latest by its places', () => {
    expect(describeReleaseMove('go/b', { before: place(2, 'c', 3), after: place(1, 'c', 3) })).toBe('It moved from 2 of 3 to 1 of 3 in release order.');
  });

  it('names the move of a service with no latest by its places', () => {
    expect(describeReleaseMove('go/a', { before: place(1, null, null), after: place(3, null, null) })).toBe('It moved from 1 of 3 to 3 of 3 in release order.');
  });

  it('says when the latest stays the newest', () => {
    expect(describeReleaseMove('go/c', { before: place(3, 'c', 3), after: place(3, 'c', 3) })).toBe('Its place in release order is unchanged (3 of 3).');
  });
});
