/**
 * Well-formedness of an XML document type declaration, which saxes does not check.
 *
 * saxes reads `<!DOCTYPE …>` only far enough to find its end (quotes, brackets, comments)
 * and hands its text over: whatever the internal subset holds passed. Ontologies saved by
 * Protégé and the OWL API carry one, a list of `<!ENTITY owl "http://…#" >` lines, and a
 * damaged one passed while xmllint, expat and rapper refuse it (258 of 1,076 single-bit flips
 * of EDAM 1.3's). This reads the declaration by the productions of XML 1.0 (§2.8, §3.2–3.3,
 * §4.2, §4.7): names, external ids, entity values and their references, comments, processing
 * instructions, parameter-entity references between declarations; ELEMENT and ATTLIST
 * declarations are checked for their shape (name, quoted values, end) but not their content
 * models. Nothing is expanded and nothing outside the document is read.
 */

/** Thrown from a parser's doctype handler: the declaration's problem at its place in the document. */
export class DoctypeMalformed extends Error {
  constructor(message: string, readonly line: number, readonly col: number | null) {
    super(message);
  }
}

/** A problem in a DOCTYPE's text, at `offset` characters into it. */
export interface DoctypeProblem {
  readonly message: string;
  readonly offset: number;
}

const NAME_START = ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
/** A Name (XML 1.0 production 5) at the sticky position. */
// eslint-disable-next-line no-misleading-character-class -- NameChar holds the combining marks U+0300–U+036F, each a code point of its own under the u flag
const NAME = new RegExp(`[${NAME_START}][${NAME_CHAR}]*`, 'uy');
const SPACE = /[ \t\r\n]+/y;
/** PubidChar (production 13), less the quote that delimits the literal. */
const PUBID = /^[ \r\na-zA-Z0-9\-'()+,./:=?;!*#@$_%]*$/;

class Malformed extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

/** Whether a code point is a Char (production 2), as a character reference must name. */
function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** A reader over the declaration's text; each method reads one production or throws `Malformed` where it stops. */
class DoctypeReader {
  pos = 0;
  /** General entities declared with a value, name to value as written (the first declaration binds, §4.2). */
  readonly entities = new Map<string, string>();
  /** Whether declarations outside this text may exist: an external subset, a parameter-entity reference, an external entity. */
  openEnded = false;

  constructor(private readonly text: string) {}

  private fail(message: string, at = this.pos): never {
    throw new Malformed(message, at);
  }

  private at(literal: string): boolean {
    return this.text.startsWith(literal, this.pos);
  }

  /** Optional white space; whether there was any. */
  space(): boolean {
    SPACE.lastIndex = this.pos;
    if (!SPACE.test(this.text)) return false;
    this.pos = SPACE.lastIndex;
    return true;
  }

  private requireSpace(after: string): void {
    if (!this.space()) this.fail(`White space is required after ${after}.`);
  }

  name(what: string): string {
    NAME.lastIndex = this.pos;
    const match = NAME.exec(this.text);
    if (!match) this.fail(`Expected ${what}, found ${this.shown()}.`);
    this.pos = NAME.lastIndex;
    return match[0];
  }

  /** What the text holds at the current position, for a message. */
  private shown(): string {
    if (this.pos >= this.text.length) return 'the end of the declaration';
    return JSON.stringify(this.text.slice(this.pos, this.pos + 12));
  }

  private quoted(what: string): { value: string; start: number } {
    const quote = this.text[this.pos];
    if (quote !== '"' && quote !== "'") this.fail(`Expected a quoted ${what}, found ${this.shown()}.`);
    const start = this.pos + 1;
    const end = this.text.indexOf(quote, start);
    if (end < 0) this.fail(`The quoted ${what} is not closed.`, this.pos);
    this.pos = end + 1;
    return { value: this.text.slice(start, end), start };
  }

  /** The document's own declaration: `S Name (S ExternalID)? S? ('[' intSubset ']' S?)?`. */
  declaration(): void {
    this.requireSpace('<!DOCTYPE');
    this.name('the name of the root element');
    const spaced = this.space();
    if (spaced && (this.at('SYSTEM') || this.at('PUBLIC'))) {
      this.externalId(false);
      this.openEnded = true;
      this.space();
    }
    if (this.at('[')) {
      this.pos += 1;
      this.internalSubset();
      this.space();
    }
    if (this.pos < this.text.length) this.fail(`Unexpected ${this.shown()} in the DOCTYPE declaration.`);
  }

  /** `'SYSTEM' S SystemLiteral | 'PUBLIC' S PubidLiteral (S SystemLiteral)` (the last optional only in a NOTATION). */
  private externalId(systemOptional: boolean): void {
    if (this.at('SYSTEM')) {
      this.pos += 6;
      this.requireSpace('SYSTEM');
      this.quoted('system identifier');
      return;
    }
    if (!this.at('PUBLIC')) this.fail(`Expected SYSTEM or PUBLIC, found ${this.shown()}.`);
    this.pos += 6;
    this.requireSpace('PUBLIC');
    const { value, start } = this.quoted('public identifier');
    if (!PUBID.test(value) || (this.text[start - 1] === "'" && value.includes("'"))) this.fail('The public identifier holds a character it may not.', start);
    const before = this.pos;
    const spaced = this.space();
    if (spaced && (this.text[this.pos] === '"' || this.text[this.pos] === "'")) this.quoted('system identifier');
    else if (!systemOptional) this.fail('A PUBLIC identifier needs a system identifier after it.');
    else this.pos = before;
  }

  /** `(markupdecl | PEReference | S)* ']'`. */
  private internalSubset(): void {
    for (;;) {
      this.space();
      if (this.pos >= this.text.length) this.fail('The internal subset is not closed with "]".');
      if (this.at(']')) {
        this.pos += 1;
        return;
      }
      if (this.at('%')) this.peReference();
      else if (this.at('<!--')) this.comment();
      else if (this.at('<?')) this.processingInstruction();
      else if (this.at('<!ENTITY')) this.entityDecl();
      else if (this.at('<!ELEMENT') || this.at('<!ATTLIST') || this.at('<!NOTATION')) this.otherDecl();
      else this.fail(`Unexpected ${this.shown()} in the internal subset: only markup declarations, comments, processing instructions and parameter-entity references may be there.`);
    }
  }

  private peReference(): void {
    this.openEnded = true;
    this.pos += 1;
    this.name('a parameter entity name after "%"');
    if (!this.at(';')) this.fail('A parameter-entity reference must end with ";".');
    this.pos += 1;
  }

  /** `'<!--' ((Char - '-') | ('-' (Char - '-')))* '-->'`. */
  private comment(): void {
    const start = this.pos;
    const end = this.text.indexOf('-->', start + 4);
    if (end < 0) this.fail('The comment is not closed.', start);
    const dashes = this.text.indexOf('--', start + 4);
    if (dashes < end) this.fail('"--" is not allowed inside a comment.', dashes);
    if (this.text[end - 1] === '-' && end - 1 >= start + 4) this.fail('A comment may not end with "--->".', end - 1);
    this.pos = end + 3;
  }

  /** `'<?' PITarget (S (Char* - (Char* '?>' Char*)))? '?>'`, the target not `xml` in any case. */
  private processingInstruction(): void {
    const start = this.pos;
    this.pos += 2;
    const target = this.name('a processing instruction target');
    if (target.toLowerCase() === 'xml') this.fail('A processing instruction may not be named "xml" here.', start);
    const end = this.text.indexOf('?>', this.pos);
    if (end < 0) this.fail('The processing instruction is not closed.', start);
    if (end > this.pos && !this.space()) this.fail('White space is required after the processing instruction target.');
    this.pos = end + 2;
  }

  /** `'<!ENTITY' S ('%' S)? Name S (EntityValue | ExternalID NDataDecl?) S? '>'`. */
  private entityDecl(): void {
    this.pos += 8;
    this.requireSpace('<!ENTITY');
    let parameter = false;
    if (this.at('%')) {
      parameter = true;
      this.pos += 1;
      this.requireSpace('"%"');
    }
    const name = this.name('an entity name');
    this.requireSpace('the entity name');
    if (this.at('"') || this.at("'")) {
      const value = this.entityValue();
      if (!parameter && !this.entities.has(name)) this.entities.set(name, value);
    } else {
      this.externalId(false);
      // An external entity is not read here, so what it declares or holds is not known.
      this.openEnded = true;
      const before = this.pos;
      if (this.space() && this.at('NDATA')) {
        if (parameter) this.fail('A parameter entity may not have an NDATA declaration.');
        this.pos += 5;
        this.requireSpace('NDATA');
        this.name('a notation name');
      } else this.pos = before;
    }
    this.space();
    if (!this.at('>')) this.fail(`Expected ">" to end the entity declaration, found ${this.shown()}.`);
    this.pos += 1;
  }

  /** A quoted entity value: its "&" start references, and "%" none here (the internal subset forbids them in declarations). */
  private entityValue(): string {
    const { value, start } = this.quoted('entity value');
    for (let i = 0; i < value.length; i += 1) {
      const ch = value[i];
      if (ch === '%') this.fail('A parameter-entity reference is not allowed inside a declaration of the internal subset.', start + i);
      if (ch === '&') i = this.reference(value, i, start);
    }
    return value;
  }

  /** A `&name;` or character reference at `i` of an entity value; returns the index of its ";". */
  private reference(value: string, i: number, start: number): number {
    const semicolon = value.indexOf(';', i);
    const body = semicolon < 0 ? '' : value.slice(i + 1, semicolon);
    const numeric = /^#(?:([0-9]+)|x([0-9a-fA-F]+))$/.exec(body);
    if (numeric) {
      const code = numeric[1] !== undefined ? Number.parseInt(numeric[1], 10) : Number.parseInt(numeric[2]!, 16);
      if (!isXmlChar(code)) this.fail(`The character reference &${body}; names a character XML does not allow.`, start + i);
      return semicolon;
    }
    NAME.lastIndex = 0;
    const name = NAME.exec(body);
    if (!name || name[0] !== body) this.fail('"&" must start an entity or character reference (write "&amp;" for the character).', start + i);
    return semicolon;
  }

  /** ELEMENT, ATTLIST and NOTATION: `'<!KEYWORD' S Name`, then to ">" outside quotes, with no markup in between. */
  private otherDecl(): void {
    const keyword = this.at('<!ELEMENT') ? '<!ELEMENT' : this.at('<!ATTLIST') ? '<!ATTLIST' : '<!NOTATION';
    this.pos += keyword.length;
    this.requireSpace(keyword);
    this.name('a name');
    if (keyword === '<!NOTATION') {
      this.requireSpace('the notation name');
      this.externalId(true);
      this.space();
    }
    while (this.pos < this.text.length && !this.at('>')) {
      const ch = this.text[this.pos];
      if (ch === '"' || ch === "'") this.quoted('value');
      else if (ch === '<' || ch === ']') this.fail(`Unexpected ${this.shown()}: the ${keyword.slice(2)} declaration is not closed with ">".`);
      else this.pos += 1;
    }
    if (!this.at('>')) this.fail(`The ${keyword.slice(2)} declaration is not closed with ">".`);
    this.pos += 1;
  }
}

/** What a well-formed DOCTYPE declaration tells the reader of the document. */
export interface DoctypeFacts {
  /** The general entities it declares, by name, with their replacement text (references in it expanded). */
  readonly entities: ReadonlyMap<string, string>;
  /**
   * Declarations may exist that this text does not hold (an external subset, a parameter
   * entity, an external entity): an entity the document uses and nothing here declares is
   * then not a well-formedness error (XML 1.0 §4.1, WFC Entity Declared).
   */
  readonly openEnded: boolean;
}

/**
 * Reads a DOCTYPE declaration, given its text as saxes hands it over (everything between
 * `<!DOCTYPE` and the closing `>`): its first well-formedness problem, or what it declares.
 */
export function readDoctype(text: string): { problem: DoctypeProblem } | { facts: DoctypeFacts } {
  const reader = new DoctypeReader(text);
  try {
    reader.declaration();
  } catch (error) {
    if (error instanceof Malformed) return { problem: { message: error.message, offset: error.offset } };
    throw error;
  }
  return { facts: { entities: replacementTexts(reader.entities), openEnded: reader.openEnded } };
}

/** The first well-formedness problem of a DOCTYPE declaration's text, or null. */
export function doctypeProblem(text: string): DoctypeProblem | null {
  const read = readDoctype(text);
  return 'problem' in read ? read.problem : null;
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

/**
 * Entity values with their references expanded, as they are at each use (§4.4): character
 * references, the predefined entities and entities declared anywhere in the subset (before or
 * after). A reference nothing declares, or one that refers back to itself, stays as written.
 */
function replacementTexts(values: ReadonlyMap<string, string>): Map<string, string> {
  const expanded = new Map<string, string>();
  const expand = (name: string, seen: ReadonlySet<string>): string => {
    const known = expanded.get(name);
    if (known !== undefined) return known;
    const text = values.get(name)!.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[^;&\s]+);/g, (whole, ref: string) => {
      if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
      if (ref.startsWith('#')) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
      if (PREDEFINED[ref] !== undefined) return PREDEFINED[ref]!;
      if (!values.has(ref) || seen.has(ref)) return whole;
      return expand(ref, new Set([...seen, ref]));
    });
    expanded.set(name, text);
    return text;
  };
  for (const name of values.keys()) expand(name, new Set([name]));
  return expanded;
}

