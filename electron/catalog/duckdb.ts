/**
 * The DuckDB client, loaded through `require`.
 *
 * `@duckdb/node-api` is CommonJS spread over many files. Imported from an ES module, Node
 * runs its CommonJS export scanner on every one of them, which made loading it about half
 * of a short CLI command's time; `require` loads the same files without that scan. The CLI
 * bundles go further: a one-file build of the client sits next to them
 * (scripts/cli-bundle.mjs), one read and one cached compile instead of about 80 files
 * resolved, read and wrapped. Run from source (tsx, tests, Electron) it is not there: the
 * package.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as DuckDB from '@duckdb/node-api';

function loadClient(): typeof DuckDB {
  // In the CLI's CommonJS bundles, the module's own `require`: the one bin/ontocat.mjs
  // hands them, which compiles the client through V8's code cache. (An ES module bundle
  // has a `require` too, esbuild's, which refuses a path it cannot see; it has no
  // `__filename`.)
  const load = typeof __filename === 'string' && typeof require === 'function' ? require : createRequire(import.meta.url);
  const oneFile = fileURLToPath(new URL('./duckdb-node-api.cjs', import.meta.url));
  return (existsSync(oneFile) ? load(oneFile) : load('@duckdb/node-api')) as typeof DuckDB;
}

const duckdb = loadClient();

export const { blobValue, DuckDBInstance, DuckDBTimestampValue, listValue } = duckdb;
export type DuckDBInstance = DuckDB.DuckDBInstance;
export type DuckDBTimestampValue = DuckDB.DuckDBTimestampValue;
