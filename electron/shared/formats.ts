/** File formats the catalog records; detection and validators use exactly these ids. */
export const FILE_FORMATS = [
  'turtle', 'ntriples', 'nquads', 'trig', 'rdfxml', 'owlxml', 'obo', 'jsonld', 'json', 'csv', 'tsv', 'xml', 'other',
] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

/** Formats parsed as RDF (their terms can be listed and compared). */
export const RDF_FORMATS: ReadonlySet<FileFormat> = new Set(['turtle', 'ntriples', 'nquads', 'trig', 'rdfxml', 'owlxml', 'jsonld']);

/** Formats whose terms (classes, properties, individuals) a term-level delta compares. */
export const ONTOLOGY_FORMATS: ReadonlySet<FileFormat> = new Set([...RDF_FORMATS, 'obo']);

/** Human labels for the UI and CLI. */
export const FORMAT_LABELS: Readonly<Record<FileFormat, string>> = {
  turtle: 'Turtle', ntriples: 'N-Triples', nquads: 'N-Quads', trig: 'TriG', rdfxml: 'RDF/XML', owlxml: 'OWL/XML',
  obo: 'OBO', jsonld: 'JSON-LD', json: 'JSON', csv: 'CSV', tsv: 'TSV', xml: 'XML', other: 'Other',
};

/**
 * Which formats are (syntactically) contained in which: content that looks like the smaller
 * one can still be valid in the bigger one (N-Triples is Turtle, an XML root without
 * `rdf:RDF` can still be RDF/XML), so it does not contradict a claim of the bigger one.
 */
const CONTAINED_IN: Readonly<Partial<Record<FileFormat, readonly FileFormat[]>>> = {
  ntriples: ['turtle', 'trig', 'nquads'],
  nquads: ['trig'],
  turtle: ['trig'],
  json: ['jsonld'],
  xml: ['rdfxml', 'owlxml'],
};

/**
 * True when content that looks like `sniffed` cannot be a file of the `declared` format
 * (a quad in a `.ttl`, `@prefix` in a `.nt`); false when sniffing was inconclusive.
 */
export function formatContradicts(declared: string, sniffed: string | null): boolean {
  if (sniffed === null || sniffed === declared) return false;
  return !(CONTAINED_IN[sniffed as FileFormat]?.includes(declared as FileFormat) ?? false);
}

/** The label of a format id, or the id itself when it is not one of ours. */
export function formatLabel(format: string): string {
  return FORMAT_LABELS[format as FileFormat] ?? format;
}
