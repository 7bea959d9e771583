/**
 * The calendar day a version's name spells, for names that are a date and nothing else:
 * calendar versioning as publishers write it (2021.9.22, 2024-01-17, 2024_01_17, 20240117,
 * v2021.9.22). Null for any other name (1.2, 2021.9, 2021.9.22-2, 6.10.0).
 */
const NAME_DATE = /^v?((?:19|20)\d{2})(?:([-._/])(\d{1,2})\2(\d{1,2})|(\d{2})(\d{2}))$/;

/** The day `version` names, as an ISO instant at 00:00 UTC, or null. */
export function versionNameDate(version: string): string | null {
  const match = NAME_DATE.exec(version.trim());
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[3] ?? match[5]);
  const day = Number(match[4] ?? match[6]);
  const at = new Date(Date.UTC(year, month - 1, day));
  return at.getUTCFullYear() === year && at.getUTCMonth() === month - 1 && at.getUTCDate() === day ? at.toISOString() : null;
}
