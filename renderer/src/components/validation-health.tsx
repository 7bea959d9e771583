/**
 * Validation health, shown the same way on every page: files that parse (the only rate),
 * findings by severity, files not checked. Red is for errors only; warnings are amber.
 */
import type { ReactNode } from 'react';
import type { ValidationHealth } from '../../../electron/shared/models.js';
import { describeHealth, errorCount, formatParseRate } from '../../../electron/shared/validation-health.js';
import { formatCount, formatCountOf } from '../lib/format.js';
import { StatCard } from './stat-card.js';

/** The tone of a health: bad with any error, warn with only warnings, else none. */
export function healthTone(health: Pick<ValidationHealth, 'files_with_errors' | 'warnings'>): 'bad' | 'warn' | undefined {
  if (health.files_with_errors > 0) return 'bad';
  return health.warnings > 0 ? 'warn' : undefined;
}

/** Summary cards of one version's validation health. */
export function HealthCards({ health }: { health: ValidationHealth }): ReactNode {
  return (
    <>
      <StatCard label="Files that parse" value={formatParseRate(health)}
        note={health.files_checked === 0 ? 'nothing checked yet'
          : `${formatCount(health.files_parsed)} of ${formatCount(health.files_checked)} checked${health.files_unparsable > 0 ? `; ${formatCount(health.files_unparsable)} do not parse` : ''}`}
        tone={health.files_checked === 0 ? undefined : health.files_unparsable > 0 ? 'bad' : 'good'} />
      {/* A file that does not parse counts as an error, as in the CLI's versions list. */}
      <StatCard label="Errors" value={formatCount(errorCount(health))}
        note={`${formatCountOf(health.files_with_errors, 'file')} with errors`} tone={errorCount(health) > 0 ? 'bad' : undefined} />
      <StatCard label="Warnings" value={formatCount(health.warnings)}
        note={`${formatCountOf(health.files_with_warnings, 'file')} with warnings`} tone={health.warnings > 0 ? 'warn' : undefined} />
      <StatCard label="Info" value={formatCount(health.infos)} />
      {health.files_unchecked > 0 && <StatCard label="Not checked" value={formatCount(health.files_unchecked)} note="no validator for the format, or not validated yet" />}
    </>
  );
}

/**
 * One line of health for tables and dialogs: the parse rate, coloured by the worst severity.
 *
 * The rate says what it counts ("100% parse"): a bare "100%" in red beside "36 with errors"
 * read as every file failing.
 */
export function HealthSummary({ health, label }: { health: ValidationHealth; label: string }): ReactNode {
  return (
    <span className={healthTone(health)} title={describeHealth(health)} aria-label={`${label}: ${describeHealth(health)}`}>
      {formatParseRate(health)}{health.files_checked > 0 && ' parse'}
      {health.files_with_errors > 0 && <> · {formatCountOf(health.files_with_errors, 'file')} with errors</>}
      {health.files_with_errors === 0 && health.warnings > 0 && <> · {formatCountOf(health.warnings, 'warning')}</>}
    </span>
  );
}

/** Badges of a tree entry's findings: red for errors, amber for warnings. */
export function FindingBadges({ errors, warnings }: { errors: number; warnings: number }): ReactNode {
  return (
    <>
      {errors > 0 && <span className="badge badge-bad" title="Errors: does not parse, or an ERROR finding">{formatCount(errors)} {errors === 1 ? 'error' : 'errors'}</span>}
      {warnings > 0 && <span className="badge badge-warn" title="Warnings (not failures)">{formatCount(warnings)} {warnings === 1 ? 'warning' : 'warnings'}</span>}
    </>
  );
}
