/**
 * Loads a CommonJS parser library on first use, through `require`.
 *
 * Every validation worker starts by loading the parsers; a library only some formats
 * need (jsonld with its HTTP client, the RDF/XML parser, saxes) is loaded when a file of
 * such a format comes, and through `require`, because importing CommonJS from an ES
 * module runs Node's export scanner over each of its files, which made a worker's start
 * several times slower.
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/** The module `name`, loaded once and cached by Node. */
export function loadParser<T>(name: 'jsonld' | 'rdfxml-streaming-parser' | 'saxes'): T {
  return load(name) as T;
}
