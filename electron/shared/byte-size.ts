/**
 * Byte counts for people, one way everywhere: the app, the CLI and messages must show one
 * version's size as the same figure (they once said 30.3 MB and 31.8 MB for one version:
 * the app divided by 1024, the CLI by 1000, both calling it MB).
 */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/**
 * 1536 → "1.54 KB": SI multiples (1 MB = 1,000,000 bytes, what the unit means and what
 * disk makers and GNOME and macOS file managers show), three significant digits, trailing
 * zeros dropped. `minus` is the sign of a negative count ("-" in plain text, "−" in the UI).
 */
export function formatByteSize(bytes: number, minus = '-'): string {
  const sign = bytes < 0 ? minus : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  // 999.6 KB rounds to "1000 KB": it is 1 MB.
  if (unit < UNITS.length - 1 && rounded(value, unit) >= 1000) {
    value /= 1000;
    unit += 1;
  }
  return `${sign}${String(rounded(value, unit))} ${UNITS[unit]}`;
}

/** `value` in `unit` to three significant digits (whole bytes), trailing zeros dropped. */
function rounded(value: number, unit: number): number {
  return Number(value.toFixed(unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2));
}
