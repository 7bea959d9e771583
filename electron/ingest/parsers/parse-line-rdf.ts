import { readChunks, readSmallChunk } from './read-chunks.js';
import type { ParseControl, ParseOutcome, RdfTermLike, TripleSink } from './parse-types.js';

/**
 * A fast reader for the common shape of N-Triples and N-Quads, which decides only files it
 * fully accepts.
 *
 * Most lines of a dump are `<s> <p> <o> .` or `<s> <p> "literal"@lang .` written one way.
 * N3.js reads them through a general Turtle lexer (sticky regular expressions, token objects,
 * a state machine) at about a third of this reader's speed, which made a package of many
 * small N-Triples files slow to validate. This reader takes the RDF 1.1 grammar in a
 * stricter form: whitespace after every term but the last, blank node labels in ASCII,
 * no RDF 1.2 additions. A file it does not accept line for line (a syntax error, or a
 * valid file written another way) is refused, and the caller parses it again with N3,
 * whose verdict, message and line stand. So this reader may refuse more than N3, never less,
 * and what it accepts it must read into the same triples (both checked against N3 and the
 * W3C suites in the tests).
 */
export async function parseLineRdf(filePath: string, format: 'ntriples' | 'nquads', sink: TripleSink, control: ParseControl = {}): Promise<ParseOutcome | LineRdfRefusal> {
  const reader = new LineReader(sink, format === 'nquads');
  const decoder = new TextDecoder('utf-8', { ignoreBOM: false });
  // Most files of a dump are small: read whole, without the stream's promises.
  const whole = readSmallChunk(filePath, control);
  if (whole) {
    const text = decoder.decode(whole);
    return reader.lines(text, text.length) ? { problem: null, triples: reader.triples, counts: {}, notices: [] } : { refusedAfter: whole.length };
  }
  let pending = '';
  let read = 0;
  for await (const chunk of readChunks(filePath, control)) {
    read += chunk.length;
    const decoded = decoder.decode(chunk, { stream: true });
    // Only the new text is searched for the last line break: a line longer than a chunk (a
    // literal of megabytes) is searched once, not again with every chunk it spans.
    const cutInDecoded = lastLineBreak(decoded);
    if (cutInDecoded < 0) {
      pending += decoded;
      continue;
    }
    const text = pending + decoded;
    const cut = pending.length + cutInDecoded;
    pending = text.slice(cut + 1);
    // Refused: reading stops here, as N3's would at an error in this chunk.
    if (!reader.lines(text, cut + 1)) return { refusedAfter: read };
  }
  const tail = pending + decoder.decode();
  if (tail.length > 0 && !reader.lines(tail, tail.length)) return { refusedAfter: read };
  return { problem: null, triples: reader.triples, counts: {}, notices: [] };
}

/** A file the line reader left to N3, after reading (and reporting) its first `refusedAfter` bytes. */
export interface LineRdfRefusal {
  readonly refusedAfter: number;
}

const CR = 13;
const LF = 10;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const DOT = 46;
const LT = 60;
const GT = 62;
const QUOTE = 34;
const BACKSLASH = 92;
const AT = 64;
const CARET = 94;
const UNDERSCORE = 95;
const COLON = 58;
const DASH = 45;

