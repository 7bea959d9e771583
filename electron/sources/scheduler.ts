/**
 * Runs the sources' schedules while the app (or `ontocat serve`) is open.
 *
 * A source is due when its schedule fired since its last scheduled run (or since it was
 * saved): however many times it fired meanwhile, it runs once (missed runs are caught up
 * once, not N times). The clock is injectable, so tests drive time by hand.
 */
import type { Catalog } from '../catalog/open-catalog.js';
import { listSourceRows, runStats } from '../catalog/source-queries.js';
import { systemClock, type Clock } from './clock.js';
import { nextRunOf } from './sources-service.js';

export interface SchedulerOptions {
  readonly clock?: Clock;
  /** Runs the due sources (as a sync job with trigger 'schedule'). */
  readonly run: (ids: readonly string[]) => Promise<unknown>;
  /** Longest wait between two looks at the sources (they may be edited meanwhile); default 60 s. */
  readonly maxWaitMs?: number;
  readonly onError?: (error: unknown) => void;
}

/** The later of two instants (ISO strings, either may be missing). */
function later(a: string | null, b: string | undefined): string | null {
  if (!b) return a;
  return a && new Date(a).getTime() >= new Date(b).getTime() ? a : b;
}

/**
 * The sources due at `now`, and when the next one falls due. `started`: when this process
 * last started a scheduled batch holding each source, which uses up that firing even when
 * the batch ended before the source's run was written.
 */
export async function dueSources(catalog: Catalog, now: Date, started: ReadonlyMap<string, string> = new Map()): Promise<{ due: string[]; next: Date | null }> {
  const { rows, stats } = await catalog.read(async (conn) => ({ rows: await listSourceRows(conn), stats: await runStats(conn) }));
  const due: string[] = [];
  let next: Date | null = null;
  for (const row of rows) {
    const at = nextRunOf(row, later(stats.get(row.source_id)?.last_scheduled ?? null, started.get(row.source_id)));
    if (!at) continue;
    if (at.getTime() <= now.getTime()) due.push(row.source_id);
    else if (!next || at < next) next = at;
  }
  return { due, next };
}

export class SourceScheduler {
  private cancelTimer: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly clock: Clock;
  /**
   * When each source's last scheduled batch started: a batch that ended before it wrote the
   * source's run (a sync that failed as it started) left that firing looking unrun, and the
   * next look (a minute later) started the source again.
   */
  private readonly started = new Map<string, string>();

  constructor(private readonly catalog: Catalog, private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Starts looking: due sources run now, then at each next due time. */
  start(): void {
    this.stopped = false;
    this.arm(0);
  }

  /** Stops the timer and waits for a tick in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    await this.running;
  }

  /** Runs what is due now (once) and re-arms; what tests call after moving the clock. */
  tick(): Promise<void> {
    this.running ??= (async () => {
      try {
        const now = this.clock.now();
        const { due } = await dueSources(this.catalog, now, this.started);
        for (const id of due) this.started.set(id, now.toISOString());
        if (due.length > 0) await this.options.run(due);
      } catch (error) {
        this.options.onError?.(error);
      } finally {
        this.running = null;
      }
      if (!this.stopped) await this.rearm();
    })();
    return this.running;
  }

  private async rearm(): Promise<void> {
    try {
      const { next } = await dueSources(this.catalog, this.clock.now(), this.started);
      const wait = next ? Math.max(0, next.getTime() - this.clock.now().getTime()) : Number.POSITIVE_INFINITY;
      this.arm(Math.min(wait, this.options.maxWaitMs ?? 60_000));
    } catch (error) {
      this.options.onError?.(error);
      this.arm(this.options.maxWaitMs ?? 60_000);
    }
  }

  private arm(ms: number): void {
    this.cancelTimer?.();
    if (this.stopped) return;
    this.cancelTimer = this.clock.setTimer(() => { void this.tick(); }, ms);
  }
}
