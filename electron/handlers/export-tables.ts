import { realpathSync } from 'node:fs';
import path from 'node:path';
import { deltaByFormatQuery, deltaChangesQuery, deltaTreeQuery, resolvePair } from '../catalog/delta-queries.js';
import { exportQuery, queryToCsv, type TableFileFormat } from '../catalog/export-table.js';
import type { Catalog } from '../catalog/open-catalog.js';
import type { QuerySpec } from '../catalog/query-spec.js';
import {
  cadenceReportQuery, growthPair, hotspotsReportQuery, latestReportQuery, validationReportQuery,
} from '../catalog/report-queries.js';
import type { SqlConnection } from '../catalog/sql.js';
import { termHistoryExportQuery, termSearchQuery, versionTermDeltaQuery } from '../catalog/term-index-queries.js';
import { validationDeltaQuery } from '../catalog/validation-delta-queries.js';
import { requireVersionId } from '../catalog/version-queries.js';
import { validationListQuery } from '../catalog/validation-queries.js';
import { getFile } from '../catalog/file-queries.js';
import { termChangesQuery } from '../catalog/term-changes.js';
import { schemaMarkdown } from '../catalog/schema-queries.js';
import type { SchemaDescription } from '../shared/contract/report.js';
import { CATALOG_FILE } from '../catalog/open-catalog.js';
import { writeFileAtomicSync } from '../storage/atomic-write.js';
import { realOrResolved } from '../storage/safe-path.js';
import { lstatIfPresent, statIfPresent } from '../storage/stat-if-present.js';
import type { Channel, ChannelInput } from '../shared/contract.js';
import { OntocatError } from '../shared/errors.js';
import { parseVersionRef } from '../shared/version-ref.js';

/**
 * The tables that can be exported, each with the channel whose rows it holds.
 *
 * Exports write where the caller says, so they are deliberately not channels: the CLI's
 * `--out FILE`, Electron main (after a save dialog) and the web host's download route
 * (to a temp file it streams) call them (table-download.ts).
 */
export interface ExportTables {
  readonly delta: ChannelInput<'delta:compute'>;
  readonly 'delta-tree': ChannelInput<'delta:tree'>;
  readonly 'validation-delta': ChannelInput<'delta:validations'>;
  readonly 'report-latest': ChannelInput<'report:latest'>;
  readonly 'report-growth': ChannelInput<'report:growth'>;
  readonly 'report-validation': ChannelInput<'report:validation'>;
  readonly 'report-hotspots': ChannelInput<'report:hotspots'>;
  readonly 'report-cadence': ChannelInput<'report:cadence'>;
  readonly 'term-search': ChannelInput<'terms:search'>;
  readonly 'term-delta': ChannelInput<'terms:version-delta'>;
  readonly 'term-history': ChannelInput<'terms:history'>;
  readonly validations: ChannelInput<'validations:list'>;
  readonly 'term-changes': ChannelInput<'delta:terms'>;
}
export type ExportTable = keyof ExportTables;

/** The channel whose rows each table holds: its input schema checks an export's input too. */
export const EXPORT_CHANNELS = {
  delta: 'delta:compute',
  'delta-tree': 'delta:tree',
  'validation-delta': 'delta:validations',
  'report-latest': 'report:latest',
  'report-growth': 'report:growth',
  'report-validation': 'report:validation',
  'report-hotspots': 'report:hotspots',
  'report-cadence': 'report:cadence',
  validations: 'validations:list',
  'term-changes': 'delta:terms',
  'term-search': 'terms:search',
  'term-delta': 'terms:version-delta',
  'term-history': 'terms:history',
} as const satisfies Record<ExportTable, Channel>;

export const EXPORT_TABLES = Object.keys(EXPORT_CHANNELS) as ExportTable[];

/** An explicit page, when the caller asked for one; exports are otherwise complete. */
function pageOf(input: { offset?: number; limit?: number }): { offset: number; limit: number } | undefined {
  if (input.offset === undefined && input.limit === undefined) return undefined;
  return { offset: input.offset ?? 0, limit: input.limit ?? 1000 };
}

async function specOf<T extends ExportTable>(conn: SqlConnection, table: T, input: ExportTables[T]): Promise<QuerySpec> {
  switch (table) {
    case 'delta': {
      const { from, to, ...query } = input as ExportTables['delta'];
      return deltaChangesQuery(await resolvePair(conn, parseVersionRef(from), parseVersionRef(to)), query, pageOf(query));
    }
    case 'delta-tree': {
      const { from, to, ...query } = input as ExportTables['delta-tree'];
      return deltaTreeQuery(await resolvePair(conn, parseVersionRef(from), parseVersionRef(to)), query, pageOf(query));
    }
    case 'validation-delta': {
      const { from, to, ...query } = input as ExportTables['validation-delta'];
      return validationDeltaQuery(await resolvePair(conn, parseVersionRef(from), parseVersionRef(to)), query, pageOf(query));
    }
    case 'report-latest': return latestReportQuery(input as ExportTables['report-latest']);
    case 'report-growth': {
      const refs = await growthPair(conn, input as ExportTables['report-growth']);
      return deltaByFormatQuery(await resolvePair(conn, refs.from, refs.to));
    }
    case 'report-validation': {
      const { service, ref } = input as ExportTables['report-validation'];
      return validationReportQuery({ service: service ?? null, ref_id: ref ? await requireVersionId(conn, parseVersionRef(ref)) : null });
    }
    case 'report-hotspots': {
      const { service, top, depth } = input as ExportTables['report-hotspots'];
      return hotspotsReportQuery({ service: service ?? null, ref_id: null }, top, depth);
    }
    case 'report-cadence': return cadenceReportQuery(input as ExportTables['report-cadence']);
    case 'term-search': return termSearchQuery(conn, input as ExportTables['term-search'], pageOf(input as ExportTables['term-search']));
    case 'term-delta': {
      const { a, b, ...query } = input as ExportTables['term-delta'];
      const ids = await resolvePair(conn, parseVersionRef(a), parseVersionRef(b));
      return versionTermDeltaQuery(ids.a, ids.b, query, pageOf(query));
    }
    case 'term-history': return termHistoryExportQuery(conn, input as ExportTables['term-history']);
    case 'validations': {
      const { ref, ...query } = input as ExportTables['validations'];
      return validationListQuery(await requireVersionId(conn, parseVersionRef(ref)), query, pageOf(query));
    }
    case 'term-changes': {
      const { from, to, relpath, old_relpath: oldRelpath, ...query } = input as ExportTables['term-changes'];
      const oldFile = await getFile(conn, parseVersionRef(from), oldRelpath ?? relpath);
      const newFile = await getFile(conn, parseVersionRef(to), relpath);
      return termChangesQuery(oldFile.file_id, newFile.file_id, query, pageOf(query));
    }
    default: throw new OntocatError('BAD_INPUT', `Unknown table '${String(table)}' to export.`);
  }
}

