/**
 * The version released just before `SERVICE/VERSION` (release order, never ingest order),
 * for "versus previous" views.
 */
import { useQuery } from '../api/api-context.js';

/** Previous ref of the same service, `null` when none, `undefined` while loading. */
export function usePreviousVersion(service: string, version: string): string | null | undefined {
  const list = useQuery('versions:list', service ? { service, sort: 'release', direction: 'desc', limit: 1000 } : null, [service]);
  if (!list.data) return undefined;
  const items = list.data.items;
  const index = items.findIndex((v) => v.version === version);
  const previous = index >= 0 ? items[index + 1] : undefined;
  return previous ? `${previous.service}/${previous.version}` : null;
}
