import type { NewValidation } from '../../catalog/write-records.js';
import { formatContradicts, formatLabel } from '../../shared/formats.js';
import { VALIDATOR_BY_FORMAT } from './validators.js';

/** The rule of the finding below; kebab-case like every other rule name. */
export const FORMAT_MISMATCH_RULE = 'format-mismatch';

/**
 * A WARN finding when a file's content contradicts its declared format, else null.
 *
 * The extension decides the format and the syntax check (a quad in a `.ttl` fails as
 * Turtle); this says what the content looks like instead, so a curator sees why a file
 * failed, or that it passed as something it does not look like. It sits under the file's
 * syntax validator, next to the check it explains.
 */
export function formatMismatchFinding(file: { relpath: string; format: string; sniffed_format: string | null }): NewValidation | null {
  const validator = VALIDATOR_BY_FORMAT[file.format as keyof typeof VALIDATOR_BY_FORMAT];
  if (!validator || !formatContradicts(file.format, file.sniffed_format)) return null;
  const extension = /\.[^./]+$/.exec(file.relpath)?.[0] ?? '';
  return {
    relpath: file.relpath, validator, rule: FORMAT_MISMATCH_RULE, severity: 'WARN', passed: false,
    message: `The content looks like ${formatLabel(file.sniffed_format!)}, not ${formatLabel(file.format)}${extension ? ` as its extension ${extension} says` : ''}; it was checked as ${formatLabel(file.format)}.`,
    line: null, col: null, subject: null,
    details: { declared_format: file.format, sniffed_format: file.sniffed_format },
  };
}
