/** The local calendar day of a moment, "2024-05-01": the reader's today, not UTC's (toISOString). */
export function localDay(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The calendar day of an ISO date as stored ("2024-05-01"): release days carry no meaningful time, so no time zone shift. */
export function storedDay(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : iso;
}
