/**
 * One term's state per release, merged in JavaScript from its term rows.
 *
 * A term's history reads its rows (one per content and key, about one per release, the
 * full state once per distinct state); merging them per release in DuckDB (lists flattened, made
 * distinct and sorted) cost more than the read. The merge keeps DuckDB's semantics: lists
 * sort by code point (its binary collation), the definition is the one with the smallest
 * md5, NULLs are skipped.
 */
import { LIST_SEP } from './term-columns.js';
import { compareCodePoints } from './term-hit-details.js';

/** One term row of the term in one version (a content may be in several files of it). */
export interface TermStateRow {
  readonly version_id: string;
  /** The label the content shows the term by (file_terms.label: English first). */
  readonly label: string | null;
  readonly labels: readonly string[];
  readonly synonyms: readonly string[];
  /** The md5 as 39 zero-padded digits, so text order is numeric order. */
  readonly definition_md5: string | null;
  /** The term's definitions in this content, chr(31)-joined, the shown one first (term_definitions). */
  readonly definition: string | null;
  readonly deprecated: boolean;
  readonly parents: readonly string[];
  readonly replaced_by: readonly string[];
  readonly consider: readonly string[];
  readonly relpaths: readonly string[];
  /** class, property, individual …: file_terms.kind. */
  readonly kind: string;
}

/** The term's merged state in one version. */
export interface MergedState {
  /** The shown label: the smallest of the contents' shown labels, as the whole-version delta takes it. */
  readonly label: string | null;
  readonly labels: string[];
  readonly synonyms: string[];
  /** The shown definition, then the others (other languages). */
  readonly definitions: string[];
  readonly deprecated: boolean;
  readonly parents: string[];
  readonly replaced_by: string[];
  readonly consider: string[];
  readonly files: string[];
  /** The smallest of the contents' kinds, as the whole-version delta takes it. */
  readonly kind: string;
}

const LIST_FIELDS = ['labels', 'synonyms', 'parents', 'replaced_by', 'consider', 'relpaths'] as const;

/** Merges each version's rows: lists as sorted sets, the smallest shown label, the smallest md5's definitions, any deprecation. */
export function mergeStates(rows: readonly TermStateRow[]): Map<string, MergedState> {
  interface Building {
    lists: Record<(typeof LIST_FIELDS)[number], Set<string>>; label: string | null; md5: string | null; definition: string | null; deprecated: boolean;
    kind: string;
  }
  const byVersion = new Map<string, Building>();
  for (const row of rows) {
    let state = byVersion.get(row.version_id);
    if (!state) {
      state = {
        lists: { labels: new Set(), synonyms: new Set(), parents: new Set(), replaced_by: new Set(), consider: new Set(), relpaths: new Set() },
        label: null, md5: null, definition: null, deprecated: false, kind: row.kind,
      };
      byVersion.set(row.version_id, state);
    }
    for (const field of LIST_FIELDS) for (const value of row[field]) if (value !== null) state.lists[field].add(value);
    if (row.label !== null && (state.label === null || compareCodePoints(row.label, state.label) < 0)) state.label = row.label;
    if (row.definition_md5 !== null && (state.md5 === null || row.definition_md5 < state.md5)) {
      state.md5 = row.definition_md5;
      state.definition = row.definition;
    }
    state.deprecated ||= row.deprecated;
    if (compareCodePoints(row.kind, state.kind) < 0) state.kind = row.kind;
  }
  const sorted = (values: Set<string>): string[] => [...values].sort(compareCodePoints);
  return new Map([...byVersion].map(([version, state]) => [version, {
    label: state.label,
    labels: sorted(state.lists.labels),
    synonyms: sorted(state.lists.synonyms),
    definitions: state.definition === null ? [] : state.definition.split(LIST_SEP),
    deprecated: state.deprecated,
    parents: sorted(state.lists.parents),
    replaced_by: sorted(state.lists.replaced_by),
    consider: sorted(state.lists.consider),
    files: sorted(state.lists.relpaths),
    kind: state.kind,
  }]));
}
