/** The local calendar day of a moment, "2024-05-01": the reader's today, not UTC's (toISOString). */
export function localDay(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
