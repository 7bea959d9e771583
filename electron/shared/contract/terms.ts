/**
 * Term index channels: search terms across versions, one term's history over its
 * service's releases, the whole-version term delta, obsolescence lineage, and the
 * backfill job for versions validated before the index existed.
 */
import { z } from 'zod';
import type { Page } from '../models.js';
import { TERM_DELTA_KINDS, TERM_MATCHES, type TermDeltaKind, type TermMatch } from '../term-names.js';
import { channel, limit, offset, service, versionRefSchema } from './schemas.js';

export { TERM_DELTA_KINDS, TERM_MATCHES, type TermDeltaKind, type TermMatch };

/** One search hit: a term (by identity) and the versions it exists in, in release order. */
export interface TermSearchHit {
  /** CURIE where a prefix is known, else the id: what `terms history` takes. */
  readonly ident: string;
  /** The ids it is written as (an OBO id and an OWL IRI can be one term). */
  readonly ids: readonly string[];
  readonly curie: string | null;
  readonly service: string;
  /** Its label in the newest version that has it. */
  readonly label: string | null;
  readonly kind: string;
  /** What matched: id, curie or label. */
  readonly matched_on: 'id' | 'curie' | 'label';
  /**
   * The label that matched, when it is not the one shown: a label in another language, or
   * one the term had in an earlier release (a search finds a term by any label it was ever
   * indexed with). With `latest_only`, one the service's latest release gives it (the shown
   * label is its newest release's, which can be newer than the latest). Absent otherwise,
   * and in exports.
   */
  readonly matched_label?: string;
  readonly versions: readonly string[];
  readonly version_count: number;
  readonly first_version: string;
  readonly last_version: string;
  readonly in_latest: boolean;
  readonly deprecated_in_last: boolean;
}

export interface TermSearchResult extends Page<TermSearchHit> {
  /**
   * What was searched: the query as typed, or the IRI a CURIE of a commonly shared
   * prefix stands for (`dbo:Person`) when the query as typed matched nothing.
   */
  readonly query: string;
  readonly match: TermMatch;
}

/** A change of one term between two consecutive indexed releases. */
export type TermEventKind = 'FIRST_SEEN' | 'RELABELLED' | 'REDEFINED' | 'REPARENTED' | 'RETYPED' | 'DEPRECATED' | 'UNDEPRECATED' | 'REPLACED' | 'REMOVED' | 'READDED';

export interface TermEvent {
  readonly kind: TermEventKind;
  /**
   * The release before (null for a FIRST_SEEN in the service's first release: a term first
   * seen later links to the delta that added it) and the release where the change shows.
   * `before` / `after`: the values that changed; for RELABELLED, the labels only the
   * release before has and those only this release has.
   */
  readonly from_version: string | null;
  readonly to_version: string;
  readonly before: string | null;
  readonly after: string | null;
}

/** The term in one release of its service (present = false when the release lacks it). */
export interface TermVersionState {
  readonly version: string;
  readonly release_rank: number;
  readonly release_date: string | null;
  readonly is_latest: boolean;
  readonly present: boolean;
  readonly label: string | null;
  readonly labels: readonly string[];
  readonly synonyms: readonly string[];
  /** The definition the term is shown by (English first, as for labels). */
  readonly definition: string | null;
  /** Every definition, the shown one first (a multilingual vocabulary has one per language). */
  readonly definitions: readonly string[];
  readonly deprecated: boolean;
  readonly parents: readonly string[];
  readonly replaced_by: readonly string[];
  readonly consider: readonly string[];
  /** Files of the release that hold it. */
  readonly files: readonly string[];
  /** Its kind in the release (class, property, individual …); null where it is not present. */
  readonly kind: string | null;
}

export interface TermTimeline {
  readonly service: string;
  readonly versions: readonly TermVersionState[];
  readonly events: readonly TermEvent[];
}

export interface TermHistory {
  readonly query: string;
  /** The identities found for the query (usually one). */
  readonly idents: readonly string[];
  /**
   * Other names files give the term (an OBO relation's id as written, `part_of` for
   * BFO:0000050; an oboInOwl:shorthand), sorted: what a search also finds it by.
   */
  readonly aliases: readonly string[];
  readonly timelines: readonly TermTimeline[];
}


export interface VersionTermChange {
  readonly change: TermDeltaKind;
  readonly ident: string;
  readonly kind: string;
  /** The label the term is shown by (English first), in the newer version that has it. */
  readonly label: string | null;
  /** Every label of the term in each version (sorted, ' | ' between). */
  readonly old_label: string | null;
  readonly new_label: string | null;
  /**
   * What changed: the definitions (redefined), the parents (re-parented), the replacement
   * (deprecated, `after` only), or the labels only one side has (relabelled).
   */
  readonly before: string | null;
  readonly after: string | null;
}

export interface VersionTermDelta {
  readonly from: string;
  readonly to: string;
  readonly old_terms: number;
  readonly new_terms: number;
  /** False when either version has ontology files not in the index (backfill them). */
  readonly complete: boolean;
  /**
   * Files of either version whose content was indexed under older rules, which missed
   * some definitions (OLDER_RULES_MISS in term-names.ts): such a term may read as redefined until a backfill
   * re-reads them.
   */
  readonly outdated_files: number;
  readonly summary: Readonly<Record<Lowercase<TermDeltaKind>, number>>;
  readonly changes: Page<VersionTermChange>;
}

