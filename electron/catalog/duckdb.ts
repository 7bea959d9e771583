/**
 * The DuckDB client, loaded through `require`.
 *
 * `@duckdb/node-api` is CommonJS spread over many files. Imported from an ES module, Node
 * runs its CommonJS export scanner on every one of them, which made loading it about half
 * of a short CLI command's time; `require` loads the same files without that scan.
 */
import { createRequire } from 'node:module';
import type * as DuckDB from '@duckdb/node-api';

const duckdb = createRequire(import.meta.url)('@duckdb/node-api') as typeof DuckDB;

export const { DuckDBInstance, DuckDBTimestampValue, listValue } = duckdb;
export type DuckDBInstance = DuckDB.DuckDBInstance;
export type DuckDBTimestampValue = DuckDB.DuckDBTimestampValue;
