import { formatContradicts, type FileFormat } from '../shared/formats.js';

/** How many leading bytes detection looks at; callers pass at most this much. */
export const SNIFF_BYTES = 64 * 1024;

/**
 * Names the rules of `sniffFormat`: bump it with any change that can sniff the same bytes
 * as another format. Ingest records it with a version's file rows (the `files.recorded`
 * event), and takes the sniffed format of content it meets again from the rows of the
 * newest version recorded under the same rules, instead of sniffing those bytes again.
 */
export const FORMAT_DETECTION_RULES = 10;

const RDF_NS = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const OWL_NS = 'http://www.w3.org/2002/07/owl#';
const XHTML_NS = 'http://www.w3.org/1999/xhtml';

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
 * Extensions that do not name one syntax: `.owl` is RDF/XML, OWL/XML, Turtle or functional
 * syntax in the wild, `.xml` and `.json` are containers of RDF/XML and JSON-LD, `.txt` and
 * `.ontology` say nothing. Only for these (and for none) does the content decide.
 */
const AMBIGUOUS_EXTENSIONS: ReadonlySet<string> = new Set(['owl', 'xml', 'json', 'txt', 'ontology']);

/** The extensions that decide a file's format whatever its content (lower case, no dot). */
export const DECIDING_EXTENSIONS: readonly string[] = Object.keys(byExtension).filter((ext) => !AMBIGUOUS_EXTENSIONS.has(ext));

/** Whether a file's format is decided by its content: its extension is ambiguous, unknown or missing. */
export function formatFromContent(relpath: string): boolean {
  const ext = extensionOf(relpath);
  return byExtension[ext] === undefined || AMBIGUOUS_EXTENSIONS.has(ext);
}

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

/** Classifies an XML document by its root element and that element's namespace; null for an HTML page. */
function sniffXml(text: string): FileFormat | null {
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
  // An HTML page (a folder listing, an error page saved under the name asked for) is not
  // XML: libmagic calls it text/html and xmllint refuses its void elements. None of ours;
  // XHTML, in its namespace, is XML.
  if (local.toLowerCase() === 'html' && ns !== XHTML_NS) return null;
  if (local === 'RDF' && (ns === RDF_NS || ns === '' || ns.startsWith('&'))) return 'rdfxml';
  // rdf:RDF is optional around a single node element (RDF/XML Syntax §7.2.11): a root that
  // is rdf:Description, or carries rdf:about, rdf:ID or rdf:nodeID, is a typed node element,
  // and rapper reads it so. `<owl:Ontology rdf:about=…>` alone is such a root, not OWL/XML's
  // Ontology element (which names its ontology with ontologyIRI).
  if (isRdfNodeElement(tag, prefix, local)) return 'rdfxml';
  if (local === 'Ontology' && (ns === OWL_NS || ns.startsWith('&'))) return 'owlxml';
  return 'xml';
}

/** Whether a root start tag is an RDF/XML node element: rdf:Description, or a node attribute in the RDF namespace. */
function isRdfNodeElement(tag: string, prefix: string, local: string): boolean {
  const rdfPrefixes = [...tag.matchAll(/xmlns:([A-Za-z_][\w.-]*)\s*=\s*["']([^"']*)["']/g)]
    // A namespace spelled through a DOCTYPE entity counts under the entity's conventional name.
    .filter(([, , uri]) => uri === RDF_NS || uri === '&rdf;')
    .map(([, bound]) => bound!);
  if (local === 'Description' && rdfPrefixes.includes(prefix)) return true;
  return rdfPrefixes.some((bound) => new RegExp(`\\s${bound.replace(/[.]/g, '\\.')}:(?:about|ID|nodeID)\\s*=`).test(tag));
}

/**
 * Tokens of the Turtle family (Turtle, TriG, N-Triples, N-Quads); at each position only
 * those that can start with its character are tried, in this order. Loose where the grammar
 * is subtle (which characters a prefixed name may hold): sniffing only needs to tell these
 * syntaxes apart; the parsers check the details.
 */
