import { OboLineError, parseOboClause, parseStanzaHeader, type OboClause } from './obo-clause.js';
import { readTextChunks } from './read-chunks.js';
import type { ParseControl, ParseNotice, ParseOutcome, SyntaxProblem } from './parse-types.js';

export type { OboClause, OboQualifier, OboXref } from './obo-clause.js';
export { unescapeObo } from './obo-clause.js';

/** The stanza types of OBO 1.4. */
export type OboStanzaType = 'Term' | 'Typedef' | 'Instance';

/** One clause with its line: `value` is unescaped, trailing modifiers and `! comments` are apart. */
export type OboTag = OboClause;

/** A `[Term]`, `[Typedef]` or `[Instance]` stanza. */
/** Skipped lines reported one by one; past this, one notice counts the rest. */
const MAX_LINE_NOTICES = 20;

export interface OboStanza {
  readonly type: OboStanzaType;
  /** The value of its `id` tag, unescaped. */
  readonly id: string;
  /** Line of the `[Type]` header. */
  readonly line: number;
  /** Line of the `id:` clause. */
  readonly id_line: number;
  readonly tags: readonly OboTag[];
}

/** A stanza whose id an earlier stanza already used. */
export interface OboDuplicate {
  readonly id: string;
  /** The first stanza with this id. */
  readonly first: OboStanza;
  /** The later one. */
  readonly again: OboStanza;
}

/** What the OBO reader hands out while it streams. */
export interface OboHandlers {
  readonly onHeader?: (tags: readonly OboTag[]) => void;
  /** The first stanza of each id, in file order. */
  readonly onStanza?: (stanza: OboStanza) => void;
  /** A later stanza reusing an id; it goes here instead of `onStanza`. */
  readonly onDuplicate?: (duplicate: OboDuplicate) => void;
}

const stanzaTypes = new Set<string>(['Term', 'Typedef', 'Instance']);

/** Raised at the first syntax error, with its line. */
class OboSyntax extends Error {
  constructor(message: string, readonly line: number, readonly col: number | null = null) {
    super(message);
  }
}

/**
 * Streams an OBO 1.4 file: the header, then each stanza with its clauses and line
 * numbers. Checks the syntax as it goes (stanza headers, each clause by the OBO 1.4
 * syntax guide, one `id` per stanza) and stops at the first error. A stanza that reuses
 * an id goes to `onDuplicate`, not `onStanza`; `counts.distinct_ids` counts ids.
 */