/** One step of a replaced_by / consider chain. */
export interface LineageStep {
  readonly ident: string;
  readonly label: string | null;
  readonly deprecated: boolean;
  /**
   * The service's newest indexed release no longer has the term: its state is its last
   * (`version`), and it is no live term even when not deprecated there.
   */
  readonly removed: boolean;
  readonly via: 'start' | 'replaced_by' | 'consider';
  readonly depth: number;
  /** The release the step's state is read from (the newest that has the term). */
  readonly version: string | null;
}

export interface TermLineage {
  readonly start: string;
  readonly service: string;
  readonly steps: readonly LineageStep[];
  /** Live terms the chains end in: in the service's newest indexed release, not deprecated. */
  readonly live: readonly string[];
  /** True when a chain came back to a term already on it; it was cut there. */
  readonly cycle: boolean;
}

export interface TermIndexStatus {
  readonly contents: number;
  readonly term_rows: number;
  readonly distinct_terms: number;
  /**
   * Versions whose every ontology file is indexed or known not to parse / versions with at
   * least one the index still has to read.
   */
  readonly versions_indexed: number;
  readonly versions_pending: number;
  /** Distinct ontology file contents not indexed yet (what a backfill parses). */
  readonly contents_pending: number;
  /**
   * Distinct ontology file contents that did not parse with the current parsers, so the
   * index cannot hold them (`terms:unparsable` lists them); a backfill leaves them be.
   */
  readonly contents_unparsable: number;
  /**
   * Contents indexed under older recording rules (which missed some definitions): they answer,
   * but a backfill (or validating a version that holds them) re-reads them.
   */
  readonly contents_outdated: number;
}

/** A content the index cannot hold: it did not parse with the current parsers. */
export interface UnparsableTermContent {
  readonly sha256: string;
  readonly format: string;
  /** The parse's problem, or the remote context it would have had to load. */
  readonly message: string;
  /** When it was read (UTC, as DuckDB prints a timestamp). */
  readonly read_at: string;
  /** The first file holding it, by service, version and path. */
  readonly service: string;
  readonly version: string;
  readonly relpath: string;
  /** Files of the catalog holding it. */
  readonly files: number;
}

/** A content a backfill could not index, with one file that holds it. */
export interface BackfillFailure {
  readonly relpath: string;
  readonly service: string;
  readonly version: string;
  readonly message: string;
  /** `unparsable`: kept as such until the parsers change; `unreadable`: read again by the next backfill. */
  readonly reason: 'unparsable' | 'unreadable';
}

/** How many failures a backfill's result names; the rest are counted (and `terms:unparsable` pages through those that did not parse). */
export const BACKFILL_FAILURES_NAMED = 50;

export interface TermBackfillResult {
  readonly contents: number;
  readonly indexed: number;
  /** Contents that did not parse: the index cannot hold them, and later backfills leave them be. */
  readonly unparsable: number;
  /** Contents none of whose files could be read (missing from disk?): the next backfill tries again. */
  readonly unreadable: number;
  /** The first BACKFILL_FAILURES_NAMED of both kinds, in the order they came back. */
  readonly failed: readonly BackfillFailure[];
  readonly duration_ms: number;
}

const termMatch = z.enum(TERM_MATCHES).optional();

export const termSearchInputSchema = z.object({
  query: z.string().min(1).max(500),
  match: termMatch,
  service: service.optional(),
  latest_only: z.boolean().optional(),
  offset,
  limit,
}).strict();

export const termHistoryInputSchema = z.object({ term: z.string().min(1).max(2000), service: service.optional() }).strict();

export const versionTermDeltaInputSchema = z.object({
  a: versionRefSchema,
  b: versionRefSchema,
  change: z.enum(TERM_DELTA_KINDS).optional(),
  search: z.string().max(500).optional(),
  offset,
  limit,
}).strict();

/** Without a service, the one service that holds the term (several are refused by name). */
export const termLineageInputSchema = z.object({ term: z.string().min(1).max(2000), service: service.optional() }).strict();

export const termBackfillInputSchema = z.object({ service: service.optional() }).strict();

export const unparsableTermContentsInputSchema = z.object({ service: service.optional(), offset, limit }).strict();

export const termsContract = {
  'terms:search': channel(termSearchInputSchema).returns<TermSearchResult>(),
  'terms:history': channel(termHistoryInputSchema).returns<TermHistory>(),
  'terms:version-delta': channel(versionTermDeltaInputSchema).returns<VersionTermDelta>(),
  'terms:lineage': channel(termLineageInputSchema).returns<TermLineage>(),
  'terms:status': channel(z.object({}).strict()).returns<TermIndexStatus>(),
  'terms:backfill': channel(termBackfillInputSchema, 'write').returns<TermBackfillResult>(),
  'terms:unparsable': channel(unparsableTermContentsInputSchema).returns<Page<UnparsableTermContent>>(),
} as const;
