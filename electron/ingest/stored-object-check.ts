import path from 'node:path';
import type { Catalog } from '../catalog/open-catalog.js';
import { objectsWithOtherMtime } from '../catalog/ingest-queries.js';
import { OntocatError } from '../shared/errors.js';
import { trySha256File } from '../storage/file-hash.js';
import { casObjectSha } from '../storage/layout.js';

/**
 * Refuses to link content store objects that changed on disk since they were recorded.
 *
 * A version's file is a hard link of its object, so an editor that writes in place changes
 * the object too, often without changing its size (which the file workers check). Linked
 * into a new version, such an object gave it other bytes than its source's, recorded under
 * the source's hash. An object whose mtime is not the one the catalog recorded for it is
 * hashed here (only those: reading every reused object would cost a second version what
 * its first cost); one that no longer hashes to its name refuses the ingest.
 */
export async function assertStoredObjectsUnchanged(catalog: Catalog, objects: readonly { cas_relpath: string; mtime_ms: number }[]): Promise<void> {
  const suspects = await catalog.read((conn) => objectsWithOtherMtime(conn, objects));
  const damaged: string[] = [];
  for (const relpath of suspects) {
    if ((await trySha256File(path.join(path.resolve(catalog.root), ...relpath.split('/')))) !== casObjectSha(relpath)) damaged.push(relpath);
  }
  if (damaged.length === 0) return;
  const more = damaged.length > 1 ? ` (and ${damaged.length - 1} more)` : '';
  throw new OntocatError('CONFLICT', `Refused: the content store's copy ${damaged[0]}${more} was changed on disk since it was recorded ` +
    "(a version's file edited in place changes its stored copy too), so it no longer holds the content this ingest would link to it. " +
    "Run 'ontocat doctor' to repair it, then ingest again. Nothing was changed.", { items: damaged });
}
