/**
 * Plain, immutable data models shared by every layer and front door.
 *
 * Field names are snake_case on purpose: they are what the CLI prints with `--json`, what
 * the HTTP host returns and what the renderer reads, and they must stay stable.
 */
import type { ReleaseDateSource } from './release-order.js';
import type { TermDeltaKind } from './term-names.js';

/** One page of a longer list, paged in DuckDB. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
}

export type SortDirection = 'asc' | 'desc';

export interface VersionSummary {
  readonly version_id: string;
  readonly service: string;
  readonly version: string;
  readonly created_at: string;
  readonly pinned: boolean;
  readonly note: string | null;
  readonly is_latest: boolean;
  readonly files: number;
  readonly bytes: number;
  readonly health: ValidationHealth;
  /** When it was released and how that is known (shared/release-order.ts). */
  readonly release_date: string | null;
  readonly release_date_source: ReleaseDateSource | null;
  /** Place in its service's release order, 1 = oldest (migrations/0007_release_order.sql). */
  readonly release_rank: number;
}

/**
 * Validation health of a set of files: the one definition every page, command and report shows.
 *
 * A file is checked when it has a syntax result and parses when that result passed;
 * findings are every other failed result, by severity. A file has errors when it does not
 * parse or has an ERROR finding. A WARN or INFO is never a failure, and a parse rate is
 * `files_parsed / files_checked` (see `shared/validation-health.ts`).
 */
export interface ValidationHealth {
  readonly files: number;
  readonly files_checked: number;
  readonly files_parsed: number;
  readonly files_unparsable: number;
  /** No syntax result: a format without a validator, or not validated yet. */
  readonly files_unchecked: number;
  readonly files_with_errors: number;
  readonly files_with_warnings: number;
  /**
   * ERROR findings of every rule but syntax: a file that does not parse is in
   * `files_unparsable` instead. Every ERROR, as the app and the CLI's tables count them, is
   * `errorCount` (shared/validation-health.ts); a decision on errors must use that.
   */
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
}


export type ArtifactStatus = 'fresh' | 'cached' | 'failed';

export interface ArtifactRecord {
  readonly artifact_id: string;
  readonly version_id: string;
  readonly service: string;
  readonly version: string;
  readonly name: string;
  readonly source_url: string | null;
  readonly etag: string | null;
  readonly last_modified: string | null;
  readonly content_type: string | null;
  readonly size_bytes: number;
  readonly sha256: string | null;
  readonly fs_relpath: string | null;
  readonly status: ArtifactStatus;
  readonly fetched_at: string;
}

export interface FileRecord {
  readonly file_id: string;
  readonly artifact_id: string | null;
  readonly version_id: string;
  readonly service: string;
  readonly version: string;
  readonly relpath: string;
  readonly format: string;
  /** What the content looks like, where sniffing was conclusive; differs from `format` when the content disagrees with the extension. */
  readonly sniffed_format: string | null;
  readonly size_bytes: number;
  readonly sha256: string;
  readonly mtime: string | null;
  readonly cas_relpath: string | null;
  /** Set by `files:get` when doctor marked the file damaged: `missing_file` (no copy left) or the kind whose bytes were quarantined. */
  readonly damage?: { readonly kind: string; readonly plan_id: string | null; readonly detected_at: string } | null;
  /** Set by `files:get`: the file is not on disk where the catalog says (checked now; null when it is). */
  readonly disk?: DiskState | null;
}

/**
 * A catalogued path the disk disagrees with, found by an lstat when a page is shown
 * (before any doctor run recorded it): nothing there (`missing`; `in_store` says whether
 * the content store still holds the bytes, null for a folder), something other than a
 * file or folder there (`not_a_file`), or a link or mount point on the way (`unsafe`).
 */
export interface DiskState {
  readonly state: 'missing' | 'not_a_file' | 'unsafe';
  readonly in_store: boolean | null;
}

