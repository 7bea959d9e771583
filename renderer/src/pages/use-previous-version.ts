/**
 * The version released just before `SERVICE/VERSION` (release order, never ingest order),
 * for "versus previous" views.
 */
import { useQuery } from '../api/api-context.js';

/**
 * Previous ref of the same service, `null` when none, `undefined` while loading. Asked of the
 * catalog for this one version: a page of the service's versions held only the newest 1,000,
 * so an older one found no previous version.
 */
export function usePreviousVersion(service: string, version: string): string | null | undefined {
  const ref = service && version ? `${service}/${version}` : null;
  const previous = useQuery('versions:previous', ref ? { ref } : null, [ref]);
  if (!previous.data) return ref ? undefined : null;
  return previous.data.previous;
}
