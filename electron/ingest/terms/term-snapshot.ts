import { definitionValues, identList, joined, labelValues, LIST_SEP, type TermRecord } from '../../catalog/term-columns.js';

/**
 * What a term-level delta needs to know of one term, as the term index keeps it; each
 * list is one text, its items joined by chr(31) ('' for none).
 *
 * Flat (lists as one text each): a parser worker posts one of these per term, and
 * cloning nested arrays for 170,000 terms cost more than the lists' text.
 */
export interface TermSnapshot {
  /** IRI or OBO id; blank nodes are never terms. */
  readonly id: string;
  readonly kind: string;
  /** The label the term is shown by first (term-columns.ts' labelValues), then the others. */
  readonly labels: string;
  /** Each definition text once, the one shown first (term-columns.ts' definitionValues). */
  readonly definitions: string;
  /** Direct parents by their index identity (termIdent), each once. */
  readonly parents: string;
  readonly deprecated: boolean;
  /** Replacements by their index identity, each once. */
  readonly replaced_by: string;
}

/** A list as the term index stages it (term-columns.ts' joined); '' for none. */
const listText = (values: readonly string[]): string => joined(values) ?? '';

/**
 * What a file pair's term delta keeps of one parsed term: its values as the term index
 * records them (term-columns.ts), so both deltas compare the same things.
 */
export function termSnapshot(term: TermRecord): TermSnapshot {
  return {
    id: term.id,
    kind: term.kind,
    // The label a term is shown by first, as the term index orders them.
    labels: listText(labelValues(term.labels)),
    definitions: listText(definitionValues(term.definitions)),
    parents: listText(identList(term.parents)),
    deprecated: term.deprecated,
    replaced_by: listText(identList(term.replaced_by)),
  };
}

/** The items of a list text. */
export function listItems(text: string): string[] {
  return text === '' ? [] : text.split(LIST_SEP);
}
