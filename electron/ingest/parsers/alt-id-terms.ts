/**
 * Alternative ids as terms of their own.
 *
 * An id a term also goes by (OBO `alt_id`, OWL `oboInOwl:hasAlternativeId`) is mostly
 * the id of a term merged into it. The OWL API's OBO translation makes each one a
 * deprecated term replaced by the term that names it (OWLAPIObo2Owl.translateAltIds:
 * owl:deprecated, IAO:0100001, reason IAO:0000227 "terms merged"); SO's OWL release holds
 * all 132 alt_ids of its OBO release so, beside the hasAlternativeId annotations. Read
 * this way, a term merged into another reads as deprecated and replaced in the release of
 * the merge, not removed, and a search for the old id finds where it went.
 */
import { termIdent } from '../../shared/curie.js';
import type { ExtractedTerm, TermKind } from './term-collector.js';

/** The alternative ids one term names, as ids (unresolvable ones already left out). */
export interface AltIds {
  /** Index of the term in the list. */
  readonly of: number;
  readonly ids: readonly string[];
}

/**
 * The terms, each followed by a deprecated term for each of its alternative ids that is no
 * term of the file already (by identity: `BS:00003` is SO's class `…/obo/BS_00003`) and
 * not its own id. An id that several terms name is one term, replaced by each.
 */
export function withAltIdTerms(terms: readonly ExtractedTerm[], altIds: readonly AltIds[]): ExtractedTerm[] {
  const known = new Set(terms.map((term) => termIdent(term.id)));
  const alts = new Map<string, { id: string; kind: TermKind; line: number | null; replaced_by: string[] }>();
  const after = new Map<number, string[]>();
  for (const { of, ids } of altIds) {
    const term = terms[of]!;
    for (const id of ids) {
      const ident = termIdent(id);
      if (id === '' || known.has(ident)) continue;
      const alt = alts.get(ident);
      if (alt) {
        if (!alt.replaced_by.includes(term.id)) alt.replaced_by.push(term.id);
        continue;
      }
      alts.set(ident, { id, kind: term.kind, line: term.line, replaced_by: [term.id] });
      after.set(of, [...(after.get(of) ?? []), ident]);
    }
  }
  if (alts.size === 0) return [...terms];
  return terms.flatMap((term, i) => [term, ...(after.get(i) ?? []).map((ident): ExtractedTerm => {
    const { id, kind, line, replaced_by } = alts.get(ident)!;
    return { id, kind, labels: [], definitions: [], deprecated: true, replaced_by, consider: [], synonyms: [], parents: [], line };
  })]);
}
