/**
 * Reading the term index: search across versions, one term's history in release order,
 * the whole-version term delta, obsolescence lineage and the index's coverage.
 *
 * "Newer" is release order (v_release_order), never ingest order. A version reaches its
 * terms through extracted_files.sha256 → term_index_contents → file_terms.
 */
import { deltaPairCtes } from './delta-sql.js';
import { listValue } from './duckdb.js';
import type {
  LineageStep, TermDeltaKind, TermEvent, TermHistory, TermIndexStatus, TermLineage, TermMatch, TermSearchHit, TermSearchResult,
  TermTimeline, TermVersionState, UnparsableTermContent, VersionTermChange, VersionTermDelta,
} from '../shared/contract/terms.js';
import type { Page } from '../shared/models.js';
import { OntocatError } from '../shared/errors.js';
import { ONTOLOGY_FORMATS } from '../shared/formats.js';
import { changeRank } from './term-change-rank.js';
import { formatVersionRef, type VersionRef } from '../shared/version-ref.js';
import { fixedOrder, pageWindow } from './paging.js';
import { mergeStates, type TermStateRow } from './term-version-states.js';
import { expandCurie, queryIdent } from './curie-expansion.js';
import { numberedLocalIdent } from '../shared/curie.js';
import { TERM_INDEX_RULES } from './term-index.js';
import {
  betterMatch, compareCodePoints, compareHits, detailMap, draftHits, finishHit, keyInService, needsOlderLabel, pairsToRead,
  type HitDraft, type KeyContentPairs, type KeyMatch, type KeyVersionRow, type RankedHit, type ServiceKeyMatches, type TermDetailRow,
} from './term-hit-details.js';
import type { QuerySpec } from './query-spec.js';
import type { SqlConnection } from './sql.js';
import {
  contentHolders, contentVersionRowsSql, ensureTermContentVersions, fileHoldsContentSql, indexedReleases, keptPresenceServicesSql, presenceContents,
  TERM_CONTENT_VERSIONS,
} from './term-content-versions.js';
import {
  contentLabelsSql, matchedLabelsSql, STORED_SEARCH_TEXT, termKeyNamesSource, termSearchTextSource, textMatchesSql,
} from './term-search-text.js';
import { foldSql, foldTexts } from './term-text-fold.js';
import { requireVersionId } from './version-queries.js';
import { joinLabels, labelsOnlyIn } from '../shared/term-labels.js';

/** A term as a one-line message shows it: escaped, and cut when very long. */
function shownTerm(term: string): string {
  const escaped = JSON.stringify(term).slice(1, -1);
  return escaped.length > 200 ? `${escaped.slice(0, 200)}…` : escaped;
}

const searchOrder = fixedOrder({ keys: 'closeness', unique: 'ident, service' });

export interface TermSearchQuery {
  readonly query: string;
  readonly match?: TermMatch;
  readonly service?: string;
  readonly latest_only?: boolean;
  readonly offset?: number;
  readonly limit?: number;
}

/**
 * Each indexed content with the versions (and services) whose files hold it, their
 * release rank and whether the version is its service's latest, computed in the query (an
 * export answers in one statement; a page of hits uses the connection's kept map).
 */
const contentVersionsSql = `SELECT content_id, service, version_id, version, release_rank, is_latest
  FROM (${contentVersionRowsSql})
  WHERE $service IS NULL OR service = $service`;

/**
 * The contents of each service's latest version (`content_id`, `service`; of $service when
 * given), from the read connection's kept map: where a search of the latest releases
 * matches labels.
 */
const LATEST_CONTENTS = `SELECT DISTINCT content_id, service FROM ${TERM_CONTENT_VERSIONS} WHERE is_latest AND ($service IS NULL OR service = $service)`;

/**
 * The matching term keys' matches (`cand`: a key once per id, CURIE or label that
 * matched, and every key of the identity $ident with `byIdent`), from the stored tables:
 * an export answers in one statement.
 */
function candidatesSql(match: TermMatch, byIdent: boolean): string {
  return `cand AS (${textMatchesSql(STORED_SEARCH_TEXT, match, byIdent)})`;
}

/**
 * The matching term keys (`cand`, then `best`: one row per key with its closeness and what
 * matched). With `idsOnly` (a search of the latest releases), `best` holds the keys' id,
 * CURIE and alias matches alone: a label counts only where a latest release gives it
 * (hitsSql).
 */
function matchedKeysSql(match: TermMatch, byIdent: boolean, idsOnly = false): string {
  return `${candidatesSql(match, byIdent)},
     best AS (
       SELECT b.term_key, k.ident, k.term, k.curie, b.closeness, b.matched
       FROM (SELECT term_key, min(closeness) AS closeness, arg_min(matched, closeness * 3 + matched) AS matched
             FROM cand${idsOnly ? ' WHERE matched < 2' : ''} GROUP BY term_key) b
       JOIN term_keys k ON k.term_key = b.term_key
     )`;
}

/**
 * The hits (one per term identity and service) and the `shown` ones (one page, with the
 * total, when `page`), from the matched keys' term rows joined with the versions they are in.
 *
 * With `latest` (a search of the latest releases, matchedKeysSql's `idsOnly`), a key
 * also matches in a service where that service's latest release gives it a matching
 * label (`lc`: the latest contents); a hit is a term in a latest release, ranked and said
 * to match by its ids and those labels, each key's best match first (as pageHitsSql).
 */
function hitsSql(page: boolean, latest?: { match: TermMatch; q: string }): string {
  const hits = latest === undefined
    ? `hits AS (
       SELECT b.ident, cv.service, min(b.closeness) AS closeness, min(b.matched) AS matched
       FROM best b
       JOIN file_terms t ON t.term_key = b.term_key
       JOIN cv ON cv.content_id = t.content_id
       GROUP BY b.ident, cv.service
     )`
    : `lc AS (SELECT DISTINCT content_id, service FROM cv WHERE is_latest),
     key_rows AS (
       SELECT b.ident, cv.service, b.term_key, b.closeness, b.matched, cv.is_latest
       FROM best b
       JOIN file_terms t ON t.term_key = b.term_key
       JOIN cv ON cv.content_id = t.content_id
       UNION ALL
       SELECT k.ident, lc.service, m.term_key, m.closeness, 2, true
       FROM (${contentLabelsSql(latest.match, latest.q, 'SELECT term_key FROM cand WHERE matched = 2', 'SELECT content_id FROM lc')}) m
       JOIN lc ON lc.content_id = m.content_id
       JOIN term_keys k ON k.term_key = m.term_key
     ),
     hits AS (
       SELECT ident, service, min(closeness) AS closeness, min(matched) AS matched
       FROM (SELECT ident, service, min(closeness) AS closeness, arg_min(matched, closeness * 3 + matched) AS matched, bool_or(is_latest) AS is_latest
             FROM key_rows GROUP BY ident, service, term_key)
       GROUP BY ident, service
       HAVING bool_or(is_latest)
     )`;
  return `cv AS (${contentVersionsSql}),
     ${hits},
     shown AS (
       SELECT *${page ? ', count(*) OVER () AS total' : ''} FROM hits
       ORDER BY ${searchOrder}${page ? ' LIMIT $limit OFFSET $offset' : ''}
     )`;
}

/**
 * Per hit: its ids, newest label, kind and deprecation, and the versions it is in (from
 * `per_version`).
 */
function groupedSql(): string {
  return `grouped AS (
       SELECT ident, service,
              list_sort(list_distinct(flatten(list(ids)))) AS ids,
              min(curie) AS curie,
              arg_max(label, release_rank) AS label,
              arg_max(kind, release_rank) AS kind,
              arg_max(deprecated, release_rank) AS deprecated_in_last,
              list(version ORDER BY release_rank) AS versions,
              count(*) AS version_count,
              arg_min(version, release_rank) AS first_version,
              arg_max(version, release_rank) AS last_version,
              bool_or(is_latest) AS in_latest
       FROM per_version
       GROUP BY ident, service
     )`;
}

/** The search text folded as the stored columns are (term-text-fold.ts). */
async function searchText(conn: SqlConnection, query: TermSearchQuery): Promise<string> {
  const asked = query.query.trim();
  if (asked.length === 0) throw new OntocatError('BAD_INPUT', 'Type something to search for: an id, IRI, CURIE or label.');
  return (await foldTexts(conn, [asked]))[0]!;
}

/**
 * The term identity the query names when its text does not spell it (an OBO PURL or
 * `obo:` CURIE of a term an OBO file gives as `GO:0008150`, an EDAM IRI of EDAM's OBO
 * id), else null: the text alone matches every key whose identity is the query as typed.
 */
function searchIdent(query: TermSearchQuery): string | null {
  const asked = query.query.trim();
  const ident = queryIdent(asked);
  return ident !== asked ? ident : numberedLocalIdent(asked);
}

/** The query parameters of a search's matches: $q, and $ident when it has one. */
function matchParams(q: string, ident: string | null): Record<string, string> {
  return ident === null ? { q } : { q, ident };
}

/**
 * The search as a query (rows, or every row for an export when `page` is absent).
 *
 * Matching reads the small dictionaries only (term_keys, and term_labels: each distinct
 * label of a term once, not one row per file and version), on stored lower-cased values.
 * Hits are then ranked and counted from the term rows' (term_key, content_id) alone; the
 * details a hit shows (versions, label, kind) are read for the requested page only.
 */
export async function termSearchQuery(conn: SqlConnection, query: TermSearchQuery, page?: { offset: number; limit: number }): Promise<QuerySpec> {
  const match = query.match ?? 'contains';
  const q = await searchText(conn, query);
  const ident = searchIdent(query);
  const latest = query.latest_only ?? false;
  return {
    sql: `WITH ${matchedKeysSql(match, ident !== null, latest)},
     ${hitsSql(page !== undefined, latest ? { match, q } : undefined)},
     ${pageDetailsSql(page !== undefined)}`,
    params: { ...matchParams(q, ident), service: query.service ?? null, ...(page ?? {}) },
  };
}

/**
 * Per shown hit, its state in each version, then the hit with its details (`per_version`,
 * grouped, the final SELECT). A hit's versions are those of every key of its identity, not
 * only of the keys that matched: a PURL matches the OWL file's key alone, and the term is
 * also in the releases that write it as the OBO id.
 */
function pageDetailsSql(page: boolean): string {
  return `per_version AS (
       SELECT s.ident, s.service, cv.version_id, cv.version, cv.release_rank, bool_or(cv.is_latest) AS is_latest,
              list_distinct(list(b.term)) AS ids, min(b.curie) AS curie, min(t.label) AS label, min(t.kind) AS kind,
              bool_or(t.deprecated) AS deprecated
       FROM shown s
       JOIN term_keys b ON b.ident = s.ident
       JOIN file_terms t ON t.term_key = b.term_key
       JOIN cv ON cv.content_id = t.content_id AND cv.service = s.service
       GROUP BY s.ident, s.service, cv.version_id, cv.version, cv.release_rank
     ),
     ${groupedSql()}
     SELECT g.ident, g.service, g.ids, g.curie, g.label, g.kind, ['id', 'curie', 'label'][s.matched + 1] AS matched_on,
            g.versions, g.version_count, g.first_version, g.last_version, g.in_latest, g.deprecated_in_last, s.closeness${page ? ', s.total' : ''}
     FROM shown s JOIN grouped g ON g.ident = s.ident AND g.service = s.service
     ORDER BY ${fixedOrder({ keys: 's.closeness', unique: 's.ident, s.service' })}`;
}

