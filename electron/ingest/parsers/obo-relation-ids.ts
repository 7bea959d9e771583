/**
 * The IRIs an OBO file's own header gives its bare relation ids.
 *
 * OBO 1.4's header tags: `default-relationship-id-prefix: EDAM` prefixes
 * every relation id written without an id space (`has_format` is `EDAM:has_format`), and
 * `idspace: EDAM http://edamontology.org/` maps that prefix to its IRIs
 * (`http://edamontology.org/has_format`). EDAM's OBO releases declare both, and EDAM's OWL
 * releases name the same twelve relations by exactly those IRIs: read as written, each
 * relation was a different term in the OBO and the OWL release of one EDAM version, and
 * the index reported all twelve removed and added again from 1.2 to 1.3.
 *
 * Only ids the header maps completely change: a bare id in a file without both tags (GO's
 * `part_of`; OWL tools map GO's relations through their xrefs) stays as written, and so does
 * an id written with a prefix.
 */
import type { OboTag } from './parse-obo.js';

/** The id of a relation as its file's header maps it; the id itself when the header does not. */
export type RelationIdOf = (id: string) => string;

const unchanged: RelationIdOf = (id) => id;

/** The mapping of bare relation ids the header tags declare (`unchanged` when they declare none). */
export function oboRelationIds(header: readonly OboTag[]): RelationIdOf {
  const prefix = header.find((tag) => tag.tag === 'default-relationship-id-prefix')?.value.trim();
  if (!prefix) return unchanged;
  let base: string | undefined;
  for (const tag of header) {
    if (tag.tag !== 'idspace') continue;
    const [space, iri] = tag.value.trim().split(/\s+/);
    // The first declaration of a space wins, as for any repeated header tag read here.
    if (space === prefix && iri && base === undefined) base = iri;
  }
  if (base === undefined || !/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(base)) return unchanged;
  const iriBase = base;
  return (id) => (id.includes(':') || id === '' || /\s/.test(id) ? id : `${iriBase}${id}`);
}
