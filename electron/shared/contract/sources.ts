/**
 * Source, run and review channels: the sources that fill the catalog by themselves
 * (artifacts, schedule, version rule, promotion policy), their runs with manifests and
 * health, and the review of the candidates they bring in.
 */
import { z } from 'zod';
import { channel, empty, expectedLatest, expectedStamps, limit, offset, service, versionRefSchema } from './schemas.js';
import type { Page } from '../models.js';

const url = z.string().max(4096).regex(/^https?:\/\//i, 'Expected an http(s) URL');
/** A source's id: what the curator names it by on the command line and in files. */
export const sourceIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'Expected a source id of lowercase letters, digits, ".", "_" or "-" (at most 64), starting with a letter or digit');
/** npm package names as the registry accepts them (scoped or not). */
const npmName = z.string().max(214).regex(/^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/, 'Expected an npm package name');
const artifactName = z.string().max(128).regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/, "Expected an artifact file name of letters, digits, '.', '_', '+' or '-'").optional();

/** The newest version of an npm package and its tarball, from the registry's package metadata. */
const npmResolver = z.object({
  type: z.literal('npm'),
  package: npmName,
  /** The registry (default https://registry.npmjs.org); tests point it at a local server. */
  registry: url.optional(),
}).strict();

/**
 * How a source finds one artifact: a plain URL (redirects followed, as OBO PURLs need),
 * an npm package, or a URL template over the version another resolver finds.
 */
export const artifactSpecSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('url'), url, name: artifactName }).strict(),
  npmResolver.extend({ name: artifactName }).strict(),
  z.object({
    type: z.literal('template'),
    /** `{version}` is replaced by the version the inner resolver finds. */
    template: z.string().max(4096).regex(/^https?:\/\/.*\{version\}/i, 'Expected an http(s) URL template containing {version}'),
    version: npmResolver,
    name: artifactName,
  }).strict(),
]);
export type ArtifactSpec = z.infer<typeof artifactSpecSchema>;

/** Where a new release's version name comes from; `auto` tries resolver, content, Last-Modified, retrieval date. */
export const VERSION_RULES = ['auto', 'resolver', 'content', 'last-modified', 'retrieval-date'] as const;
export type VersionRule = (typeof VERSION_RULES)[number];

/** A cron expression (5 or 6 fields, or @hourly/@daily/@weekly/@monthly/@yearly); parsed for real when saved. */
const cron = z.string().max(200).regex(/^(@(hourly|daily|weekly|monthly|yearly|annually)|(\S+\s+){4,5}\S+)$/, 'Expected a cron expression such as "0 3 * * *"');

/** Artifacts one source may have: one version holds them all. */
export const MAX_ARTIFACTS = 20;

/**
 * The file name an artifact gets under `archives/` when the spec names none and its URL is
 * known before resolving (npm tarballs are named by the registry): the URL's last segment.
 */
export function declaredArtifactName(spec: ArtifactSpec): string | null {
  if (spec.name) return spec.name;
  if (spec.type !== 'url') return null;
  try {
    const segment = decodeURIComponent(new URL(spec.url).pathname.split('/').filter(Boolean).pop() ?? '');
    return segment.replace(/[^A-Za-z0-9._+-]/g, '_').replace(/^[^A-Za-z0-9]+/, '').slice(0, 128) || 'download';
  } catch {
    return null;
  }
}

/**
 * An artifact file name as a case-insensitive disk compares it (macOS and Windows, which
 * also fold Unicode normalisation on macOS): two names of one key are one file there.
 */
export function artifactNameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/**
 * What a webhook URL shows of itself where the URL is withheld: its scheme and host
 * (`https://hooks.slack.com/…`). A Slack-style hook is a secret: whoever has the whole URL
 * can post to the channel, so only who may edit sources receives it.
 */
export function webhookOrigin(webhook: string): string {
  try {
    const parsed = new URL(webhook);
    return `${parsed.protocol}//${parsed.host}/…`;
  } catch {
    return '…';
  }
}