/**
 * Where `offset` of a DOCTYPE's text is in the document, from where the parser stood at its
 * end (just past the closing `>`): the line, and the column when the offset is not on the
 * declaration's first line (where the text does not say how far in it started).
 */
export function doctypePosition(text: string, offset: number, endLine: number): { line: number; col: number | null } {
  let newlines = 0;
  let lastNewline = -1;
  for (let i = 0; i < text.length; i += 1) {
    if (text.charCodeAt(i) !== 10) continue;
    newlines += 1;
    if (i < offset) lastNewline = i;
  }
  const before = text.slice(0, offset).split('\n').length - 1;
  return { line: endLine - newlines + before, col: lastNewline >= 0 ? offset - lastNewline : null };
}

/**
 * Checks a DOCTYPE declaration the parser just read (it stands at its end, on `endLine`):
 * what it declares when it is well-formed, else throws `DoctypeMalformed` at the problem.
 */
export function checkDoctype(text: string, endLine: number): DoctypeFacts {
  const read = readDoctype(text);
  if ('facts' in read) return read.facts;
  const { line, col } = doctypePosition(text, read.problem.offset, endLine);
  throw new DoctypeMalformed(read.problem.message, line, col);
}

/**
 * Lets a saxes parser read the entities a DOCTYPE declares (saxes knows only the predefined
 * five); with an open-ended DTD, one nothing here declares is kept as written, not an error.
 */
export function useDoctypeEntities(parser: { ENTITIES: Record<string, string> }, facts: DoctypeFacts): void {
  for (const [name, value] of facts.entities) if (PREDEFINED[name] === undefined) parser.ENTITIES[name] = value;
  if (!facts.openEnded) return;
  const known = parser.ENTITIES;
  parser.ENTITIES = new Proxy(known, {
    get: (target, name) => (typeof name === 'string' && !(name in target) ? `&${name};` : Reflect.get(target, name)),
  });
}