export async function parseOboFile(filePath: string, handlers: OboHandlers = {}, control: ParseControl = {}): Promise<ParseOutcome> {
  let lineNo = 0;
  let rest = '';
  const header: OboTag[] = [];
  let current: { type: OboStanzaType; line: number; tags: OboTag[] } | null = null;
  let stanzas = 0;
  let tags = 0;
  let duplicates = 0;
  let skipped = 0;
  /** Of the skipped lines, those reported one by one. */
  let skippedNotices = 0;
  /** Lines read leniently (clause.warning), and those reported one by one. */
  let lenient = 0;
  let lenientNotices = 0;
  const counts: Record<string, number> = { Term: 0, Typedef: 0, Instance: 0 };
  // Only the first stanza of each id is kept, so memory grows with ids, not with duplicates.
  const seen = new Map<string, OboStanza>();

  const finishStanza = (): void => {
    if (!current) return;
    const ids = current.tags.filter((tag) => tag.tag === 'id');
    if (ids.length === 0) throw new OboSyntax(`[${current.type}] stanza has no 'id' tag.`, current.line, 1);
    stanzas += 1;
    counts[current.type] = (counts[current.type] ?? 0) + 1;
    const stanza: OboStanza = { type: current.type, id: ids[0]!.value, line: current.line, id_line: ids[0]!.line, tags: current.tags };
    current = null;
    const first = seen.get(stanza.id);
    if (first) {
      duplicates += 1;
      handlers.onDuplicate?.({ id: stanza.id, first, again: stanza });
    } else {
      seen.set(stanza.id, { ...stanza, tags: [] });
      handlers.onStanza?.(stanza);
    }
  };

  const handleLine = (raw: string): void => {
    lineNo += 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const start = line.trimStart();
    if (start.startsWith('[')) {
      const type = parseStanzaHeader(line);
      if (!stanzaTypes.has(type)) throw new OboSyntax(`Unknown stanza type '[${type}]': expected [Term], [Typedef] or [Instance].`, lineNo, 1);
      if (current) finishStanza();
      else handlers.onHeader?.(header);
      current = { type: type as OboStanzaType, line: lineNo, tags: [] };
      return;
    }
    let clause: OboClause | null;
    try {
      clause = parseOboClause(line, lineNo);
    } catch (error) {
      // Real releases carry the odd line that is not `tag: value` at all (EDAM 1.0 has a
      // synonym without its colon): nothing of it can be read, the rest of the file can.
      // It is skipped and reported as a WARN, never silently; a broken clause stays fatal.
      if (!(error instanceof OboLineError) || error.kind !== 'shape') throw error;
      skipped += 1;
      if (skippedNotices < MAX_LINE_NOTICES) {
        skippedNotices += 1;
        notices.push({
          rule: 'malformed-line', severity: 'WARN', line: lineNo, col: error.col,
          message: `Line ${lineNo} is not 'tag: value' and was skipped: ${error.message}`,
        });
      }
      return;
    }
    if (!clause) return;
    if (clause.warning) {
      lenient += 1;
      if (lenientNotices < MAX_LINE_NOTICES) {
        lenientNotices += 1;
        notices.push({ rule: clause.warning.rule, severity: 'WARN', line: lineNo, col: clause.warning.col, message: `Line ${lineNo}: ${clause.warning.message}` });
      }
    }
    if (current && clause.tag === 'id' && current.tags.some((tag) => tag.tag === 'id')) {
      // A second id in one stanza: its header line is missing (EDAM beta10 has a [Term]
      // line commented out). Read on as a new stanza of the same type, and say so.
      const type = current.type;
      finishStanza();
      current = { type, line: lineNo, tags: [] };
      skipped += 1;
      if (skippedNotices < MAX_LINE_NOTICES) {
        skippedNotices += 1;
        notices.push({
          rule: 'missing-stanza-header', severity: 'WARN', line: lineNo, col: 1,
          message: `Line ${lineNo} starts a second 'id' in one stanza: its [${type}] header is missing; it was read as a new [${type}].`,
        });
      }
    }
    tags += 1;
    (current ? current.tags : header).push(clause);
  };

  let problem: SyntaxProblem | null = null;
  const notices: ParseNotice[] = [];
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
    if (error instanceof OboLineError) problem = { message: error.message, line: lineNo, col: error.col };
    else if (error instanceof OboSyntax) problem = { message: error.message, line: error.line, col: error.col };
    else throw error;
  }
  return {
    problem,
    triples: null,
    counts: {
      stanzas, tags, header_tags: header.length, term_stanzas: counts.Term ?? 0, typedefs: counts.Typedef ?? 0, instances: counts.Instance ?? 0,
      distinct_ids: seen.size, duplicate_stanzas: duplicates,
    },
    notices: [
      ...notices,
      ...(skipped > skippedNotices
        ? [{ rule: 'malformed-line', severity: 'WARN' as const, message: `${skipped - skippedNotices} more lines were skipped or read as new stanzas (not 'tag: value', or a second 'id').` }]
        : []),
      ...(lenient > lenientNotices
        ? [{ rule: 'unescaped-quote', severity: 'WARN' as const, message: `${lenient - lenientNotices} more lines hold quotes that are not escaped inside a quoted text; they were read as part of it.` }]
        : []),
    ],
  };
}
