/**
 * Type-ahead for lists and trees, as native tree views do it: typed letters move to the
 * next visible item whose name starts with them, wrapping around; typing one letter again
 * and again steps through the items starting with it.
 */

/** How long a pause ends the typed prefix (the usual platform figure). */
export const TYPE_AHEAD_RESET_MS = 1000;

/** Whether a key press is a character to search by (not a shortcut, not a named key). */
export function isTypeAheadKey(event: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean }): boolean {
  return event.key.length === 1 && event.key !== ' ' && !event.ctrlKey && !event.metaKey && !event.altKey;
}

/**
 * The index of the item to move to for `typed` (the letters so far), or -1 when none
 * matches. `names[i]` is null for rows that are not items (a "Load more" row).
 *
 * A fresh single letter, or the same letter repeated, starts after `active`; a longer
 * prefix first keeps the active item if it still matches.
 */
export function typeAheadMatch(names: readonly (string | null)[], active: number, typed: string): number {
  if (typed === '' || names.length === 0) return -1;
  const lower = typed.toLocaleLowerCase();
  const repeated = [...lower].every((ch) => ch === lower[0]);
  const prefix = repeated ? lower[0]! : lower;
  const start = repeated || typed.length === 1 ? active + 1 : active;
  for (let step = 0; step < names.length; step += 1) {
    const index = (((start + step) % names.length) + names.length) % names.length;
    const name = names[index];
    if (name !== null && name !== undefined && name.toLocaleLowerCase().startsWith(prefix)) return index;
  }
  return -1;
}