/** One entry of a single directory level, with aggregates for folders (lazy trees). */
export interface DirEntry {
  readonly kind: 'dir' | 'file';
  readonly name: string;
  readonly relpath: string;
  readonly files: number;
  readonly bytes: number;
  readonly format: string | null;
  readonly sha256: string | null;
  readonly file_id: string | null;
  /** Failed ERROR results below this entry, a file that does not parse included. */
  readonly errors: number;
  /** WARN findings below this entry. */
  readonly warnings: number;
  /** A file doctor marked damaged: its file_damage kind (`missing_file`, or what was quarantined). */
  readonly damage?: string | null;
  /** Damaged files below this entry (missing or quarantined). */
  readonly damaged?: number;
  /** Set by `files:dir` for the rows of the page: the file or folder is not on disk as catalogued (null when it is). */
  readonly disk?: DiskState | null;
}

export interface FormatCount {
  readonly format: string;
  readonly files: number;
  readonly bytes: number;
}

export interface VersionStats {
  readonly service: string;
  readonly version: string;
  readonly version_id: string;
  readonly is_latest: boolean;
  readonly release_date: string | null;
  readonly release_date_source: ReleaseDateSource | null;
  /** Place in its service's release order, 1 = oldest. */
  readonly release_rank: number;
  readonly files: number;
  readonly bytes: number;
  readonly by_format: readonly FormatCount[];
  readonly health: ValidationHealth;
  readonly largest_files: readonly FileRecord[];
  /** Asked for with `stamp`: what a set-latest preview shows of it (release date, files, findings), for Confirm to send back. */
  readonly stamp?: string;
  /**
   * Asked for with `order_against` (another version of the service, `S/V`): whether this one
   * comes before it in release order, read in one statement: a rank is a place among all the
   * service's versions, so two answers' ranks mix two states when a third version is pruned or
   * re-dated between the reads (false when that one is not in the catalog).
   */
  readonly order_against?: { readonly ref: string; readonly older: boolean };
}

export type Severity = 'ERROR' | 'WARN' | 'INFO';

export interface ValidationRecord {
  readonly validation_id: string;
  readonly file_id: string;
  readonly version_id: string;
  readonly relpath: string;
  readonly format: string;
  readonly validator: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly passed: boolean;
  readonly message: string | null;
  readonly line: number | null;
  readonly col: number | null;
  readonly subject: string | null;
  readonly details: Readonly<Record<string, unknown>> | null;
  readonly run_at: string;
}

/**
 * Which validator rules a version's findings come from: the oldest and newest
 * `validator_version` its files were validated with (null when none was), and this
 * Ontocat's. Findings from older rules stay as they were recorded until the version is
 * validated again.
 */
export interface ValidationRules {
  readonly oldest: number | null;
  readonly newest: number | null;
  readonly current: number;
}

export interface ValidationSummaryRow {
  readonly validator: string;
  readonly format: string;
  readonly severity: Severity;
  readonly passed: number;
  readonly failed: number;
}

/** One move of a service's latest pointer, from the audit log. */
export interface LatestChange {
  readonly event_id: string;
  readonly ts: string;
  readonly service: string;
  readonly version: string;
  /** The version it replaced; null when the service had no latest before. */
  readonly previous: string | null;
  readonly by: string;
}

export interface LatestPointer {
  readonly slot: string;
  readonly version_id: string;
  readonly service: string;
  readonly version: string;
  readonly updated_at: string;
  readonly by: string;
}

export type EventLevel = 'info' | 'warn' | 'error';