/** One source as a curator writes it (in a file or the Sources page). */
export const sourceSpecSchema = z.object({
  id: sourceIdSchema,
  service,
  /**
   * What one release is made of, in order (e.g. go.obo and go.owl, or an ontology and its
   * mappings): each checked with its own conditional GET, together one version.
   */
  artifacts: z.array(artifactSpecSchema).min(1).max(MAX_ARTIFACTS, `At most ${MAX_ARTIFACTS} artifacts per source`),
  schedule: cron.nullable().optional(),
  version_rule: z.enum(VERSION_RULES).optional(),
  /** manual (default): a curator approves each candidate; auto: promoted when it brings no NEW ERROR finding. */
  promotion: z.enum(['manual', 'auto']).optional(),
  enabled: z.boolean().optional(),
  /** Largest download accepted from this source, in bytes (default: the ingest limit). */
  max_bytes: z.number().int().min(1).max(2 ** 50).optional(),
  /** POSTed a JSON document for each new candidate and promotion. */
  webhook: url.optional(),
  note: z.string().max(2000).optional(),
}).strict().superRefine((spec, ctx) => {
  // Two artifacts of one version cannot share a URL (or package) or a file name under archives/.
  const keys = new Set<string>();
  // Names are compared as a case-insensitive disk does: GO.obo and go.obo are one file there.
  const names = new Map<string, string>();
  spec.artifacts.forEach((artifact, index) => {
    const key = artifact.type === 'url' ? artifact.url : artifact.type === 'npm' ? `npm:${artifact.package}` : artifact.template;
    if (keys.has(key)) ctx.addIssue({ code: 'custom', path: ['artifacts', index], message: `Artifact ${index + 1} repeats an earlier artifact (${key})` });
    keys.add(key);
    const name = declaredArtifactName(artifact);
    const earlier = name ? names.get(artifactNameKey(name)) : undefined;
    if (name && earlier === name) ctx.addIssue({ code: 'custom', path: ['artifacts', index], message: `Artifact ${index + 1} has the same file name as an earlier one (${name}); give it a name` });
    else if (name && earlier !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['artifacts', index], message: `Artifact ${index + 1} is named ${name} and an earlier one ${earlier}: one file on a case-insensitive disk (macOS, Windows), where one would overwrite the other; give one of them another name` });
    }
    if (name && earlier === undefined) names.set(artifactNameKey(name), name);
  });
});
export type SourceSpec = z.infer<typeof sourceSpecSchema>;

/** The version of the sources file format written (2: several artifacts per source). */
const SOURCE_FILE_V2 = 'ontocat.sources/2';
export const SOURCES_FILE_SCHEMA = SOURCE_FILE_V2;
/** Formats still read: 1 (one artifact per source) is a subset of 2. */
export const SOURCES_FILE_SCHEMAS = ['ontocat.sources/1', SOURCES_FILE_SCHEMA] as const;

/** The import/export file: a schema version and the sources, so the list can live in git. */
export const sourcesFileSchema = z.object({
  schema: z.enum(SOURCES_FILE_SCHEMAS),
  sources: z.array(sourceSpecSchema).max(10_000),
}).strict().superRefine((file, ctx) => {
  if (file.schema !== 'ontocat.sources/1') return;
  file.sources.forEach((source, index) => {
    if (source.artifacts.length > 1) ctx.addIssue({ code: 'custom', path: ['sources', index, 'artifacts'], message: `Schema 'ontocat.sources/1' has one artifact per source; write schema '${SOURCE_FILE_V2}' for several` });
  });
});
export type SourcesFile = z.infer<typeof sourcesFileSchema>;

/** How a source has been doing. */
export interface SourceHealth {
  readonly last_checked: string | null;
  readonly last_changed: string | null;
  readonly consecutive_failures: number;
  /** Typical days between releases, from the service's release dates (null with fewer than three). */
  readonly cadence_days: number | null;
  /** When the next release is expected (last release + cadence). */
  readonly next_release_due: string | null;
  /** A release is later than usual (past 1.5 × cadence since the last one). */
  readonly overdue: boolean;
}

export type RunStatus = 'running' | 'changed' | 'unchanged' | 'failed' | 'cancelled' | 'interrupted';
export type RunTrigger = 'manual' | 'schedule' | 'cli';

/** What one run did, in brief (lists). */
export interface RunSummary {
  readonly run_id: string;
  readonly source_id: string;
  readonly trigger: RunTrigger;
  readonly started_at: string;
  readonly finished_at: string | null;
  readonly status: RunStatus;
  readonly version: string | null;
  readonly duration_ms: number | null;
  readonly error_code: string | null;
  readonly error_message: string | null;
}

