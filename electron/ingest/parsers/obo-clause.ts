/**
 * One line of an OBO file, read by the OBO 1.4 syntax guide: a stanza header, or a
 * `tag: value {trailing modifiers} ! comment` clause with its escapes, quoted strings and
 * dbxref lists. Pure string work; `parse-obo.ts` streams the file and keeps the stanzas.
 *
 * Strict where the guide is strict (no `tag: value` shape, unterminated quotes, dbxref
 * lists or modifier blocks, a `def` without its dbxref list, a synonym without its scope,
 * the shapes of subsetdef, synonymtypedef and idspace), tolerant of what real
 * releases carry: OBO 1.2 modifiers without quotes (`{cardinality=1}`, `{url=}`),
 * unescaped brackets inside a dbxref (`SK[au\]`), `"` as a plain character in tags whose
 * values have no quoted part (`comment`, `name`).
 */

/** A syntax error in one line; `col` is 1-based within the line. */
export class OboLineError extends Error {
  /**
   * `shape`: the line is not `tag: value` at all (no colon, or no tag name before it), so
   * nothing of it can be read, but the lines around it can; `clause`: a broken clause.
   */
  constructor(message: string, readonly col: number, readonly kind: 'shape' | 'clause' = 'clause') {
    super(message);
  }
}

/** One `name=value` of a trailing modifier block or a dbxref's own block. */
export interface OboQualifier {
  readonly name: string;
  readonly value: string;
}

/** One entry of a dbxref list: `ID "description" {modifiers}`, unescaped. */
export interface OboXref {
  readonly id: string;
  readonly description: string | null;
}

/** A `tag: value` line, split into its parts. */
export interface OboClause {
  readonly tag: string;
  /** The value as written, without trailing modifiers and comment (escapes kept). */
  readonly raw: string;
  /** The value unescaped; for `def` and synonyms, the text of the quoted string. */
  readonly value: string;
  /** The dbxref list of `def` and synonyms ([] elsewhere). */
  readonly xrefs: readonly OboXref[];
  readonly qualifiers: readonly OboQualifier[];
  /** 1-based column where the value starts. */
  readonly col: number;
  /** 1-based line number. */
  readonly line: number;
  /**
   * What was read leniently, to report as a WARN: quotes inside a quoted text that are not
   * escaped (EDAM 1.0: `def: "… database ("Bos taurus" division)." [...]`).
   */
  readonly warning?: { readonly rule: 'unescaped-quote'; readonly message: string; readonly col: number };
}

/** Tags whose value starts with a quoted string followed by a dbxref list. */
const QUOTED_THEN_XREFS = new Set([
  'def', 'synonym', 'exact_synonym', 'narrow_synonym', 'broad_synonym', 'related_synonym',
  'expand_assertion_to', 'expand_expression_to',
]);
/**
 * Tags whose values hold quoted strings among other tokens. Elsewhere `"` is a plain
 * character, as the guide's unquoted strings have it (`comment: he said "hi`, EDAM's
 * `regex: "[0-9]+` cut short in beta12).
 */
const QUOTED_TOKENS = new Set(['subsetdef', 'synonymtypedef', 'idspace', 'property_value', 'xref', 'xref_analog', 'xref_unknown']);
/** Tags that take `true` or `false`. */
const BOOLEAN_TAGS = new Set([
  'is_anonymous', 'is_obsolete', 'builtin', 'is_anti_symmetric', 'is_asymmetric', 'is_cyclic', 'is_reflexive',
  'is_symmetric', 'is_transitive', 'is_functional', 'is_inverse_functional', 'is_metadata_tag', 'is_class_level',
]);
const TAG_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const QUOTED = String.raw`"(?:[^"\\]|\\.)*"`;
const SCOPES = new Set(['EXACT', 'BROAD', 'NARROW', 'RELATED']);
/** Header tags with a fixed shape in the guide, with an example for the message. */
const HEADER_SHAPES: ReadonlyMap<string, { readonly pattern: RegExp; readonly example: string }> = new Map([
  ['subsetdef', { pattern: new RegExp(`^\\S+\\s+${QUOTED}$`), example: 'subsetdef: goslim_generic "Generic GO slim"' }],
  ['synonymtypedef', { pattern: new RegExp(`^\\S+\\s+${QUOTED}(?:\\s+(?:EXACT|BROAD|NARROW|RELATED))?$`), example: 'synonymtypedef: systematic_synonym "Systematic synonym" EXACT' }],
  ['idspace', { pattern: new RegExp(`^\\S+\\s+\\S+(?:\\s+${QUOTED})?$`), example: 'idspace: GO http://purl.obolibrary.org/obo/GO_ "Gene Ontology"' }],
]);
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', W: ' ' };

