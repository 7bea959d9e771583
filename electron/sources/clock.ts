/** Time as the scheduler and runs see it: the real clock, or one a test moves by hand. */
export interface Clock {
  now(): Date;
  /** Calls `fn` after `ms` of this clock's time; returns a cancel function. */
  setTimer(fn: () => void, ms: number): () => void;
}

/** The system clock. */
export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(fn, ms) {
    // Node timers overflow past ~24.8 days; the scheduler re-arms long waits.
    const timer = setTimeout(fn, Math.min(ms, 2 ** 31 - 1));
    timer.unref?.();
    return () => clearTimeout(timer);
  },
};
