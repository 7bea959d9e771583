/**
 * Cron schedules of sources, parsed by croner (a maintained cron library): checking an
 * expression when a source is saved, and the next run after a moment.
 */
import { Cron } from 'croner';
import { OntocatError } from '../shared/errors.js';

function parse(expression: string, timezone?: string): Cron {
  try {
    return new Cron(expression, { paused: true, ...(timezone ? { timezone } : {}) });
  } catch (error) {
    throw new OntocatError('BAD_INPUT', `Invalid schedule '${expression}': ${(error as Error).message}`);
  }
}

/**
 * The IANA time zone schedules fire in: the owning process's own (croner reads a cron
 * expression in it when no zone is given), so "0 3 * * *" is 03:00 where the owner runs.
 */
export function scheduleTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Refuses an expression croner cannot parse, or one that never fires. */
export function assertSchedule(expression: string): void {
  if (!parse(expression).nextRun(new Date())) throw new OntocatError('BAD_INPUT', `Schedule '${expression}' never fires.`);
}

/** The first time the schedule fires strictly after `after` (null: never). */
export function nextRunAfter(expression: string, after: Date, timezone?: string): Date | null {
  return parse(expression, timezone).nextRun(after);
}
