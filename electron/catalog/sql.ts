import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';

export type SqlParams = readonly DuckDBValue[] | Readonly<Record<string, DuckDBValue>>;
export type SqlRow = Record<string, unknown>;

/**
 * A string as a SQL literal (quotes doubled): for what DuckDB takes as a literal only (a
 * COPY target, a read_parquet path), and for a statement run once on a cold connection,
 * where a literal saves the few milliseconds DuckDB spends binding a parameter whose type
 * it plans without (a NULL-or-value filter planned again once bound).
 */
export function sqlText(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Turns DuckDB's JS values into plain JSON-friendly ones (numbers, ISO strings). */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    // DECIMAL and similar arrive as objects with a numeric string form.
    const maybe = value as { toDouble?: () => number };
    if (typeof maybe.toDouble === 'function') return maybe.toDouble();
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = plain(inner);
    return out;
  }
  return value;
}

/**
 * `plain` for a fresh result row, converted in place: most values (strings, numbers,
 * nulls) need nothing, and a listing of 100,000 rows paid for copying every one.
 */
function plainRow(row: Record<string, unknown>): SqlRow {
  for (const key in row) {
    const value = row[key];
    if (typeof value === 'bigint' || (value !== null && typeof value === 'object')) row[key] = plain(value);
  }
  return row;
}

/**
 * A thin, promise-based view of one DuckDB connection.
 *
 * Callers never share a connection across overlapping awaits; the catalog hands these out
 * only through its serial write queue or one-at-a-time read pool.
 */
export class SqlConnection {
  /**
   * The catalog's generation when the current read began (`Catalog.read` sets it); undefined
   * on a write transaction, where uncommitted rows may differ from any kept state.
   */
  readGeneration: number | undefined;

  constructor(readonly raw: DuckDBConnection) {}

  /** Runs a statement, ignoring any result. */
  async run(sql: string, params?: SqlParams): Promise<void> {
    await this.raw.run(sql, params as DuckDBValue[] | undefined);
  }

  /** Runs a query and returns every row as a plain object. */
  async all<T = SqlRow>(sql: string, params?: SqlParams): Promise<T[]> {
    const reader = await this.raw.runAndReadAll(sql, params as DuckDBValue[] | undefined);
    return reader.getRowObjectsJS().map((row) => plainRow(row) as T);
  }

  /** Runs a query and returns its first row, or null. */
  async one<T = SqlRow>(sql: string, params?: SqlParams): Promise<T | null> {
    const rows = await this.all<T>(sql, params);
    return rows[0] ?? null;
  }

  /** Runs a query and returns the first column of its first row. */
  async scalar<T = unknown>(sql: string, params?: SqlParams): Promise<T | null> {
    const reader = await this.raw.runAndReadAll(sql, params as DuckDBValue[] | undefined);
    const rows = reader.getRowsJS();
    const first = rows[0];
    return first === undefined ? null : (plain(first[0]) as T);
  }
}
