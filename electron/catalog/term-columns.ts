/**
 * The term index's input in a compact, columnar form: the UTF-8 bytes of each column.
 *
 * A parser worker builds it from the terms it read and posts it to the main thread, where
 * DuckDB splits the columns back into rows in one statement. Eleven byte arrays cross the
 * thread boundary in place of tens of thousands of term objects: structured-cloning
 * 50,000 terms cost about 2 s (0.5 s to serialize on the worker, 1.5 s to rebuild them
 * on the main thread), the same text as columns a few milliseconds. Written as bytes, not
 * joined strings: joining 550,000 values into strings cost the parser's thread 130 ms for a
 * GO-sized file, writing them into buffers 30 ms, and DuckDB takes the bytes as they are.
 * Nothing here touches DuckDB, so the worker bundle can import it.
 */
import { curieOf, termIdent } from '../shared/curie.js';

/** What the index keeps of one term (the parser's ExtractedTerm has this shape). */
export interface TermRecord {
  readonly id: string;
  readonly kind: string;
  /** In file order; `lang` (lower-cased language tag) where the file gives one. */
  readonly labels: readonly { readonly value: string; readonly lang?: string | null }[];
  readonly synonyms: readonly string[];
  /** In file order, with `lang` as for labels. */
  readonly definitions: readonly { readonly value: string; readonly lang?: string | null }[];
  readonly deprecated: boolean;
  readonly replaced_by: readonly string[];
  readonly consider: readonly string[];
  readonly parents: readonly string[];
  /** Other names the file gives the term (an OBO relation's shorthand): found by a search, never shown as labels. */
  readonly aliases?: readonly string[];
}

/** The stage columns, in term_index_stage's order (migrations 0008, 0026). */
export const TERM_STAGE_COLUMNS = ['term', 'curie', 'kind', 'labels', 'synonyms', 'definition', 'deprecated', 'replaced_by', 'consider', 'parents', 'aliases'] as const;

/**
 * Terms as columns: `columns[i]` holds the values of TERM_STAGE_COLUMNS[i] for every term
 * in UTF-8, separated by chr(30) (ROW_SEP); a null value is chr(29) (NULL_VALUE) alone; a
 * list value is its items joined by chr(31) (LIST_SEP); `deprecated` is `t` or `f`.
 */
export interface TermColumns {
  readonly count: number;
  readonly columns: readonly Uint8Array[];
}

export const ROW_SEP = '\u001e';
export const LIST_SEP = '\u001f';
export const NULL_VALUE = '\u001d';

/** The three separators never occur in a stored value: each becomes a space (as chr(31) always did in lists). */
const clean = (value: string): string => {
  if (!value.includes(ROW_SEP) && !value.includes(LIST_SEP) && !value.includes(NULL_VALUE)) return value;
  return value.replaceAll(ROW_SEP, ' ').replaceAll(LIST_SEP, ' ').replaceAll(NULL_VALUE, ' ');
};

/** A list as one value (items joined by chr(31), separators cleaned out of each); null for an empty list. */
export function joined(values: readonly string[]): string | null {
  if (values.length === 0) return null;
  if (values.length === 1) return clean(values[0]!);
  return values.map(clean).join(LIST_SEP);
}

/** How a label's language ranks for the label a term is shown by: English, then none, then any other. */
function languageRank(lang: string | null | undefined): number {
  if (lang === 'en') return 0;
  if (lang?.startsWith('en-')) return 1;
  return lang ? 3 : 2;
}

/**
 * The label (or definition) values with the one a term is shown by first, the rest in file order.
 *
 * The index shows a term by its first label (file_terms.label) and its first definition.
 * An RDF file's triples have no order, and a multilingual vocabulary lists dbo:Person's
 * "Oseba"@sl before "Person"@en, so the first in the file is a poor choice: the first
 * English value wins, then the first without a language. Change detection never depends
 * on this order (histories and deltas compare labels and definitions as sets).
 */
export function labelValues(labels: TermRecord['labels']): string[] {
  if (labels.length === 1) return [labels[0]!.value];
  let best = 0;
  for (let i = 1; i < labels.length; i += 1) {
    if (languageRank(labels[i]!.lang) < languageRank(labels[best]!.lang)) best = i;
  }
  const values = labels.map((label) => label.value);
  if (best > 0) values.unshift(...values.splice(best, 1));
  return values;
}

/**
 * A term's definitions as the index keeps them: the shown one first (as for labels), each
 * text once. A multilingual vocabulary defines a term in several languages; keeping only
 * the first in the file made a release that put its new Danish definition first read as
 * "redefined" (DCAT 2020 → 2021).
 */
export function definitionValues(definitions: TermRecord['definitions']): string[] {
  if (definitions.length === 0) return [];
  if (definitions.length === 1) return [definitions[0]!.value];
  return [...new Set(labelValues(definitions))];
}

/** Ids by their index identity (termIdent), each once, in file order: how the index keeps a term's parents. */
export function identList(ids: readonly string[]): readonly string[] {
  return ids.length === 0 ? ids : [...new Set(ids.map(termIdent))];
}

const ROW_BYTE = 0x1e;
const LIST_BYTE = 0x1f;
const NULL_BYTE = 0x1d;
const SPACE_BYTE = 0x20;
/** Values up to this many UTF-16 units are copied here while they are ASCII (ByteColumn.text). */
const ASCII_COPY_MAX = 128;

/**
 * One column's bytes as they are written, value after value: a row's value is its text, or
 * list items with LIST_SEP between them, or NULL_VALUE.
 */