/**
 * Writes the rows of a delta, report or list to a CSV, JSON or Parquet file through DuckDB's COPY.
 *
 * The caller runs the matching channel first (so unknown versions and bad input fail
 * the same way); this then streams every row, not one page, unless a page was asked for.
 */
export async function exportTable<T extends ExportTable>(
  catalog: Catalog, table: T, input: ExportTables[T], format: TableFileFormat, target: string,
): Promise<{ rows: number; path: string }> {
  return catalog.read(async (conn) => exportQuery(conn, await specOf(conn, table, input), format, target));
}

/** The rows of a delta or report as CSV (or JSON) text, for printing. */
export async function tableCsv<T extends ExportTable>(catalog: Catalog, table: T, input: ExportTables[T], format: 'csv' | 'json' = 'csv'): Promise<string> {
  return catalog.read(async (conn) => queryToCsv(conn, await specOf(conn, table, input), format));
}

/**
 * The file a symbolic link names, so an output written to a link replaces the file it points
 * to (as a shell's redirection does), not the link; a link to nothing is refused.
 */
function followedLink(absolute: string): string {
  if (!lstatIfPresent(absolute)?.isSymbolicLink()) return absolute;
  if (!statIfPresent(absolute)) throw new OntocatError('BAD_INPUT', `Refused to write ${absolute}: it is a symbolic link to nothing. Nothing was written.`);
  return realpathSync(absolute);
}

/** A path with its folder's symlinks resolved (the file itself need not exist yet). */
function realTarget(target: string): string {
  const absolute = path.resolve(target);
  return path.join(realOrResolved(path.dirname(absolute)), path.basename(absolute));
}

/**
 * Checks a file a command is asked to write (--out, --markdown, `sources export FILE`)
 * and returns it absolute: refused when the atomic rename would replace what the storage
 * root holds, the catalog file (or its WAL) or anything in the root's own folders (version
 * files, the content store, trash, backups, plans, LATEST.json). A file of its own at the
 * root's top level (ROOT/delta.csv) is allowed.
 */
export function checkOutputFile(root: string, dbPath: string | undefined, target: string): string {
  const asked = path.resolve(target);
  const absolute = followedLink(asked);
  const full = realTarget(absolute);
  const refuse = (what: string): never => {
    throw new OntocatError('UNSAFE_PATH', `Refused to write ${absolute}: it is ${what}, and writing there would replace it. Write the file outside the storage root's folders. Nothing was written.`);
  };
  // The write is a temp file renamed over the target: what is there must be a file to replace.
  const there = lstatIfPresent(absolute);
  if (there && !there.isFile()) {
    const kind = there.isDirectory() ? 'a folder' : there.isCharacterDevice() || there.isBlockDevice() ? 'a device' : there.isFIFO() ? 'a named pipe' : there.isSocket() ? 'a socket' : 'not a regular file';
    throw new OntocatError('BAD_INPUT', `Refused to write ${asked}: it is ${kind}, not a file, and an output file replaces its target whole (written beside it, then renamed over it). ` +
      `${there.isDirectory() ? 'Name a file in it' : 'Name a file, or leave out the file to print to standard output'}. Nothing was written.`);
  }
  const catalogFile = realTarget(dbPath ?? path.join(root, CATALOG_FILE));
  if (full === catalogFile || full.startsWith(`${catalogFile}.`)) refuse('the catalog file');
  const rel = path.relative(realOrResolved(root), full);
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return absolute;
  if (rel === '') refuse('the storage root');
  if (rel.includes(path.sep) || rel.startsWith('.') || rel.toLowerCase().startsWith(CATALOG_FILE)) refuse(`inside the storage root ${root} (${rel.split(path.sep).join('/')})`);
  return absolute;
}

/** Writes a rendered report (JSON or a text table) to a file atomically. */
export function writeReportFile(target: string, text: string): void {
  writeFileAtomicSync(target, text.endsWith('\n') ? text : `${text}\n`);
}

/** Writes the catalog schema as a Markdown page, atomically. */
export function writeSchemaMarkdown(schema: SchemaDescription, target: string): void {
  writeReportFile(target, schemaMarkdown(schema));
}
