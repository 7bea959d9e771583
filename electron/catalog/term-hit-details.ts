/**
 * Search hits from their keys' versions and newest term rows, grouped in JavaScript.
 *
 * A page of hits rests on a few hundred to a few thousand (key, version) pairs. Which
 * versions hold a key comes from its content set (term_key_presence), no term row read;
 * a hit's label, kind and deprecation are those of its newest release, so only the term
 * rows of that release are read (and every release's, for the rare hit whose newest
 * release has no label). Grouping the pairs in DuckDB (lists, arg_max) cost 10–30 ms per
 * query whatever the row count, and reading every release's labels through the index
 * about 8 µs a row; so the catalog layer reads plain rows and groups them here, with
 * DuckDB's semantics: text compares by code point (its binary collation), min and
 * arg_max skip NULLs.
 */
import type { TermSearchHit } from '../shared/contract/terms.js';

/** One matched key in one version holding one of its contents. */
export interface KeyVersionRow {
  readonly term_key: number;
  readonly ident: string;
  readonly term: string;
  readonly curie: string | null;
  readonly content_id: number;
  readonly service: string;
  readonly version_id: string;
  readonly version: string;
  readonly release_rank: number;
  readonly is_latest: boolean;
}

/** A term row's shown fields, of one key in one content. */
export interface TermDetailRow {
  readonly term_key: number;
  readonly content_id: number;
  readonly label: string | null;
  readonly kind: string;
  readonly deprecated: boolean;
}

/** The term rows to read: per content, the keys. */
export type KeyContentPairs = ReadonlyMap<number, readonly number[]>;

/** How a key matched: 0 exact, 1 prefix, 2 contains; and on what (0 id, 1 CURIE, 2 label). */
export interface KeyMatch {
  readonly closeness: number;
  readonly matched: number;
}

/**
 * The better of two matches of one key: the closer, then id before CURIE before label, as
 * the queries' `arg_min(matched, closeness * 3 + matched)` picks.
 */
export function betterMatch(a: KeyMatch | undefined, b: KeyMatch | undefined): KeyMatch | undefined {
  if (!a || !b) return a ?? b;
  return b.closeness * 3 + b.matched < a.closeness * 3 + a.matched ? b : a;
}

/** A key's match that holds in one service only (`${term_key}\u0000${service}`): a label of its latest release. */
export type ServiceKeyMatches = ReadonlyMap<string, KeyMatch>;

/** The id of a key in a service, as ServiceKeyMatches names it. */
export const keyInService = (key: number, service: string): string => `${key}\u0000${service}`;

/** A hit with its rank (closeness) and what matched, before the page is cut. */
export interface RankedHit extends TermSearchHit {
  readonly closeness: number;
  readonly matched: number;
}

/** What matched, by the `matched` number the queries rank with. */
export const MATCHED_ON = ['id', 'curie', 'label'] as const;

/** Orders strings as DuckDB's binary collation does (UTF-8 bytes, so code points), not by UTF-16 unit. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort after every other BMP unit.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

const minText = (a: string | null, b: string | null): string | null =>
  a === null ? b : b === null ? a : compareCodePoints(a, b) <= 0 ? a : b;

/** The order of a search's hits: best closeness first, then ident, then service. */
export function compareHits(a: { closeness: number; ident: string; service: string }, b: typeof a): number {
  return a.closeness - b.closeness || compareCodePoints(a.ident, b.ident) || compareCodePoints(a.service, b.service);
}

interface VersionDraft {
  readonly version: string;
  readonly rank: number;
  isLatest: boolean;
  /** The (key, content) pairs of the hit in this version. */
  readonly pairs: [number, number][];
}

/** A hit grouped from its keys' versions, before its newest release's term rows are read. */
export interface HitDraft {
  readonly ident: string;
  readonly service: string;
  readonly ids: ReadonlySet<string>;
  readonly curie: string | null;
  readonly closeness: number;
  readonly matched: number;
  /** In release order. */
  readonly versions: readonly VersionDraft[];
  readonly inLatest: boolean;
}

/**
 * Groups key-version rows into one draft per term identity and service. `match` gives
 * each key's closeness and what matched, `inService` a key's match in one service (a
 * label of that service's latest release), the better of the two counting; a key absent
 * from both does not rank the hit.
 */
