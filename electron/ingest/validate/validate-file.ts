import { termColumns, TermColumnsBuilder, type TermColumns } from '../../catalog/term-columns.js';
import type { NewValidation } from '../../catalog/write-records.js';
import { formatLabel, ONTOLOGY_FORMATS, type FileFormat } from '../../shared/formats.js';
import { formatFromContent } from '../detect-format.js';
import { checkDelimitedFile } from '../parsers/check-delimited.js';
import { checkJsonFile } from '../parsers/check-json.js';
import { scanOntologyFile, type DuplicateTerm, type ExtractedTerm } from '../parsers/extract-terms.js';
import type { ParseControl, ParseOutcome } from '../parsers/parse-types.js';
import { placeOfByte, Utf8Check } from '../parsers/utf8-check.js';
import { checkXmlFile } from '../parsers/xml-stream.js';
import { qualityFindings } from './quality-checks.js';
import { VALIDATOR_BY_FORMAT, VALIDATOR_VERSION } from './validators.js';

export { VALIDATOR_BY_FORMAT } from './validators.js';

/** One file to validate. */
export interface FileTask {
  readonly absPath: string;
  readonly relpath: string;
  readonly format: string;
  readonly size_bytes: number;
  /** Hand the parsed terms back for the term index (its content is not indexed yet). */
  readonly index_terms?: boolean;
  /**
   * With `index_terms`: hand the terms back in chunks while the file is still parsed, as
   * they become final (`onTermChunk`), so the index records them meanwhile; the result then
   * holds only the rest. For a content the index has no rows of at all.
   */
  readonly stream_terms?: boolean;
  /**
   * The path relative IRIs resolve against (`file:///<path>`), when `relpath` is not the
   * file's path in its version: a backfill keys its tasks by root-relative paths, and a
   * term's identity must not depend on which run read its content.
   */
  readonly base_relpath?: string;
}

/** What validating one file produced: its rows and a few counts for the summary. */
export interface FileValidation {
  readonly relpath: string;
  readonly rows: readonly NewValidation[];
  readonly triples: number | null;
  readonly terms: number | null;
  /**
   * The terms as the term index's columns, when the task asked for them and the file
   * parsed cleanly (columns, not term objects: far cheaper to post between threads).
   */
  index_terms?: TermColumns;
  /** How many chunks of terms went to `onTermChunk` before the result (`stream_terms`). */
  readonly index_chunks?: number;
}

/** Terms in a chunk handed back while a file is parsed: about 2 MB of columns. */
export const TERM_CHUNK_TERMS = 10_000;

/**
 * Files smaller than this hand their terms back whole (a chunk of their own would cost a
 * transaction more and hide nothing): no OBO file under 1 MiB holds TERM_CHUNK_TERMS terms.
 */
export const STREAM_TERMS_MIN_BYTES = 1 << 20;

/**
 * The terms of a file whose terms are handed back while it is parsed: every TERM_CHUNK_TERMS
 * final terms as a chunk, then, with the result, the rest (the terms final only once the
 * whole file is read, and the last chunk's worth).
 */
class StreamedTerms {
  private readonly builder = new TermColumnsBuilder();
  /** A Set, not a WeakSet: its terms live as long as the scan does, and a WeakSet's entries cost the collector. */
  private readonly handed = new Set<ExtractedTerm>();
  chunks = 0;

  constructor(private readonly onChunk: (columns: TermColumns) => void) {}

  add(term: ExtractedTerm): void {
    this.handed.add(term);
    this.builder.add(term);
    if (this.builder.count >= TERM_CHUNK_TERMS) this.flush();
  }

  /**
   * At the end of the read, once chunks went: hands back the terms added since the last
   * one, so they are recorded while the quality checks run. A file that sent none gives all
   * its terms with its result, as one that does not stream.
   */
  end(): void {
    if (this.chunks > 0) this.flush();
  }

  private flush(): void {
    if (this.builder.count === 0) return;
    this.onChunk(this.builder.take());
    this.chunks += 1;
  }

