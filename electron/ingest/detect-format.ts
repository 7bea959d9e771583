import type { FileFormat } from '../shared/formats.js';

/** How many leading bytes detection looks at; callers pass at most this much. */
export const SNIFF_BYTES = 64 * 1024;

const RDF_NS = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const OWL_NS = 'http://www.w3.org/2002/07/owl#';

const byExtension: Readonly<Record<string, FileFormat>> = {
  ttl: 'turtle', turtle: 'turtle', n3: 'turtle',
  nt: 'ntriples', ntriples: 'ntriples',
  nq: 'nquads', nquads: 'nquads',
  trig: 'trig',
  rdf: 'rdfxml', rdfs: 'rdfxml', owl: 'rdfxml',
  owx: 'owlxml',
  obo: 'obo',
  jsonld: 'jsonld',
  json: 'json',
  csv: 'csv',
  tsv: 'tsv', tab: 'tsv',
  xml: 'xml',
};

/**
 * Which formats are (syntactically) contained in which: content sniffed as the smaller
 * one is still valid in the bigger one the extension names, so the extension wins.
 */
const containedIn: Readonly<Partial<Record<FileFormat, readonly FileFormat[]>>> = {
  ntriples: ['turtle', 'trig', 'nquads'],
  nquads: ['trig'],
  turtle: ['trig'],
  json: ['jsonld'],
  xml: ['rdfxml', 'owlxml'],
};

function extensionOf(relpath: string): string {
  const name = relpath.slice(relpath.lastIndexOf('/') + 1).toLowerCase();
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1) : '';
}

/** Skips a BOM, whitespace and `#` comment lines (Turtle, N-Triples, OBO headers). */
function stripLeadingComments(text: string): string {
  let rest = text.replace(/^\uFEFF/, '');
  for (;;) {
    const trimmed = rest.trimStart();
    if (!trimmed.startsWith('#')) return trimmed;
    const newline = trimmed.indexOf('\n');
    if (newline < 0) return '';
    rest = trimmed.slice(newline + 1);
  }
}

/** Classifies an XML document by its root element and that element's namespace. */
function sniffXml(text: string): FileFormat {
  // Skip the declaration, processing instructions, comments and a DOCTYPE (whose internal
  // subset of ENTITY declarations can be long: OWL files use it for namespaces).
  let i = 0;
  for (;;) {
    i = text.indexOf('<', i);
    if (i < 0) return 'xml';
    if (text.startsWith('<?', i)) { i = text.indexOf('?>', i) + 2; if (i < 2) return 'xml'; continue; }
    if (text.startsWith('<!--', i)) { i = text.indexOf('-->', i) + 3; if (i < 3) return 'xml'; continue; }
    if (text.startsWith('<!DOCTYPE', i)) {
      const subset = text.indexOf('[', i);
      const close = text.indexOf('>', i);
      if (subset >= 0 && subset < close) { const end = text.indexOf(']', subset); i = end < 0 ? -1 : text.indexOf('>', end); } else i = close;
      if (i < 0) return 'xml';
      continue;
    }
    break;
  }
  const tagEnd = text.indexOf('>', i);
  const tag = text.slice(i, tagEnd < 0 ? undefined : tagEnd);
  const name = /^<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)/.exec(tag)?.[1];
  if (!name) return 'xml';
  const [prefix, local] = name.includes(':') ? name.split(':') as [string, string] : ['', name];
  const nsDecl = new RegExp(`xmlns${prefix ? `:${prefix}` : ''}\\s*=\\s*["']([^"']*)["']`).exec(tag)?.[1];
  // A namespace spelled through a DOCTYPE entity (`&rdf;`) is not resolved here; the
  // conventional prefix is then good enough.
  const ns = nsDecl && !nsDecl.startsWith('&') ? nsDecl : prefix === 'rdf' ? RDF_NS : prefix === 'owl' ? OWL_NS : nsDecl ?? '';
  if (local === 'RDF' && (ns === RDF_NS || ns === '' || ns.startsWith('&'))) return 'rdfxml';
  if (local === 'Ontology' && (ns === OWL_NS || ns.startsWith('&'))) return 'owlxml';
  return 'xml';
}

