/**
 * Names of the catalog queries that can run under the profiler, without zod.
 *
 * contract/report.ts builds its schema from these; the CLI imports them from here so that
 * its start does not load the schemas.
 */
export const PROFILE_NAMES = [
  'versions-list', 'files-list', 'dir-list', 'usage', 'delta', 'delta-tree', 'validation-delta',
  'report-latest', 'report-growth', 'report-validation', 'report-hotspots', 'report-cadence',
] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];
