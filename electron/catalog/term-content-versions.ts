/**
 * Which versions hold each indexed content, kept per read connection until the catalog changes.
 *
 * Every term search, history and lineage maps term rows (keyed by content) to the versions
 * whose files hold that content. Computing that map joins the term contents with every file
 * row of the catalog and ranks the versions in release order: 20–60 ms per query on a
 * catalog of a million file rows, more than the rest of a one-term search. The map is small
 * (one row per indexed content and version holding it), so each read connection keeps it in
 * a temp table, rebuilt when the catalog's generation has moved since it was built.
 *
 * Why a kept map never gives a wrong answer: it is built by one statement, so it is one
 * committed state of the catalog. Everything else a term query reads (term rows, keys,
 * labels, definitions, the keys' content sets) depends on contents only, and contents are
 * only ever added: rows of a content newer than the map join no version of it and drop
 * out, so the answer is the one of the map's state, which the read's own start had reached
 * (the generation is read before the map is checked). The one exception is a content whose
 * term ids a re-read under new rules changed (term-index.ts, dropContents): it is removed
 * and recorded again, and a read running across that commit may miss its terms once. A
 * write transaction rebuilds it every time, as its uncommitted rows are in no kept state.
 */
import { OntocatError } from '../shared/errors.js';
import type { SqlConnection } from './sql.js';

/**
 * SQL: the file `f` holds the terms of the indexed content `c` of its bytes. The index holds a
 * content's terms as read in one format; a file holding the same bytes in a format they do
 * not parse as (a verdict for that format in term_index_unparsable, 0036: DCAT's N-Quads
 * saved as `dcat.nt`) holds none, as validating it alone would record.
 */
export const fileHoldsContentSql = (f: string, c: string): string =>
  `NOT EXISTS (SELECT 1 FROM term_index_unparsable u WHERE u.sha256 = ${f}.sha256 AND u.format = ${f}.format AND u.format <> ${c}.format)`;

/**
 * One row per indexed content and version holding it: the version's release rank and date,
 * whether it is its service's latest, and the paths the content has in it.
 */
export const contentVersionRowsSql = `
  SELECT c.content_id, f.service, f.version_id,
         any_value(r.version) AS version, any_value(r.release_rank) AS release_rank, any_value(r.release_date) AS release_date,
         bool_or(lp.version_id IS NOT NULL) AS is_latest, list_sort(list_distinct(list(f.relpath))) AS relpaths
  FROM term_index_contents c
  JOIN extracted_files f ON f.sha256 = c.sha256 AND ${fileHoldsContentSql('f', 'c')}
  JOIN v_release_order r ON r.version_id = f.version_id
  LEFT JOIN latest_pointer lp ON lp.slot = f.service AND lp.version_id = f.version_id
  GROUP BY c.content_id, f.service, f.version_id`;

const TABLE = 'term_content_versions';

/** The kept map's table, on the connection's temp schema. */
export const TERM_CONTENT_VERSIONS = `temp.${TABLE}`;

/**
 * What each connection keeps, with the generation it was built at: the map and presence
 * services are temp tables; the map is also read into JS when first asked for (`inJs`),
 * one stamp for all of them.
 */
const kept = new WeakMap<SqlConnection['raw'], { generation: number; inJs?: KeptMapInJs }>();

const PRESENCE_TABLE = 'term_presence_services';

/**
 * The kept services of each content set (term_presence_sets) as of the kept map: per set
 * and service, whether the service's latest version holds one of its contents. A search
 * of many keys ranks its hits from these instead of unnesting every set it reaches.
 * Sets are never changed (a new content makes new sets), so a kept row stays true for the
 * kept map; sets made after it was built are numbered above `covered_to` and are read
 * from term_presence_sets at query time (keptPresenceServicesSql).
 */
export const TERM_PRESENCE_SERVICES = `temp.${PRESENCE_TABLE}`;

/**
 * The presence services of the sets `$presence` selects (a subquery over presence_id): the
 * kept rows, and for sets newer than the kept table, rows computed from the kept map.
 */
export function keptPresenceServicesSql(presence: string): string {
  return `SELECT presence_id, service, in_latest FROM ${TERM_PRESENCE_SERVICES} WHERE presence_id IN (${presence})
     UNION ALL
     SELECT x.presence_id, m.service, bool_or(m.is_latest)
     FROM (SELECT presence_id, unnest(content_ids) AS content_id FROM term_presence_sets
           WHERE presence_id > (SELECT max(covered_to) FROM ${TERM_PRESENCE_SERVICES}_covered) AND presence_id IN (${presence})) x
     JOIN ${TERM_CONTENT_VERSIONS} m ON m.content_id = x.content_id
     GROUP BY x.presence_id, m.service`;
}

