import type { SchemaColumn, SchemaDescription } from '../shared/contract/report.js';
import type { SqlConnection } from './sql.js';

/** Tables (with row counts), columns, views and macros of the catalog, from DuckDB's own metadata. */
export async function describeSchema(conn: SqlConnection): Promise<SchemaDescription> {
  const columns = await conn.all<{ table_name: string; name: string; type: string; nullable: boolean; default: string | null }>(
    `SELECT table_name, column_name AS name, data_type AS type, is_nullable AS nullable, column_default AS "default"
     FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
     ORDER BY table_name, column_index`,
  );
  const byTable = new Map<string, SchemaColumn[]>();
  for (const { table_name: table, ...column } of columns) {
    if (!byTable.has(table)) byTable.set(table, []);
    byTable.get(table)!.push(column);
  }
  const tables = await conn.all<{ name: string; rows: number }>(
    `SELECT table_name AS name, estimated_size AS rows FROM duckdb_tables()
     WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal ORDER BY table_name`,
  );
  const views = await conn.all<{ name: string; sql: string }>(
    `SELECT view_name AS name, sql FROM duckdb_views()
     WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal ORDER BY view_name`,
  );
  const macros = await conn.all<{ name: string; kind: 'macro' | 'table_macro'; parameters: string[]; sql: string | null }>(
    `SELECT function_name AS name, function_type AS kind, parameters, macro_definition AS sql FROM duckdb_functions()
     WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
       AND function_type IN ('macro', 'table_macro') ORDER BY function_name`,
  );
  return {
    tables: tables.map((table) => ({ ...table, columns: byTable.get(table.name) ?? [] })),
    views: views.map((view) => ({ ...view, columns: byTable.get(view.name) ?? [] })),
    macros,
  };
}

/** The schema as a Markdown page: one section per table and view, then the macros. */
export function schemaMarkdown(schema: SchemaDescription): string {
  const columnTable = (columns: readonly SchemaColumn[]): string[] => [
    '| column | type | null | default |',
    '|---|---|---|---|',
    ...columns.map((c) => `| ${c.name} | ${c.type} | ${c.nullable ? 'yes' : 'no'} | ${c.default ?? ''} |`),
  ];
  const lines = ['# Ontocat catalog schema', '', '## Tables', ''];
  for (const table of schema.tables) lines.push(`### ${table.name}`, '', `About ${table.rows} rows.`, '', ...columnTable(table.columns), '');
  lines.push('## Views', '');
  for (const view of schema.views) lines.push(`### ${view.name}`, '', ...columnTable(view.columns), '');
  lines.push('## Macros', '');
  for (const macro of schema.macros) lines.push(`- \`${macro.name}(${macro.parameters.join(', ')})\` (${macro.kind === 'table_macro' ? 'table macro' : 'macro'})`);
  return `${lines.join('\n')}\n`;
}
