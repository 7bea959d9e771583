/**
 * Report channels (latest, growth, validation health, hotspots, release cadence) and the
 * catalog introspection channels (schema, profile).
 *
 * Every report has a `rows` table: that is what CSV and Parquet exports contain.
 */
import { z } from 'zod';
import type { ReleaseDateSource } from '../release-order.js';
import type { DeltaFormatRow, DeltaSummary } from './delta.js';
import { channel, empty, folder, service, versionRefSchema } from './schemas.js';
import { PROFILE_NAMES, type ProfileName } from '../profile-names.js';

export { PROFILE_NAMES } from '../profile-names.js';
export type { ProfileName } from '../profile-names.js';

/** The version each service is judged by: its latest pointer, else its newest version. */
export interface LatestReportRow {
  readonly service: string;
  readonly version: string;
  readonly created_at: string;
  readonly pointer_set: boolean;
  readonly versions: number;
  readonly files: number;
  readonly bytes: number;
  readonly formats: number;
  /** Validation health, flat so exports keep one column each (see ValidationHealth). */
  readonly files_unparsable: number;
  readonly files_with_errors: number;
  readonly errors: number;
  readonly warnings: number;
}

export interface GrowthReport {
  readonly service: string;
  readonly from: string;
  readonly to: string;
  readonly summary: DeltaSummary;
  readonly rows: readonly DeltaFormatRow[];
}

/** Validation health per validator and format, by the one definition (see ValidationHealth). */
export interface ValidationHealthRow {
  readonly validator: string;
  readonly format: string;
  readonly files_checked: number;
  readonly files_parsed: number;
  readonly files_unparsable: number;
  /** files_parsed / files_checked: parsing only; findings never lower it. */
  readonly parse_rate: number | null;
  readonly files_with_errors: number;
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
}

export interface HotspotRow {
  readonly dimension: 'service' | 'format' | 'folder';
  readonly key: string;
  readonly files: number;
  readonly bytes: number;
  readonly bytes_share: number;
  /** Failed ERROR results (a file that does not parse included); warnings are not counted. */
  readonly errors: number;
  readonly errors_share: number;
  readonly bytes_rank: number;
  readonly errors_rank: number;
}

export interface CadenceRow {
  readonly service: string;
  readonly version: string;
  readonly created_at: string;
  /** Releases are listed in release order (migrations/0005_release_order.sql); days run between release dates. */
  readonly release_date: string | null;
  readonly release_date_source: ReleaseDateSource | null;
  /** The version before this one in release order. */
  readonly previous: string | null;
  /**
   * Days since the previous release with a known date (not an ingest date); null for a
   * version whose date is its ingest date, unless no version of the service has a known
   * date, when days run between ingest dates.
   */
  readonly days_since_previous: number | null;
  readonly files: number;
  readonly bytes: number;
  readonly growth_files: number | null;
  readonly growth_bytes: number | null;
  /** Same paths and contents as the previous version of the service. */
  readonly noop: boolean;
}

export interface CadenceServiceRow {
  readonly service: string;
  readonly versions: number;
  /** The first and last known release dates (ingest dates only where none is known). */
  readonly first_at: string;
  readonly last_at: string;
  readonly mean_days: number | null;
  readonly median_days: number | null;
  readonly max_days: number | null;
  readonly noop_releases: number;
  readonly mean_growth_bytes: number | null;
}

export interface CadenceReport {
  readonly services: readonly CadenceServiceRow[];
  readonly rows: readonly CadenceRow[];
}

export interface SchemaColumn {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
  readonly default: string | null;
}

export interface SchemaDescription {
  readonly tables: readonly { readonly name: string; readonly rows: number; readonly columns: readonly SchemaColumn[] }[];
  readonly views: readonly { readonly name: string; readonly columns: readonly SchemaColumn[]; readonly sql: string }[];
  readonly macros: readonly { readonly name: string; readonly kind: 'macro' | 'table_macro'; readonly parameters: readonly string[]; readonly sql: string | null }[];
}


export interface QueryProfile {
  readonly sql: string;
  readonly ms: number;
  readonly rows: number;
  /** DuckDB's EXPLAIN ANALYZE of the statement. */
  readonly plan: string;
}

export interface ProfileResult {
  readonly name: ProfileName;
  readonly total_ms: number;
  /** Index in `queries` of the main (slowest) query. */
  readonly main: number;
  readonly queries: readonly QueryProfile[];
}

export const latestReportInputSchema = z.object({ service: service.optional() }).strict();
export const growthReportInputSchema = z.object({ service, from: versionRefSchema.optional(), to: versionRefSchema.optional() }).strict();
export const validationReportInputSchema = z.object({ service: service.optional(), ref: versionRefSchema.optional() }).strict();
export const hotspotsReportInputSchema = z.object({
  service: service.optional(), top: z.number().int().min(1).max(1000).optional(), depth: z.number().int().min(1).max(20).optional(),
}).strict();
export const cadenceReportInputSchema = z.object({ service: service.optional() }).strict();
export const profileInputSchema = z.object({
  name: z.enum(PROFILE_NAMES),
  refs: z.array(versionRefSchema).max(2).optional(),
  service: service.optional(),
  prefix: folder,
  dir: folder,
}).strict();

export const reportContract = {
  'report:latest': channel(latestReportInputSchema).returns<LatestReportRow[]>(),
  'report:growth': channel(growthReportInputSchema).returns<GrowthReport>(),
  'report:validation': channel(validationReportInputSchema).returns<ValidationHealthRow[]>(),
  'report:hotspots': channel(hotspotsReportInputSchema).returns<HotspotRow[]>(),
  'report:cadence': channel(cadenceReportInputSchema).returns<CadenceReport>(),
  'catalog:schema': channel(empty).returns<SchemaDescription>(),
  'catalog:profile': channel(profileInputSchema).returns<ProfileResult>(),
} as const;
