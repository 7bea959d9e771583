import { closeSync, fsyncSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBTypeId } from '@duckdb/node-api';
import { OntocatError } from '../shared/errors.js';
import { describeFsError, errnoOf, errorFromStrerror, fsFailureDetails } from '../shared/fs-error-words.js';
import { fsyncDir, tempPathFor } from '../storage/atomic-write.js';
import type { QuerySpec } from './query-spec.js';
import type { SqlConnection } from './sql.js';

export type TableFileFormat = 'csv' | 'json' | 'parquet';

/**
 * Times as ISO 8601 instants with their zone: TIMESTAMP columns hold UTC, and DuckDB's own
 * text (`2026-12-05 05:26:40.702`) says no zone, so a spreadsheet or script in another zone
 * read it as local time; `--json` already says Z.
 */
const INSTANT = "TIMESTAMPFORMAT '%Y-%m-%dT%H:%M:%S.%gZ'";

const copyOptions: Readonly<Record<TableFileFormat, string>> = {
  csv: `FORMAT csv, HEADER true, ${INSTANT}`,
  // One JSON array of row objects, as DuckDB writes it (the UI's and the CLI's `--rows` JSON).
  json: `FORMAT json, ARRAY true, ${INSTANT}`,
  parquet: 'FORMAT parquet, COMPRESSION zstd',
};

const NESTED = new Set<DuckDBTypeId>([DuckDBTypeId.LIST, DuckDBTypeId.ARRAY, DuckDBTypeId.STRUCT, DuckDBTypeId.MAP, DuckDBTypeId.UNION]);

/**
 * The query with each column that `rewrite` gives an expression for (from its type and
 * quoted name) written as that expression under the same name; other columns, and the row
 * order, are left as they are. A probe of no rows tells the types; a query with no column
 * to rewrite is returned unchanged.
 */
async function rewriteColumns(conn: SqlConnection, spec: QuerySpec, rewrite: (type: DuckDBTypeId, quoted: string) => string | null): Promise<QuerySpec> {
  const probe = await conn.raw.runAndReadAll(`SELECT * FROM (${spec.sql}) LIMIT 0`, spec.params as Parameters<typeof conn.raw.runAndReadAll>[1]);
  const found = probe.columnTypes();
  let changed = false;
  const columns = probe.columnNames().map((name, i) => {
    const quoted = `"${name.replace(/"/g, '""')}"`;
    const expression = rewrite(found[i]!.typeId, quoted);
    if (expression === null) return quoted;
    changed = true;
    return `${expression} AS ${quoted}`;
  });
  return changed ? { ...spec, sql: `SELECT ${columns.join(', ')} FROM (${spec.sql})` } : spec;
}

/** Text types: the only cells a spreadsheet could take for a formula (numbers stay numbers). */
const TEXT = new Set<DuckDBTypeId>([DuckDBTypeId.VARCHAR, DuckDBTypeId.ENUM]);

/**
 * A text cell that starts as a formula does in a spreadsheet (`=`, `+`, `-`, `@`, tab,
 * carriage return) gets a leading `'` (OWASP's CSV Injection advice): a term label, a file
 * name, a validation message or a source URL is data from outside, and `=HYPERLINK(…)` in a
 * file name must not run when a curator opens the export in Excel or LibreOffice. The
 * spreadsheet shows the text after the quote; a script reading the CSV sees the quote.
 * Numeric columns (a net size of -1200 bytes) are written as numbers, untouched.
 */
const neutralised = (text: string): string =>
  `CASE WHEN left(${text}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || ${text} ELSE ${text} END`;

/**
 * Every list, struct or map column written as JSON text, and every text cell that would
 * start a formula quoted (`neutralised`). CSV has no lists: DuckDB's COPY would write its
 * own literal (`[1.0, 1.2]` for the versions "1.0" and "1.2", `['EDAM_data:1916']`), which
 * no CSV reader parses back; JSON text is read back to the values the JSON export holds
 * (and starts with `[` or `{`, never as a formula).
 */
const csvColumns = (conn: SqlConnection, spec: QuerySpec): Promise<QuerySpec> =>
  rewriteColumns(conn, spec, (type, quoted) => {
    if (NESTED.has(type)) return `to_json(${quoted})::VARCHAR`;
    if (TEXT.has(type)) return neutralised(`${quoted}::VARCHAR`);
    return null;
  });