const NAME_CHAR = String.raw`(?:\\.|[^\s<>"'{}()[\];,#\\.^])`;
const turtleTokens: readonly (readonly [kind: string, pattern: RegExp])[] = [
  ['space', /\s+|#[^\n]*/y],
  // An IRIREF may hold numeric escapes (UCHAR: `\u0053`, `\U00000053`) in all four syntaxes.
  ['iri', /<(?:[^<>"{}|^`\\\s]|\\u[\dA-Fa-f]{4}|\\U[\dA-Fa-f]{8})*>/y],
  ['long', /"""(?:[^"\\]|\\.|"(?!""))*"""|'''(?:[^'\\]|\\.|'(?!''))*'''/y],
  ['string', /"(?:[^"\\\n\r]|\\.)*"/y],
  ['single', /'(?:[^'\\\n\r]|\\.)*'/y],
  // RDF 1.2 writes a base direction after the language tag (LANG_DIR: `@en--rtl`).
  ['lang', /@[A-Za-z]+(?:-[A-Za-z0-9]+)*(?:--[A-Za-z]+)?/y],
  ['hat', /\^\^/y],
  ['bnode', new RegExp(String.raw`_:${NAME_CHAR}+(?:\.+${NAME_CHAR}+)*`, 'y')],
  // A dot after digits ends the statement unless digits or an exponent follow (`1.` is `1 .`).
  ['number', /[+-]?(?:\d+\.\d*[eE][+-]?\d+|\.?\d+[eE][+-]?\d+|\d*\.\d+|\d+)(?![\w:])/y],
  ['pname', new RegExp(String.raw`(?:[^\s<>"'{}()[\];,#\\.^:_][^\s<>"'{}()[\];,#\\^:]*)?:(?:${NAME_CHAR}|:)*(?:\.+(?:${NAME_CHAR}|:)+)*`, 'y')],
  ['word', /[A-Za-z]+(?![\w:-])/y],
  // RDF 1.2 Turtle's annotation braces (`:s :p :o {| :q :r |}`), not a TriG graph block.
  ['annotation', /\{\||\|\}/y],
  // An RDF 1.2 triple term (`<<( s p o )>>`), a term of N-Triples and N-Quads too.
  ['tripleTerm', /<<\(|\)>>/y],
  ['punct', /[.;,[\](){}]/y],
];

/** Statements enough to tell the four syntaxes apart; scanning all of a head costs more. */
const MAX_STATEMENTS = 32;

/** What the Turtle-family scan saw: structure that only some of the four syntaxes allow. */
interface TurtleScan {
  statements: number;
  turtle: boolean;
  graphs: boolean;
  quads: boolean;
}

const DIRECTIVES = new Set(['prefix', 'base']);

/** The patterns that can match a token starting with `char`: one or two, not all fourteen. */
function candidatesFor(char: string): readonly (readonly [string, RegExp])[] {
  if (/\s|#/.test(char)) return tokenGroups.space;
  switch (char) {
    case '<': return tokenGroups.angle;
    case '"': return tokenGroups.doubleQuoted;
    case "'": return tokenGroups.singleQuoted;
    case '@': return tokenGroups.lang;
    case '^': return tokenGroups.hat;
    case '_': return tokenGroups.bnode;
    case '.': return tokenGroups.dot;
    case '{': return tokenGroups.brace;
    case '|': return tokenGroups.annotation;
    case ':': return tokenGroups.pname;
    default:
      if (/[\d+-]/.test(char)) return tokenGroups.number;
      if (char === ')') return tokenGroups.paren;
      if (/[[\](){};,]/.test(char)) return tokenGroups.punct;
      return tokenGroups.name;
  }
}

const byKind = (...kinds: string[]): readonly (readonly [string, RegExp])[] => turtleTokens.filter(([kind]) => kinds.includes(kind));
const tokenGroups = {
  space: byKind('space'), iri: byKind('iri'), doubleQuoted: byKind('long', 'string'), singleQuoted: byKind('long', 'single'),
  lang: byKind('lang'), hat: byKind('hat'), bnode: byKind('bnode'), dot: byKind('number', 'punct'), pname: byKind('pname'),
  number: byKind('number'), punct: byKind('punct'), name: byKind('pname', 'word'),
  brace: byKind('annotation', 'punct'), annotation: byKind('annotation'),
  angle: byKind('tripleTerm', 'iri'), paren: byKind('tripleTerm', 'punct'),
};

/** The next token at `pos`, or null where none of the four syntaxes has one. */
function nextToken(text: string, pos: number): { kind: string; value: string } | null {
  for (const [kind, pattern] of candidatesFor(text[pos]!)) {
    pattern.lastIndex = pos;
    const value = pattern.exec(text)?.[0];
    if (value) return { kind, value };
  }
  return null;
}

/**
 * Scans text as a sequence of Turtle-family statements.
 *
 * Returns null when it is not one (no complete statement before the first token none of
 * the four syntaxes has), else what it saw up to there: a head cut off mid-statement, or a
 * broken statement further down, still tells what the file is written in.
 */
function scanTurtleFamily(text: string): TurtleScan | null {
  const scan: TurtleScan = { statements: 0, turtle: false, graphs: false, quads: false };
  const seen = (): TurtleScan | null => (scan.statements > 0 ? scan : null);
  let terms = 0; // terms of the current top-level statement
  let nested = 0; // depth of `[` and `(`
  let plain = true; // the current statement has only N-Triples/N-Quads terms
  let afterHat = false;
  const abbreviated = (): void => { scan.turtle = true; plain = false; };
  for (let pos = 0; pos < text.length && scan.statements < MAX_STATEMENTS;) {
    const token = nextToken(text, pos);
    if (!token) return seen();
    pos += token.value.length;
    const { kind, value } = token;
    if (kind === 'space') continue;
    const isDatatype = afterHat;
    afterHat = kind === 'hat';
    const term = (): void => { if (!isDatatype && nested === 0) terms += 1; };
    if (kind === 'iri') {
      // N-Triples and N-Quads allow only absolute IRIs.
      if (!/^<[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) abbreviated();
      term();
    } else if (kind === 'string' || kind === 'bnode') {
      term();
    } else if (kind === 'lang') {
      // `@prefix` and `@base` read as language tags here; a SPARQL-style PREFIX has no dot,
      // so a directive counts as a statement of its own.
      if (DIRECTIVES.has(value.slice(1).toLowerCase())) { abbreviated(); scan.statements += 1; }
    } else if (kind === 'long' || kind === 'single' || kind === 'number' || kind === 'pname') {
      abbreviated();
      term();
    } else if (kind === 'word') {
      const word = value.toLowerCase();
      if (word === 'graph') { scan.graphs = true; plain = false; continue; }
      if (DIRECTIVES.has(word)) { abbreviated(); scan.statements += 1; continue; }
      if (value !== 'a' && value !== 'true' && value !== 'false') return seen();
      abbreviated();
      term();
    } else if (kind === 'tripleTerm') {
      // One term of the statement it is in; its own three are inside it.
      if (value === '<<(') { term(); nested += 1; } else nested = Math.max(0, nested - 1);
    } else if (kind === 'annotation') {
      // Terms inside an annotation belong to it, as inside `[ ]`.
      abbreviated();
      nested = value === '{|' ? nested + 1 : Math.max(0, nested - 1);
    } else if (value === '{' || value === '}') {
      scan.graphs = true;
      if (value === '}') scan.statements += 1;
      terms = 0;
      plain = true;
    } else if (value === '.') {
      if (nested > 0) return seen();
      if (plain && terms === 4) scan.quads = true;
      scan.statements += 1;
      terms = 0;
      plain = true;
    } else if (kind === 'punct') {
      abbreviated();
      if (value === '[' || value === '(') { if (nested === 0) terms += 1; nested += 1; }
      if (value === ']' || value === ')') nested = Math.max(0, nested - 1);
    }
  }
  return seen();
}

const absoluteIri = String.raw`<[A-Za-z][A-Za-z0-9+.-]*:(?:[^<>"{}|^\x60\\\s]|\\u[\dA-Fa-f]{4}|\\U[\dA-Fa-f]{8})*>`;
const bnodeLabel = String.raw`_:[^\s<>"{}()[\];,]*[^\s<>"{}()[\];,.]`;
const plainLiteral = String.raw`"(?:[^"\\\n\r]|\\.)*"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*(?:--[A-Za-z]+)?|\^\^${absoluteIri})?`;
const plainStatement = new RegExp(String.raw`^(?:${absoluteIri}|${bnodeLabel})[ \t]+${absoluteIri}[ \t]+(?:${absoluteIri}|${bnodeLabel}|${plainLiteral})[ \t]*(${absoluteIri}|${bnodeLabel})?[ \t]*\.[ \t]*(?:#.*)?$`);

/**
 * The fast path for the common big dump: if the first complete lines are all plain
 * N-Triples (or N-Quads) statements, that is what it is, without tokenising.
 */
function sniffPlainLines(text: string): FileFormat | null {
  const lines = text.split('\n', 52);
  if (lines.length > 1 && text.length > 0 && !text.endsWith('\n')) lines.pop(); // may be cut off by the head limit
  let statements = 0;
  let quads = 0;
  for (const raw of lines.slice(0, 50)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = plainStatement.exec(line);
    if (!match) return null;
    statements += 1;
    if (match[1]) quads += 1;
  }
  if (statements === 0) return null;
  return quads > 0 ? 'nquads' : 'ntriples';
}

/** The Turtle-family syntax a scan points at. */
function turtleFamilyFormat(scan: TurtleScan): FileFormat {
  if (scan.graphs) return 'trig';
  if (scan.quads) return 'nquads';
  return scan.turtle ? 'turtle' : 'ntriples';
}

/** A JSON document starts with an object or an array of values (TriG's `{ <s> … }` does not). */
const JSON_START = /^(?:\{\s*(?:"|\}\s*$)|\[\s*(?:[{["]|-?\d|(?:true|false|null)\b|\]\s*$))/;

/** An XML root element: a name, then attributes, `>` or `/>`, and a closing tag somewhere. */
function looksLikeXmlElement(text: string): boolean {
  const name = /^<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)(?=[\s>/])/.exec(text)?.[1];
  if (!name) return false;
  return /^<[^>]*\/>/.test(text) || text.includes(`</${name}`) || /<\/[A-Za-z_][\w.:-]*\s*>/.test(text);
}

/**
 * Text in UTF-16 by its byte order mark (XML 1.0 §4.3.3; Windows tools write RDF/XML so),
 * else null. Its NUL bytes would otherwise call it binary, where libmagic calls it XML and
 * rapper reads it.
 */
function utf16Text(bytes: Buffer): string | null {
  if (bytes.length < 2) return null;
  const even = bytes.subarray(0, bytes.length - (bytes.length % 2));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return even.toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(even).swap16().toString('utf16le');
  return null;
}

/** Guesses a format from content alone; null when nothing is conclusive. */
export function sniffFormat(head: Buffer): FileFormat | null {
  const bytes = head.subarray(0, SNIFF_BYTES);
  const raw = utf16Text(bytes) ?? (bytes.includes(0) ? null : bytes.toString('utf8'));
  // Binary content (a NUL byte) is decided before decoding: turning kilobytes of binary
  // into a string of replacement characters was most of an ingest's main-thread time.
  if (raw === null) return null;
  const text = stripLeadingComments(raw);
  if (text === '') return null;
  if (/^<(?:\?xml|!--|!DOCTYPE)/.test(text)) return sniffXml(text);
  // Most big RDF dumps start with an IRI: scan them first, before the whole-head searches below.
  if (text.startsWith('<') || text.startsWith('_:')) {
    const scan = sniffPlainLines(text) ?? scanTurtleFamily(text);
    if (typeof scan === 'string') return scan;
    if (scan) return turtleFamilyFormat(scan);
    return looksLikeXmlElement(text) ? sniffXml(text) : null;
  }
  // JSON-LD keywords as keys; expanded JSON-LD has no @context and may have no @id, only
  // @type on its nodes and @value on its literals.
  if (JSON_START.test(text)) return /"@(?:context|id|graph|type|value)"\s*:/.test(text) ? 'jsonld' : 'json';
  // OWL functional syntax and Manchester syntax: ontologies, but not an RDF serialisation.
  // A Manchester document without prefix declarations starts with `Ontology:` (Manchester §2.4).
  if (/^(?:Prefix|Ontology)\(/m.test(text) || /^Prefix:\s/m.test(text) || /^Ontology:\s/.test(text)) return 'other';
  if (/^format-version:/m.test(raw) || /^\[(?:Term|Typedef|Instance)\]\s*$/m.test(raw)) return 'obo';
  const scan = scanTurtleFamily(text);
  if (scan) return turtleFamilyFormat(scan);
  if (looksLikeXmlElement(text)) return sniffXml(text);
  return null;
}

/** A file's format as catalogued, and what its content looks like. */
export interface DetectedFormat {
  /** The format the file is validated and listed as. */
  readonly format: FileFormat;
  /** What the first bytes look like; null when they are inconclusive. */
  readonly sniffed: FileFormat | null;
}

/**
 * Detects a file's format from its name and its first bytes.
 *
 * A registered extension decides: `.ttl` is Turtle even when it holds a quad, so the Turtle
 * check fails, as it should, and validation adds a `format_mismatch` warning from the
 * sniffed format. The content decides only where the extension is ambiguous or missing
 * (`.owl`, `.xml`, `.json`, `.txt`, `.ontology`, none, unknown); even there, content the
 * extension's format contains (plain XML in a `.owl`) keeps the extension.
 */
export function detectFormat(relpath: string, head: Buffer): DetectedFormat {
  return formatWithSniffed(relpath, sniffFormat(head));
}

/** `detectFormat` for content whose sniffed format is known already (the same bytes were sniffed before). */
export function formatWithSniffed(relpath: string, sniffed: FileFormat | null): DetectedFormat {
  const ext = extensionOf(relpath);
  const claimed = byExtension[ext] ?? null;
  if (claimed !== null && !AMBIGUOUS_EXTENSIONS.has(ext)) return { format: claimed, sniffed };
  if (sniffed === null) return { format: claimed ?? 'other', sniffed };
  if (claimed !== null && !formatContradicts(claimed, sniffed)) return { format: claimed, sniffed };
  return { format: sniffed, sniffed };
}