  /** The columns of `terms` (the whole scan) not sent in a chunk. */
  rest(terms: readonly ExtractedTerm[]): TermColumns {
    // Every term handed already (a file of [Term] stanzas only): nothing to look up.
    if (this.handed.size < terms.length) for (const term of terms) if (!this.handed.has(term)) this.builder.add(term);
    return this.builder.take();
  }
}

/** The rule of the WARN for a file that parsed only in a wider syntax than its first statements. */
export const FORMAT_WIDENED_RULE = 'format-widened';

/**
 * Formats whose specification fixes UTF-8 as their only encoding ("The encoding is always
 * UTF-8" in the media type registrations of RDF 1.1 N-Triples, N-Quads, Turtle and TriG;
 * RFC 8259 §8.1 for JSON, and so JSON-LD): bytes that are not UTF-8 make such a file
 * unreadable as its format, as rdflib and Python's json refuse it. OBO and delimited text
 * name no encoding, so there such bytes get a WARN; XML fails at them in its own reader.
 */
const UTF8_ONLY_FORMATS: ReadonlySet<FileFormat> = new Set(['ntriples', 'nquads', 'turtle', 'trig', 'json', 'jsonld']);

/**
 * Wider syntaxes a file whose format its content decided may be written in, tried in order
 * when it fails as that format: the sniffer reads the first statements only, and a dump
 * whose first 50 lines are plain N-Triples may hold Turtle's abbreviations or a quad later.
 */
const WIDER_SYNTAXES: Partial<Record<FileFormat, readonly FileFormat[]>> = {
  ntriples: ['nquads', 'turtle', 'trig'],
  turtle: ['trig'],
};

/**
 * Validates one file from disk: the format's syntax check (one `syntax` row, passed or
 * not, with counts in `details`), notices such as a remote JSON-LD context, and for
 * ontology formats that parsed cleanly the quality checks. Syntax problems are data;
 * only I/O failures and cancellation throw.
 */