/** One artifact's inputs in a run manifest. */
export interface ManifestInput {
  readonly artifact_key: string;
  readonly requested_url: string;
  readonly final_url: string | null;
  readonly resolver: Readonly<Record<string, unknown>>;
  readonly sent: { readonly etag: string | null; readonly last_modified: string | null };
  readonly received: { readonly http: 200 | 304 | null; readonly etag: string | null; readonly last_modified: string | null; readonly attempts: number };
}

/** What a run brought: the version (or why none), artifacts and files, validation. */
export interface ManifestOutput {
  readonly outcome: 'created' | 'completed' | 'unchanged' | 'none';
  /** Why unchanged: 304, same content as a release already recorded, or the resolver's version is known. */
  readonly reason: string | null;
  readonly service: string;
  readonly version: string | null;
  /**
   * The rule that named the version and its evidence; `artifact` is the artifact that said
   * (the first in order that did), `file` the file inside an archive the content came from.
   */
  readonly version_rule: {
    readonly rule: Exclude<VersionRule, 'auto'>; readonly evidence: string; readonly artifact?: string; readonly file?: string;
  } | null;
  /** Every artifact of the release, in the source's order; `http` is how this run got it (null: reused from the store). */
  readonly artifacts: readonly { readonly name: string; readonly sha256: string; readonly size_bytes: number; readonly http?: 200 | 304 | null }[];
  readonly files: number | null;
  readonly bytes: number | null;
  /**
   * The release's validation health: `errors` counts ERROR findings of every rule but syntax,
   * as ValidationHealth does; a file that does not parse is in `files_unparsable`.
   */
  readonly validation: {
    readonly files_checked: number; readonly files_unparsable: number; readonly files_with_errors: number; readonly errors: number; readonly warnings: number;
  } | null;
  readonly promotion: { readonly promoted: boolean; readonly reason: string } | null;
}

export interface RunManifest {
  readonly inputs: readonly ManifestInput[];
  readonly output: ManifestOutput | null;
}

/** One run with its manifest. */
export interface RunRecord extends RunSummary {
  readonly idempotency_key: string | null;
  readonly manifest: RunManifest;
}

