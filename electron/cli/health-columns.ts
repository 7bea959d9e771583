import type { ValidationHealthRow } from '../shared/contract/report.js';
import { formatParseRate } from '../shared/validation-health.js';
import type { Column } from './output.js';

/** Table columns of validation health per validator and format, shared by `validate` and `report validation`. */
export const validationHealthColumns: readonly Column<ValidationHealthRow>[] = [
  { header: 'CHECKED', value: (r) => r.files_checked },
  { header: 'UNPARSABLE', value: (r) => r.files_unparsable },
  { header: 'PARSE', value: (r) => formatParseRate(r), align: 'right' },
  { header: 'ERRORS', value: (r) => r.errors },
  { header: 'WARNINGS', value: (r) => r.warnings },
  { header: 'INFO', value: (r) => r.infos },
  { header: 'FILES WITH ERRORS', value: (r) => r.files_with_errors },
];
