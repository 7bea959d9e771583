/**
 * CURIEs a curator may type that the index does not use: the index compacts only the
 * namespaces of `shared/curie.ts` (its CURIEs are term identities), but a curator types
 * `dbo:Person` for DBpedia's class as readily as `GO:0008150`. Lookups fall back to the
 * IRI such a CURIE stands for under the prefixes the RDF community shares
 * (`@zazuko/prefixes`, the map prefix.cc and rdf-vocabularies keep).
 */
// A named import: the package is an ES module, and its default export does not survive
// the CommonJS bundles' interop (it arrived as the module object).
import { getParts } from '@zazuko/prefixes/expand';
import { termIdent } from '../shared/curie.js';

const CURIE = /^([A-Za-z][A-Za-z0-9_.-]*):([^\s/][^\s]*)$/;

/**
 * The OBO Foundry's namespace: `obo:GO_0008150` is how Turtle files and curators write a
 * PURL, but the shared prefix maps have no `obo`.
 */
const OBO_NAMESPACE = 'http://purl.obolibrary.org/obo/';

/** The IRI `text` stands for as a CURIE of a commonly shared prefix (or `obo:`); null when it is none. */
export function expandCurie(text: string): string | null {
  const m = CURIE.exec(text.trim());
  if (!m) return null;
  if (m[1] === 'obo') return `${OBO_NAMESPACE}${m[2]}`;
  let namespace: unknown;
  try {
    namespace = getParts(`${m[1]}:${m[2]}`)?.baseIRI;
  } catch {
    // An unknown prefix.
    return null;
  }
  // `constructor:x` reads an Object property, not a namespace.
  return typeof namespace === 'string' ? `${namespace}${m[2]}` : null;
}

/**
 * The term identity (`termIdent`) a typed id, IRI or CURIE names: what term_keys.ident holds
 * for every spelling of it. `http://purl.obolibrary.org/obo/GO_0008150` and
 * `obo:GO_0008150` name `GO:0008150`, as an OBO file writes it; other text is its own.
 */
export function queryIdent(text: string): string {
  const asked = text.trim();
  return termIdent(asked.startsWith('obo:') ? expandCurie(asked) ?? asked : asked);
}
