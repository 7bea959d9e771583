/**
 * Sign-in attempts allowed per account and per address.
 *
 * Failed attempts are counted in a sliding window; past the limit, further attempts for
 * that account (or from that address) are refused without checking the password until
 * the oldest failure leaves the window. A success clears the account's count. Per account
 * stops guessing one password from many addresses; per address stops trying many names.
 */
export interface LoginLimits {
  /** Failures per account in the window (default 5). */
  readonly perAccount?: number;
  /** Failures per address in the window (default 20). */
  readonly perAddress?: number;
  /** The window (default 15 min). */
  readonly windowMs?: number;
  readonly now?: () => number;
}

export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly perAccount: number;
  private readonly perAddress: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(limits: LoginLimits = {}) {
    this.perAccount = limits.perAccount ?? 5;
    this.perAddress = limits.perAddress ?? 20;
    this.windowMs = limits.windowMs ?? 15 * 60_000;
    this.now = limits.now ?? Date.now;
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const list = (this.failures.get(key) ?? []).filter((at) => at > cutoff);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  /** Milliseconds until another attempt is allowed, or 0 when it is allowed now. */
  retryAfterMs(username: string, address: string): number {
    const waits = [
      [this.recent(`u:${username}`), this.perAccount],
      [this.recent(`a:${address}`), this.perAddress],
    ] as const;
    let wait = 0;
    for (const [list, limit] of waits) {
      if (list.length >= limit) wait = Math.max(wait, list[list.length - limit]! + this.windowMs - this.now());
    }
    return Math.max(0, wait);
  }

  /** Counts a failed attempt. */
  failed(username: string, address: string): void {
    const at = this.now();
    for (const key of [`u:${username}`, `a:${address}`]) this.failures.set(key, [...this.recent(key), at]);
    // Bound memory under a flood of made-up names: forget the oldest keys.
    if (this.failures.size > 100_000) {
      for (const key of [...this.failures.keys()].slice(0, 10_000)) this.failures.delete(key);
    }
  }

  /** Clears the account's failures after a successful sign-in. */
  succeeded(username: string): void {
    this.failures.delete(`u:${username}`);
  }
}