/**
 * Makes the kept map (`temp.term_content_versions`) and the kept presence services current
 * on `conn` (a no-op when the catalog has not changed since they were built).
 */
export async function ensureTermContentVersions(conn: SqlConnection): Promise<void> {
  const generation = conn.readGeneration;
  if (generation !== undefined && kept.get(conn.raw)?.generation === generation) return;
  kept.delete(conn.raw);
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${TABLE} AS ${contentVersionRowsSql}`);
  // The sets' numbers covered are read first: a set made while the kept rows are built is
  // then read at query time, never missed.
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${PRESENCE_TABLE}_covered AS SELECT COALESCE(max(presence_id), 0) AS covered_to FROM term_presence_sets`);
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${PRESENCE_TABLE} AS
    SELECT x.presence_id, m.service, bool_or(m.is_latest) AS in_latest
    FROM (SELECT presence_id, unnest(content_ids) AS content_id FROM term_presence_sets
          WHERE presence_id <= (SELECT covered_to FROM ${PRESENCE_TABLE}_covered)) x
    JOIN ${TABLE} m ON m.content_id = x.content_id
    GROUP BY x.presence_id, m.service`);
  if (generation !== undefined) kept.set(conn.raw, { generation });
}

/** An indexed release: a version holding at least one indexed content. */
export interface IndexedRelease {
  readonly service: string;
  readonly version_id: string;
  readonly version: string;
  readonly release_rank: number;
  readonly release_date: string | null;
  readonly is_latest: boolean;
}

/** The kept map in JS: its releases (a term's history lists them all), and the versions holding each content. */
interface KeptMapInJs {
  readonly releases: readonly IndexedRelease[];
  readonly holders: ReadonlyMap<number, readonly IndexedRelease[]>;
}

/**
 * The kept map read into JS, once per build of it: a search expands its keys' content
 * sets to versions here, not in a join whose rows (a key times the ~50 versions it is in)
 * cost more to hand over than to make. A write transaction reads it afresh each time.
 */
async function keptMapInJs(conn: SqlConnection): Promise<KeptMapInJs> {
  await ensureTermContentVersions(conn);
  const entry = kept.get(conn.raw);
  if (entry?.inJs) return entry.inJs;
  const rows = await conn.all<IndexedRelease & { content_id: number }>(
    `SELECT content_id, service, version_id::VARCHAR AS version_id, version, release_rank,
            strftime(release_date, '%Y-%m-%dT%H:%M:%SZ') AS release_date, is_latest
     FROM ${TERM_CONTENT_VERSIONS}`,
  );
  const releases = new Map<string, IndexedRelease>();
  const holders = new Map<number, IndexedRelease[]>();
  for (const { content_id, ...release } of rows) {
    const id = `${release.service}\u0000${release.version_id}`;
    const shared = releases.get(id) ?? release;
    releases.set(id, shared);
    const list = holders.get(content_id);
    if (list) list.push(shared);
    else holders.set(content_id, [shared]);
  }
  const inJs = { releases: [...releases.values()], holders };
  if (entry) entry.inJs = inJs;
  return inJs;
}

/** Every indexed release of the kept map. */
export async function indexedReleases(conn: SqlConnection): Promise<readonly IndexedRelease[]> {
  return (await keptMapInJs(conn)).releases;
}

/** The versions holding each indexed content, from the kept map. */
export async function contentHolders(conn: SqlConnection): Promise<ReadonlyMap<number, readonly IndexedRelease[]>> {
  return (await keptMapInJs(conn)).holders;
}

/**
 * The content sets read so far on each read connection. A set is never changed once made
 * (a new content makes new sets, with new numbers), so a kept set stays true whatever the
 * generation; a write transaction reads its sets afresh, as they may yet roll back.
 */
const keptSets = new WeakMap<SqlConnection['raw'], Map<number, readonly number[]>>();

/** The contents of the sets numbered `ids` (term_presence_sets), each set read once per read connection. */
export async function presenceContents(conn: SqlConnection, ids: Iterable<number>): Promise<ReadonlyMap<number, readonly number[]>> {
  const reading = conn.readGeneration !== undefined;
  const sets = (reading ? keptSets.get(conn.raw) : undefined) ?? new Map<number, readonly number[]>();
  if (reading) keptSets.set(conn.raw, sets);
  const missing = [...new Set(ids)].filter((id) => !sets.has(id));
  if (!missing.every((id) => Number.isSafeInteger(id))) throw new OntocatError('INTERNAL', 'A content set number is not an integer.');
  if (missing.length > 0) {
    const rows = await conn.all<{ presence_id: number; content_ids: number[] }>(
      `SELECT presence_id, content_ids FROM term_presence_sets WHERE presence_id IN (${missing.join(', ')})`,
    );
    for (const row of rows) sets.set(Number(row.presence_id), row.content_ids.map(Number));
  }
  return sets;
}
