import { definitionValues, labelValues, type TermRecord } from '../../catalog/term-columns.js';
import { termIdent } from '../../shared/curie.js';
import type { TermSnapshot } from './diff-terms.js';

/**
 * What a file pair's term delta keeps of one parsed term: its values as the term index
 * records them (term-columns.ts), so both deltas compare the same things.
 */
export function termSnapshot(term: TermRecord): TermSnapshot {
  return {
    id: term.id,
    kind: term.kind,
    // The label a term is shown by first, as the term index orders them.
    labels: labelValues(term.labels),
    definitions: definitionValues(term.definitions),
    parents: [...new Set(term.parents.map(termIdent))],
    deprecated: term.deprecated,
    replaced_by: [...new Set(term.replaced_by.map(termIdent))],
  };
}
