/**
 * The team server's sign-in limiter under a flood of made-up names: past 100,000 keys it
 * forgets some, and what it forgets must not be the count of an account being guessed at,
 * or the flood hands the guesser a fresh five guesses.
 */
import { describe, expect, it } from 'vitest';
import { LoginLimiter } from '../../../electron/serve/login-limiter.js';

const MINUTE = 60_000;

/** 120,000 failed sign-ins, each a new made-up name from one of 6,000 addresses (20 each). */
function flood(limiter: LoginLimiter, tick: () => void): void {
  for (let i = 0; i < 120_000; i += 1) {
    tick();
    limiter.failed(`made-up-${i}`, `10.${(i % 6000) >> 8}.${i % 6000 & 255}.1`);
  }
}

describe('LoginLimiter under a flood of made-up names', () => {
  it('still refuses an account locked before the flood', () => {
    let clock = 1_000_000;
    const limiter = new LoginLimiter({ now: () => clock });
    for (let i = 0; i < 5; i += 1) limiter.failed('alice', '192.0.2.7');
    expect(limiter.retryAfterMs('alice', '198.51.100.9')).toBeGreaterThan(0);
    flood(limiter, () => { clock += 1; });
    // The guesser, from a fresh address, is still refused on alice for the rest of the window (the flood took two minutes).
    const wait = limiter.retryAfterMs('alice', '198.51.100.9');
    expect(wait).toBeGreaterThan(12 * MINUTE);
    expect(wait).toBeLessThanOrEqual(15 * MINUTE);
  });

  it('keeps the count of an account guessed at below its limit: the flood gives no guesses back', () => {
    let clock = 1_000_000;
    const limiter = new LoginLimiter({ now: () => clock });
    for (let i = 0; i < 4; i += 1) limiter.failed('alice', '192.0.2.7');
    flood(limiter, () => { clock += 1; });
    expect(limiter.retryAfterMs('alice', '198.51.100.9')).toBe(0);
    // One more wrong guess is the fifth: refused from then on, as without the flood.
    limiter.failed('alice', '198.51.100.9');
    expect(limiter.retryAfterMs('alice', '203.0.113.4')).toBeGreaterThan(12 * MINUTE);
  });

  it('forgets the failures that left the window first, and a lock ends when its window does', () => {
    let clock = 1_000_000;
    const limiter = new LoginLimiter({ now: () => clock });
    for (let i = 0; i < 5; i += 1) limiter.failed('bob', '192.0.2.8');
    clock += 16 * MINUTE;
    flood(limiter, () => { clock += 1; });
    expect(limiter.retryAfterMs('bob', '198.51.100.9')).toBe(0);
  });
});