const XSD_STRING: RdfTermLike = { termType: 'NamedNode', value: 'http://www.w3.org/2001/XMLSchema#string' };
const RDF_LANG_STRING: RdfTermLike = { termType: 'NamedNode', value: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString' };

function namedNode(value: string): RdfTermLike {
  return { termType: 'NamedNode', value };
}

const RDF_DIR_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString';

/** Language tags spelled as Turtle's directives, which N3's lexer may read as such. */
const DIRECTIVE_TAGS: ReadonlySet<string> = new Set(['version', 'prefix', 'base']);

/** An absolute IRI starts with a scheme (what N3 checks in N-Triples, where nothing resolves). */
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** The last LF or CR in `text`, or -1. */
function lastLineBreak(text: string): number {
  for (let i = text.length - 1; i >= 0; i -= 1) {
    const code = text.charCodeAt(i);
    if (code === LF || code === CR) return i;
  }
  return -1;
}

/** Characters an IRIREF may not hold, raw or escaped: controls, space, `<>"{}|^\``, backslash. */
function isIriForbidden(code: number): boolean {
  return code <= SPACE || code === LT || code === GT || code === QUOTE || code === 123 || code === 125 || code === 124 || code === CARET || code === 96 || code === BACKSLASH;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isAsciiDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** The characters of N-Triples' ECHAR escapes. */
const ECHAR: Readonly<Record<number, string>> = { 116: '\t', 98: '\b', 110: '\n', 114: '\r', 102: '\f', 34: '"', 39: "'", 92: '\\' };

/**
 * Reads whole lines of a text, one triple (or quad) or nothing per line, and hands each to
 * the sink. Every method returns the position after what it read, or -1 when the text is
 * not in the form this reader accepts.
 */
class LineReader {
  triples = 0;
  /** The value of the term just read (set by `iri`, `blank`, `literal`). */
  private value = '';
  private language = '';
  private datatype = '';

  constructor(private readonly sink: TripleSink, private readonly quads: boolean) {}

  /** Reads the lines of `text` before `end` (a position just after a line break, or the text's end). */
  lines(text: string, end: number): boolean {
    let pos = 0;
    while (pos < end) {
      pos = this.line(text, pos, end);
      if (pos < 0) return false;
    }
    return true;
  }

  /** One line from `pos`: blank, a comment, or a statement; returns the start of the next line. */
  private line(text: string, pos: number, end: number): number {
    pos = skipSpace(text, pos, end);
    if (pos >= end) return end;
    const first = text.charCodeAt(pos);
    if (first === LF || first === CR) return pos + 1;
    if (first === HASH) return endOfLine(text, pos, end);
    let subject: RdfTermLike;
    if (first === LT) {
      pos = this.iri(text, pos, end);
      if (pos < 0) return -1;
      subject = { termType: 'NamedNode', value: this.value };
    } else if (first === UNDERSCORE) {
      pos = this.blank(text, pos, end);
      if (pos < 0) return -1;
      subject = { termType: 'BlankNode', value: this.value };
    } else {
      return -1;
    }
    pos = spaceAfterTerm(text, pos, end);
    if (pos < 0 || text.charCodeAt(pos) !== LT) return -1;
    pos = this.iri(text, pos, end);
    if (pos < 0) return -1;
    const predicate: RdfTermLike = { termType: 'NamedNode', value: this.value };
    pos = spaceAfterTerm(text, pos, end);
    if (pos < 0) return -1;
    const objectStart = text.charCodeAt(pos);
    let object: RdfTermLike;
    if (objectStart === LT) {
      pos = this.iri(text, pos, end);
      if (pos < 0) return -1;
      object = { termType: 'NamedNode', value: this.value };
    } else if (objectStart === UNDERSCORE) {
      pos = this.blank(text, pos, end);
      if (pos < 0) return -1;
      object = { termType: 'BlankNode', value: this.value };
    } else if (objectStart === QUOTE) {
      pos = this.literal(text, pos, end);
      if (pos < 0) return -1;
      object = this.language !== ''
        ? { termType: 'Literal', value: this.value, language: this.language, datatype: RDF_LANG_STRING }
        : { termType: 'Literal', value: this.value, language: '', datatype: this.datatype === '' ? XSD_STRING : namedNode(this.datatype) };
    } else {
      return -1;
    }
    const afterObject = pos;
    pos = skipSpace(text, pos, end);
    if (this.quads && pos > afterObject && pos < end && text.charCodeAt(pos) !== DOT) {
      // The graph label of a quad: read and ignored, as the sink takes triples.
      const graphStart = text.charCodeAt(pos);
      if (graphStart === LT) pos = this.iri(text, pos, end);
      else if (graphStart === UNDERSCORE) pos = this.blank(text, pos, end);
      else return -1;
      if (pos < 0) return -1;
      pos = skipSpace(text, pos, end);
    }
    if (pos >= end || text.charCodeAt(pos) !== DOT) return -1;
    pos = skipSpace(text, pos + 1, end);
    if (pos < end) {
      const after = text.charCodeAt(pos);
      if (after === HASH) pos = endOfLine(text, pos, end);
      else if (after === LF || after === CR) pos += 1;
      else return -1;
    }
    this.triples += 1;
    this.sink(subject, predicate, object);
    return pos;
  }

  /** `<…>` at `pos`: an absolute IRI, its `\u`/`\U` escapes decoded, into `value`. */
  private iri(text: string, pos: number, end: number): number {
    const start = pos + 1;
    let i = start;
    let escaped = false;
    for (; i < end; i += 1) {
      const code = text.charCodeAt(i);
      if (code === GT) break;
      if (code === BACKSLASH) {
        escaped = true;
        continue;
      }
      if (isIriForbidden(code)) return -1;
    }
    if (i >= end) return -1;
    const value = escaped ? decodeEscapes(text.slice(start, i), false) : text.slice(start, i);
    if (value === null || !SCHEME.test(value)) return -1;
    if (escaped) for (let k = 0; k < value.length; k += 1) if (isIriForbidden(value.charCodeAt(k))) return -1;
    this.value = value;
    return i + 1;
  }

  /** `_:label` at `pos`, ASCII letters, digits, `_`, `-` and single inner dots only, into `value` (without `_:`). */
  private blank(text: string, pos: number, end: number): number {
    if (pos + 2 >= end || text.charCodeAt(pos + 1) !== COLON) return -1;
    const start = pos + 2;
    const first = text.charCodeAt(start);
    if (!isAsciiLetter(first) && !isAsciiDigit(first) && first !== UNDERSCORE) return -1;
    let i = start + 1;
    for (; i < end; i += 1) {
      const code = text.charCodeAt(i);
      if (!isAsciiLetter(code) && !isAsciiDigit(code) && code !== UNDERSCORE && code !== DASH && code !== DOT) break;
    }
    // A label may hold dots but not end with one: a dot there ends the statement.
    while (text.charCodeAt(i - 1) === DOT) i -= 1;
    const next = text.charCodeAt(i);
    if (next !== SPACE && next !== TAB) return -1;
    const label = text.slice(start, i);
    // The grammar allows two dots in a row inside a label; N3 refuses them.
    if (label.includes('..')) return -1;
    this.value = label;
    return i;
  }

  /** `"…"` at `pos` with an optional `@lang` or `^^<iri>`, into `value`, `language` and `datatype`. */
  private literal(text: string, pos: number, end: number): number {
    const start = pos + 1;
    let i = start;
    let escaped = false;
    for (; i < end; i += 1) {
      const code = text.charCodeAt(i);
      if (code === QUOTE) break;
      if (code === BACKSLASH) {
        escaped = true;
        i += 1; // the escaped character, a quote included
        continue;
      }
      if (code === LF || code === CR) return -1;
    }
    if (i >= end) return -1;
    const value = escaped ? decodeEscapes(text.slice(start, i), true) : text.slice(start, i);
    if (value === null) return -1;
    this.value = value;
    this.language = '';
    this.datatype = '';
    i += 1;
    const next = text.charCodeAt(i);
    if (next === AT) {
      const tagStart = i + 1;
      let k = tagStart;
      while (k < end && isAsciiLetter(text.charCodeAt(k))) k += 1;
      if (k === tagStart) return -1;
      while (k < end && text.charCodeAt(k) === DASH) {
        const part = k + 1;
        k = part;
        while (k < end && (isAsciiLetter(text.charCodeAt(k)) || isAsciiDigit(text.charCodeAt(k)))) k += 1;
        if (k === part) return -1;
      }
      const after = text.charCodeAt(k);
      if (after !== SPACE && after !== TAB && after !== DOT) return -1;
      const tag = text.slice(tagStart, k);
      // N3 refuses a subtag of more than eight letters (BCP 47's longest), and reads
      // `@version` as a directive there, which it then refuses; the other directives' names,
      // in any case, are left to N3 too.
      if (DIRECTIVE_TAGS.has(tag.toLowerCase()) || tag.split('-').some((subtag) => subtag.length > 8)) return -1;
      this.language = tag.toLowerCase();
      return k;
    }
    if (next === CARET) {
      if (text.charCodeAt(i + 1) !== CARET || text.charCodeAt(i + 2) !== LT) return -1;
      const after = this.iri(text, i + 2, end);
      // A language-tagged string's datatype may not be written out (RDF 1.2; N3 refuses it).
      if (after < 0 || this.value === RDF_LANG_STRING.value || this.value === RDF_DIR_LANG_STRING) return -1;
      this.datatype = this.value;
      this.value = value;
      return after;
    }
    return i;
  }
}

/** Past spaces and tabs. */
function skipSpace(text: string, pos: number, end: number): number {
  while (pos < end) {
    const code = text.charCodeAt(pos);
    if (code !== SPACE && code !== TAB) break;
    pos += 1;
  }
  return pos;
}

/** Past the spaces or tabs that must follow a subject or predicate; -1 when there are none. */
function spaceAfterTerm(text: string, pos: number, end: number): number {
  const after = skipSpace(text, pos, end);
  return after === pos || after >= end ? -1 : after;
}

/** The start of the line after the one holding `pos`. */
function endOfLine(text: string, pos: number, end: number): number {
  for (let i = pos; i < end; i += 1) {
    const code = text.charCodeAt(i);
    if (code === LF || code === CR) return i + 1;
  }
  return end;
}

/**
 * Decodes `\uXXXX` and `\UXXXXXXXX` (and in a string, ECHAR's `\t \b \n \r \f \" \' \\`);
 * null for any other escape or a code point that is not a Unicode scalar value.
 */
function decodeEscapes(raw: string, inString: boolean): string | null {
  let out = '';
  let from = 0;
  let at = raw.indexOf('\\');
  while (at >= 0) {
    out += raw.slice(from, at);
    const kind = raw.charCodeAt(at + 1);
    if (kind === 117 || kind === 85) {
      const digits = kind === 117 ? 4 : 8;
      if (at + 2 + digits > raw.length) return null;
      let code = 0;
      for (let k = at + 2; k < at + 2 + digits; k += 1) {
        const digit = hexValue(raw.charCodeAt(k));
        if (digit < 0) return null;
        code = code * 16 + digit;
      }
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return null;
      out += String.fromCodePoint(code);
      from = at + 2 + digits;
    } else {
      const char = inString ? ECHAR[kind] : undefined;
      if (char === undefined) return null;
      out += char;
      from = at + 2;
    }
    at = raw.indexOf('\\', from);
  }
  return out + raw.slice(from);
}
