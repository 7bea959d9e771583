import { labelsOnlyIn } from '../../shared/term-labels.js';
import type { TermChange } from '../../shared/models.js';

/** What a term-level delta needs to know of one term. */
export interface TermSnapshot {
  /** IRI or OBO id; blank nodes are never terms. */
  readonly id: string;
  readonly kind: string;
  /** The label the term is shown by first (term-columns.ts' labelValues), then the others. */
  readonly labels: readonly string[];
  readonly deprecated: boolean;
}

function primaryLabel(term: TermSnapshot | undefined): string | null {
  return term?.labels[0] ?? null;
}

/** The labels of `of` that `other` lacks, sorted (as the whole-version delta gives them); null for none. */
function labelsGone(of: TermSnapshot, other: TermSnapshot): string | null {
  return labelsOnlyIn([...new Set(of.labels)].sort(), other.labels);
}

/**
 * Compares the terms of two versions of one ontology file.
 *
 * ADDED / REMOVED by id; RELABELLED when the label set changed (with the labels each side
 * has and the other lacks); DEPRECATED when the term
 * became deprecated. A term can be both relabelled and deprecated. Output is sorted by
 * change then term, so repeated runs give identical results.
 */
export function diffTerms(oldTerms: Iterable<TermSnapshot>, newTerms: Iterable<TermSnapshot>): TermChange[] {
  const before = new Map<string, TermSnapshot>();
  for (const term of oldTerms) before.set(term.id, term);
  const after = new Map<string, TermSnapshot>();
  for (const term of newTerms) after.set(term.id, term);

  const changes: TermChange[] = [];
  for (const [id, term] of after) {
    const old = before.get(id);
    if (!old) {
      changes.push({ term: id, term_kind: term.kind, change: 'ADDED', old_label: null, new_label: primaryLabel(term) });
      continue;
    }
    const oldLabels = [...new Set(old.labels)].sort().join('\u0000');
    const newLabels = [...new Set(term.labels)].sort().join('\u0000');
    if (oldLabels !== newLabels) {
      // What changed, not the first label of each side: a term with labels in many
      // languages that gains one would read "Catalog Record → Catalog Record".
      changes.push({ term: id, term_kind: term.kind, change: 'RELABELLED', old_label: labelsGone(old, term), new_label: labelsGone(term, old) });
    }
    if (term.deprecated && !old.deprecated) {
      changes.push({ term: id, term_kind: term.kind, change: 'DEPRECATED', old_label: primaryLabel(old), new_label: primaryLabel(term) });
    }
  }
  for (const [id, term] of before) {
    if (!after.has(id)) changes.push({ term: id, term_kind: term.kind, change: 'REMOVED', old_label: primaryLabel(term), new_label: null });
  }
  const order = { ADDED: 0, REMOVED: 1, RELABELLED: 2, DEPRECATED: 3 } as const;
  return changes.sort((a, b) => order[a.change] - order[b.change] || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
}