export interface CatalogEvent {
  readonly event_id: string;
  readonly ts: string;
  readonly type: string;
  readonly level: EventLevel;
  readonly run_id: string | null;
  /** Who caused it: a team-server user name, else the front door (`desktop`, `web`, `cli`); null before 0011. */
  readonly actor: string | null;
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface UsageRow {
  readonly key: string;
  readonly files: number;
  readonly bytes: number;
}

export interface StorageUsage {
  /** Versions in the catalog, those without data files (a fetched download, an empty release) included. */
  readonly versions: number;
  readonly total_files: number;
  readonly total_bytes: number;
  readonly unique_bytes: number;
  /** Downloads kept as they came (`S/V/archives/NAME`, by fetch, URL ingests and sync): not data files, but disk. */
  readonly downloads: { readonly files: number; readonly bytes: number };
  /** A page of the services with data files, largest first (the 100 largest unless asked otherwise). */
  readonly by_service: readonly UsageRow[];
  /** Services with data files in all: by_service is a page of these. */
  readonly by_service_total: number;
  readonly by_version: readonly UsageRow[];
  readonly by_format: readonly UsageRow[];
}

export interface MigrationInfo {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
  readonly applied_at: string | null;
}

/** The kinds of change a term delta names, of one file pair or of two whole versions. */
export type TermChangeKind = TermDeltaKind;

/** One term-level change between two versions of an ontology file. */
export interface TermChange {
  readonly term: string;
  readonly term_kind: string;
  readonly change: TermChangeKind;
  /** The label the older file shows the term by (null when it lacks the term). */
  readonly old_label: string | null;
  /** The label the newer file shows the term by (null when it lacks the term). */
  readonly new_label: string | null;
  /**
   * What changed, as the whole-version delta says it: the labels (relabelled) or
   * definitions (redefined) one side alone has, the parents (re-parented) or the kind
   * (changed kind) of each side, the replacement (deprecated, `after` only).
   */
  readonly before: string | null;
  readonly after: string | null;
}

/** Term delta counts, one per kind of change. */
export interface TermDeltaSummary {
  readonly added: number;
  readonly removed: number;
  readonly relabelled: number;
  readonly redefined: number;
  readonly reparented: number;
  /** Terms whose kind changed (a class that became an individual, a property of another type). */
  readonly retyped: number;
  readonly deprecated: number;
  /** Terms deprecated in the older version and live again in the newer. */
  readonly undeprecated: number;
  /** Deprecated terms whose replacement changed (replaced_by, each side's ids). */
  readonly replaced: number;
}

/**
 * A changed ontology file the term index lacks, compared file by file instead (its
 * summary), or named with why it could not be compared (its error).
 */
export interface TermImpactFile {
  readonly relpath: string;
  readonly old_relpath: string;
  /** Why this file is not counted from the index, in plain words. */
  readonly reason: string;
  readonly summary: TermDeltaSummary | null;
  readonly error: string | null;
}

/** Term delta counts over every kind the term index knows (a file pair's delta names the same). */
export type TermIndexSummary = TermDeltaSummary;

/**
 * What setting B as latest in place of A does to the terms: the whole-version term delta
 * from the term index over all files of both versions, plus a file-by-file comparison of
 * each changed ontology file the index does not hold (named, with the reason).
 */
export interface TermImpact {
  readonly from: string;
  readonly to: string;
  /** `index`: every ontology file's terms came from the index; `mixed`: some files were compared one by one. */
  readonly source: 'index' | 'mixed';
  /** The index's delta over the indexed files of both versions (less those compared file by file). */
  readonly index: {
    readonly summary: TermIndexSummary;
    readonly old_terms: number;
    readonly new_terms: number;
    readonly files_from: number;
    readonly files_to: number;
  };
  /** Changed ontology files the index lacks: none is left out. */
  readonly files: readonly TermImpactFile[];
  /** Of `files`: compared one by one, and not comparable. */
  readonly compared: number;
  readonly failed: number;
  /** Unchanged ontology files the index lacks (identical content in both: no term change). */
  readonly unchanged_unindexed: number;
  /** Index counts plus the file-by-file ones. */
  readonly totals: TermIndexSummary;
}

export interface TermDelta {
  readonly old_relpath: string;
  readonly new_relpath: string;
  readonly old_terms: number;
  readonly new_terms: number;
  readonly summary: TermDeltaSummary;
  readonly changes: Page<TermChange>;
  /** True when the result came from the catalog's cache rather than a fresh parse. */
  readonly cached: boolean;
}
