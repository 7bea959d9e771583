import { readTextChunks } from './read-chunks.js';
import type { ParseControl, ParseOutcome, SyntaxProblem } from './parse-types.js';

/** The stanza types of OBO 1.4. */
export type OboStanzaType = 'Term' | 'Typedef' | 'Instance';

/** One tag-value pair with its line; `value` has trailing qualifiers and `! comments` removed. */
export interface OboTag {
  readonly tag: string;
  readonly value: string;
  readonly line: number;
}

/** A `[Term]`, `[Typedef]` or `[Instance]` stanza. */
export interface OboStanza {
  readonly type: OboStanzaType;
  readonly id: string;
  readonly line: number;
  readonly tags: readonly OboTag[];
}

/** What the OBO reader hands out while it streams. */
export interface OboHandlers {
  readonly onHeader?: (tags: readonly OboTag[]) => void;
  readonly onStanza?: (stanza: OboStanza) => void;
}

const stanzaTypes = new Set<string>(['Term', 'Typedef', 'Instance']);
const tagPattern = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** Tags whose values contain quoted strings, where `!` inside quotes is not a comment. */
const quotedTags = new Set(['def', 'synonym', 'property_value', 'exact_synonym', 'narrow_synonym', 'broad_synonym', 'related_synonym']);

/** Raised at the first syntax error, with its line. */
class OboSyntax extends Error {
  constructor(message: string, readonly line: number, readonly col: number | null = null) {
    super(message);
  }
}

/**
 * Finds where a value ends: before an unescaped ` !` comment, outside quotes when the tag
 * has quoted parts (def, synonym, property_value; elsewhere `"` is an ordinary
 * character). Returns the end index or throws on an open quote.
 */
function valueEnd(raw: string, lineNo: number, col: number, quoted: boolean): number {
  let inQuote = false;
  for (let i = 0; i < raw.length; i += 1) {
    const ch = raw[i];
    if (ch === '\\') {
      i += 1;
      continue;
    }
    if (ch === '"' && quoted) inQuote = !inQuote;
    else if (!inQuote && ch === '!' && (i === 0 || raw[i - 1] === ' ' || raw[i - 1] === '\t')) return i;
  }
  if (inQuote) throw new OboSyntax('Unterminated quoted string.', lineNo, col);
  return raw.length;
}

/** Strips a trailing `{qualifier=…}` block. */
function stripQualifiers(value: string): string {
  const trimmed = value.trimEnd();
  if (!trimmed.endsWith('}')) return trimmed;
  const open = trimmed.lastIndexOf(' {');
  return open >= 0 ? trimmed.slice(0, open).trimEnd() : trimmed;
}

/** Checks the `"text" …  [xrefs]` shape of def and synonym values. */
function checkQuoted(tag: string, value: string, lineNo: number, col: number): void {
  if (!value.startsWith('"')) throw new OboSyntax(`'${tag}' must start with a quoted text.`, lineNo, col);
  let close = -1;
  for (let i = 1; i < value.length; i += 1) {
    if (value[i] === '\\') i += 1;
    else if (value[i] === '"') {
      close = i;
      break;
    }
  }
  if (close < 0) throw new OboSyntax(`Unterminated quoted text in '${tag}'.`, lineNo, col);
  const rest = value.slice(close + 1);
  if (!/\[[^\]]*\]\s*$/.test(rest)) throw new OboSyntax(`'${tag}' needs a [dbxref list] after its quoted text (use [] when empty).`, lineNo, col + close + 1);
}

/** The text of a quoted OBO value (`def`, `synonym`), unescaped. */
export function oboQuotedText(value: string): string {
  const match = /^"((?:[^"\\]|\\.)*)"/.exec(value);
  return match ? match[1]!.replace(/\\(.)/g, '$1') : value;
}

/**
 * Streams an OBO 1.4 file: the header, then each stanza with its tag-value pairs and
 * line numbers. Checks the syntax as it goes (stanza headers, `tag: value` lines, quoted
 * def/synonym values, one `id` per stanza, boolean tags) and stops at the first error.
 */
