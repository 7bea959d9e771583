/**
 * A source's health: last checked and changed, failures in a row, the cadence its service
 * releases at (from release dates in release order) and whether a release is overdue.
 */
import type { SourceHealth } from '../shared/contract/sources.js';
import type { RunStats } from '../catalog/source-queries.js';

const DAY_MS = 86_400_000;
/** A release is overdue past this many cadences since the last one. */
export const OVERDUE_FACTOR = 1.5;

/** The median gap in days between consecutive release dates (null with fewer than three dates). */
export function cadenceDays(releaseDates: readonly string[]): number | null {
  const times = releaseDates.map((date) => Date.parse(date)).filter((time) => Number.isFinite(time)).sort((a, b) => a - b);
  if (times.length < 3) return null;
  const gaps = times.slice(1).map((time, i) => (time - times[i]!) / DAY_MS).filter((gap) => gap > 0).sort((a, b) => a - b);
  if (gaps.length < 2) return null;
  const mid = Math.floor(gaps.length / 2);
  const median = gaps.length % 2 === 1 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
  return Math.round(median * 10) / 10;
}

/** Health from run statistics and the service's release dates, at `now`. */
export function sourceHealth(stats: RunStats | undefined, releaseDates: readonly string[], now: Date): SourceHealth {
  const cadence = cadenceDays(releaseDates);
  const last = releaseDates.length > 0 ? Date.parse(releaseDates.at(-1)!) : null;
  const due = cadence !== null && last !== null ? new Date(last + cadence * DAY_MS).toISOString() : null;
  const overdue = cadence !== null && last !== null && now.getTime() > last + OVERDUE_FACTOR * cadence * DAY_MS;
  return {
    last_checked: stats?.last_checked ?? null,
    last_changed: stats?.last_changed ?? null,
    consecutive_failures: stats?.consecutive_failures ?? 0,
    cadence_days: cadence,
    next_release_due: due,
    overdue,
  };
}
