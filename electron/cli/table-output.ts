import type { ExportTable, ExportTables } from '../handlers/export-tables.js';
import type { ChannelInput } from '../shared/contract.js';
import type { ProfileResult } from '../shared/contract/report.js';
import { OntocatError } from '../shared/errors.js';
import { UsageError, type CommandOutput, type CommandSession, type OptionSpec, type ParsedArgs } from './command-types.js';

export type OutputFormat = 'table' | 'json' | 'csv' | 'parquet';
const outputFormats: readonly OutputFormat[] = ['table', 'json', 'csv', 'parquet'];

/** Options shared by the delta and report commands. */
export const tableOutputOptions: Readonly<Record<string, OptionSpec>> = {
  format: { type: 'string', description: 'table, json, csv or parquet (default table; --json means json)' },
  out: { type: 'string', description: 'write to FILE (atomically) instead of stdout' },
  profile: { type: 'boolean', description: "print DuckDB's EXPLAIN ANALYZE of the main query to stderr" },
  rows: { type: 'boolean', description: 'with --format json: every row of the table as one JSON array (what the app exports), not the rendered result' },
};

/** The output format asked for, checked: a wrong one is a usage error (exit 2). */
export function outputFormat(args: ParsedArgs): OutputFormat {
  const raw = args.options.format;
  if (raw === undefined) return args.json ? 'json' : 'table';
  if (typeof raw !== 'string' || !outputFormats.includes(raw as OutputFormat)) {
    throw new UsageError(`--format takes table, json, csv or parquet, got '${String(raw)}'.`);
  }
  const format = raw as OutputFormat;
  const out = args.options.out;
  if (args.json && (format === 'csv' || format === 'parquet') && typeof out !== 'string') {
    throw new UsageError(`--json prints JSON; use --out FILE to write ${format}.`);
  }
  if (format === 'parquet' && typeof out !== 'string') throw new UsageError('--format parquet needs --out FILE (Parquet is binary).');
  return format;
}

/** Prints the profile of a named catalog query on stderr when `--profile` is set. */
export async function maybeProfile(args: ParsedArgs, session: CommandSession, input: ChannelInput<'catalog:profile'>): Promise<void> {
  if (args.options.profile !== true) return;
  const profile = await session.call('catalog:profile', input);
  process.stderr.write(`${renderProfile(profile)}\n`);
}

/** The main query's plan, then one line per other query. */
export function renderProfile(profile: ProfileResult): string {
  const main = profile.queries[profile.main];
  const lines = [`Profile of ${profile.name}: ${profile.queries.length} queries, ${profile.total_ms.toFixed(1)} ms in all (each run twice: once for rows, once explained).`];
  profile.queries.forEach((query, i) => {
    lines.push(`  ${i === profile.main ? '*' : ' '} ${query.ms.toFixed(1).padStart(8)} ms  ${String(query.rows).padStart(7)} rows  ${query.sql.slice(0, 100)}`);
  });
  if (main) lines.push('', `Main query (${main.ms.toFixed(1)} ms):`, main.plan);
  return lines.join('\n');
}

/**
 * Turns a command's result into its output in the asked format.
 *
 * Table and JSON render the result (to stdout or `--out`); CSV and Parquet re-run the
 * table's query through DuckDB's COPY, so an export holds every row, not just one page.
 */
export async function tableOutput<T extends ExportTable>(
  args: ParsedArgs, session: CommandSession, result: { json: unknown; human: string }, table: T, input: ExportTables[T],
): Promise<CommandOutput> {
  const format = outputFormat(args);
  const rows = args.options.rows === true;
  const asked = typeof args.options.out === 'string' ? args.options.out : undefined;
  // The catalog, a version's files or the content store are never an export's target.
  const out = asked === undefined ? undefined
    : (await import('../handlers/export-tables.js')).checkOutputFile(session.root, session.catalog?.dbPath, asked);
  if (rows && format !== 'json') throw new UsageError('--rows goes with --format json (csv and parquet always hold every row).');
  if (format === 'table' || (format === 'json' && !rows)) {
    const text = format === 'json' ? JSON.stringify(result.json, null, 2) : result.human;
    if (!out) return { json: result.json, human: text };
    const { writeReportFile } = await import('../handlers/export-tables.js');
    writeReportFile(out, text);
    return { json: { out, format }, human: `Wrote ${format} to ${out}.` };
  }
  if (!session.catalog) {
    throw new OntocatError('LOCKED', `--format ${format} runs DuckDB's COPY in this process, but another Ontocat process has the catalog open; use --format json or table, or stop that process.`);
  }
  // On demand: exports need DuckDB, which a client of a running owner otherwise never loads.
  const { exportTable, tableCsv } = await import('../handlers/export-tables.js');
  if (!out) {
    const csv = await tableCsv(session.catalog, table, input, format === 'json' ? 'json' : 'csv');
    return { json: result.json, human: csv.replace(/\n$/, '') };
  }
  const written = await exportTable(session.catalog, table, input, format, out);
  return { json: { out, format, rows: written.rows }, human: `Wrote ${written.rows} rows as ${format} to ${out}.` };
}