/** One hit of a page: its term identity and service, rank, what matched, and its matched keys. */
interface PageHit {
  ident: string;
  service: string;
  closeness: number;
  matched: number;
  total: number;
  keys: number[];
  /** The content set of its one key, when it has one (the ranking read it). */
  presence?: number;
}

/**
 * Up to this many matched keys, a search groups every hit in JS (its versions from the
 * keys' content sets) and reads term rows for the page only; with more, the page is
 * ranked in SQL first (pageHitsSql).
 */
const FEW_KEYS = 256;

/** Up to this many key matches (a key can match by id, CURIE and several labels) are read as plain rows. */
const FEW_CANDIDATES = 1024;

/**
 * A ranked hit of a page as pageHitsSql gives it: its matched keys as their least and
 * greatest, and the content set of the least.
 */
type RankedPageRow = Omit<PageHit, 'keys' | 'presence'> & { key_min: number; key_max: number; presence_id: number };

/**
 * One page of hits with the total, for many matched keys, from the keys' sets of
 * contents: the keys map to a few thousand shared sets, and the sets (not 1.25M term rows)
 * to services and latest versions through the kept presence services
 * (term-content-versions.ts). `matches` is textMatchesSql's query (term-search-text.ts),
 * whose rows carry each key's ident.
 *
 * With `latest` (a search of the latest releases), a key's label matches count only in a
 * service whose latest release gives it a matching label (`lc`, LATEST_CONTENTS): its id,
 * CURIE and alias matches stand as they are, and its label matches are replaced by the
 * matching labels of its term rows in the latest contents, a row per label and service.
 * Reading those rows is most of what `latest` costs: a common word's 25,296 keys take
 * about 10 ms more (2026-12-05).
 */
function pageHitsSql(matches: string, latest?: { match: TermMatch; q: string }): string {
  const latestLabels = latest === undefined ? '' : ` AND bp.matched < 2
       UNION ALL
       SELECT l.term_key, l.ident, m.closeness, 2::TINYINT, l.presence_id, lc.service, true
       FROM (SELECT DISTINCT term_key, ident, presence_id FROM bp WHERE matched = 2) l
       JOIN (${contentLabelsSql(latest.match, latest.q, 'SELECT term_key FROM bp WHERE matched = 2', 'SELECT content_id FROM lc')}) m ON m.term_key = l.term_key
       JOIN lc ON lc.content_id = m.content_id`;
  // No grouping per key first: a hit's closeness and keys come from its matches' rows
  // alone. What matched is the least of its keys' best matches (as a few keys' search
  // groups them in JS), which needs each key apart only for a page hit of several keys.
  return `WITH bp AS MATERIALIZED (
       SELECT m.term_key, m.ident, m.closeness, m.matched, p.presence_id
       FROM (${matches}) m JOIN term_key_presence p ON p.term_key = m.term_key
     ),
     ps AS (${keptPresenceServicesSql('SELECT presence_id FROM bp')}),${latest === undefined ? '' : `
     lc AS (${LATEST_CONTENTS}),`}
     bs AS MATERIALIZED (
       SELECT bp.*, ps.service, ps.in_latest FROM bp JOIN ps ON ps.presence_id = bp.presence_id
       WHERE ($service IS NULL OR ps.service = $service)${latestLabels}
     ),
     hits AS (
       SELECT ident, service, min(closeness) AS closeness, arg_min(matched, closeness * 3 + matched) AS matched,
              min(term_key) AS key_min, max(term_key) AS key_max, min(presence_id) AS presence_id
       FROM bs
       GROUP BY ident, service
       HAVING NOT $latest OR bool_or(in_latest)
     ),
     page AS MATERIALIZED (SELECT *, count(*) OVER () AS total FROM hits ORDER BY ${searchOrder} LIMIT $limit OFFSET $offset),
     several AS (
       SELECT ident, service, min(matched) AS matched
       FROM (SELECT bs.ident, bs.service, arg_min(bs.matched, bs.closeness * 3 + bs.matched) AS matched
             FROM bs JOIN page p ON p.ident = bs.ident AND p.service = bs.service AND p.key_min <> p.key_max
             GROUP BY bs.ident, bs.service, bs.term_key)
       GROUP BY ident, service
     )
     -- A hit's matched keys as their least and greatest: one key when they are equal, as
     -- most terms have, and then its content set too; the keys of the others are read
     -- for the page alone (pageKeys).
     -- A list per hit of 25,000 cost more than the rest of the query, and a subquery for
     -- the page's lists about 7.7 ms of 31 (2026-12-03).
     SELECT p.ident, p.service, p.closeness, COALESCE(s.matched, p.matched) AS matched, p.total, p.key_min, p.key_max, p.presence_id
     FROM page p LEFT JOIN several s ON s.ident = p.ident AND s.service = p.service
     ORDER BY ${fixedOrder({ keys: 'p.closeness', unique: 'p.ident, p.service' })}`;
}

/**
 * Every key of each of `idents` (a term whose id, IRI or CURIE forms are several keys, such
 * as an OBO id and an OWL IRI of one term), whether it matched or not: a hit's versions are
 * those of every spelling of its term. One equality per ident, as an IN of parameters,
 * read through term_keys' ident index (a list parameter was joined after a scan of every
 * key: 18 ms, not 4, for 300 idents of 2M keys).
 */
async function identKeys(conn: SqlConnection, idents: readonly string[]): Promise<Map<string, number[]>> {
  const keys = new Map<string, number[]>();
  for (let i = 0; i < idents.length; i += 1000) {
    const part = idents.slice(i, i + 1000);
    const rows = await conn.all<{ ident: string; term_key: number }>(
      `SELECT ident, term_key FROM term_keys WHERE ident IN (${part.map((_, j) => `$${j + 1}`).join(', ')}) ORDER BY term_key`,
      part,
    );
    for (const { ident, term_key } of rows) keys.set(ident, [...(keys.get(ident) ?? []), Number(term_key)]);
  }
  return keys;
}

/**
 * The page's hits with all their keys (`pageHitsSql` gives the least and greatest matched
 * key of each): a hit of one key keeps the content set the ranking read.
 */
async function pageKeys(conn: SqlConnection, rows: readonly RankedPageRow[]): Promise<PageHit[]> {
  const keysOf = await identKeys(conn, [...new Set(rows.map((row) => row.ident))]);
  return rows.map(({ key_min, key_max, presence_id, ...row }) => {
    // Keys are only ever added, so the look-up finds at least what the ranking matched.
    const keys = keysOf.get(row.ident);
    if (!keys?.includes(Number(key_min)) || !keys.includes(Number(key_max))) {
      throw new OntocatError('INTERNAL', `The keys of ${shownTerm(row.ident)} were not found again.`);
    }
    return keys.length === 1 ? { ...row, keys, presence: Number(presence_id) } : { ...row, keys };
  });
}

/** The details of a page's hits (versions, newest label, kind, deprecation), in the page's order. */
async function pageDetails(
  conn: SqlConnection, page: readonly PageHit[], service: string | null,
): Promise<(TermSearchHit & { closeness: number; total: number })[]> {
  const keys = new Set<number>();
  const presenceOf = new Map<number, number>();
  for (const hit of page) {
    for (const key of hit.keys) keys.add(Number(key));
    if (hit.presence !== undefined) presenceOf.set(hit.keys[0]!, hit.presence);
  }
  const drafts = new Map(draftHits(await keyVersionRows(conn, [...keys], service, presenceOf), new Map()).map((draft) => [`${draft.ident}\u0000${draft.service}`, draft]));
  const shown = page.flatMap((hit) => {
    const draft = drafts.get(`${hit.ident}\u0000${hit.service}`);
    return draft ? [{ ...draft, closeness: hit.closeness, matched: hit.matched, total: Number(hit.total) }] : [];
  });
  const hits = await finishedHits(conn, shown);
  return hits.map(({ matched: _matched, ...hit }, i) => ({ ...hit, total: shown[i]!.total }));
}

/**
 * Each of `keys` in each version holding one of its contents, with the key's ids: from
 * the key's content set, so no term row is read. The keys' sets come from SQL (a row a
 * key); sets to contents and contents to versions from what the connection keeps.
 */
async function keyVersionRows(
  conn: SqlConnection, keys: readonly number[], service: string | null, presenceOf: ReadonlyMap<number, number> = new Map(),
): Promise<KeyVersionRow[]> {
  if (keys.length === 0) return [];
  let keyRows: { term_key: number; presence_id: number; ident: string; term: string; curie: string | null }[];
  if (keys.every((key) => presenceOf.has(key))) {
    // The sets known (a ranked page's keys): the names alone, from the kept copy when
    // there is one (term-search-text.ts).
    const names = await conn.all<{ term_key: number; ident: string; term: string; curie: string | null }>(
      `SELECT term_key, ident, term, curie FROM ${termKeyNamesSource(conn)} WHERE term_key = ANY(${keyArray(keys)})`,
    );
    keyRows = names.map((row) => ({ ...row, presence_id: presenceOf.get(Number(row.term_key))! }));
  } else {
    const list = keyList(keys);
    keyRows = await conn.all(
      // Both tables filtered by the inlined keys: each filter alone left a scan of the
      // other's rows, and filtering them apart into materialized parts cost 3x the join.
      `SELECT kp.term_key, kp.presence_id, k.ident, k.term, k.curie
       FROM term_key_presence kp JOIN ${termKeyNamesSource(conn)} k ON k.term_key = kp.term_key
       WHERE kp.term_key IN ${list} AND k.term_key IN ${list}`,
    );
  }
  const sets = await presenceContents(conn, keyRows.map((row) => Number(row.presence_id)));
  const holders = await contentHolders(conn);
  const rows: KeyVersionRow[] = [];
  // Rows built field by field: spreading the result rows (dictionary-mode objects) cost
  // about 6 µs a row.
  for (const { term_key, presence_id, ident, term, curie } of keyRows) {
    for (const content_id of sets.get(Number(presence_id)) ?? []) {
      for (const { service: held, version_id, version, release_rank, is_latest } of holders.get(content_id) ?? []) {
        if (service === null || held === service) {
          rows.push({ term_key, ident, term, curie, content_id, service: held, version_id, version, release_rank, is_latest });
        }
      }
    }
  }
  return rows;
}

/**
 * The shown fields of the term rows of `pairs`, one SELECT per content: a content's rows
 * are contiguous, so its id's zone maps skip every other row group, and its few keys are
 * then filtered there (term_key IN over several contents at once became a join over
 * hundreds of thousands of rows; `= ANY` of a list literal filters them 1 ms faster than
 * `IN`, 2026-12-03).
 */
