/**
 * How many terminal columns text takes, as a terminal draws it.
 */
import { eastAsianWidth } from 'get-east-asian-width';

// Marks drawn over the character before them, invisible format characters (ZWJ, bidi
// marks, soft hyphen) and variation selectors take no column of their own.
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}\u{FE00}-\u{FE0F}\u{E0100}-\u{E01EF}]$/u;

/** Printable ASCII only: as many columns as characters. */
export const PRINTABLE_ASCII = /^[ -~]*$/;

/**
 * The columns `text` takes in a terminal: wide and fullwidth characters (CJK, most emoji)
 * two, combining marks and format characters none, everything else one. A table padded by
 * string length put every column after a Japanese label out of line.
 */
export function displayWidth(text: string): number {
  // Most cells are printable ASCII: one native test instead of a loop over each character.
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x7f) { width += 1; continue; }
    width += ZERO_WIDTH.test(char) ? 0 : eastAsianWidth(code);
  }
  return width;
}

/** `text` padded with spaces to `width` columns, on the right or (for numbers) the left. */
export function padToWidth(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}
