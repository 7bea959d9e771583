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