/** Resolves OBO escapes: `\n`, `\t`, `\W` (space); any other escaped character stands for itself. */
export function unescapeObo(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\(.)/g, (_, ch: string) => ESCAPES[ch] ?? ch);
}

const isSpace = (ch: string | undefined): boolean => ch === ' ' || ch === '\t';

// Scans jump from one special character to the next: values are mostly plain text.
const QUOTE_OR_ESCAPE = /["\\]/g;
const VALUE_SPECIALS = /[\\"[!{]/g;

/** Index just past the closing quote of the quoted string opening at `open`, or -1. */
function findQuoteEnd(text: string, open: number): number {
  QUOTE_OR_ESCAPE.lastIndex = open + 1;
  for (let match = QUOTE_OR_ESCAPE.exec(text); match; match = QUOTE_OR_ESCAPE.exec(text)) {
    if (match[0] === '"') return match.index + 1;
    QUOTE_OR_ESCAPE.lastIndex = match.index + 2;
  }
  return -1;
}

/** Like findQuoteEnd, for a quoted string that must close. */
function closeQuote(text: string, open: number, offset: number): number {
  const end = findQuoteEnd(text, open);
  if (end < 0) throw new OboLineError('Unterminated quoted string.', offset + open + 1);
  return end;
}

/** Splits `text` at unescaped, unquoted commas; each part keeps its start index. */
function splitCommas(text: string): { part: string; at: number }[] {
  const parts: { part: string; at: number }[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') i = closeQuote(text, i, 0) - 1;
    else if (text[i] === ',') {
      parts.push({ part: text.slice(start, i), at: start });
      start = i + 1;
    }
  }
  parts.push({ part: text.slice(start), at: start });
  return parts;
}

/** Index of the `}` closing the block opening at `open` (quotes and escapes respected), or -1. */
function findCloseBrace(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') {
      const end = findQuoteEnd(text, i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (text[i] === '}') return i;
    else if (text[i] === '{') return -1;
  }
  return -1;
}

/** Like findCloseBrace, for a block that must close (inside a dbxref list). */
function closeBrace(text: string, open: number, offset: number): number {
  const close = findCloseBrace(text, open);
  if (close < 0) throw new OboLineError("Unterminated modifier block: '{' without its '}'.", offset + open + 1);
  return close;
}

/**
 * The modifier block opening at `open`, or null when the `{` is text. A block is one
 * that closes, holds `name=value` pairs and ends the value (only a `! comment` may follow);
 * real files put unescaped braces in text (EDAM's `regex: "Gene:[0-9]{7}"`), which the
 * guide would reject. A block that starts like modifiers but never closes is an error.
 */
function trailingModifiers(text: string, open: number, offset: number): OboQualifier[] | null {
  const close = findCloseBrace(text, open);
  if (close < 0) {
    if ((open === 0 || isSpace(text[open - 1])) && /^\{\s*[^\s=,{}"]+\s*=/.test(text.slice(open))) {
      throw new OboLineError("Unterminated trailing modifier block: '{' without its '}'.", offset + open + 1);
    }
    return null;
  }
  let after = close + 1;
  while (isSpace(text[after])) after += 1;
  if (after < text.length && text[after] !== '!') return null;
  const body = text.slice(open + 1, close);
  if (body.trim() !== '' && !body.includes('=')) return null;
  return parseQualifiers(body, offset + open + 2);
}

/** Reads the `name=value, …` inside a modifier block; `offset` is the column of its first character. */
function parseQualifiers(body: string, offset: number): OboQualifier[] {
  if (body.trim() === '') throw new OboLineError("Empty trailing modifier block '{}'.", offset - 1);
  return splitCommas(body).map(({ part, at }) => {
    const eq = part.indexOf('=');
    const name = eq > 0 ? part.slice(0, eq).trim() : '';
    if (name === '') throw new OboLineError(`Trailing modifier '${part.trim().slice(0, 40)}' is not name=value.`, offset + at + part.length - part.trimStart().length);
    const rawValue = part.slice(eq + 1).trim();
    const value = rawValue.startsWith('"') && rawValue.endsWith('"') && rawValue.length > 1 ? rawValue.slice(1, -1) : rawValue;
    return { name: unescapeObo(name), value: unescapeObo(value) };
  });
}

/** Reads a dbxref list opening at `open`; returns its entries and the index past `]`. */
function parseXrefList(text: string, open: number, offset: number): { xrefs: OboXref[]; end: number } {
  let close = -1;
  for (let i = open + 1; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '\\') i += 1;
    else if (ch === '"') i = closeQuote(text, i, offset) - 1;
    else if (ch === '{') i = closeBrace(text, i, offset);
    else if (ch === ']') {
      close = i;
      break;
    }
  }
  if (close < 0) throw new OboLineError("Unterminated dbxref list: '[' without its ']'.", offset + open + 1);
  const xrefs: OboXref[] = [];
  for (const { part, at } of splitCommas(text.slice(open + 1, close))) {
    const base = offset + open + 1 + at;
    const item = parseXref(part, base);
    if (item) xrefs.push(item);
  }
  return { xrefs, end: close + 1 };
}

/**
 * One dbxref list entry: an id, then an optional quoted description and modifier block.
 * The guide allows neither spaces in the id nor text after the description, but real
 * releases have both (ChEBI's `[NIST Chemistry WebBook:]`, EDAM beta12's
 * `[EDAM:EBI "EMBRACE definition" http://…]`): the id runs up to a description or
 * modifier block, and text after the description is kept with it.
 */
function parseXref(part: string, offset: number): OboXref | null {
  let i = 0;
  while (i < part.length && part[i] !== '{' && !(part[i] === '"' && (i === 0 || isSpace(part[i - 1])))) i += part[i] === '\\' ? 2 : 1;
  const id = part.slice(0, i).trim();
  if (id === '') {
    if (i >= part.length) return null;
    throw new OboLineError('A dbxref needs an id before its description or modifiers.', offset + i + 1);
  }
  let description: string | null = null;
  if (part[i] === '"') {
    const end = closeQuote(part, i, offset);
    description = unescapeObo(part.slice(i + 1, end - 1));
    i = end;
  }
  const open = part.indexOf('{', i);
  const extra = (open < 0 ? part.slice(i) : part.slice(i, open)).trim();
  if (extra !== '') description = description === null ? unescapeObo(extra) : `${description} ${unescapeObo(extra)}`;
  if (open >= 0) {
    const close = closeBrace(part, open, offset);
    parseQualifiers(part.slice(open + 1, close), offset + open + 2);
    if (part.slice(close + 1).trim() !== '') throw new OboLineError("Expected ',' or ']' after a dbxref's modifiers.", offset + close + 2);
  }
  return { id: unescapeObo(id), description };
}

/**
 * Between a synonym's text and its dbxref list: a scope (EXACT, BROAD, NARROW or
 * RELATED), then at most a synonym type. `offset` is the 0-based column of `between`.
 */
function checkSynonymScope(between: string, offset: number): void {
  const tokens = [...between.matchAll(/\S+/g)];
  const [scope, , extra] = tokens;
  if (!scope || !SCOPES.has(scope[0])) {
    throw new OboLineError("A synonym needs a scope (EXACT, BROAD, NARROW or RELATED) after its text.", offset + (scope?.index ?? 0) + 1);
  }
  if (extra) throw new OboLineError('A synonym takes a scope and at most one synonym type before its dbxref list.', offset + extra.index + 1);
}

const NO_XREFS: readonly OboXref[] = Object.freeze([]);
const NO_QUALIFIERS: readonly OboQualifier[] = Object.freeze([]);

/**
 * Reads one `tag: value` line (the line has no newline) found at line `lineNo`. Returns
 * null for a blank or comment-only line; throws OboLineError for anything the syntax
 * does not allow.
 */
export function parseOboClause(line: string, lineNo: number): OboClause | null {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('!')) return null;
  const colon = line.indexOf(':');
  if (colon <= 0) throw new OboLineError(`Expected 'tag: value', found '${trimmed.slice(0, 40)}'.`, line.length - line.trimStart().length + 1, 'shape');
  const tag = line.slice(0, colon).trim();
  if (!TAG_NAME.test(tag)) throw new OboLineError(`Invalid tag name '${tag.slice(0, 40)}'.`, line.length - line.trimStart().length + 1, 'shape');

  let from = colon + 1;
  while (isSpace(line[from])) from += 1;
  const text = line.slice(from);
  const col = from + 1;
  const quotedFirst = QUOTED_THEN_XREFS.has(tag);
  const quoted = quotedFirst || QUOTED_TOKENS.has(tag);

  let end = text.length;
  let quoteEnd = -1;
  let xrefs = NO_XREFS;
  let xrefStart = -1;
  let xrefEnd = -1;
  let qualifiers = NO_QUALIFIERS;
  // The first quote after the quoted text of a def or synonym closed, before its dbxref
  // list: the text held quotes its writer did not escape.
  let innerQuote = -1;
  VALUE_SPECIALS.lastIndex = 0;
  for (let match = VALUE_SPECIALS.exec(text); match; match = VALUE_SPECIALS.exec(text)) {
    const i = match.index;
    const ch = match[0];
    let next = i + 1;
    if (ch === '\\') {
      if (i + 1 >= text.length) throw new OboLineError('A backslash at the end of a line escapes nothing.', from + i + 1);
      next = i + 2;
    } else if (ch === '"' && quotedFirst && quoteEnd >= 0 && xrefEnd < 0) {
      // Read as part of the quoted text, which then runs to the last quote before the
      // dbxref list: what the file's writer meant, and how EDAM's own OWL release of the
      // same text reads (`A superset of the "Description-Logic …"`), not a text cut short.
      if (innerQuote < 0) innerQuote = quoteEnd - 1;
      next = i === 0 || !isSpace(text[i - 1]) ? i + 1 : closeQuote(text, i, from);
      quoteEnd = next;
    } else if (ch === '"' && quoted && (i === 0 || isSpace(text[i - 1]))) {
      next = closeQuote(text, i, from);
      if (quoteEnd < 0) quoteEnd = next;
    } else if (ch === '[' && quotedFirst && quoteEnd >= 0 && xrefEnd < 0 && (i === quoteEnd || isSpace(text[i - 1]))) {
      const list = parseXrefList(text, i, from);
      xrefs = list.xrefs;
      xrefStart = i;
      xrefEnd = next = list.end;
    } else if (ch === '!') {
      end = i;
      break;
    } else if (ch === '{') {
      const block = trailingModifiers(text, i, from);
      if (block) {
        qualifiers = block;
        end = i;
        break;
      }
    }
    VALUE_SPECIALS.lastIndex = next;
  }

  const raw = text.slice(0, end).trimEnd();
  if (raw === '') throw new OboLineError(`Tag '${tag}' has no value.`, col);
  let value: string;
  if (quotedFirst) {
    if (!raw.startsWith('"')) throw new OboLineError(`'${tag}' must start with a quoted text.`, col);
    if (xrefEnd < 0) throw new OboLineError(`'${tag}' needs a [dbxref list] after its quoted text (use [] when empty).`, from + quoteEnd + 1);
    if (xrefEnd < raw.length) throw new OboLineError(`Unexpected text after the dbxref list of '${tag}'.`, from + xrefEnd + 1);
    value = unescapeObo(raw.slice(1, quoteEnd - 1));
    if (tag === 'synonym') checkSynonymScope(text.slice(quoteEnd, xrefStart), from + quoteEnd);
  } else {
    value = unescapeObo(raw);
    const shape = HEADER_SHAPES.get(tag);
    if (shape && !shape.pattern.test(raw)) throw new OboLineError(`'${tag}' does not have the shape '${shape.example}'.`, col);
  }
  if (BOOLEAN_TAGS.has(tag) && value !== 'true' && value !== 'false') {
    throw new OboLineError(`Tag '${tag}' takes true or false, found '${value.slice(0, 40)}'.`, col);
  }
  if (innerQuote >= 0) {
    return {
      tag, raw, value, xrefs, qualifiers, col, line: lineNo,
      warning: {
        rule: 'unescaped-quote', col: from + innerQuote + 1,
        message: `The quoted text of '${tag}' holds quotes that are not escaped (\\"); they were read as part of it.`,
      },
    };
  }
  return { tag, raw, value, xrefs, qualifiers, col, line: lineNo };
}

/** The stanza type of a `[Name]` line (trailing `! comment` allowed); throws on a malformed header. */
export function parseStanzaHeader(line: string): string {
  const trimmed = line.trim();
  const match = /^\[([^\]]*)\](?:[ \t]*!.*)?$/.exec(trimmed);
  if (!match) throw new OboLineError(`Malformed stanza header '${trimmed.slice(0, 40)}': expected [Term], [Typedef] or [Instance].`, line.length - line.trimStart().length + 1);
  return match[1]!;
}
