import type { PublishReport } from '../../shared/contract/publish.js';
import { stringOption, UsageError, type CliCommand } from '../command-types.js';
import { formatBytes, formatTable } from '../output.js';
import { withJobProgress } from '../progress-bar.js';
import { countOf } from '../../shared/count-noun.js';

function autoOption(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new UsageError(`--auto takes 'on' or 'off', not '${value}'.`);
}

function publishedText(report: PublishReport): string {
  const table = formatTable(report.tables, [
    { header: 'table', value: (t) => t.name },
    { header: 'rows', value: (t) => t.rows },
    { header: 'files', value: (t) => t.files },
  ]);
  return [
    `Published the catalog as Parquet in ${report.directory} (generation ${report.generation}): ${countOf(report.written, 'file')} written, ${report.kept} unchanged, ${report.removed} removed, ${formatBytes(report.bytes)} in all.`,
    table,
    report.auto
      ? 'Republished automatically after every change (turn off with --auto off).'
      : 'Published once; --auto on republishes after every change.',
    `Query it with DuckDB: SELECT * FROM read_parquet('${report.directory}/table=files/*/*/*.parquet', hive_partitioning=true);`,
  ].join('\n');
}

/** The publish command: the catalog as open Parquet for other engines. */
export const publishCommands: readonly CliCommand[] = [
  {
    name: 'publish',
    summary: 'Publish the catalog as Hive-partitioned Parquet in ROOT/parquet (for Trino, Spark, DuckDB)',
    args: '', minArgs: 0, maxArgs: 0, access: 'write',
    options: { auto: { type: 'string', description: "'on': republish after every change; 'off': only when asked" } },
    async run(args, session) {
      const auto = autoOption(stringOption(args, 'auto'));
      const report = await withJobProgress(session, args, 'publish', 'catalog:publish', auto === undefined ? {} : { auto });
      return { json: report, human: publishedText(report) };
    },
  },
];
