import type { DuckDBValue } from '@duckdb/node-api';

/**
 * A catalog query as data: its SQL and named parameters.
 *
 * Report and delta builders return these so that one query can be run (rows), copied to a
 * file (CSV/Parquet export) or explained (profiling) without writing its SQL twice.
 * Every parameter named here must occur in `sql` (DuckDB refuses unused names).
 */
export interface QuerySpec {
  readonly sql: string;
  readonly params: Readonly<Record<string, DuckDBValue>>;
}
