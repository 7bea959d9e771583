import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Catalog } from '../catalog/open-catalog.js';
import { contract, type Channel, type ChannelInput, type ChannelOutput } from '../shared/contract.js';
import { OntocatError } from '../shared/errors.js';
import { EXPORT_CHANNELS, EXPORT_TABLES, exportTable, type ExportTable, type ExportTables } from './export-tables.js';
import { storedFileOf } from './reading-handlers.js';

// For the serve layer's remote client, which saves a team server's downloads on this machine.
export { saveAtomically } from '../storage/atomic-write.js';

/** Formats the UI offers for a table: the same COPY as the CLI's `--format csv` and `--format json --rows`. */
export const UI_EXPORT_FORMATS = ['csv', 'json'] as const;
export type UiExportFormat = (typeof UI_EXPORT_FORMATS)[number];

/** What an export needs of a session: the typed call (to check the input the channel's way) and the catalog. */
export interface ExportSession {
  readonly catalog: Catalog;
  call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>>;
}

/** A checked export request. */
export interface ExportRequest<T extends ExportTable = ExportTable> {
  readonly table: T;
  readonly format: UiExportFormat;
  readonly input: ExportTables[T];
}

/**
 * Checks an export request from an untrusted front door (IPC, HTTP): a known table, csv
 * or json, and an input the table's channel accepts (its zod schema), or BAD_INPUT.
 */
export function parseExportRequest(table: unknown, format: unknown, input: unknown): ExportRequest {
  if (typeof table !== 'string' || !(EXPORT_TABLES as readonly string[]).includes(table)) {
    throw new OntocatError('BAD_INPUT', `Unknown table '${String(table)}' to export; one of: ${EXPORT_TABLES.join(', ')}.`);
  }
  if (typeof format !== 'string' || !(UI_EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new OntocatError('BAD_INPUT', `Cannot export as '${String(format)}'; use csv or json.`);
  }
  const name = table as ExportTable;
  const parsed = contract[EXPORT_CHANNELS[name]].input.safeParse(input ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new OntocatError('BAD_INPUT', `Invalid input to export ${name}: ${first ? `${first.path.map(String).join('.') || 'input'}: ${first.message}` : 'unreadable'}`);
  }
  return { table: name, format: format as UiExportFormat, input: parsed.data as ExportTables[ExportTable] };
}

const safeNamePart = (text: string): string => text.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 80);

/** A file name that says what the export holds: `delta_go_2024-01-01_to_2024-02-01.csv`. */
export function exportFileName(request: ExportRequest): string {
  const input = request.input as Record<string, unknown>;
  const refs = ['ref', 'from', 'to', 'service'].map((key) => input[key]).filter((v): v is string => typeof v === 'string');
  const parts = [request.table, ...refs.map(safeNamePart)].filter((part) => part !== '');
  return `${[...new Set(parts)].join('_')}.${request.format}`;
}

/** Channels of exportable tables that take no page (their answer is whole): the check runs them as asked. */
const UNPAGED_CHANNELS: ReadonlySet<string> = new Set(['report:latest', 'report:growth', 'report:validation', 'report:hotspots', 'report:cadence', 'terms:history']);

/**
 * Writes a table's every row to `target` through the CLI's export code (DuckDB's COPY,
 * atomic). The table's channel runs first, so an unknown version or bad input fails
 * exactly as it does there (and a term delta is computed before its rows are copied).
 */
export async function exportRequestTo(session: ExportSession, request: ExportRequest, target: string): Promise<{ rows: number; path: string }> {
  const channel = EXPORT_CHANNELS[request.table];
  const probe = { ...(request.input as Record<string, unknown>) };
  // The check needs one row, not a page of them (the export itself takes every row).
  if (!UNPAGED_CHANNELS.has(channel) && probe.limit === undefined) probe.limit = 1;
  await session.call(channel, probe as ChannelInput<typeof channel>);
  return exportTable(session.catalog, request.table, request.input, request.format, target);
}

/** An export written to a private temp folder, for a front door to stream and then remove. */
export async function exportToTemp(session: ExportSession, request: ExportRequest): Promise<{ path: string; name: string; rows: number; cleanup: () => void }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ontocat-export-'));
  const name = exportFileName(request);
  try {
    const written = await exportRequestTo(session, request, path.join(dir, name));
    return { path: written.path, name, rows: written.rows, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The bytes of a catalogued file, for a download or "show in folder". */
export async function storedFileForDownload(session: ExportSession, ref: unknown, relpath: unknown): Promise<{ path: string; name: string; size: number }> {
  const parsed = contract['files:get'].input.safeParse({ ref, relpath });
  if (!parsed.success) throw new OntocatError('BAD_INPUT', `Invalid file to download: ${parsed.error.issues[0]?.message ?? 'unreadable'}`);
  const stored = await storedFileOf(session.catalog, parsed.data.ref, parsed.data.relpath);
  return { path: stored.path, name: stored.name, size: stored.size };
}

/** Stored files and table exports of a session, for the web host's download routes. */
export function downloadSourceFor(session: ExportSession): {
  file(ref: string | null, relpath: string | null): Promise<{ path: string; name: string; size: number }>;
  exportTable(table: string | null, format: string | null, input: unknown): Promise<{ path: string; name: string; rows: number; cleanup: () => void }>;
} {
  return {
    file: (ref, relpath) => storedFileForDownload(session, ref, relpath),
    exportTable: (table, format, input) => exportToTemp(session, parseExportRequest(table, format, input)),
  };
}