const iri = String.raw`<[^>\s]*>`;
const bnode = String.raw`_:[^\s]+`;
const literal = String.raw`"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>\s]*>)?`;
const ntLine = new RegExp(String.raw`^(?:${iri}|${bnode})\s+${iri}\s+(?:${iri}|${bnode}|${literal})\s*(${iri}|${bnode})?\s*\.\s*(?:#.*)?$`);

/** Looks at the first complete lines: every one a triple (or quad) statement? */
function sniffLineBased(text: string): FileFormat | null {
  const lines = text.split('\n');
  if (lines.length > 1) lines.pop(); // the last line may be cut off by the head limit
  let statements = 0;
  let quads = 0;
  for (const raw of lines.slice(0, 50)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = ntLine.exec(line);
    if (!match) return null;
    statements += 1;
    if (match[1]) quads += 1;
  }
  if (statements === 0) return null;
  return quads > 0 ? 'nquads' : 'ntriples';
}

/** Guesses a format from content alone; null when nothing is conclusive. */
export function sniffFormat(head: Buffer): FileFormat | null {
  const raw = head.subarray(0, SNIFF_BYTES).toString('utf8');
  if (raw.includes('\u0000')) return null; // binary
  const text = stripLeadingComments(raw);
  if (text === '') return null;
  if (text.startsWith('<?xml') || /^<(?:!--|!DOCTYPE|[A-Za-z_])/.test(text)) {
    // `<http://…> <…> <…> .` is N-Triples, not XML.
    const lineBased = text.startsWith('<') && /^<[a-z][a-z0-9+.-]*:/i.test(text) ? sniffLineBased(text) : null;
    return lineBased ?? sniffXml(text);
  }
  if (text.startsWith('{') || text.startsWith('[')) {
    if (/"@context"\s*:|"@id"\s*:|"@graph"\s*:/.test(text)) return 'jsonld';
    if (text.startsWith('{') || /^\[\s*[{[\]"0-9tfn-]/.test(text)) {
      if (text.startsWith('[Term]') || text.startsWith('[Typedef]')) return 'obo';
      return 'json';
    }
  }
  // OWL functional syntax and Manchester syntax: ontologies, but not an RDF serialisation.
  if (/^(?:Prefix|Ontology)\(/m.test(text) || /^Prefix:\s/m.test(text)) return 'other';
  if (/^format-version:/m.test(raw) || /^\[(?:Term|Typedef|Instance)\]\s*$/m.test(raw)) return 'obo';
  if (/^(?:@prefix|@base)\s/m.test(text) || /^(?:PREFIX|BASE)\s+/im.test(text)) {
    // Graph blocks (`<g> { … }` or `GRAPH <g> {`) make it TriG.
    return /^\s*(?:GRAPH\s+)?(?:<[^>]*>|[A-Za-z][\w-]*:[\w-]*|\[\s*\])\s*\{/m.test(text) ? 'trig' : 'turtle';
  }
  const lineBased = sniffLineBased(text);
  if (lineBased) return lineBased;
  return null;
}

/**
 * Detects a file's format from its name and its first bytes.
 *
 * The extension says what the file claims to be; the content decides when it clearly
 * disagrees (a Turtle file named `.ontology`, `.txt` or `.owl`) or when the extension is
 * unknown. Content that is a subset of the claimed format (N-Triples in a `.ttl`) keeps
 * the claim.
 */
export function detectFormat(relpath: string, head: Buffer): FileFormat {
  const ext = extensionOf(relpath);
  const claimed = byExtension[ext] ?? null;
  const sniffed = sniffFormat(head);
  if (claimed === 'csv' || claimed === 'tsv') return claimed;
  if (sniffed === null) return claimed ?? 'other';
  if (claimed === null || claimed === sniffed) return sniffed;
  if (containedIn[sniffed]?.includes(claimed)) return claimed;
  return sniffed;
}
