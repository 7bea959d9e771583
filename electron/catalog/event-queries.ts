import type { CatalogEvent, EventLevel, LatestChange, Page } from '../shared/models.js';
import { OntocatError } from '../shared/errors.js';
import { fixedOrder, likeLiteral, pageWindow, pageWithTotal } from './paging.js';
import type { SqlConnection } from './sql.js';

export interface ListEventsQuery {
  readonly type?: string;
  readonly level?: EventLevel;
  readonly search?: string;
  readonly since?: string;
  readonly offset?: number;
  readonly limit?: number;
}

/** The audit log, newest first; `type` matches a prefix (`latest` finds `latest.set`). */
/** The moves of one service's latest pointer, newest first, from the `latest.set` events. */
export async function latestHistory(conn: SqlConnection, service: string, query: { offset?: number; limit?: number } = {}): Promise<Page<LatestChange>> {
  const { offset, limit } = pageWindow(query.offset, query.limit, 50);
  const page = (at: number, size: number) => conn.all<LatestChange & { total: number }>(
    `SELECT event_id::VARCHAR AS event_id, ts, json_extract_string(payload_json, '$.service') AS service,
            json_extract_string(payload_json, '$.version') AS version, json_extract_string(payload_json, '$.previous') AS previous,
            COALESCE(json_extract_string(payload_json, '$.by'), '') AS "by", count(*) OVER () AS total
     FROM events WHERE type = 'latest.set' AND json_extract_string(payload_json, '$.service') = $service
     ORDER BY ${fixedOrder({ keys: 'ts DESC', unique: 'event_id' })} LIMIT $limit OFFSET $offset`,
    { service, limit: size, offset: at },
  );
  return pageWithTotal(await page(offset, limit), { offset, limit }, () => page(0, 1));
}

export async function listEvents(conn: SqlConnection, query: ListEventsQuery = {}): Promise<Page<CatalogEvent>> {
  const { offset, limit } = pageWindow(query.offset, query.limit, 50);
  if (query.level && !['info', 'warn', 'error'].includes(query.level)) {
    throw new OntocatError('BAD_INPUT', `Unknown level '${query.level}'; use info, warn or error.`);
  }
  if (query.since && Number.isNaN(Date.parse(query.since))) throw new OntocatError('BAD_INPUT', `'${query.since}' is not a date.`);
  const page = (at: number, size: number) => conn.all<Omit<CatalogEvent, 'payload'> & { payload_json: string; total: number }>(
    `SELECT event_id, ts, type, level, run_id, actor, payload_json, count(*) OVER () AS total FROM events
     WHERE ($type IS NULL OR starts_with(type, $type))
       AND ($level IS NULL OR level = $level)
       AND ($since IS NULL OR ts >= $since::TIMESTAMP)
       AND ($search IS NULL OR payload_json ILIKE '%' || $search || '%' ESCAPE '\\')
     ORDER BY ${fixedOrder({ keys: 'ts DESC', unique: 'event_id' })} LIMIT $limit OFFSET $offset`,
    {
      type: query.type ?? null, level: query.level ?? null, since: query.since ?? null,
      search: query.search ? likeLiteral(query.search) : null, limit: size, offset: at,
    },
  );
  const listed = await pageWithTotal(await page(offset, limit), { offset, limit }, () => page(0, 1));
  return {
    ...listed,
    items: listed.items.map(({ payload_json, ...row }) => ({ ...row, payload: JSON.parse(payload_json) as Record<string, unknown> })),
  };
}
