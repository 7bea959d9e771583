import { definitionValues, labelValues, LIST_SEP, type TermRecord } from '../../catalog/term-columns.js';
import { termIdent } from '../../shared/curie.js';
import type { TermSnapshot } from './diff-terms.js';

/** A list as one text (items joined by chr(31), as the term index stages lists); '' for none. */
const joined = (values: readonly string[]): string => (values.length === 0 ? '' : values.length === 1 ? values[0]! : values.join(LIST_SEP));
/** Identities of `ids` (termIdent), each once, in file order. */
const idents = (ids: readonly string[]): string[] => (ids.length <= 1 ? ids.map(termIdent) : [...new Set(ids.map(termIdent))]);

/**
 * What a file pair's term delta keeps of one parsed term: its values as the term index
 * records them (term-columns.ts), so both deltas compare the same things.
 *
 * Flat (lists as one text each): a parser worker posts one of these per term, and
 * cloning nested arrays for 170,000 terms cost more than the lists' text.
 */
export function termSnapshot(term: TermRecord): TermSnapshot {
  return {
    id: term.id,
    kind: term.kind,
    // The label a term is shown by first, as the term index orders them.
    labels: joined(labelValues(term.labels)),
    definitions: joined(definitionValues(term.definitions)),
    parents: joined(idents(term.parents)),
    deprecated: term.deprecated,
    replaced_by: joined(idents(term.replaced_by)),
  };
}

/** The items of a list text. */
export function listItems(text: string): string[] {
  return text === '' ? [] : text.split(LIST_SEP);
}