export function draftHits(rows: readonly KeyVersionRow[], match: ReadonlyMap<number, KeyMatch>, inService?: ServiceKeyMatches): HitDraft[] {
  interface Building { ident: string; service: string; ids: Set<string>; curie: string | null; closeness: number; matched: number; versions: Map<string, VersionDraft> }
  const hits = new Map<string, Building>();
  for (const row of rows) {
    const id = `${row.ident}\u0000${row.service}`;
    let hit = hits.get(id);
    if (!hit) {
      hit = { ident: row.ident, service: row.service, ids: new Set(), curie: null, closeness: Infinity, matched: Infinity, versions: new Map() };
      hits.set(id, hit);
    }
    const key = Number(row.term_key);
    hit.ids.add(row.term);
    hit.curie = minText(hit.curie, row.curie);
    const keyMatch = inService ? betterMatch(match.get(key), inService.get(keyInService(key, row.service))) : match.get(key);
    if (keyMatch) {
      hit.closeness = Math.min(hit.closeness, keyMatch.closeness);
      hit.matched = Math.min(hit.matched, keyMatch.matched);
    }
    let version = hit.versions.get(row.version_id);
    if (!version) {
      version = { version: row.version, rank: Number(row.release_rank), isLatest: false, pairs: [] };
      hit.versions.set(row.version_id, version);
    }
    version.isLatest ||= row.is_latest;
    version.pairs.push([key, Number(row.content_id)]);
  }
  return [...hits.values()].map((hit) => {
    const versions = [...hit.versions.values()].sort((a, b) => a.rank - b.rank);
    return { ...hit, versions, inLatest: versions.some((version) => version.isLatest) };
  });
}

/** The (key, content) pairs of each draft's newest release, or of every release with `all`, by content. */
export function pairsToRead(drafts: readonly HitDraft[], all = false): KeyContentPairs {
  const byContent = new Map<number, Set<number>>();
  for (const draft of drafts) {
    for (const version of all ? draft.versions : draft.versions.slice(-1)) {
      for (const [key, content] of version.pairs) {
        let keys = byContent.get(content);
        if (!keys) byContent.set(content, (keys = new Set()));
        keys.add(key);
      }
    }
  }
  return new Map([...byContent].map(([content, keys]) => [content, [...keys]]));
}

type DetailMap = ReadonlyMap<string, TermDetailRow>;

const pairId = (key: number, content: number): string => `${key}:${content}`;

/** Term rows by their (key, content) pair. */
export function detailMap(rows: readonly TermDetailRow[]): Map<string, TermDetailRow> {
  return new Map(rows.map((row) => [pairId(Number(row.term_key), Number(row.content_id)), row]));
}

/** One version's state of a hit: min label and kind (NULLs skipped), any deprecation. */
function versionDetails(version: VersionDraft, details: DetailMap): { label: string | null; kind: string | null; deprecated: boolean } {
  let label: string | null = null;
  let kind: string | null = null;
  let deprecated = false;
  for (const [key, content] of version.pairs) {
    const row = details.get(pairId(key, content));
    if (!row) continue;
    label = minText(label, row.label);
    kind = minText(kind, row.kind);
    deprecated ||= row.deprecated;
  }
  return { label, kind, deprecated };
}

/** Whether the draft's newest release has no label, so older releases' rows are needed. */
export function needsOlderLabel(draft: HitDraft, details: DetailMap): boolean {
  return draft.versions.length > 1 && versionDetails(draft.versions.at(-1)!, details).label === null;
}

/**
 * The hit a draft stands for: the label of its newest release that has one, the kind and
 * deprecation of its newest release, its versions in release order.
 */
export function finishHit(draft: HitDraft, details: DetailMap): RankedHit {
  const newest = versionDetails(draft.versions.at(-1)!, details);
  let label = newest.label;
  for (let i = draft.versions.length - 2; label === null && i >= 0; i -= 1) label = versionDetails(draft.versions[i]!, details).label;
  return {
    ident: draft.ident,
    service: draft.service,
    ids: [...draft.ids].sort(compareCodePoints),
    curie: draft.curie,
    label,
    kind: newest.kind ?? '',
    matched_on: MATCHED_ON[draft.matched] ?? 'label',
    versions: draft.versions.map((version) => version.version),
    version_count: draft.versions.length,
    first_version: draft.versions[0]!.version,
    last_version: draft.versions.at(-1)!.version,
    in_latest: draft.inLatest,
    deprecated_in_last: newest.deprecated,
    closeness: draft.closeness,
    matched: draft.matched,
  };
}