/** A source in the list: its spec, last run, next scheduled run and health. */
export interface SourceSummary {
  readonly id: string;
  readonly service: string;
  readonly enabled: boolean;
  readonly spec: SourceSpec;
  readonly last_run: RunSummary | null;
  readonly next_run: string | null;
  readonly health: SourceHealth;
  readonly pending_candidates: number;
  /**
   * Whether the source has a webhook, and its scheme and host (webhookOrigin). The URL
   * itself is in `spec.webhook` only for who may edit sources: a team server's viewer gets
   * the spec without it.
   */
  readonly webhook_set: boolean;
  readonly webhook_origin: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

/** What `sync` did over its sources. */
export interface SyncResult {
  readonly runs: readonly RunRecord[];
  readonly changed: number;
  readonly unchanged: number;
  readonly failed: number;
  readonly duration_ms: number;
}

export interface SourcesImportResult {
  readonly added: readonly string[];
  readonly updated: readonly string[];
  readonly unchanged: readonly string[];
}

/** What setting a candidate latest would do, against the current latest. */
export interface CandidateImpact {
  readonly files_from: number;
  readonly files_to: number;
  readonly bytes_from: number;
  readonly bytes_to: number;
  readonly files_added: number;
  readonly files_removed: number;
  readonly files_modified: number;
  readonly new_errors: number;
  readonly fixed_errors: number;
  /**
   * The whole-version term delta (from the term index; changed files it lacks compared one
   * by one), or null when it could not be computed (`terms_error` says why; a decided
   * candidate's terms are not computed).
   */
  readonly terms: {
    readonly added: number; readonly removed: number; readonly relabelled: number; readonly deprecated: number;
    readonly redefined: number; readonly reparented: number; readonly retyped: number; readonly undeprecated: number; readonly replaced: number;
    /** Changed ontology files compared one by one because the index lacks them. */
    readonly by_file: number;
    /** Changed ontology files that could not be compared, with why. */
    readonly not_compared: readonly { readonly relpath: string; readonly reason: string }[];
  } | null;
  readonly terms_error?: string | null;
}

/** A version a run brought in, awaiting review (or decided). */
export interface Candidate {
  readonly service: string;
  readonly version: string;
  readonly source_id: string;
  readonly run_id: string;
  readonly state: 'pending' | 'approved' | 'rejected';
  readonly created_at: string;
  readonly decided_at: string | null;
  readonly decided_by: string | null;
  readonly reason: string | null;
  readonly release_date: string | null;
  readonly latest: string | null;
  /** Null when the service has no latest yet (nothing to compare with). */
  readonly impact: CandidateImpact | null;
}

export interface ReviewDecision {
  readonly service: string;
  readonly version: string;
  readonly state: 'approved' | 'rejected';
  readonly previous_latest: string | null;
}

export interface Notification {
  readonly delivery_key: string;
  readonly event_type: string;
  /** The webhook URL; only its scheme and host (webhookOrigin) for who may not edit sources. */
  readonly target: string;
  readonly status: 'pending' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly last_status: number | null;
  readonly last_error: string | null;
  readonly created_at: string;
  readonly delivered_at: string | null;
}

const sourceId = sourceIdSchema;
const candidateState = z.enum(['pending', 'approved', 'rejected']).optional();

export const sourcesContract = {
  'sources:list': channel(empty).returns<SourceSummary[]>(),
  'sources:get': channel(z.object({ id: sourceId }).strict()).returns<SourceSummary>(),
  /** Adds a source, or replaces the one with the same id. */
  // create: only a new source (the Sources page's Add), never a replacement of one of the same id;
  // expected_updated_at: the source as an edit form opened it, refused if it changed since.
  // keep_webhook: the source keeps the webhook it has (the spec has none: a form that never
  // held the secret URL saves the other fields without wiping it).
  'sources:save': channel(z.object({
    spec: sourceSpecSchema, create: z.boolean().optional(), expected_updated_at: z.string().max(64).optional(), keep_webhook: z.boolean().optional(),
  }).strict(), 'write').returns<SourceSummary>(),
  'sources:set-enabled': channel(z.object({ id: sourceId, enabled: z.boolean() }).strict(), 'write').returns<SourceSummary>(),
  'sources:remove': channel(z.object({ id: sourceId }).strict(), 'write').returns<{ readonly id: string }>(),
  /** A sources file (JSON or YAML text) added or updated by id; nothing changes when any entry is invalid. */
  'sources:import': channel(z.object({ document: z.string().max(20_000_000) }).strict(), 'write').returns<SourcesImportResult>(),
  /** `webhooks_withheld`: sources whose webhook was left out (the caller may not edit sources). */
  'sources:export': channel(z.object({ format: z.enum(['json', 'yaml']).optional() }).strict())
    .returns<{ readonly document: string; readonly count: number; readonly webhooks_withheld: number }>(),
  'sources:runs': channel(z.object({ id: sourceId.optional(), offset, limit }).strict()).returns<Page<RunRecord>>(),
  /** Checks the sources now (all enabled ones when `ids` is absent), as a job with progress. */
  'sources:sync': channel(z.object({ ids: z.array(sourceId).max(10_000).optional(), trigger: z.enum(['manual', 'cli']).optional() }).strict(), 'write').returns<SyncResult>(),
  'sources:notifications': channel(z.object({ offset, limit }).strict()).returns<Page<Notification>>(),
  /** One page of candidates (default the first 100), by service, newest release first; `total` says how many in all. */
  'review:list': channel(z.object({ state: z.enum(['pending', 'approved', 'rejected', 'all']).optional(), service: service.optional(), offset, limit }).strict())
    .returns<Page<Candidate>>(),
  /** Approve = the set-latest boundary on the candidate. */
  // expected_state: the candidate's state the reviewer saw (the Review page offers pending ones);
  // refused when another reviewer decided it since, so neither decision silently replaces the other.
  'review:approve': channel(z.object({ ref: versionRefSchema, expected_latest: expectedLatest, expected_stamps: expectedStamps, expected_state: candidateState }).strict(), 'write').returns<ReviewDecision>(),
  /** Reject = marked rejected (prune can then remove it). */
  'review:reject': channel(z.object({ ref: versionRefSchema, reason: z.string().max(2000).optional(), expected_state: candidateState }).strict(), 'write').returns<ReviewDecision>(),
} as const;