class ByteColumn {
  // Small at first: a version of many small files builds columns for each of them.
  private bytes = Buffer.allocUnsafeSlow(256);
  private length = 0;

  /** Room for `more` bytes past the end. */
  private reserve(more: number): void {
    const room = this.length + more;
    if (room <= this.bytes.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(room, this.bytes.length * 2));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }

  /** Starts a row's value: the separator from the previous row. */
  row(first: boolean): void {
    if (first) return;
    this.reserve(1);
    this.bytes[this.length++] = ROW_BYTE;
  }

  /** Writes NULL_VALUE: the row's value is null. */
  nul(): void {
    this.reserve(1);
    this.bytes[this.length++] = NULL_BYTE;
  }

  /** Writes LIST_SEP, between two items of a list. */
  listSep(): void {
    this.reserve(1);
    this.bytes[this.length++] = LIST_BYTE;
  }

  /** Writes a text, each of the three separators in it as a space (`clean`). */
  text(value: string): void {
    // A UTF-16 code unit is at most 3 bytes in UTF-8 (a lone surrogate becomes U+FFFD, as
    // any JS string passed to DuckDB does).
    const n = value.length;
    this.reserve(n * 3);
    const bytes = this.bytes;
    const at = this.length;
    // Most values are short ASCII (ids, kinds, labels, most definitions): copied here, one
    // pass that also cleans, they cost no call into the native encoder and no string scans.
    if (n <= ASCII_COPY_MAX) {
      let i = 0;
      for (; i < n; i += 1) {
        const code = value.charCodeAt(i);
        if (code >= 0x80) break;
        bytes[at + i] = code === ROW_BYTE || code === LIST_BYTE || code === NULL_BYTE ? SPACE_BYTE : code;
      }
      if (i === n) {
        this.length = at + n;
        return;
      }
    }
    this.length = at + bytes.write(clean(value), at);
  }

  /** Writes a list's items (as `joined` does: null when empty). */
  list(values: readonly string[]): void {
    if (values.length === 0) {
      this.nul();
      return;
    }
    for (let i = 0; i < values.length; i += 1) {
      if (i > 0) this.listSep();
      this.text(values[i]!);
    }
  }

  /** Writes a list of ids by their index identity (termIdent), as they come (null when empty). */
  idents(ids: readonly string[]): void {
    if (ids.length === 0) this.nul();
    else if (ids.length === 1) this.text(termIdent(ids[0]!));
    else this.list(ids.map(termIdent));
  }

  /** The bytes written since the last call (a copy of their own), and a fresh start. */
  take(): Uint8Array {
    const taken = new Uint8Array(this.length);
    taken.set(this.bytes.subarray(0, this.length));
    this.length = 0;
    return taken;
  }
}

/** Builds TermColumns term by term (a worker adds each term as its parser reads it). */
export class TermColumnsBuilder {
  private readonly columns = TERM_STAGE_COLUMNS.map(() => new ByteColumn());
  private added = 0;

  /** The terms added since the last `take`. */
  get count(): number {
    return this.added;
  }

  /**
   * Adds a term's row: the values `joined(labelValues(labels))`, `joined(identList(parents))`
   * and so on would give, written without the lists and strings those make (a worker adds
   * each term of a file while parsing it, so this is on the parse's own time).
   */
  add(term: TermRecord): void {
    const first = this.added === 0;
    // By place, in TERM_STAGE_COLUMNS' order (term-columns.test.ts checks every byte against joining the values).
    const c = this.columns;
    for (let i = 0; i < c.length; i += 1) c[i]!.row(first);
    c[0]!.text(term.id);
    const shortForm = curieOf(term.id);
    if (shortForm === null) c[1]!.nul();
    else c[1]!.text(shortForm);
    c[2]!.text(term.kind);
    if (term.labels.length === 1) c[3]!.text(term.labels[0]!.value);
    else c[3]!.list(labelValues(term.labels));
    c[4]!.list(term.synonyms);
    if (term.definitions.length === 1) c[5]!.text(term.definitions[0]!.value);
    else c[5]!.list(definitionValues(term.definitions));
    c[6]!.text(term.deprecated ? 't' : 'f');
    c[7]!.idents(term.replaced_by);
    c[8]!.idents(term.consider);
    if (term.parents.length === 1) c[9]!.text(termIdent(term.parents[0]!));
    else c[9]!.list(identList(term.parents));
    c[10]!.list(term.aliases ?? []);
    this.added += 1;
  }

  /** The columns of the terms added since the last call, and a fresh start. */
  take(): TermColumns {
    const taken: TermColumns = { count: this.added, columns: this.columns.map((column) => column.take()) };
    this.added = 0;
    return taken;
  }
}

/** Several TermColumns as one: their rows in order. */
export function concatColumns(parts: readonly TermColumns[]): TermColumns {
  const filled = parts.filter((part) => part.count > 0);
  if (filled.length === 1) return filled[0]!;
  return {
    count: filled.reduce((sum, part) => sum + part.count, 0),
    columns: TERM_STAGE_COLUMNS.map((_, i) => {
      const pieces = filled.map((part) => part.columns[i]!);
      const out = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0) + Math.max(0, pieces.length - 1));
      let at = 0;
      pieces.forEach((piece, k) => {
        if (k > 0) out[at++] = ROW_BYTE;
        out.set(piece, at);
        at += piece.length;
      });
      return out;
    }),
  };
}

/** The columns of `terms` (the in-process path: tests, backfill, the bench's generator). */
export function termColumns(terms: readonly TermRecord[]): TermColumns {
  const builder = new TermColumnsBuilder();
  for (const term of terms) builder.add(term);
  return builder.take();
}
