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

/** Keys (accounts and addresses) held before the oldest are forgotten, and how many go at once. */
const MAX_KEYS = 100_000;
const FORGET_BATCH = 10_000;

export class LoginLimiter {
  /** Failure times per key, in the order of each key's last failure. */
  private readonly failures = new Map<string, number[]>();
  private forgetAbove = MAX_KEYS;
  /** The last attempt in line per account and per address, settled once it is decided. */
  private readonly lines = new Map<string, Promise<void>>();
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

  /**
   * Waits until the earlier attempts for this account and from this address are decided,
   * so that this one is checked against their failures: attempts sent at once would
   * otherwise all pass the check while their passwords were still being tested. Call the
   * returned function once this attempt is decided (counted as failed, or succeeded).
   */
  async turn(username: string, address: string): Promise<() => void> {
    let release = (): void => undefined;
    const decided = new Promise<void>((resolve) => { release = resolve; });
    // Both lines are joined at once, in arrival order, so two attempts never wait on each other.
    const earlier = [`u:${username}`, `a:${address}`].map((key) => {
      const previous = this.lines.get(key) ?? Promise.resolve();
      const last = previous.then(() => decided);
      this.lines.set(key, last);
      void last.then(() => { if (this.lines.get(key) === last) this.lines.delete(key); });
      return previous;
    });
    await Promise.all(earlier);
    return release;
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
    for (const key of [`u:${username}`, `a:${address}`]) {
      const list = [...this.recent(key), at];
      // Re-inserted so the map's order is by last failure (least recently failed first).
      this.failures.delete(key);
      this.failures.set(key, list);
    }
    if (this.failures.size > this.forgetAbove) this.forget();
  }

  /**
   * Bounds memory under a flood of made-up names without handing the flood a reset: a
   * count forgotten is guesses given back, so a flood of one-guess names must not push
   * out an account it is guessing at. Keys whose failures left the window go first; then,
   * if still too many, the keys with the fewest failures in the window, least recently
   * failed first. A key at its limit (refused now) is never forgotten: what is left is
   * bounded by the failures in one window, which the address limit already bounds.
   */
  private forget(): void {
    for (const key of [...this.failures.keys()]) this.recent(key);
    const excess = this.failures.size - (MAX_KEYS - FORGET_BATCH);
    if (excess > 0) {
      const candidates: Array<{ key: string; count: number; order: number }> = [];
      let order = 0;
      for (const [key, list] of this.failures) {
        const limit = key.startsWith('u:') ? this.perAccount : this.perAddress;
        if (list.length < limit) candidates.push({ key, count: list.length, order });
        order += 1;
      }
      candidates.sort((a, b) => a.count - b.count || a.order - b.order);
      for (const { key } of candidates.slice(0, excess)) this.failures.delete(key);
    }
    // Locked keys kept past the bound: scan again only after another batch, not on every failure.
    this.forgetAbove = Math.max(MAX_KEYS, this.failures.size + FORGET_BATCH);
  }

  /** Clears the account's failures after a successful sign-in. */
  succeeded(username: string): void {
    this.failures.delete(`u:${username}`);
  }
}
