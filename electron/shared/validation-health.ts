import type { ValidationHealth, ValidationRules } from './models.js';

/**
 * What a version's findings miss when they come from older validator rules, as the CLI and
 * the app say it; null when they are this Ontocat's. Each caller adds how to validate again.
 */
export function olderRulesSentence(rules: ValidationRules): string | null {
  if (rules.oldest === null || rules.oldest >= rules.current) return null;
  const versions = rules.newest !== rules.oldest ? `${rules.oldest}–${rules.newest}` : String(rules.oldest);
  return `These findings come from older validator rules (version ${versions}; this Ontocat's are version ${rules.current}), which read some files differently since`;
}

/** Share of checked files that parse, 0..1, or null when no file was checked. */
export function parseRate(health: Pick<ValidationHealth, 'files_checked' | 'files_parsed'>): number | null {
  return health.files_checked > 0 ? health.files_parsed / health.files_checked : null;
}

/** A health with every count at zero, for a set of files nothing has been recorded for. */
export function emptyHealth(files = 0): ValidationHealth {
  return {
    files, files_checked: 0, files_parsed: 0, files_unparsable: 0, files_unchecked: files,
    files_with_errors: 0, files_with_warnings: 0, errors: 0, warnings: 0, infos: 0,
  };
}

/**
 * Every ERROR of a set of files: ERROR findings plus one per file that does not parse (its
 * syntax failure is an ERROR finding too). What 'ontocat findings --severity ERROR' lists,
 * the versions list's ERRORS column, the Errors card and the set-latest dialog count.
 */
export function errorCount(health: Pick<ValidationHealth, 'errors' | 'files_unparsable'>): number {
  return health.errors + health.files_unparsable;
}

/** "1,234" with thousands separators, locale-independent so CLI output and tests are stable. */
function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "99.7%": rounded down, so one unparsable file in thousands never reads as 100%. */
export function formatParseRate(health: Pick<ValidationHealth, 'files_checked' | 'files_parsed'>): string {
  const rate = parseRate(health);
  if (rate === null) return '—';
  const tenths = Math.floor(rate * 1000) / 10;
  return `${Number.isInteger(tenths) ? tenths.toFixed(0) : tenths.toFixed(1)}%`;
}

/** "2 errors, 1 warning, 0 info": the findings, never called failures. */
export function describeFindings(health: Pick<ValidationHealth, 'errors' | 'warnings' | 'infos'>): string {
  const plural = (n: number, word: string): string => `${count(n)} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(health.errors, 'error')}, ${plural(health.warnings, 'warning')}, ${count(health.infos)} info`;
}

/**
 * One line of validation health in plain words, the same in the CLI and the app:
 * "1,200 of 1,203 checked files parse (99.7%); findings: 17 errors, 12,033 warnings, 0 info; 40 not checked".
 */
export function describeHealth(health: ValidationHealth): string {
  if (health.files_checked === 0) return health.files === 0 ? 'no files' : `not validated (${count(health.files)} files not checked)`;
  const parts = [
    `${count(health.files_parsed)} of ${count(health.files_checked)} checked files parse (${formatParseRate(health)})`,
    `findings: ${describeFindings({ ...health, errors: errorCount(health) })}`,
  ];
  if (health.files_unchecked > 0) parts.push(`${count(health.files_unchecked)} not checked`);
  return parts.join('; ');
}