function termDetailRows(conn: SqlConnection, pairs: KeyContentPairs): Promise<TermDetailRow[]> {
  if (pairs.size === 0) return Promise.resolve([]);
  return conn.all<TermDetailRow>([...pairs].map(([content, keys]) =>
    `SELECT term_key, content_id, label, kind, deprecated FROM file_terms WHERE content_id IN ${keyList([content])} AND term_key = ANY(${keyArray(keys)})`,
  ).join('\n     UNION ALL '));
}

/** The hits drafts stand for, with the label, kind and deprecation of their newest releases. */
async function finishedHits(conn: SqlConnection, drafts: readonly HitDraft[]): Promise<RankedHit[]> {
  let details = detailMap(await termDetailRows(conn, pairsToRead(drafts)));
  const unlabelled = drafts.filter((draft) => needsOlderLabel(draft, details));
  if (unlabelled.length > 0) details = new Map([...details, ...detailMap(await termDetailRows(conn, pairsToRead(unlabelled, true)))]);
  return drafts.map((draft) => finishHit(draft, details));
}

/**
 * Terms whose id, IRI, CURIE or any label matches, one hit per term and service, with the
 * versions (release order) the term exists in. Exact matches come first, then prefixes,
 * then by id. `latest_only` keeps the terms that match in the service's latest version:
 * present there, and matching by an id, CURIE or alias, or by a label that version gives
 * them (not one only an older release gave), by which they are ranked.
 */
export async function searchTerms(conn: SqlConnection, query: TermSearchQuery): Promise<TermSearchResult> {
  const result = await searchTermsAsTyped(conn, query);
  if (result.total > 0) return result;
  // No hit in a service the catalog lacks is a typo, not "no such term".
  if (query.service) await requireService(conn, query.service);
  // Nothing for `dbo:Person`: the terms of the IRI that CURIE stands for, said as such
  // (the result's query is what was searched).
  const expanded = expandCurie(query.query);
  return expanded ? searchTermsAsTyped(conn, { ...query, query: expanded }) : result;
}

/** `searchTerms` for the query as given. */
async function searchTermsAsTyped(conn: SqlConnection, query: TermSearchQuery): Promise<TermSearchResult> {
  const match = query.match ?? 'contains';
  const { offset, limit } = pageWindow(query.offset, query.limit, 50);
  const q = await searchText(conn, query);
  const ident = searchIdent(query);
  await ensureTermContentVersions(conn);
  const matches = textMatchesSql(await termSearchTextSource(conn), match, ident !== null);
  // The keys' matches first, plain rows from the search text. When the keys are
  // few, their term rows are read through the index and grouped in JS; when many, a
  // second query ranks the hits from the keys' content sets and a third reads the page's.
  const candidates = await conn.all<{ term_key: number; ident: string; matched: number; closeness: number }>(
    `SELECT term_key, ident, matched, closeness FROM (${matches}) LIMIT ${FEW_CANDIDATES + 1}`,
    matchParams(q, ident),
  );
  const latest = query.latest_only ?? false;
  // Each key's best match; with `latest`, its id, CURIE and alias matches only, and the
  // keys that matched by a label apart: a label counts where a latest release gives it.
  const best = new Map<number, KeyMatch>();
  const labelKeys = new Set<number>();
  for (const { term_key, matched, closeness } of candidates) {
    const key = Number(term_key);
    if (latest && matched === 2) labelKeys.add(key);
    else best.set(key, betterMatch(best.get(key), { closeness, matched })!);
  }
  let rows: (TermSearchHit & { closeness: number; total: number })[] = [];
  let total: number;
  if (candidates.length <= FEW_CANDIDATES && best.size + labelKeys.size <= FEW_KEYS) {
    // Every key of the matched terms: the keys that did not match add their versions to
    // a hit, but no hit of their own (draftHits leaves it unranked), as a page of many
    // keys ranks its hits from the matched keys alone.
    const keys = new Set([...best.keys(), ...labelKeys]);
    for (const identKeysOf of (await identKeys(conn, [...new Set(candidates.map((row) => row.ident))])).values()) {
      for (const key of identKeysOf) keys.add(key);
    }
    const versionRows = await keyVersionRows(conn, [...keys], query.service ?? null);
    const inService = latest ? await latestLabelMatches(conn, versionRows, labelKeys, q, match) : undefined;
    const drafts = draftHits(versionRows, best, inService)
      .filter((draft) => Number.isFinite(draft.closeness) && (!latest || draft.inLatest))
      .sort(compareHits);
    const hits = await finishedHits(conn, drafts.slice(offset, offset + limit));
    rows = hits.map(({ matched: _matched, ...hit }) => ({ ...hit, total: drafts.length }));
    total = drafts.length;
  } else {
    const rank = (at: number, size: number) => conn.all<RankedPageRow>(pageHitsSql(matches, latest ? { match, q } : undefined), {
      ...matchParams(q, ident), service: query.service ?? null, latest, offset: at, limit: size,
    });
    const ranked = await rank(offset, limit);
    if (ranked.length > 0) rows = await pageDetails(conn, await pageKeys(conn, ranked), query.service ?? null);
    // A page past the last hit still says how many there are.
    total = Number((ranked.length > 0 || offset === 0 ? ranked : await rank(0, 1))[0]?.total ?? 0);
  }
  const items = await withMatchedLabels(conn, rows.map(({ closeness: _closeness, total: _total, ...hit }) => hit), q, match, latest);
  return { items, total, offset, limit, query: query.query, match };
}

/**
 * The label matches of `labelKeys` (keys the search text matched by a label) that a
 * latest release gives them, by key and service: for a search of the latest releases,
 * from the latest versions `rows` name (the key-version rows of the search, so of its
 * service), whose contents are read by number.
 */
async function latestLabelMatches(
  conn: SqlConnection, rows: readonly KeyVersionRow[], labelKeys: ReadonlySet<number>, q: string, match: TermMatch,
): Promise<ServiceKeyMatches> {
  // The services whose latest version holds each (key, content) pair to read.
  const latestIn = new Map<string, Set<string>>();
  for (const row of rows) {
    if (!row.is_latest || !labelKeys.has(Number(row.term_key))) continue;
    const pair = `${Number(row.term_key)}:${Number(row.content_id)}`;
    latestIn.set(pair, (latestIn.get(pair) ?? new Set()).add(row.service));
  }
  if (latestIn.size === 0) return new Map();
  const pairs = [...latestIn.keys()].map((pair) => pair.split(':').map(Number) as [number, number]);
  const found = await conn.all<{ term_key: number; content_id: number; closeness: number }>(
    contentLabelsSql(match, q, keyList([...new Set(pairs.map(([key]) => key))]).slice(1, -1), keyList([...new Set(pairs.map(([, content]) => content))]).slice(1, -1)),
    { q },
  );
  const matches = new Map<string, KeyMatch>();
  for (const { term_key, content_id, closeness } of found) {
    for (const service of latestIn.get(`${Number(term_key)}:${Number(content_id)}`) ?? []) {
      const id = keyInService(Number(term_key), service);
      matches.set(id, betterMatch(matches.get(id), { closeness: Number(closeness), matched: 2 })!);
    }
  }
  return matches;
}

/** Whether a folded label matches the folded query as a search by `match` compares it. */
function labelMatches(text: string | undefined, q: string, match: TermMatch): boolean {
  if (text === undefined) return false;
  return match === 'exact' ? text === q : match === 'prefix' ? text.startsWith(q) : text.includes(q);
}

/**
 * The hits, each label match whose shown label does not match given the label that did
 * (the closest, then the first in code point order): a term found by a label it had in
 * an earlier release, or by one in another language, says so. One query for the page.
 * The shown labels are folded as the stored ones are (term-text-fold.ts).
 *
 * With `latest` (a search of the latest releases), the label that did is one the hit's
 * service's latest release gives it, what the hit was found by: the shown label is its
 * newest release's, which may be newer than the latest.
 */
async function withMatchedLabels(conn: SqlConnection, hits: TermSearchHit[], q: string, match: TermMatch, latest: boolean): Promise<TermSearchHit[]> {
  const shown = [...new Set(hits.flatMap((hit) => (hit.matched_on === 'label' && hit.label !== null ? [hit.label] : [])))];
  const foldedShown = await foldTexts(conn, shown);
  const folded = new Map(shown.map((label, i) => [label, foldedShown[i]!]));
  const explained = (hit: TermSearchHit): boolean => labelMatches(hit.label === null ? undefined : folded.get(hit.label), q, match);
  const unexplained = hits.filter((hit) => hit.matched_on === 'label' && !explained(hit));
  if (unexplained.length === 0) return hits;
  const idents = listValue([...new Set(unexplained.map((hit) => hit.ident))]);
  // Keyed by ident, and with `latest` by ident and service.
  const rows = latest
    ? (await conn.all<{ ident: string; service: string; label: string; closeness: number }>(
      `WITH lc AS (${LATEST_CONTENTS})
       SELECT k.ident, lc.service, m.label, m.closeness
       FROM (${contentLabelsSql(match, q, 'SELECT term_key FROM term_keys WHERE list_contains($idents, ident)', 'SELECT content_id FROM lc')}) m
       JOIN lc ON lc.content_id = m.content_id
       JOIN term_keys k ON k.term_key = m.term_key`,
      { q, idents, service: null },
    )).map((row) => ({ ...row, id: `${row.ident}\u0000${row.service}` }))
    : (await conn.all<{ ident: string; label: string; closeness: number }>(matchedLabelsSql(match), { q, idents })).map((row) => ({ ...row, id: row.ident }));
  const best = new Map<string, { label: string; closeness: number }>();
  for (const row of rows) {
    const seen = best.get(row.id);
    if (!seen || row.closeness < seen.closeness || (row.closeness === seen.closeness && compareCodePoints(row.label, seen.label) < 0)) best.set(row.id, row);
  }
  return hits.map((hit) => {
    const found = hit.matched_on === 'label' && !explained(hit) ? best.get(latest ? `${hit.ident}\u0000${hit.service}` : hit.ident) : undefined;
    return found && found.label !== hit.label ? { ...hit, matched_label: found.label } : hit;
  });
}

/**
 * The term identity a query names, with its term keys. Identity is exact: an id, IRI or
 * CURIE as written (schema.org's class `schema:DayOfWeek` and property `schema:dayOfWeek`
 * are two terms). A CURIE typed in another letter case is taken only when it names one
 * term; when it names several, the error lists them.
 */
async function identsFor(conn: SqlConnection, term: string, service?: string): Promise<{ idents: string[]; keys: number[] }> {
  const asked = term.trim();
  const found = await identRows(conn, asked);
  // `dbo:Person`: a CURIE the index does not use, for the IRI it does.
  const expanded = found.length === 0 ? expandCurie(term) : null;
  if (expanded) return pickIdent(await identRows(conn, expanded), asked);
  if (BARE_NAME.test(asked) && (found.length === 0 || !(await anyInService(conn, found, service)))) {
    // A bare name no term of `service` has as its id (Debian's pathway.obo, with no
    // ontology header, keeps a bare `part_of`; SO's is …/obo/so#part_of).
    const named = await bareNameRows(conn, asked, service);
    if (named.length > 0 || found.length === 0) return pickIdent(named, asked);
  }
  return pickIdent(found, asked);
}

