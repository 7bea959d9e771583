/**
 * The term index's input in a compact, columnar form: one string per column.
 *
 * A parser worker builds it from the terms it read and posts it to the main thread, where
 * DuckDB splits the columns back into rows in one statement. Ten strings cross the
 * thread boundary in place of tens of thousands of term objects: structured-cloning
 * 50,000 terms cost about 2 s (0.5 s to serialize on the worker, 1.5 s to rebuild them
 * on the main thread), ten strings of the same text a few milliseconds. Nothing here
 * touches DuckDB, so the worker bundle can import it.
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
 * Terms as columns: `columns[i]` holds the values of TERM_STAGE_COLUMNS[i] for every term,
 * joined by chr(30) (ROW_SEP); a null value is chr(29) (NULL_VALUE) alone; a list value
 * is its items joined by chr(31) (LIST_SEP); `deprecated` is `t` or `f`.
 */
export interface TermColumns {
  readonly count: number;
  readonly columns: readonly string[];
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

/** Builds TermColumns term by term (a worker adds each term as its parser reads it). */
export class TermColumnsBuilder {
  private readonly values: string[][] = TERM_STAGE_COLUMNS.map(() => []);
  private added = 0;

  /** The terms added since the last `take`. */
  get count(): number {
    return this.added;
  }

  add(term: TermRecord): void {
    const v = this.values;
    const curie = curieOf(term.id);
    const labels = labelValues(term.labels);
    const parents = identList(term.parents);
    const row: readonly (string | null)[] = [
      clean(term.id), curie === null ? null : clean(curie), clean(term.kind),
      joined(labels), joined(term.synonyms), joined(definitionValues(term.definitions)),
      term.deprecated ? 't' : 'f',
      joined(term.replaced_by.map(termIdent)), joined(term.consider.map(termIdent)), joined(parents),
      joined(term.aliases ?? []),
    ];
    for (let i = 0; i < row.length; i += 1) v[i]!.push(row[i] ?? NULL_VALUE);
    this.added += 1;
  }

  /** The columns of the terms added since the last call, and a fresh start. */
  take(): TermColumns {
    const taken: TermColumns = { count: this.added, columns: this.values.map((column) => column.join(ROW_SEP)) };
    for (const column of this.values) column.length = 0;
    this.added = 0;
    return taken;
  }
}

/** The columns of `terms` (the in-process path: tests, backfill, the bench's generator). */
export function termColumns(terms: readonly TermRecord[]): TermColumns {
  const builder = new TermColumnsBuilder();
  for (const term of terms) builder.add(term);
  return builder.take();
}
