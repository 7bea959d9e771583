/**
 * Limits how often a push fires: at most once per `intervalMs`, with a trailing call so
 * the last state before a pause is always delivered, and `flush` for the final state.
 */
export class Throttle {
  private last = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly intervalMs: number, private readonly fire: () => void, private readonly now: () => number = Date.now) {}

  /** Asks for a push; fires now, or once the interval since the last push has passed. */
  request(): void {
    const wait = this.last + this.intervalMs - this.now();
    if (wait <= 0) {
      this.clear();
      this.emit();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.emit();
    }, wait);
  }

  /** Fires now whatever the interval, dropping any pending trailing push. */
  flush(): void {
    this.clear();
    this.emit();
  }

  /** Drops a pending trailing push. */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private emit(): void {
    this.last = this.now();
    this.fire();
  }
}
