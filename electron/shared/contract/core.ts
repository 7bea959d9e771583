/**
 * Core channels: catalog info and migrations, versions, files, validations, latest,
 * storage usage and the audit log.
 */
import { z } from 'zod';
import type {
  ArtifactRecord, CatalogEvent, DirEntry, FileRecord, LatestChange, LatestPointer, MigrationInfo, Page, StorageUsage,
  ValidationRecord, ValidationRules, ValidationSummaryRow, VersionStats, VersionSummary,
} from '../models.js';
import { parseReleaseDate, type ReleaseDateSource, type ReleaseMove } from '../release-order.js';
import { catalogId, channel, direction, empty, expectedLatest, expectedStamps, folder, format, limit, offset, relpath, search, service, validationStatus, versionRefSchema } from './schemas.js';

export interface CatalogInfo {
  readonly root: string;
  readonly db_path: string;
  readonly read_only: boolean;
  readonly schema_version: number;
  /** Migrations this build has that the catalog has not applied (a read-only open cannot apply them). */
  readonly migrations_pending: readonly string[];
  readonly versions: number;
  readonly files: number;
  /** The IANA time zone of the process that owns the catalog: source schedules (cron) fire in it. */
  readonly time_zone: string;
}

export interface MigrateResult {
  readonly dry_run: boolean;
  readonly applied: readonly MigrationInfo[];
  readonly pending: readonly MigrationInfo[];
}

export interface ServiceSummary {
  readonly service: string;
  readonly versions: number;
  readonly latest: string | null;
  /** The newest version by release order; a latest that is not this is flagged. */
  readonly newest: string;
  readonly bytes: number;
}

export interface SetLatestResult {
  readonly service: string;
  readonly version: string;
  readonly previous: string | null;
  /** False when it was the latest already: nothing was recorded (no history entry, no event). */
  readonly changed: boolean;
}

export interface SetReleaseDateResult {
  readonly ref: string;
  readonly release_date: string;
  readonly release_date_source: 'curator';
  /** What it was before, and how that was known. */
  readonly previous: string | null;
  readonly previous_source: ReleaseDateSource | null;
  /** Where the version stood in release order before and after (and its latest): what the correction moved. */
  readonly order?: ReleaseMove;
}

/** A release date typed by a person: YYYY-MM-DD or an ISO date-time, real and not in the future. */
const releaseDateInput = z.string().max(40).refine((text) => {
  try { parseReleaseDate(text); return true; } catch { return false; }
}, { message: 'Expected a real, past release date such as 2024-05-01 or 2024-05-01T12:00:00Z' });

export const coreContract = {
  'catalog:info': channel(empty).returns<CatalogInfo>(),
  'catalog:migrate': channel(z.object({ dry_run: z.boolean().optional() }).strict(), 'write').returns<MigrateResult>(),
  'services:list': channel(empty).returns<ServiceSummary[]>(),
  'versions:list': channel(z.object({
    service: service.optional(),
    sort: z.enum(['release', 'created_at', 'service', 'version', 'files', 'bytes']).optional(),
    direction, offset, limit,
  }).strict()).returns<Page<VersionSummary>>(),
  // stamp: also the version's preview stamp, for a set-latest Confirm to send back (expected_stamps).
  // order_against: also whether it comes before that version of its service in release order.
  'versions:stats': channel(z.object({
    ref: versionRefSchema, largest: z.number().int().min(1).max(100).optional(), stamp: z.boolean().optional(), order_against: versionRefSchema.optional(),
  }).strict())
    .returns<VersionStats>(),
  /** The version released just before `ref` in its service's release order (`S/V`), or null for its first. */
  'versions:previous': channel(z.object({ ref: versionRefSchema }).strict()).returns<{ previous: string | null }>(),
  'versions:pin': channel(z.object({ ref: versionRefSchema, pinned: z.boolean(), reason: z.string().trim().max(500).optional() }).strict(), 'write')
    .returns<{ ref: string; pinned: boolean; reason: string | null }>(),
  /** A curator corrects a version's release date; evidence never overwrites it again. */
  // expected_release_date: the date the correction was based on (as versions:stats gave it,
  // null when none); the write refuses when another client changed it since.
  'versions:set-release': channel(z.object({
    ref: versionRefSchema, release_date: releaseDateInput, expected_release_date: z.string().max(40).nullable().optional(),
  }).strict(), 'write')
    .returns<SetReleaseDateResult>(),
  'files:list': channel(z.object({
    ref: versionRefSchema, prefix: folder, format, search, status: validationStatus,
    sort: z.enum(['relpath', 'name', 'size_bytes', 'format', 'mtime']).optional(), direction, offset, limit,
  }).strict()).returns<Page<FileRecord>>(),
  'files:dir': channel(z.object({
    ref: versionRefSchema, dir: folder, format, status: validationStatus,
    sort: z.enum(['name', 'bytes', 'files']).optional(), direction, offset, limit,
  }).strict()).returns<Page<DirEntry>>(),
  'files:get': channel(z.object({ ref: versionRefSchema, relpath }).strict()).returns<FileRecord>(),
  'files:where': channel(z.object({ sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'Expected a SHA-256 of 64 hex digits') }).strict())
    .returns<{ files: FileRecord[]; artifacts: ArtifactRecord[] }>(),
  'artifacts:get': channel(z.object({ artifact_id: catalogId }).strict()).returns<ArtifactRecord & { files: number }>(),
  'artifacts:list': channel(z.object({ ref: versionRefSchema }).strict()).returns<ArtifactRecord[]>(),
  'validations:list': channel(z.object({
    ref: versionRefSchema, passed: z.boolean().optional(), validator: z.string().max(64).optional(),
    severity: z.enum(['ERROR', 'WARN', 'INFO']).optional(), format, prefix: folder, search, file_id: catalogId.optional(),
    // One finding by its id, as a finding's panel reads it again after another client validated again.
    validation_id: catalogId.optional(),
    sort: z.enum(['relpath', 'severity', 'validator', 'rule']).optional(), direction, offset, limit,
  }).strict()).returns<Page<ValidationRecord>>(),
  'validations:summary': channel(z.object({ ref: versionRefSchema }).strict()).returns<ValidationSummaryRow[]>(),
  'validations:rules': channel(z.object({ ref: versionRefSchema }).strict()).returns<ValidationRules>(),
  'latest:get': channel(z.object({ service }).strict()).returns<LatestPointer | null>(),
  'latest:list': channel(empty).returns<LatestPointer[]>(),
  'latest:set': channel(z.object({ ref: versionRefSchema, expected_latest: expectedLatest, expected_stamps: expectedStamps }).strict(), 'write').returns<SetLatestResult>(),
  'latest:history': channel(z.object({ service, offset, limit }).strict()).returns<Page<LatestChange>>(),
  /** `offset`/`limit` page `by_service` (default the 100 largest; `by_service_total` says how many in all). */
  'storage:usage': channel(z.object({ offset, limit }).strict()).returns<StorageUsage>(),
  'events:list': channel(z.object({
    type: z.string().max(64).optional(), level: z.enum(['info', 'warn', 'error']).optional(), search,
    since: z.string().max(40).optional(), offset, limit,
  }).strict()).returns<Page<CatalogEvent>>(),
} as const;
