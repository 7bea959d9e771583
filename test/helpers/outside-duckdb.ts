/** A separate DuckDB (in memory) that knows nothing of Ontocat: an outside reader of its files. */
import { DuckDBInstance } from '@duckdb/node-api';

/** Rows of `sql` as JSON objects, read by a fresh in-memory DuckDB that is closed after. */
export async function outsideQuery<T>(sql: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as T[];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