/**
 * The service whose chains a lineage follows when none is named: the one service that holds
 * the term (replaced_by and consider lead within one ontology); several are refused by name.
 */
async function lineageService(conn: SqlConnection, term: string): Promise<string> {
  const { keys } = await identsFor(conn, term);
  const services = [...await servicesHolding(conn, keys)].sort(compareCodePoints);
  if (services.length === 0) throw new OntocatError('NOT_FOUND', `No indexed term is '${shownTerm(term)}'.`);
  if (services.length > 1) {
    throw new OntocatError('BAD_INPUT', `The term '${shownTerm(term)}' is in ${services.length} services (${services.join(', ')}), whose replacements may differ: name one with --service.`, { services });
  }
  return services[0]!;
}

/** The services a version of which holds one of `keys`. */
async function servicesHolding(conn: SqlConnection, keys: readonly number[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  await ensureTermContentVersions(conn);
  const presence = await conn.all<{ presence_id: number }>(`SELECT DISTINCT presence_id FROM term_key_presence WHERE term_key IN ${keyList(keys)}`);
  const sets = await presenceContents(conn, presence.map((row) => Number(row.presence_id)));
  const holders = await contentHolders(conn);
  return new Set([...sets.values()].flat().flatMap((content) => (holders.get(content) ?? []).map((held) => held.service)));
}

/** Whether a version of `service` (any, when none is given) holds one of the rows' keys. */
async function anyInService(conn: SqlConnection, rows: readonly { term_key: number }[], service: string | undefined): Promise<boolean> {
  return service === undefined || (await keysInService(conn, rows.map((row) => Number(row.term_key)), service)).size > 0;
}

/** A name with no prefix or path: how an OBO file writes a relation (`has_format`). */
const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * The keys of the one term a bare name stands for: its alias (an OBO relation's id as
 * written, `part_of` for BFO:0000050; an oboInOwl:shorthand), else the last segment of its
 * IRI (`has_format` of http://edamontology.org/has_format), with every key of its
 * identity (the IRI and the OBO id alike). A curator types the id the
 * file shows (0026). Several such terms are refused by name, as an ambiguous CURIE is,
 * unless `service` holds one of them alone: GO's `part_of` is BFO:0000050 and SO's is
 * …/obo/so#part_of (0027), and `--service so` says which.
 */
async function bareNameRows(conn: SqlConnection, name: string, service?: string): Promise<{ ident: string; rank: number; term_key: number }[]> {
  const aliased = await conn.all<{ ident: string; rank: number; term_key: number }>(
    `SELECT k.ident, 0 AS rank, k.term_key FROM term_keys k
     SEMI JOIN term_key_presence p ON p.term_key = k.term_key
     WHERE k.ident IN (SELECT a.ident FROM term_labels l JOIN term_keys a ON a.term_key = l.term_key WHERE l.alias AND l.label = $1)`,
    [name],
  );
  const spelled = numberedLocalIdent(name);
  const rows = aliased.length > 0 ? aliased : await conn.all<{ ident: string; rank: number; term_key: number }>(
    // Every key of the identities whose IRIs it ends, as for any other spelling: the OWL
    // key http://edamontology.org/topic_0003 is the term EDAM_topic:0003, which the OBO
    // releases hold under their own key. A catalog of OBO releases alone has no such IRI:
    // the identity the name spells (numberedLocalIdent) is taken too.
    `SELECT k.ident, 0 AS rank, k.term_key FROM term_keys k
     SEMI JOIN term_key_presence p ON p.term_key = k.term_key
     WHERE k.ident IN (
       SELECT n.ident FROM term_keys n SEMI JOIN term_key_presence np ON np.term_key = n.term_key
       WHERE suffix(n.term, '/' || $1) OR suffix(n.term, '#' || $1)
     )${spelled === null ? '' : ' OR k.ident = $2'}`,
    spelled === null ? [name] : [name, spelled],
  );
  const all = [...new Set(rows.map((row) => row.ident))];
  const inService = all.length > 1 && service !== undefined ? await keysInService(conn, rows.map((row) => Number(row.term_key)), service) : null;
  const chosen = inService === null ? rows : rows.filter((row) => inService.has(Number(row.term_key)));
  const idents = [...new Set(chosen.map((row) => row.ident))].sort(compareCodePoints);
  if (idents.length === 1 || all.length <= 1) return idents.length === 1 ? chosen : rows;
  const how = aliased.length > 0 ? 'is an alias of' : 'ends the IRIs of';
  const list = (names: readonly string[]): string => `${names.slice(0, 5).map(shownTerm).join(', ')}${names.length > 5 ? ', …' : ''}`;
  if (idents.length === 0) {
    throw new OntocatError('NOT_FOUND', `'${shownTerm(name)}' ${how} ${all.length} terms, none in a version of '${service}': ${list([...all].sort(compareCodePoints))}.`);
  }
  const within = service === undefined ? '' : ` in '${service}'`;
  throw new OntocatError('BAD_INPUT', `'${shownTerm(name)}' ${how} ${idents.length} terms${within}: ${list(idents)}. Give one in full${service === undefined ? ', or name its service' : ''}.`);
}

/** The keys among `keys` that a version of `service` holds (through their content sets). */
async function keysInService(conn: SqlConnection, keys: readonly number[], service: string): Promise<Set<number>> {
  await ensureTermContentVersions(conn);
  const presence = await conn.all<{ term_key: number; presence_id: number }>(`SELECT term_key, presence_id FROM term_key_presence WHERE term_key IN ${keyList(keys)}`);
  const sets = await presenceContents(conn, presence.map((row) => Number(row.presence_id)));
  const holders = await contentHolders(conn);
  return new Set(presence
    .filter((row) => (sets.get(Number(row.presence_id)) ?? []).some((content) => (holders.get(content) ?? []).some((held) => held.service === service)))
    .map((row) => Number(row.term_key)));
}

/**
 * The keys whose identity, id or CURIE is `asked`, ranked in that order. A key no content
 * holds is left out: a relation id an older reader gave (0026) is no term of any file.
 */
async function identRows(conn: SqlConnection, asked: string): Promise<{ ident: string; rank: number; term_key: number }[]> {
  // The identity an IRI or `obo:` CURIE names (queryIdent) ranks as its id: an OBO file's
  // GO:0008150 has no key spelled as its PURL.
  const ident = queryIdent(asked);
  return conn.all<{ ident: string; rank: number; term_key: number }>(
    // Equalities, each read through its index (one OR of them scans every key);
    // grouped per identity in JS.
    `SELECT k.ident, n.rank, k.term_key FROM (
       SELECT ident, 0 AS rank FROM term_keys WHERE ident = $1
       UNION ALL SELECT ident, 1 FROM term_keys WHERE term = $1
       ${ident === asked ? '' : 'UNION ALL SELECT ident, 1 FROM term_keys WHERE ident = $2'}
       UNION ALL SELECT ident, 2 FROM term_keys WHERE curie_lc = ${foldSql('$1')}
     ) n JOIN term_keys k ON k.ident = n.ident
     SEMI JOIN term_key_presence p ON p.term_key = k.term_key`,
    ident === asked ? [asked] : [asked, ident],
  );
}

/** The one identity `asked` names (refusing a case-only ambiguity of CURIEs), with its keys. */
function pickIdent(found: readonly { ident: string; rank: number; term_key: number }[], asked: string): { idents: string[]; keys: number[] } {
  const byIdent = new Map<string, { ident: string; rank: number; keys: Set<number> }>();
  for (const { ident, rank, term_key } of found) {
    const entry = byIdent.get(ident) ?? { ident, rank, keys: new Set<number>() };
    entry.rank = Math.min(entry.rank, rank);
    entry.keys.add(Number(term_key));
    byIdent.set(ident, entry);
  }
  const rows = [...byIdent.values()]
    .map((entry) => ({ ident: entry.ident, rank: entry.rank, keys: [...entry.keys].sort((a, b) => a - b) }))
    .sort((a, b) => a.rank - b.rank || compareCodePoints(a.ident, b.ident));
  const best = rows.filter((row) => row.rank === rows[0]?.rank);
  if (best.length > 1 && best[0]!.rank === 2) {
    throw new OntocatError('BAD_INPUT', `'${shownTerm(asked)}' names ${best.length} terms that differ in letter case: ${best.map((row) => shownTerm(row.ident)).join(', ')}. Give one exactly as written.`);
  }
  const chosen = best.slice(0, 1);
  return { idents: chosen.map((row) => row.ident), keys: chosen.flatMap((row) => row.keys.map(Number)) };
}

/**
 * Term keys or content ids as an SQL list literal: integers the catalog numbered, inlined
 * so the scan filters them with the row groups' zone maps (a bound list parameter is
 * joined after reading every row).
 */
function keyList(keys: readonly number[]): string {
  if (!keys.every((key) => Number.isSafeInteger(key))) throw new OntocatError('INTERNAL', 'A term key or content id is not an integer.');
  return keys.length === 0 ? '(NULL)' : `(${keys.join(', ')})`;
}

/** Term keys or content ids as an SQL list literal (`[1, 2]`), for `= ANY`. */
function keyArray(keys: readonly number[]): string {
  return `[${keyList(keys).slice(1, -1)}]`;
}

/**
 * The filter of `keys`' term rows: the contents holding them (their content sets, which
 * the read connection keeps), then the keys. A content's rows are contiguous, so only the
 * row groups of those contents are read: a term's history costs what its service's
 * releases hold, not what the whole catalog holds (migration 0017 dropped the term_key
 * index, whose upkeep cost more than the rest of recording a release).
 */
async function keyRowsFilter(conn: SqlConnection, keys: readonly number[]): Promise<string> {
  const presence = await conn.all<{ presence_id: number }>(`SELECT presence_id FROM term_key_presence WHERE term_key IN ${keyList(keys)}`);
  const sets = await presenceContents(conn, presence.map((row) => Number(row.presence_id)));
  const contents = new Set<number>();
  for (const { presence_id } of presence) for (const content of sets.get(Number(presence_id)) ?? []) contents.add(content);
  return `content_id IN ${keyList([...contents].sort((a, b) => a - b))} AND term_key IN ${keyList(keys)}`;
}

/**
 * The term rows of `keys` in each version holding them (within `service` when given),
 * for mergeStates: first each row's content and history hash with the versions of its
 * content (no list column read), then the full state of one row per distinct hash (a
 * term has a few states over many releases; reading its lists in every release was most
 * of a history's time). Rows with one hash hold one state (migration 0018).
 */
async function termStateRows(conn: SqlConnection, keys: readonly number[], service: string | null): Promise<(TermStateRow & { service: string })[]> {
  await ensureTermContentVersions(conn);
  const rowsFilter = await keyRowsFilter(conn, keys);
  // The kind is per row: the history hash leaves it out (0018), and a state shared by two
  // contents may be a class in one and an individual in the other.
  const placed = await conn.all<{ content_id: number; history_hash: string; kind: string; service: string; version_id: string; relpaths: string[] }>(
    `SELECT t.content_id, t.history_hash::VARCHAR AS history_hash, t.kind, f.service, f.version_id::VARCHAR AS version_id, f.relpaths
     FROM (SELECT content_id, history_hash, kind FROM file_terms WHERE ${rowsFilter}) t
     JOIN ${TERM_CONTENT_VERSIONS} f ON f.content_id = t.content_id
     WHERE $service IS NULL OR f.service = $service`,
    { service },
  );
  if (placed.length === 0) return [];
  const oneContentPerState = new Map<string, number>();
  for (const row of placed) if (!oneContentPerState.has(row.history_hash)) oneContentPerState.set(row.history_hash, Number(row.content_id));
  const states = await conn.all<Omit<TermStateRow, 'version_id' | 'relpaths' | 'kind'> & { history_hash: string }>(
    // MATERIALIZED: inlined into the join, the planner reads every term row.
    `WITH rows AS MATERIALIZED (
       SELECT history_hash, label, labels, synonyms, definition_md5, deprecated, parents, replaced_by, consider
       FROM file_terms WHERE content_id IN ${keyList([...new Set(oneContentPerState.values())].sort((a, b) => a - b))} AND term_key IN ${keyList(keys)}
     )
     SELECT t.history_hash::VARCHAR AS history_hash, t.label, t.labels, t.synonyms, lpad(t.definition_md5::VARCHAR, 39, '0') AS definition_md5,
            d.definition, t.deprecated, t.parents, t.replaced_by, t.consider
     FROM rows t
     LEFT JOIN (SELECT * FROM term_definitions WHERE definition_md5 IN (SELECT definition_md5 FROM rows)) d ON d.definition_md5 = t.definition_md5`,
  );
  const byHash = new Map(states.map(({ history_hash, ...state }) => [history_hash, state]));
  return placed.map((row) => {
    const state = byHash.get(row.history_hash);
    if (!state) throw new OntocatError('INTERNAL', `A term row's state (hash ${row.history_hash}) was not found again.`);
    return { ...state, kind: row.kind, service: row.service, version_id: row.version_id, relpaths: row.relpaths };
  });
}

interface StateRow {
  service: string;
  version: string;
  release_rank: number;
  release_date: string | null;
  is_latest: boolean;
  present: boolean;
  label: string | null;
  labels: string[] | null;
  synonyms: string[] | null;
  definitions: string[] | null;
  deprecated: boolean | null;
  parents: string[] | null;
  replaced_by: string[] | null;
  consider: string[] | null;
  files: string[] | null;
  kind: string | null;
}

/** A state's labels or definitions as one text, as labels are carried. */
const joinList = joinLabels;

/** A state's parents or replacements (term ids) as one text, as both deltas show them. */
const joinIdents = (idents: readonly string[]): string | null => (idents.length === 0 ? null : idents.join(', '));

/** A list in code-point order, for comparing as sets (definitions are kept shown-first). */
const sortedCopy = (values: readonly string[]): string[] => [...values].sort(compareCodePoints);

/**
 * The changes of a term from one state it is in to a later one, as the whole-version
 * delta between those two releases names them (deltaChangesSql).
 */
function stateChanges(
  previous: TermVersionState, state: TermVersionState, push: (kind: TermEvent['kind'], before: string | null, after: string | null) => void,
): void {
  // A relabel names the labels each release alone has (a term with labels in forty
  // languages that gains one is not worth eighty labels on a timeline).
  if (joinList(previous.labels) !== joinList(state.labels)) push('RELABELLED', labelsOnlyIn(previous.labels, state.labels), labelsOnlyIn(state.labels, previous.labels));
  // Definitions compare as sets, and a redefinition names those each release alone has.
  if (joinList(sortedCopy(previous.definitions)) !== joinList(sortedCopy(state.definitions))) {
    push('REDEFINED', labelsOnlyIn(previous.definitions, state.definitions), labelsOnlyIn(state.definitions, previous.definitions));
  }
  if (joinIdents(previous.parents) !== joinIdents(state.parents)) push('REPARENTED', joinIdents(previous.parents), joinIdents(state.parents));
  if (previous.kind !== null && state.kind !== null && previous.kind !== state.kind) push('RETYPED', previous.kind, state.kind);
  if (state.deprecated && !previous.deprecated) push('DEPRECATED', null, joinIdents(state.replaced_by));
  if (!state.deprecated && previous.deprecated) push('UNDEPRECATED', null, null);
  if (joinIdents(previous.replaced_by) !== joinIdents(state.replaced_by) && state.replaced_by.length > 0 && previous.deprecated) {
    push('REPLACED', joinIdents(previous.replaced_by), joinIdents(state.replaced_by));
  }
}

/**
 * The changes between consecutive releases of one term's states (release order). A term
 * that comes back after releases without it is READDED, and what changed meanwhile is
 * named from the last release that had it to the one it is back in (the pair whose
 * whole-version delta shows those changes).
 */
export function termEvents(states: readonly TermVersionState[]): TermEvent[] {
  const events: TermEvent[] = [];
  let previous: TermVersionState | null = null;
  let lastPresent: TermVersionState | null = null;
  for (const state of states) {
    const to = state.version;
    const pushFrom = (from: string | null) => (kind: TermEvent['kind'], before: string | null, after: string | null): void => {
      events.push({ kind, from_version: from, to_version: to, before, after });
    };
    const push = pushFrom(previous?.version ?? null);
    if (state.present && !lastPresent) {
      push('FIRST_SEEN', null, state.label);
      if (state.deprecated) push('DEPRECATED', null, joinIdents(state.replaced_by));
    } else if (state.present && lastPresent && previous && !previous.present) {
      push('READDED', null, state.label);
      stateChanges(lastPresent, state, pushFrom(lastPresent.version));
    } else if (!state.present && previous?.present) {
      push('REMOVED', previous.label, null);
    } else if (state.present && previous?.present) {
      stateChanges(previous, state, push);
    }
    previous = state;
    if (state.present) lastPresent = state;
  }
  return events;
}

/**
 * One term's history over the releases of its service (or of every service that has it):
 * its state in each indexed release, in release order, and the changes between them.
 * Releases without indexed terms are left out, so an unindexed release never reads as a
 * removal.
 */
export async function termHistory(conn: SqlConnection, term: string, service?: string): Promise<TermHistory> {
  const { idents, keys } = await identsFor(conn, term, service);
  if (idents.length === 0) {
    throw new OntocatError('NOT_FOUND', `No indexed term is '${shownTerm(term)}'. Search with 'ontocat terms search' (ids, IRIs, CURIEs and labels), or backfill the index with 'ontocat terms backfill'.`);
  }
  const stateRows = await termStateRows(conn, keys, service ?? null);
  const states = mergeStates(stateRows);
  const services = [...new Set(stateRows.map((row) => row.service))];
  const rows = (await indexedReleases(conn)).filter((release) => services.includes(release.service))
    .sort((a, b) => compareCodePoints(a.service, b.service) || Number(a.release_rank) - Number(b.release_rank))
    .map((release): StateRow => {
      const state = states.get(release.version_id);
      return {
        ...release, present: state !== undefined, label: state?.label ?? null, labels: state?.labels ?? null, synonyms: state?.synonyms ?? null,
        definitions: state?.definitions ?? null, deprecated: state?.deprecated ?? null, parents: state?.parents ?? null,
        replaced_by: state?.replaced_by ?? null, consider: state?.consider ?? null, files: state?.files ?? null, kind: state?.kind ?? null,
      };
    });
  if (rows.length === 0 && service) {
    throw new OntocatError('NOT_FOUND', `The term '${shownTerm(term)}' is in the index, but in no version of '${service}'.`);
  }
  const timelines: TermTimeline[] = [];
  for (const row of rows) {
    let timeline = timelines.at(-1);
    if (!timeline || timeline.service !== row.service) {
      timeline = { service: row.service, versions: [], events: [] };
      timelines.push(timeline);
    }
    const labels = row.labels ?? [];
    (timeline.versions as TermVersionState[]).push({
      version: row.version, release_rank: row.release_rank, release_date: row.release_date, is_latest: row.is_latest, present: row.present,
      label: row.label ?? labels[0] ?? null, labels, synonyms: row.synonyms ?? [], definition: row.definitions?.[0] ?? null, definitions: row.definitions ?? [],
      deprecated: row.deprecated ?? false,
      parents: row.parents ?? [], replaced_by: row.replaced_by ?? [], consider: row.consider ?? [], files: row.files ?? [], kind: row.kind,
    });
  }
  const aliases = (await conn.all<{ label: string }>(
    `SELECT DISTINCT label FROM term_labels WHERE alias AND term_key IN ${keyList(keys)}`,
  )).map((row) => row.label).sort(compareCodePoints);
  return { query: term, idents, aliases, timelines: timelines.map((t) => ({ ...t, events: termEvents(t.versions) })) };
}

const deltaOrder = fixedOrder({ keys: changeRank('change'), unique: 'ident, change' });

/**
 * The indexed contents of version `$x` with a path not in `$skip_x`, from the kept map or
 * (`kept` false) computed in the query.
 */
function sideContentsSql(x: 'a' | 'b', kept: boolean): string {
  return `SELECT content_id FROM ${kept ? TERM_CONTENT_VERSIONS : `(${contentVersionRowsSql})`}
         WHERE version_id = $${x}::UUID AND NOT list_has_all(string_split($skip_${x}, chr(31)), relpaths)`;
}

/** One side's states: `x` is a or b; its contents are the indexed files of the version less the skipped paths. */
function sideSql(x: 'a' | 'b', kept: boolean): string {
  return `
       c${x} AS MATERIALIZED (${sideContentsSql(x, kept)}),
       r${x} AS MATERIALIZED (
         SELECT k.ident, t.term_key, t.content_id, t.kind, t.state_hash
         FROM file_terms t JOIN term_keys k ON k.term_key = t.term_key
         WHERE t.content_id IN (SELECT content_id FROM c${x})
       ),
       g${x} AS MATERIALIZED (SELECT ident, count(*) AS n, min(kind) AS kind, min(state_hash) AS h FROM r${x} GROUP BY ident),
       m${x} AS (
         SELECT u.ident, term_state_hash(flatten(list(t.labels)), min(t.definition_md5), bool_or(t.deprecated), flatten(list(t.parents)),
                                         flatten(list(t.replaced_by))) AS h
         FROM (SELECT * FROM r${x} WHERE ident IN (SELECT ident FROM g${x} WHERE n > 1)) u
         JOIN file_terms t ON t.term_key = u.term_key AND t.content_id = u.content_id
         WHERE t.content_id IN (SELECT content_id FROM c${x})
         GROUP BY u.ident
       ),
       ${x} AS MATERIALIZED (SELECT g.ident, g.kind, COALESCE(m.h, g.h) AS h FROM g${x} g LEFT JOIN m${x} m ON m.ident = g.ident),`;
}

/** The full state (label, definition, parent and replacement sets) of side `x` for the terms in `d`. */
function fullStateSql(x: 'a' | 'b'): string {
  return `
       f${x} AS MATERIALIZED (
         SELECT u.ident,
                list_sort(list_distinct(flatten(list(t.labels)))) AS labels,
                min(t.label) AS label,
                min(t.definition_md5) AS definition_md5,
                bool_or(t.deprecated) AS deprecated,
                list_sort(list_distinct(flatten(list(t.parents)))) AS parents,
                list_sort(list_distinct(flatten(list(t.replaced_by)))) AS replaced_by
         FROM (SELECT * FROM r${x} WHERE ident IN (SELECT ident FROM d)) u
         JOIN file_terms t ON t.term_key = u.term_key AND t.content_id = u.content_id
         WHERE t.content_id IN (SELECT content_id FROM c${x})
         GROUP BY u.ident
       ),`;
}

/**
 * The change rows of a version pair from the index (the CTEs shared by counts and pages).
 *
 * Each side is its version's indexed contents (a content shared by both versions is read
 * once per side, never parsed again) less the paths in $skip_a / $skip_b (chr(31)-joined).
 * Terms compare by one stored hash of their state; only the terms whose hashes differ (or
 * that one side lacks) have their label, definition and parent sets read and compared.
 */
function deltaChangesSql(kept: boolean): string {
  return `
  WITH ${sideSql('a', kept)}${sideSql('b', kept)}
       d AS MATERIALIZED (
         SELECT COALESCE(a.ident, b.ident) AS ident, COALESCE(b.kind, a.kind) AS kind, a.kind AS a_kind, b.kind AS b_kind,
                a.ident IS NOT NULL AS in_a, b.ident IS NOT NULL AS in_b
         FROM a FULL OUTER JOIN b ON a.ident = b.ident
         -- The state hash leaves the kind out: a term whose kind changed may keep every label and
         -- parent (VoID's void:dataDump, rdf:Property in 2020, owl:ObjectProperty in 2021).
         WHERE a.h IS DISTINCT FROM b.h OR a.kind IS DISTINCT FROM b.kind
       ),${fullStateSql('a')}${fullStateSql('b')}
       j AS MATERIALIZED (
         SELECT d.ident, d.kind, d.a_kind, d.b_kind, d.in_a, d.in_b,
                fa.labels AS a_labels, fb.labels AS b_labels, COALESCE(fb.label, fa.label) AS label,
                fa.definition_md5 AS a_def, fb.definition_md5 AS b_def,
                fa.parents AS a_parents, fb.parents AS b_parents, fa.deprecated AS a_dep, fb.deprecated AS b_dep, fa.replaced_by AS a_repl, fb.replaced_by AS b_repl
         FROM d LEFT JOIN fa ON fa.ident = d.ident LEFT JOIN fb ON fb.ident = d.ident
       ),
       changes AS MATERIALIZED (
         SELECT 'ADDED' AS change, * FROM j WHERE NOT in_a
         UNION ALL SELECT 'REMOVED', * FROM j WHERE NOT in_b
         UNION ALL SELECT 'RELABELLED', * FROM j WHERE in_a AND in_b AND a_labels <> b_labels
         UNION ALL SELECT 'REDEFINED', * FROM j WHERE in_a AND in_b AND a_def IS DISTINCT FROM b_def
         UNION ALL SELECT 'REPARENTED', * FROM j WHERE in_a AND in_b AND a_parents <> b_parents
         UNION ALL SELECT 'RETYPED', * FROM j WHERE in_a AND in_b AND a_kind <> b_kind
         UNION ALL SELECT 'DEPRECATED', * FROM j WHERE in_a AND in_b AND b_dep AND NOT a_dep
         UNION ALL SELECT 'UNDEPRECATED', * FROM j WHERE in_a AND in_b AND a_dep AND NOT b_dep
         UNION ALL SELECT 'REPLACED', * FROM j WHERE in_a AND in_b AND a_dep AND len(b_repl) > 0 AND a_repl <> b_repl
       ),
       -- One row per md5 in term_definitions, for the pair's REDEFINED rows only (joined
       -- whole, the definitions table cost more than the rest of the delta).
       redefined_definitions AS (
         SELECT * FROM term_definitions WHERE definition_md5 IN (
           SELECT a_def FROM changes WHERE change = 'REDEFINED' UNION ALL SELECT b_def FROM changes WHERE change = 'REDEFINED')
       )`;
}

/** The changes (alias `c`) of the kind $change and matching $search, when given. */
const CHANGE_FILTER = `($change IS NULL OR c.change = $change)
         AND ($search IS NULL OR contains(lower(c.ident), lower($search))
              OR contains(lower(COALESCE(array_to_string(c.a_labels, ' '), '') || ' ' || COALESCE(array_to_string(c.b_labels, ' '), '')), lower($search)))`;

/**
 * The SELECT of change rows over the `changes` CTE (with a total per row, LIMIT and OFFSET
 * when `page`). Rows are filtered, ordered and cut to the page first; only the page's rows
 * then look up their definitions.
 */
function changeRowsSql(page: boolean, total = page): string {
  // A redefinition, like a relabel, names the definitions one side has and the other lacks
  // (a term defined in six languages that gained a seventh changed by one definition).
  const definitionsOnlyIn = (x: string, y: string): string => `NULLIF(array_to_string(list_filter(string_split(${x}.definition, chr(31)),
    t -> NOT list_contains(COALESCE(string_split(${y}.definition, chr(31)), []), t)), ' | '), '')`;
  return `SELECT p.change, p.ident, p.kind, p.label, p.old_label, p.new_label,
            CASE p.change WHEN 'REDEFINED' THEN ${definitionsOnlyIn('da', 'db')} WHEN 'REPARENTED' THEN p.a_parents WHEN 'RELABELLED' THEN p.labels_gone
                          WHEN 'RETYPED' THEN p.a_kind WHEN 'REPLACED' THEN p.replaced_before END AS before,
            CASE p.change WHEN 'REDEFINED' THEN ${definitionsOnlyIn('db', 'da')} WHEN 'REPARENTED' THEN p.b_parents WHEN 'RETYPED' THEN p.b_kind
                          WHEN 'DEPRECATED' THEN p.replaced_by WHEN 'REPLACED' THEN p.replaced_by WHEN 'RELABELLED' THEN p.labels_new END AS after
            ${total ? ', p.total' : ''}
     FROM (
       SELECT c.change, c.ident, c.kind, c.label, c.a_kind, c.b_kind,
              -- No label is none (NULL), as the per-file delta and the page say, not an empty text.
              NULLIF(array_to_string(c.a_labels, ' | '), '') AS old_label, NULLIF(array_to_string(c.b_labels, ' | '), '') AS new_label,
              c.a_def, c.b_def, -- No parents is none (NULL, shown as a dash), not an empty text.
              NULLIF(array_to_string(c.a_parents, ', '), '') AS a_parents, NULLIF(array_to_string(c.b_parents, ', '), '') AS b_parents,
              NULLIF(array_to_string(c.b_repl, ', '), '') AS replaced_by, NULLIF(array_to_string(c.a_repl, ', '), '') AS replaced_before,
              -- A relabel's change is the labels one side has and the other lacks (a
              -- multilingual term has dozens; both lists in full say little).
              NULLIF(array_to_string(list_filter(c.a_labels, l -> NOT list_contains(c.b_labels, l)), ' | '), '') AS labels_gone,
              NULLIF(array_to_string(list_filter(c.b_labels, l -> NOT list_contains(c.a_labels, l)), ' | '), '') AS labels_new
              ${total ? ', count(*) OVER () AS total' : ''}
       FROM changes c
       WHERE ${CHANGE_FILTER}
       ORDER BY ${deltaOrder}${page ? ' LIMIT $limit OFFSET $offset' : ''}
     ) p
     LEFT JOIN redefined_definitions da ON da.definition_md5 = p.a_def
     LEFT JOIN redefined_definitions db ON db.definition_md5 = p.b_def
     ORDER BY ${deltaOrder}`;
}

/** The change rows of a version pair as a query (one page, or every row for an export), with the same columns either way. */
export function versionTermDeltaQuery(
  aId: string,
  bId: string,
  query: { change?: TermDeltaKind; search?: string },
  page?: { offset: number; limit: number },
): QuerySpec {
  return {
    sql: `${deltaChangesSql(false)}
     ${changeRowsSql(page !== undefined, false)}`,
    params: { a: aId, b: bId, skip_a: '', skip_b: '', change: query.change ?? null, search: query.search ?? null, ...(page ?? {}) },
  };
}

interface DeltaPageRow extends VersionTermChange {
  total: number | null;
  old_terms: number;
  new_terms: number;
  n_added: number;
  n_removed: number;
  n_relabelled: number;
  n_redefined: number;
  n_reparented: number;
  n_retyped: number;
  n_deprecated: number;
  n_undeprecated: number;
  n_replaced: number;
  n_matching: number;
}

/**
 * Every term change between two versions over all their indexed files, in SQL: added,
 * removed, relabelled, redefined, re-parented and newly deprecated, with a count per
 * kind and one page of changes (optionally of one kind or matching text). One query: the
 * changes are computed once for the counts and the page (a one-row count table joined
 * to the page, so an empty page still carries the counts).
 */
export async function versionTermDelta(
  conn: SqlConnection,
  a: VersionRef,
  b: VersionRef,
  query: { change?: TermDeltaKind; search?: string; offset?: number; limit?: number } = {},
): Promise<VersionTermDelta> {
  const { offset, limit } = pageWindow(query.offset, query.limit);
  const aId = await requireVersionId(conn, a);
  const bId = await requireVersionId(conn, b);
  // v_version_term_index's counts for the two versions, and the files indexed under older
  // rules, in one pass over their files (two queries cost 14 ms more).
  const coverage = await conn.all<{ version_id: string; ontology_files: number; indexed_files: number; outdated_files: number }>(
    `SELECT f.version_id::VARCHAR AS version_id,
            count(*) FILTER (WHERE f.format IN (SELECT unnest($3::VARCHAR[]))) AS ontology_files,
            count(c.content_id) FILTER (WHERE u.sha256 IS NULL) AS indexed_files, count(*) FILTER (WHERE c.rules < $4::INTEGER) AS outdated_files
     FROM extracted_files f LEFT JOIN term_index_contents c ON c.sha256 = f.sha256
       -- A file holding the content in a format it does not parse as holds none of its terms (fileHoldsContentSql).
       LEFT JOIN term_index_unparsable u ON u.sha256 = f.sha256 AND u.format = f.format AND u.format <> c.format
     WHERE f.version_id IN ($1::UUID, $2::UUID)
     GROUP BY f.version_id`,
    [aId, bId, listValue([...ONTOLOGY_FORMATS]), TERM_INDEX_RULES],
  );
  const complete = [aId, bId].every((id) => {
    const row = coverage.find((c) => c.version_id === id);
    return !row || Number(row.indexed_files) >= Number(row.ontology_files);
  });
  const outdatedFiles = coverage.reduce((sum, row) => sum + Number(row.outdated_files), 0);
  await ensureTermContentVersions(conn);
  const rows = await conn.all<DeltaPageRow>(
    `${deltaChangesSql(true)},
       counts AS (
         SELECT (SELECT count(*) FROM a) AS old_terms, (SELECT count(*) FROM b) AS new_terms,
                count(*) FILTER (WHERE change = 'ADDED') AS n_added, count(*) FILTER (WHERE change = 'REMOVED') AS n_removed,
                count(*) FILTER (WHERE change = 'RELABELLED') AS n_relabelled, count(*) FILTER (WHERE change = 'REDEFINED') AS n_redefined,
                count(*) FILTER (WHERE change = 'REPARENTED') AS n_reparented, count(*) FILTER (WHERE change = 'RETYPED') AS n_retyped,
                count(*) FILTER (WHERE change = 'DEPRECATED') AS n_deprecated, count(*) FILTER (WHERE change = 'UNDEPRECATED') AS n_undeprecated,
                count(*) FILTER (WHERE change = 'REPLACED') AS n_replaced,
                -- The page's total, so a page past the end still says how many there are.
                count(*) FILTER (WHERE ${CHANGE_FILTER}) AS n_matching
         FROM changes c
       ),
       page AS (${changeRowsSql(true)})
     SELECT counts.*, page.* FROM counts LEFT JOIN page ON true
     ORDER BY ${fixedOrder({
    keys: changeRank('page.change'),
    unique: 'page.ident, page.change',
  })}`,
    { a: aId, b: bId, skip_a: '', skip_b: '', change: query.change ?? null, search: query.search ?? null, offset, limit },
  );
  const first = rows[0];
  const n = (value: number | undefined): number => Number(value ?? 0);
  const items = rows.filter((row) => row.change !== null).map((row) => ({
    change: row.change, ident: row.ident, kind: row.kind, label: row.label, old_label: row.old_label || null, new_label: row.new_label || null, before: row.before, after: row.after,
  }));
  return {
    from: formatVersionRef(a),
    to: formatVersionRef(b),
    old_terms: n(first?.old_terms),
    new_terms: n(first?.new_terms),
    complete,
    outdated_files: outdatedFiles,
    summary: {
      added: n(first?.n_added), removed: n(first?.n_removed), relabelled: n(first?.n_relabelled),
      redefined: n(first?.n_redefined), reparented: n(first?.n_reparented), retyped: n(first?.n_retyped), deprecated: n(first?.n_deprecated),
      undeprecated: n(first?.n_undeprecated), replaced: n(first?.n_replaced),
    },
    changes: { items, total: n(first?.n_matching), offset, limit },
  };
}

interface NewestState {
  ident: string;
  label: string | null;
  deprecated: boolean;
  replaced_by: string[];
  consider: string[];
  version: string;
  /** The service's newest indexed release no longer has it (`version` is older). */
  removed: boolean;
}

/**
 * The state of each ident in the newest release of `service` that has it, and whether
 * that release is older than the service's newest indexed release (the term was removed).
 */
async function newestStates(conn: SqlConnection, service: string, idents: readonly string[]): Promise<Map<string, NewestState>> {
  const keys = (await conn.all<{ term_key: number }>(
    'SELECT term_key FROM term_keys WHERE ident IN (SELECT unnest($1::VARCHAR[]))', [listValue([...idents])],
  )).map((row) => Number(row.term_key));
  if (keys.length === 0) return new Map();
  await ensureTermContentVersions(conn);
  const rowsFilter = await keyRowsFilter(conn, keys);
  const rows = await conn.all<NewestState>(
    `WITH t AS MATERIALIZED (SELECT term_key, content_id, label, deprecated, replaced_by, consider FROM file_terms WHERE ${rowsFilter})
     SELECT k.ident,
            arg_max(t.label, r.release_rank) AS label,
            arg_max(t.deprecated, r.release_rank) AS deprecated,
            arg_max(t.replaced_by, r.release_rank) AS replaced_by,
            arg_max(t.consider, r.release_rank) AS consider,
            arg_max(r.version, r.release_rank) AS version,
            max(r.release_rank) < (SELECT max(n.release_rank) FROM ${TERM_CONTENT_VERSIONS} n WHERE n.service = $1) AS removed
     FROM t
     JOIN term_keys k ON k.term_key = t.term_key
     JOIN ${TERM_CONTENT_VERSIONS} r ON r.content_id = t.content_id
     WHERE r.service = $1
     GROUP BY k.ident`,
    [service],
  );
  return new Map(rows.map((row) => [row.ident, row]));
}

/** How far a lineage is followed; real chains are a few steps. */
const MAX_LINEAGE_DEPTH = 32;

/**
 * Follows replaced_by (then consider) from a term to the live terms it leads to, reading
 * each term in the newest release of the service that has it. A live term is one the
 * service's newest indexed release has, not deprecated: a replacement a later release
 * removed is no live term (its chain ends there). Each term is visited once,
 * so a cycle (A replaced by B replaced by A) ends the chain instead of looping.
 */
export async function termLineage(conn: SqlConnection, term: string, asked?: string): Promise<TermLineage> {
  const service = asked ?? await lineageService(conn, term);
  const { idents } = await identsFor(conn, term, service);
  const start = idents[0];
  if (!start) throw new OntocatError('NOT_FOUND', `No indexed term is '${shownTerm(term)}'.`);
  const steps: LineageStep[] = [];
  const live: string[] = [];
  const seen = new Set<string>([start]);
  let cycle = false;
  let frontier: { ident: string; via: LineageStep['via'] }[] = [{ ident: start, via: 'start' }];
  for (let depth = 0; frontier.length > 0 && depth <= MAX_LINEAGE_DEPTH; depth += 1) {
    const states = await newestStates(conn, service, frontier.map((step) => step.ident));
    const next: typeof frontier = [];
    for (const step of frontier) {
      const state = states.get(step.ident);
      steps.push({
        ident: step.ident, label: state?.label ?? null, deprecated: state?.deprecated ?? false, removed: state?.removed ?? false,
        via: step.via, depth, version: state?.version ?? null,
      });
      if (!state) continue;
      if (!state.deprecated) {
        if (state.removed) continue;
        if (!live.includes(step.ident)) live.push(step.ident);
        continue;
      }
      const targets = [
        ...state.replaced_by.map((ident) => ({ ident, via: 'replaced_by' as const })),
        ...state.consider.map((ident) => ({ ident, via: 'consider' as const })),
      ];
      for (const target of targets) {
        if (seen.has(target.ident)) {
          cycle = true;
          continue;
        }
        seen.add(target.ident);
        next.push(target);
      }
    }
    frontier = next;
  }
  if (steps[0] && steps[0].version === null) {
    throw new OntocatError('NOT_FOUND', `The term '${shownTerm(term)}' is in no version of '${service}'.`);
  }
  return { start, service, steps, live, cycle };
}

/**
 * SQL: the content of `alias` (a row with a sha256 and a format) did not parse as that format
 * under `$validator` (term_index_unparsable, 0028). Read as another format it may (0036:
 * DCAT's N-Quads in a `.nt` file), so another file holding it is still to be read.
 */
const unparsableNow = (alias: string): string =>
  `EXISTS (SELECT 1 FROM term_index_unparsable u WHERE u.sha256 = ${alias}.sha256 AND u.format = ${alias}.format AND u.validator_version = $validator::INTEGER)`;

/**
 * The ontology files (`f`) whose content the index lacks and has no verdict on under the
 * current parsers: what a backfill still has to read. A content that did not parse under
 * `$validator` is no longer pending.
 */
const PENDING_FILE = `f.format IN (SELECT unnest($formats::VARCHAR[]))
  AND NOT EXISTS (SELECT 1 FROM term_index_contents c WHERE c.sha256 = f.sha256)
  AND NOT ${unparsableNow('f')}`;

/**
 * The contents kept as not parsing under `$validator` and not indexed under the current
 * rules. One indexed under older rules that no longer parses is counted here, not as
 * outdated: no backfill can re-read it (its older terms stay until the parsers change).
 */
const UNPARSABLE_NOW = `FROM term_index_unparsable u
  WHERE u.validator_version = $validator::INTEGER
    AND NOT EXISTS (SELECT 1 FROM term_index_contents c WHERE c.sha256 = u.sha256 AND c.rules >= $rules::INTEGER)`;

/**
 * How much of the catalog the term index covers, under the parsers of `validatorVersion`:
 * a version is indexed when every ontology file of it is, or is known not to parse.
 */
export async function termIndexStatus(conn: SqlConnection, validatorVersion: number): Promise<TermIndexStatus> {
  const row = await conn.one<TermIndexStatus>(
    `WITH versions_pending AS (SELECT DISTINCT f.version_id FROM extracted_files f WHERE ${PENDING_FILE})
     SELECT (SELECT count(*) FROM term_index_contents) AS contents,
            -- Rows of recorded contents only: a content recorded in chunks has rows before its record.
            (SELECT COALESCE(sum(terms), 0) FROM term_index_contents) AS term_rows,
            -- A key no content holds (a relation id an older reader gave, 0026) is no term.
            (SELECT count(DISTINCT k.ident) FROM term_keys k SEMI JOIN term_key_presence p ON p.term_key = k.term_key) AS distinct_terms,
            (SELECT count(DISTINCT version_id) FROM extracted_files) - (SELECT count(*) FROM versions_pending) AS versions_indexed,
            (SELECT count(*) FROM versions_pending) AS versions_pending,
            (SELECT count(DISTINCT f.sha256) FROM extracted_files f WHERE ${PENDING_FILE}) AS contents_pending,
            (SELECT count(DISTINCT u.sha256) ${UNPARSABLE_NOW}) AS contents_unparsable,
            (SELECT count(*) FROM term_index_contents c WHERE c.rules < $rules::INTEGER AND NOT ${unparsableNow('c')}) AS contents_outdated`,
    { formats: listValue([...ONTOLOGY_FORMATS]), validator: validatorVersion, rules: TERM_INDEX_RULES },
  );
  return row!;
}

/** A content the index lacks, or holds under older rules, with one file that holds it (what backfill parses). */
export interface PendingContent {
  readonly sha256: string;
  readonly format: string;
  readonly service: string;
  readonly version: string;
  readonly relpath: string;
  readonly size_bytes: number;
  /** That file's mtime as recorded (epoch ms), null for a row recorded without one. */
  readonly mtime_ms: number | null;
}

/**
 * Ontology file contents the index lacks (leaving out those that did not parse under
 * `validatorVersion`) or holds under older rules, one file each, optionally of one service.
 * A content held in several formats is listed once in each format it has no verdict in: one
 * whose file in one format does not parse may parse in another's (0036).
 */
export async function pendingTermContents(conn: SqlConnection, validatorVersion: number, service?: string): Promise<PendingContent[]> {
  return conn.all<PendingContent>(
    `SELECT f.sha256, f.format, arg_min(f.service, f.file_id) AS service,
            arg_min(v.version, f.file_id) AS version, arg_min(f.relpath, f.file_id) AS relpath, arg_min(f.size_bytes, f.file_id) AS size_bytes,
            arg_min(epoch_ms(f.mtime), f.file_id) AS mtime_ms
     FROM extracted_files f JOIN versions v ON v.version_id = f.version_id
     WHERE f.format IN (SELECT unnest($formats::VARCHAR[]))
       AND ($service IS NULL OR f.service = $service)
       AND NOT EXISTS (SELECT 1 FROM term_index_contents c WHERE c.sha256 = f.sha256 AND c.rules >= $rules::INTEGER)
       AND NOT ${unparsableNow('f')}
     GROUP BY f.sha256, f.format
     ORDER BY service, version, relpath`,
    { formats: listValue([...ONTOLOGY_FORMATS]), service: service ?? null, rules: TERM_INDEX_RULES, validator: validatorVersion },
  );
}

/**
 * One page of the contents the index cannot hold because they did not parse under
 * `validatorVersion`, each with the first file (by service, version, path) that holds it,
 * optionally of one service; ordered by that file.
 */
export async function unparsableTermContents(
  conn: SqlConnection,
  validatorVersion: number,
  query: { service?: string; offset?: number; limit?: number } = {},
): Promise<Page<UnparsableTermContent>> {
  const { offset, limit } = pageWindow(query.offset, query.limit);
  // A one-row count joined to the page, so a page past the end still carries the total.
  const rows = await conn.all<Omit<UnparsableTermContent, 'files'> & { files: number | null; total: number }>(
    `WITH shown AS (
       SELECT u.sha256, any_value(u.format) AS format, any_value(u.message) AS message, any_value(u.read_at)::VARCHAR AS read_at,
              min({'service': f.service, 'version': v.version, 'relpath': f.relpath}) AS first, count(*) AS files
       FROM (SELECT u.* ${UNPARSABLE_NOW}) u
       JOIN extracted_files f ON f.sha256 = u.sha256 AND f.format = u.format
       JOIN versions v ON v.version_id = f.version_id
       WHERE $service IS NULL OR f.service = $service
       GROUP BY u.sha256
     ),
     page AS (
       SELECT sha256, format, message, read_at, first.service AS service, first.version AS version, first.relpath AS relpath, files
       FROM shown ORDER BY ${fixedOrder({ keys: 'first', unique: 'sha256' })} LIMIT $limit OFFSET $offset
     )
     SELECT (SELECT count(*) FROM shown) AS total, page.* FROM (SELECT 1) one LEFT JOIN page ON true
     ORDER BY ${fixedOrder({ keys: 'page.service, page.version, page.relpath', unique: 'page.sha256' })}`,
    { validator: validatorVersion, rules: TERM_INDEX_RULES, service: query.service ?? null, limit, offset },
  );
  return {
    items: rows.filter((row) => row.sha256 !== null).map(({ total: _total, ...row }) => ({ ...row, files: Number(row.files) })),
    total: Number(rows[0]?.total ?? 0), offset, limit,
  };
}

/** Refuses a service the catalog has no version of (NOT_FOUND, naming it). */
export async function requireService(conn: SqlConnection, service: string): Promise<void> {
  const versions = await conn.scalar<number>('SELECT count(*) FROM versions WHERE service = $1', [service]);
  if (!versions) throw new OntocatError('NOT_FOUND', `No service '${service}' in the catalog; 'ontocat services' lists them.`);
}

/** An ontology file of a version pair whose content the term index does not hold. */
export interface UnindexedFile {
  readonly side: 'a' | 'b';
  readonly relpath: string;
  /** Its counterpart in the other version: the same path, else the same content at another path (a move). */
  readonly other_relpath: string | null;
  /** The counterpart has the same content. */
  readonly same_content: boolean;
  /** Validation found the file does not parse. */
  readonly unparsable: boolean;
}

/**
 * The ontology files of versions A and B whose content is not in the term index (validated
 * before the index existed, or not parsed into terms), each with its counterpart in the
 * other version, so the whole-version delta can leave the pair to a file-by-file comparison.
 */
export async function unindexedOntologyFiles(conn: SqlConnection, aId: string, bId: string): Promise<UnindexedFile[]> {
  return conn.all<UnindexedFile>(
    `WITH ${deltaPairCtes({ scoped: false })},
     u AS (
       SELECT f.file_id, f.version_id, f.relpath, f.sha256,
              CASE WHEN f.version_id = $a::UUID THEN 'a' ELSE 'b' END AS side,
              CASE WHEN f.version_id = $a::UUID THEN $b::UUID ELSE $a::UUID END AS other_id
       FROM extracted_files f
       WHERE f.version_id IN ($a::UUID, $b::UUID)
         AND f.format IN (SELECT unnest($formats::VARCHAR[]))
         AND NOT EXISTS (SELECT 1 FROM term_index_contents c WHERE c.sha256 = f.sha256 AND ${fileHoldsContentSql('f', 'c')})
     )
     SELECT u.side, u.relpath,
            COALESCE(same_path.relpath, (SELECT min(m.relpath) FROM extracted_files m WHERE m.version_id = u.other_id AND m.sha256 = u.sha256),
                     -- A file named by its version (EDAM_1.1.obo for EDAM_1.2.obo), as the file-level delta pairs it.
                     (SELECT CASE WHEN u.side = 'a' THEN p.new_relpath ELSE p.old_relpath END FROM delta_named_pairs p
                      WHERE (u.side = 'a' AND p.old_file_id = u.file_id) OR (u.side = 'b' AND p.new_file_id = u.file_id))) AS other_relpath,
            CASE WHEN same_path.relpath IS NOT NULL THEN same_path.sha256 = u.sha256
                 ELSE EXISTS (SELECT 1 FROM extracted_files m WHERE m.version_id = u.other_id AND m.sha256 = u.sha256) END AS same_content,
            COALESCE((SELECT bool_or(h.unparsable) FROM v_file_health h WHERE h.file_id = u.file_id), false) AS unparsable
     FROM u LEFT JOIN extracted_files same_path ON same_path.version_id = u.other_id AND same_path.relpath = u.relpath
     ORDER BY u.side, u.relpath`,
    { a: aId, b: bId, formats: listValue([...ONTOLOGY_FORMATS]) },
  );
}

/** The whole-version term delta's counts over the indexed files of A and B, less the paths left to a file-by-file comparison. */
export interface IndexTermCounts {
  readonly summary: Readonly<Record<Lowercase<TermDeltaKind>, number>>;
  readonly old_terms: number;
  readonly new_terms: number;
  /** Indexed files of A and of B the counts cover. */
  readonly files_a: number;
  readonly files_b: number;
}

/**
 * Counts of the whole-version term delta between A and B over every indexed file of each,
 * except the paths in `skipA` / `skipB` (compared file by file instead), in one query.
 */
export async function indexTermDeltaCounts(
  conn: SqlConnection, aId: string, bId: string, skipA: readonly string[] = [], skipB: readonly string[] = [],
): Promise<IndexTermCounts> {
  await ensureTermContentVersions(conn);
  // A version's paths are distinct, so its indexed files not skipped are the kept map's paths not skipped.
  const files = (x: 'a' | 'b'): string => `SELECT COALESCE(sum(len(list_filter(relpaths, p -> NOT list_contains(string_split($skip_${x}, chr(31)), p)))), 0)
       FROM ${TERM_CONTENT_VERSIONS} WHERE version_id = $${x}::UUID`;
  const rows = await conn.all<{ change: string; n: number }>(
    `${deltaChangesSql(true)}
     SELECT lower(change) AS change, count(*) AS n FROM changes GROUP BY change
     UNION ALL SELECT 'old_terms', count(*) FROM a
     UNION ALL SELECT 'new_terms', count(*) FROM b
     UNION ALL SELECT 'files_a', (${files('a')})
     UNION ALL SELECT 'files_b', (${files('b')})`,
    // Paths joined by U+001F, which no catalogued path holds (control characters are refused at ingest).
    { a: aId, b: bId, skip_a: skipA.join('\u001f'), skip_b: skipB.join('\u001f') },
  );
  const n = (key: string): number => Number(rows.find((row) => row.change === key)?.n ?? 0);
  return {
    summary: {
      added: n('added'), removed: n('removed'), relabelled: n('relabelled'),
      redefined: n('redefined'), reparented: n('reparented'), retyped: n('retyped'), deprecated: n('deprecated'), undeprecated: n('undeprecated'), replaced: n('replaced'),
    },
    old_terms: n('old_terms'), new_terms: n('new_terms'), files_a: n('files_a'), files_b: n('files_b'),
  };
}

/** The columns of a term history's export, one row per release of each service (names to DuckDB types). */
const HISTORY_EXPORT_COLUMNS = {
  service: 'VARCHAR', version: 'VARCHAR', release_date: 'VARCHAR', is_latest: 'BOOLEAN', present: 'BOOLEAN', kind: 'VARCHAR',
  label: 'VARCHAR', labels: ['VARCHAR'], synonyms: ['VARCHAR'], definition: 'VARCHAR', definitions: ['VARCHAR'], deprecated: 'BOOLEAN',
  parents: ['VARCHAR'], replaced_by: ['VARCHAR'], consider: ['VARCHAR'], files: ['VARCHAR'], changes: ['VARCHAR'],
} as const;

/**
 * A term's history as a table for export (CSV, JSON, Parquet): one row per release of each
 * of its services, in release order, with the term's state there and `changes`, the kinds
 * of the events that release shows (RELABELLED, DEPRECATED, REMOVED …).
 *
 * The history is built by `termHistory` (its events come from comparing releases in order);
 * its rows go back into DuckDB as one JSON value, so the export is written by the same COPY
 * as every other table.
 */
export async function termHistoryExportQuery(conn: SqlConnection, input: { term: string; service?: string }): Promise<QuerySpec> {
  const history = await termHistory(conn, input.term, input.service);
  const rows = history.timelines.flatMap((timeline) => timeline.versions.map((state) => ({
    service: timeline.service, version: state.version, release_date: state.release_date, is_latest: state.is_latest, present: state.present,
    kind: state.kind, label: state.label, labels: state.labels, synonyms: state.synonyms, definition: state.definition,
    definitions: state.definitions, deprecated: state.present ? state.deprecated : null, parents: state.parents, replaced_by: state.replaced_by,
    consider: state.consider, files: state.files,
    changes: timeline.events.filter((event) => event.to_version === state.version).map((event) => event.kind),
  })));
  return {
    sql: `SELECT ${Object.keys(HISTORY_EXPORT_COLUMNS).map((name) => `r.${name}`).join(', ')}
          FROM (SELECT unnest(from_json($rows::JSON, $structure)) AS r, generate_subscripts(from_json($rows::JSON, $structure), 1) AS ord)
          ORDER BY ord`,
    params: { rows: JSON.stringify(rows), structure: JSON.stringify([HISTORY_EXPORT_COLUMNS]) },
  };
}
