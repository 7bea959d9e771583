/**
 * Ingest and storage channels: ingest a folder, archive or URL, fetch one artifact,
 * verify stored bytes, find content, report deduplication, backfill from a manifest and
 * build the demo catalog.
 */
import { z } from 'zod';
import type { ValidationHealth } from '../models.js';
import type { ArtifactRecord, FileRecord } from '../models.js';
import { channel, empty, nameSchema, service, versionRefSchema } from './schemas.js';

const versionName = nameSchema('version');
const sha256 = z.string().regex(/^[0-9a-fA-F]{64}$/, 'Expected a SHA-256 of 64 hex digits');
const url = z.string().max(4096).regex(/^https?:\/\//i, 'Expected an http(s) URL');

/** What one ingest did. */
export interface IngestSummary {
  readonly service: string;
  readonly version: string;
  readonly status: 'ingested' | 'unchanged';
  readonly files: number;
  readonly bytes: number;
  /** Bytes whose content was already in the content store (not stored again). */
  readonly bytes_deduplicated: number;
  readonly artifacts: number;
  /** Archive or folder entries skipped (directories excluded): links to nothing or to folders, unknown entry types. */
  readonly skipped: number;
  /**
   * Empty folders of the source (as `find -type d -empty` counts them): a version records
   * files only, so none is kept. Null when an archive holds too many folders to count.
   */
  readonly empty_folders: number | null;
  readonly set_latest: boolean;
  readonly duration_ms: number;
  /**
   * Set when the source held exactly the version's recorded content: how many of its files
   * were not on disk as recorded (deleted, cut short, edited) and were put back from it.
   */
  readonly restored_on_disk?: number;
}

/** An ingest followed by the validate boundary: what the CLI and the UI report. */
export interface IngestResult extends IngestSummary {
  /** The version's validation health once validated (see ValidationHealth). */
  readonly validation: ValidationHealth;
}

/** What one download did. */
export interface FetchSummary {
  readonly service: string;
  readonly version: string;
  readonly artifact_id: string;
  readonly name: string;
  readonly source_url: string;
  readonly status: 'fresh' | 'cached';
  readonly size_bytes: number;
  readonly sha256: string;
  readonly fs_relpath: string;
  readonly attempts: number;
}

export interface VerifyMismatch {
  readonly service: string;
  readonly version: string;
  /** Below the version's `data/` folder for a file; `archives/NAME` for a downloaded archive. */
  readonly relpath: string;
  readonly kind: 'file' | 'archive';
  readonly problem: 'missing' | 'size' | 'sha256';
  readonly expected_sha256: string;
  readonly actual_sha256: string | null;
  readonly expected_size: number;
  readonly actual_size: number | null;
}

export interface VerifyResult {
  readonly checked: number;
  /** Bytes read from disk (a missing file reads none, a cut one its size on disk). */
  readonly bytes: number;
  /** Bytes the catalog records for the files checked: their size as stored. */
  readonly recorded_bytes: number;
  readonly ok: number;
  readonly mismatches: readonly VerifyMismatch[];
}

export interface SharedContent {
  readonly sha256: string;
  readonly size_bytes: number;
  readonly copies: number;
  readonly bytes_saved: number;
  readonly example_relpath: string;
}

export interface DedupReport {
  readonly files: number;
  readonly logical_bytes: number;
  readonly unique_files: number;
  readonly unique_bytes: number;
  readonly bytes_saved: number;
  readonly ratio: number;
  readonly by_service: readonly { readonly service: string; readonly files: number; readonly logical_bytes: number; readonly unique_bytes: number }[];
  readonly top_shared: readonly SharedContent[];
}

export interface ManifestLineError {
  readonly line: number;
  readonly message: string;
}

export interface ManifestImportResult {
  readonly lines: number;
  readonly imported: number;
  readonly failed: number;
  readonly versions: readonly string[];
  readonly errors: readonly ManifestLineError[];
}

export interface WhereResult {
  readonly sha256: string;
  readonly cas_relpath: string;
  readonly in_store: boolean;
  readonly files: readonly FileRecord[];
  /** `kept`: the download is on disk at `fs_relpath` (S/V/archives/NAME), as fetched. */
  readonly artifacts: readonly (ArtifactRecord & { readonly kept: boolean })[];
}

export interface DemoResult {
  readonly service: string;
  readonly versions: readonly IngestResult[];
  readonly latest: string;
}

export const ingestContract = {
  'ingest:run': channel(z.object({
    source: z.string().min(1).max(4096), service, version: versionName, set_latest: z.boolean().optional(),
    /** Most files the source may hold (default 1,000,000, or `ONTOCAT_MAX_FILES` where the owner runs). */
    max_files: z.number().int().min(1).max(1_000_000_000).optional(),
    /** Most bytes the source may unpack to (default 20 GB, or `ONTOCAT_MAX_BYTES` where the owner runs). */
    max_bytes: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
    /** Largest unpacked-to-packed ratio of an archive (default 200, or `ONTOCAT_MAX_RATIO` where the owner runs). */
    max_ratio: z.number().min(1).max(1_000_000_000).optional(),
    /** Replace a version already recorded with different content (refused otherwise). */
    replace: z.boolean().optional(),
  }).strict(), 'write').returns<IngestResult>(),
  'ingest:fetch': channel(z.object({
    url, service, version: versionName,
    /** Replace an artifact the version already records with different content (refused otherwise). */
    replace: z.boolean().optional(),
  }).strict(), 'write').returns<FetchSummary>(),
  'ingest:import-manifest': channel(z.object({ path: z.string().min(1).max(4096) }).strict(), 'write').returns<ManifestImportResult>(),
  'ingest:demo': channel(empty, 'write').returns<DemoResult>(),
  'storage:verify': channel(z.object({ ref: versionRefSchema.optional() }).strict()).returns<VerifyResult>(),
  'storage:where': channel(z.object({ sha256 }).strict()).returns<WhereResult>(),
  'storage:dedup-report': channel(z.object({ top: z.number().int().min(1).max(100).optional() }).strict()).returns<DedupReport>(),
} as const;
