import { termIdent } from '../../shared/curie.js';
import { labelsOnlyIn } from '../../shared/term-labels.js';
import type { TermChange, TermChangeKind } from '../../shared/models.js';
import { TERM_DELTA_KINDS } from '../../shared/term-names.js';
import { LIST_SEP } from '../../catalog/term-columns.js';
import { listItems, type TermSnapshot } from './term-snapshot.js';

function primaryLabel(term: TermSnapshot | undefined): string | null {
  if (!term || term.labels === '') return null;
  const end = term.labels.indexOf(LIST_SEP);
  return end < 0 ? term.labels : term.labels.slice(0, end);
}

const sortedSet = (values: readonly string[]): string[] => [...new Set(values)].sort();
/** Two list texts hold the same items in any order (equal texts, the usual case, need no split). */
const sameSet = (a: string, b: string): boolean => a === b || sortedSet(listItems(a)).join(LIST_SEP) === sortedSet(listItems(b)).join(LIST_SEP);
/** A list as the whole-version delta prints parents and replacements: sorted, ', ' between; null for none. */
const listed = (text: string): string | null => (text === '' ? null : sortedSet(listItems(text)).join(', '));

/** Two lists as one text, each item once (the first list's order first). */
const unionText = (a: string, b: string): string => (a === b || b === '' ? a : a === '' ? b : [...new Set([...listItems(a), ...listItems(b)])].join(LIST_SEP));

/**
 * The terms of one side by their index identity. Two spellings of one term in one file
 * (an OBO id and its PURL) are one term, as the index merges them: labels, definitions,
 * parents and replacements together, deprecated if either is, the lesser kind.
 */
function byIdent(terms: Iterable<TermSnapshot>): Map<string, TermSnapshot> {
  const map = new Map<string, TermSnapshot>();
  for (const term of terms) {
    const ident = termIdent(term.id);
    const seen = map.get(ident);
    map.set(ident, !seen ? term : {
      id: seen.id,
      kind: seen.kind <= term.kind ? seen.kind : term.kind,
      labels: unionText(seen.labels, term.labels),
      definitions: unionText(seen.definitions, term.definitions),
      parents: unionText(seen.parents, term.parents),
      deprecated: seen.deprecated || term.deprecated,
      replaced_by: unionText(seen.replaced_by, term.replaced_by),
    });
  }
  return map;
}

const rank = new Map<TermChangeKind, number>(TERM_DELTA_KINDS.map((kind, i) => [kind, i]));

/**
 * Compares the terms of two versions of one ontology file.
 *
 * Names the changes the whole-version delta names, by the same rules: ADDED / REMOVED by
 * identity (termIdent: `GO:0008150` in an OBO file and its PURL in an OWL one are one
 * term, as in the index); RELABELLED when the label set changed (before / after: the labels only each side
 * has); REDEFINED when the definition set changed (before / after: the definitions
 * only each side has); REPARENTED when the parent set changed (before / after: each side's
 * parents); RETYPED when the kind changed (each side's kind); DEPRECATED when the term
 * became deprecated (after: its replacements); UNDEPRECATED when it is live again; REPLACED when a deprecated
 * term's replacements changed (each side's). One term can change in several ways at
 * once. old_label and new_label are the label each side shows the term by. Output is
 * sorted by change then term, so repeated runs give identical results.
 */
export function diffTerms(oldTerms: Iterable<TermSnapshot>, newTerms: Iterable<TermSnapshot>): TermChange[] {
  const before = byIdent(oldTerms);
  const after = byIdent(newTerms);

  const changes: TermChange[] = [];
  const push = (change: TermChangeKind, term: TermSnapshot, old: TermSnapshot | undefined, detail: Partial<TermChange> = {}): void => {
    changes.push({
      term: term.id, term_kind: term.kind, change, old_label: primaryLabel(old), new_label: primaryLabel(term),
      before: null, after: null, ...detail,
    });
  };
  for (const [ident, term] of after) {
    const old = before.get(ident);
    if (!old) {
      push('ADDED', term, undefined);
      continue;
    }
    if (!sameSet(old.labels, term.labels)) {
      // What changed, not the first label of each side: a term with labels in many
      // languages that gains one would read "Catalog Record → Catalog Record".
      const [was, is] = [listItems(old.labels), listItems(term.labels)];
      push('RELABELLED', term, old, { before: labelsOnlyIn(sortedSet(was), is), after: labelsOnlyIn(sortedSet(is), was) });
    }
    if (!sameSet(old.definitions, term.definitions)) {
      const [was, is] = [listItems(old.definitions), listItems(term.definitions)];
      push('REDEFINED', term, old, { before: labelsOnlyIn(was, is), after: labelsOnlyIn(is, was) });
    }
    if (!sameSet(old.parents, term.parents)) push('REPARENTED', term, old, { before: listed(old.parents), after: listed(term.parents) });
    if (old.kind !== term.kind) push('RETYPED', term, old, { before: old.kind, after: term.kind });
    if (term.deprecated && !old.deprecated) push('DEPRECATED', term, old, { after: listed(term.replaced_by) });
    if (!term.deprecated && old.deprecated) push('UNDEPRECATED', term, old);
    if (old.deprecated && term.replaced_by !== '' && !sameSet(old.replaced_by, term.replaced_by)) {
      push('REPLACED', term, old, { before: listed(old.replaced_by), after: listed(term.replaced_by) });
    }
  }
  for (const [ident, term] of before) {
    if (!after.has(ident)) changes.push({ term: term.id, term_kind: term.kind, change: 'REMOVED', old_label: primaryLabel(term), new_label: null, before: null, after: null });
  }
  return changes.sort((a, b) => rank.get(a.change)! - rank.get(b.change)! || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
}
