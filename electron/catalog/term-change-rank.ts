import { TERM_DELTA_KINDS } from '../shared/term-names.js';

/**
 * A term change's place in the order TERM_DELTA_KINDS lists them, as SQL over `column`.
 *
 * The whole-version delta and a file pair's delta list their changes in this one order.
 */
export const changeRank = (column: string): string =>
  `CASE ${column} ${TERM_DELTA_KINDS.map((kind, i) => `WHEN '${kind}' THEN ${i}`).join(' ')} END`;