export async function parseOboFile(filePath: string, handlers: OboHandlers = {}, control: ParseControl = {}): Promise<ParseOutcome> {
  let lineNo = 0;
  let rest = '';
  const header: OboTag[] = [];
  let current: { type: OboStanzaType; line: number; tags: OboTag[] } | null = null;
  let stanzas = 0;
  let tags = 0;
  const counts: Record<string, number> = { Term: 0, Typedef: 0, Instance: 0 };

  const finishStanza = (): void => {
    if (!current) return;
    const ids = current.tags.filter((tag) => tag.tag === 'id');
    if (ids.length === 0) throw new OboSyntax(`[${current.type}] stanza has no 'id' tag.`, current.line, 1);
    if (ids.length > 1) throw new OboSyntax(`[${current.type}] stanza has more than one 'id' tag.`, ids[1]!.line, 1);
    stanzas += 1;
    counts[current.type] = (counts[current.type] ?? 0) + 1;
    handlers.onStanza?.({ type: current.type, id: ids[0]!.value, line: current.line, tags: current.tags });
    current = null;
  };

  const handleLine = (raw: string): void => {
    lineNo += 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('!')) return;
    if (trimmed.startsWith('[')) {
      const match = /^\[([^\]]*)\]$/.exec(trimmed);
      if (!match) throw new OboSyntax(`Malformed stanza header '${trimmed.slice(0, 40)}': expected [Term], [Typedef] or [Instance].`, lineNo, 1);
      if (!stanzaTypes.has(match[1]!)) throw new OboSyntax(`Unknown stanza type '[${match[1]}]': expected [Term], [Typedef] or [Instance].`, lineNo, 1);
      if (current) finishStanza();
      else handlers.onHeader?.(header);
      current = { type: match[1] as OboStanzaType, line: lineNo, tags: [] };
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new OboSyntax(`Expected 'tag: value', found '${trimmed.slice(0, 40)}'.`, lineNo, 1);
    const tag = line.slice(0, colon).trim();
    if (!tagPattern.test(tag)) throw new OboSyntax(`Invalid tag name '${tag.slice(0, 40)}'.`, lineNo, 1);
    const rawValue = line.slice(colon + 1);
    const valueCol = colon + 2 + (rawValue.length - rawValue.trimStart().length);
    const start = rawValue.trimStart();
    const value = stripQualifiers(start.slice(0, valueEnd(start, lineNo, valueCol, quotedTags.has(tag))));
    if (value === '') throw new OboSyntax(`Tag '${tag}' has no value.`, lineNo, valueCol);
    if (tag === 'def' || tag === 'synonym') checkQuoted(tag, value, lineNo, valueCol);
    if ((tag === 'is_obsolete' || tag === 'is_anonymous' || tag === 'is_transitive' || tag === 'is_symmetric') && value !== 'true' && value !== 'false') {
      throw new OboSyntax(`Tag '${tag}' takes true or false, found '${value.slice(0, 40)}'.`, lineNo, valueCol);
    }
    tags += 1;
    (current ? current.tags : header).push({ tag, value, line: lineNo });
  };

  let problem: SyntaxProblem | null = null;
  try {
    for await (const text of readTextChunks(filePath, control)) {
      const lines = (rest + text).split('\n');
      rest = lines.pop()!;
      for (const line of lines) handleLine(line);
    }
    if (rest !== '') handleLine(rest);
    if (current) finishStanza();
    else handlers.onHeader?.(header);
  } catch (error) {
    if (!(error instanceof OboSyntax)) throw error;
    problem = { message: error.message, line: error.line, col: error.col };
  }
  return {
    problem,
    triples: null,
    counts: { stanzas, tags, header_tags: header.length, term_stanzas: counts.Term ?? 0, typedefs: counts.Typedef ?? 0, instances: counts.Instance ?? 0 },
    notices: [],
  };
}
