/**
 * A count's noun: singular for one, else plural ("1 file", "2 files"). The renderer and the
 * CLI both say counts this way.
 */
export function countNoun(count: number, singular: string, plural = `${singular}s`): string {
  return count === 1 ? singular : plural;
}

/** A count with its noun, the count as given ("1 file", "2 files"). */
export function countOf(count: number, singular: string, plural?: string): string {
  return `${count} ${countNoun(count, singular, plural)}`;
}

const numberFormat = new Intl.NumberFormat('en-US');

/** 12345 → "12,345". */
export function formatCount(count: number | null | undefined): string {
  return count === null || count === undefined ? '—' : numberFormat.format(count);
}

/** A count with thousands separators and its noun, singular for one: "1 file", "12,345 files". */
export function formatCountOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(count)} ${countNoun(count, singular, plural)}`;
}

/** A change of a count, signed: "+1,200", "−3" (a minus sign), "±0". The CLI and the app's previews say changes this way. */
export function formatSignedCount(n: number): string {
  return n > 0 ? `+${formatCount(n)}` : n < 0 ? `−${formatCount(-n)}` : '±0';
}