/** Times without a zone: the catalog's TIMESTAMP columns, which hold UTC. */
const NAIVE_TIMES = new Set<DuckDBTypeId>([DuckDBTypeId.TIMESTAMP, DuckDBTypeId.TIMESTAMP_S, DuckDBTypeId.TIMESTAMP_MS, DuckDBTypeId.TIMESTAMP_NS]);

/**
 * Every time column as an instant (TIMESTAMPTZ; the session's zone is UTC, so the values
 * stay). Parquet writes a TIMESTAMP as a local time (isAdjustedToUTC=false), which a reader
 * elsewhere (DuckDB, Spark, pandas) takes in its own zone: hours off the instants the CSV
 * and JSON exports say with their Z.
 */
const parquetColumns = (conn: SqlConnection, spec: QuerySpec): Promise<QuerySpec> =>
  rewriteColumns(conn, spec, (type, quoted) => (NAIVE_TIMES.has(type) ? `${quoted}::TIMESTAMPTZ` : null));

/**
 * The names of a query's time columns without a zone (the catalog's TIMESTAMPs, which hold
 * UTC): what a Parquet writer must turn into instants, as `parquetColumns` does. A probe of
 * no rows tells the types.
 */
export async function naiveTimeColumns(conn: SqlConnection, sql: string): Promise<Set<string>> {
  const probe = await conn.raw.runAndReadAll(`SELECT * FROM (${sql}) LIMIT 0`);
  const types = probe.columnTypes();
  return new Set(probe.columnNames().filter((_, i) => NAIVE_TIMES.has(types[i]!.typeId)));
}

/**
 * Writes a query's rows to a CSV, JSON or Parquet file, atomically.
 *
 * DuckDB's COPY streams the rows into a temp name beside the target; the file is then
 * fsynced and renamed over the target, so a reader never sees half an export.
 */
export async function exportQuery(conn: SqlConnection, spec: QuerySpec, format: TableFileFormat, target: string): Promise<{ rows: number; path: string }> {
  const options = copyOptions[format];
  if (!options) throw new OntocatError('BAD_INPUT', `Cannot export as '${String(format)}'; use csv or parquet.`);
  if (format === 'csv') spec = await csvColumns(conn, spec);
  if (format === 'parquet') spec = await parquetColumns(conn, spec);
  const absolute = path.resolve(target);
  const temp = tempPathFor(absolute);
  try {
    // COPY takes no parameter for its target, so the (generated) temp path is quoted.
    const rows = await conn.scalar<number>(`COPY (${spec.sql}) TO '${temp.replace(/'/g, "''")}' (${options})`, spec.params);
    const fd = openSync(temp, 'r');
    try { fsyncSync(fd); } finally { closeSync(fd); }
    renameSync(temp, absolute);
    fsyncDir(path.dirname(absolute));
    return { rows: rows ?? 0, path: absolute };
  } catch (error) {
    rmSync(temp, { force: true });
    if (error instanceof OntocatError) throw error;
    // DuckDB names a full disk only in the C library's words: said plainly, its text kept after.
    const first = (error as Error).message.split('\n')[0]!;
    const system = errnoOf(error) ? error : errorFromStrerror(first);
    if (system) {
      throw new OntocatError('IO_ERROR', `Could not write ${absolute}: ${describeFsError(system, path.dirname(absolute))}; nothing was written to it.${errnoOf(error) ? '' : ` DuckDB said: ${first}`}`,
        { ...fsFailureDetails(system, path.dirname(absolute)) });
    }
    throw new OntocatError('IO_ERROR', `Could not write ${absolute}: ${first}`);
  }
}

/** Renders a query's rows as CSV (header first) or JSON text through the same COPY as `exportQuery`. */
export async function queryToCsv(conn: SqlConnection, spec: QuerySpec, format: 'csv' | 'json' = 'csv'): Promise<string> {
  if (format === 'csv') spec = await csvColumns(conn, spec);
  const dir = mkdtempSync(path.join(tmpdir(), 'ontocat-csv-'));
  try {
    const file = path.join(dir, `rows.${format}`);
    await conn.run(`COPY (${spec.sql}) TO '${file.replace(/'/g, "''")}' (${copyOptions[format]})`, spec.params);
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
