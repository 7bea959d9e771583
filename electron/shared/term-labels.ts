/**
 * A term's labels as one text: how histories, deltas and their exports carry a list of
 * labels (`a | b`), and the small operations every reader of that text needs (the main
 * process builds it, the CLI and the renderer take it apart).
 */

/** Between two labels in one text. */
export const LABEL_SEPARATOR = ' | ';

/** Labels as one text; null for none. */
export function joinLabels(labels: readonly string[]): string | null {
  return labels.length === 0 ? null : labels.join(LABEL_SEPARATOR);
}

/** The labels of one text (none for null). */
export function splitLabels(text: string | null | undefined): string[] {
  return text ? text.split(LABEL_SEPARATOR) : [];
}

/** The labels of `of` that `other` lacks, in `of`'s order, as one text; null for none. */
export function labelsOnlyIn(of: readonly string[], other: readonly string[]): string | null {
  return joinLabels(of.filter((label) => !other.includes(label)));
}

/** How many labels of the text `labels` are not `label` (the one a term is shown by). */
export function otherLabelCount(label: string | null, labels: string | null): number {
  return splitLabels(labels).filter((value) => value !== label).length;
}

/** Labels each in quotes, for a sentence: “a”, “b”. */
export function quotedLabels(labels: readonly string[]): string {
  return labels.map((label) => `“${label}”`).join(', ');
}

/** What a search hit matched on, as the Terms page and `terms search` show it: `label “Zelle”` when the label that matched is not the one shown. */
export function matchedOnText(hit: { readonly matched_on: string; readonly matched_label?: string }): string {
  return hit.matched_label === undefined ? hit.matched_on : `label “${hit.matched_label}”`;
}
