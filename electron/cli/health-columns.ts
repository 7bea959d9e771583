import type { ValidationHealthRow } from '../shared/contract/report.js';
import { errorCount, formatParseRate } from '../shared/validation-health.js';
import type { Column } from './output.js';

/**
 * Table columns of validation health per validator and format, shared by `validate` and `report validation`.
 *
 * ERRORS counts every ERROR, a file that does not parse included (errorCount), as the
 * versions list and `stats` do: beside FILES WITH ERRORS, which counts such files, it read
 * 0 where that column read 1. The JSON keeps the parts (`errors`, `files_unparsable`).
 * PARSE is of the files the validator parsed (its syntax results), not of CHECKED: a
 * validator that parses nothing (quality, storage) has none, though it checked files.
 */
export const validationHealthColumns: readonly Column<ValidationHealthRow>[] = [
  { header: 'CHECKED', value: (r) => r.files_checked },
  { header: 'UNPARSABLE', value: (r) => r.files_unparsable },
  { header: 'PARSE', value: (r) => formatParseRate({ files_checked: r.files_parsed + r.files_unparsable, files_parsed: r.files_parsed }), align: 'right' },
  { header: 'ERRORS', value: (r) => errorCount(r) },
  { header: 'WARNINGS', value: (r) => r.warnings },
  { header: 'INFO', value: (r) => r.infos },
  { header: 'FILES WITH ERRORS', value: (r) => r.files_with_errors },
];