export async function validateFile(task: FileTask, control: ParseControl = {}, onTermChunk?: (columns: TermColumns) => void): Promise<FileValidation> {
  const format = task.format as FileFormat;
  const validator = VALIDATOR_BY_FORMAT[format];
  if (!validator) return { relpath: task.relpath, rows: [], triples: null, terms: null };
  const started = performance.now();
  let utf8 = new Utf8Check();
  const reading: ParseControl = { ...control, utf8 };
  let outcome: ParseOutcome;
  let terms: readonly ExtractedTerm[] | null = null;
  let duplicates: readonly DuplicateTerm[] = [];
  let widened: { to: FileFormat; line: number | null } | null = null;
  let streamed: StreamedTerms | null = null;
  if (ONTOLOGY_FORMATS.has(format)) {
    const baseIri = `file:///${(task.base_relpath ?? task.relpath).split('/').map(encodeURIComponent).join('/')}`;
    // Not a file that may be read again in a wider syntax: the terms handed back must be the read's that stands.
    const rereadable = formatFromContent(task.relpath) && WIDER_SYNTAXES[format] !== undefined;
    streamed = task.index_terms && task.stream_terms && onTermChunk && !rereadable ? new StreamedTerms(onTermChunk) : null;
    let scan = await scanOntologyFile(task.absPath, format, { ...reading, baseIri, ...(streamed ? { onFinalTerm: (term: ExtractedTerm) => streamed!.add(term) } : {}) });
    // A format its first statements decided: the file may go on in a wider syntax.
    if (scan.problem && formatFromContent(task.relpath)) {
      for (const wider of WIDER_SYNTAXES[format] ?? []) {
        const check = new Utf8Check();
        const again = await scanOntologyFile(task.absPath, wider, { ...control, utf8: check, baseIri });
        if (again.problem) continue;
        widened = { to: wider, line: scan.problem.line };
        scan = again;
        utf8 = check;
        break;
      }
    }
    outcome = scan;
    terms = scan.terms;
    if (!scan.problem) streamed?.end();
    duplicates = scan.duplicates;
  } else if (format === 'csv' || format === 'tsv') {
    outcome = await checkDelimitedFile(task.absPath, format, reading);
  } else if (format === 'json') {
    outcome = await checkJsonFile(task.absPath, reading);
  } else {
    const { problem, elements } = await checkXmlFile(task.absPath, reading);
    outcome = { problem, triples: null, counts: { elements }, notices: [] };
  }
  // Every format here is read as UTF-8: other bytes become U+FFFD, so what a label or a
  // value holds there is not what the file does. Said once, at the first such byte.
  const invalidAt = utf8.finish();
  const notUtf8Syntax = invalidAt !== null && outcome.problem === null && UTF8_ONLY_FORMATS.has(format);
  if (notUtf8Syntax) {
    const { line, col, byte } = await placeOfByte(task.absPath, invalidAt);
    const hex = `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    const label = formatLabel(widened?.to ?? format);
    outcome = {
      ...outcome,
      problem: { message: `The file is not UTF-8 at byte ${invalidAt} (${hex}), and ${label} is always UTF-8; save it as UTF-8.`, line, col },
    };
  }
  const blocked = outcome.notices.some((notice) => notice.rule === 'remote-context');
  const details: Record<string, unknown> = {
    bytes: task.size_bytes,
    ...(outcome.triples !== null ? { triples: outcome.triples } : {}),
    ...(terms !== null && !blocked ? { terms: terms.length } : {}),
    ...outcome.counts,
    // To the hundredth: most files of a package parse in well under a millisecond, and
    // whole milliseconds summed over them (as the per-format rates do) came out near zero.
    duration_ms: Math.round((performance.now() - started) * 100) / 100,
    validator_version: VALIDATOR_VERSION,
  };
  const rows: NewValidation[] = [{
    relpath: task.relpath, validator, rule: 'syntax',
    severity: outcome.problem ? 'ERROR' : 'INFO',
    passed: outcome.problem === null,
    message: outcome.problem ? outcome.problem.message : null,
    line: outcome.problem?.line ?? null,
    col: outcome.problem?.col ?? null,
    subject: null,
    details,
  }];
  if (widened) {
    rows.push({
      relpath: task.relpath, validator, rule: FORMAT_WIDENED_RULE, severity: 'WARN', passed: false,
      message: `Its first statements look like ${formatLabel(format)}, but the file goes on in ${formatLabel(widened.to)}` +
        `${widened.line !== null ? ` (from line ${widened.line})` : ''}; it parses cleanly as ${formatLabel(widened.to)} and was checked as such. Give it the extension of ${formatLabel(widened.to)}.`,
      line: widened.line, col: null, subject: null, details: { sniffed_format: format, parsed_as: widened.to },
    });
  }
  for (const notice of outcome.notices) {
    const blocking = notice.rule === 'remote-context';
    const warns = blocking || notice.severity === 'WARN';
    rows.push({
      relpath: task.relpath, validator, rule: notice.rule, severity: warns ? 'WARN' : 'INFO', passed: !warns,
      message: notice.message, line: notice.line ?? null, col: notice.col ?? null, subject: null, details: notice.details ?? null,
    });
  }
  if (invalidAt !== null && !notUtf8Syntax) {
    rows.push({
      relpath: task.relpath, validator, rule: 'invalid-utf8', severity: 'WARN', passed: false,
      message: `The file is not UTF-8 at byte ${invalidAt}: it is read as UTF-8, with U+FFFD (\uFFFD) in place of bytes that are not, so text there is not what the file holds. Save it as UTF-8.`,
      line: null, col: null, subject: null, details: { byte: invalidAt },
    });
  }
  // Quality checks on a partial parse would report terms as missing things they have.
  if (terms !== null && outcome.problem === null && !blocked) rows.push(...qualityFindings(task.relpath, terms, duplicates));
  const clean = terms !== null && outcome.problem === null && !blocked;
  return {
    relpath: task.relpath, rows, triples: outcome.triples, terms: terms && !blocked ? terms.length : null,
    ...(task.index_terms && clean ? { index_terms: streamed ? streamed.rest(terms!) : termColumns(terms!) } : {}),
    ...(streamed && streamed.chunks > 0 ? { index_chunks: streamed.chunks } : {}),
  };
}
