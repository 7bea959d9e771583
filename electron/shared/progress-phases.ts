/**
 * Names of the phases long work reports (`Progress.phase`), in the order ingest goes
 * through them, with the words the UI and the CLI show for each.
 */

/** One phase: its id as reported, what to call it, and what its count counts. */
export interface PhaseInfo {
  readonly id: string;
  readonly label: string;
  readonly unit: 'files' | 'bytes' | 'entries';
}

/** Ingest's phases in the order they run (a source goes through a subset of them). */
export const INGEST_PHASES: readonly PhaseInfo[] = [
  { id: 'check', label: 'Checking the source', unit: 'files' },
  { id: 'download', label: 'Downloading', unit: 'bytes' },
  { id: 'hash', label: 'Hashing the archive', unit: 'bytes' },
  { id: 'list', label: 'Listing the folder', unit: 'files' },
  { id: 'scan', label: 'Checking the archive entries', unit: 'entries' },
  { id: 'copy', label: 'Copying and hashing files', unit: 'files' },
  { id: 'extract', label: 'Extracting and hashing files', unit: 'files' },
  { id: 'store', label: 'Storing in the content store', unit: 'files' },
  { id: 'link', label: 'Linking the version folder', unit: 'files' },
  { id: 'sync', label: 'Making the files durable', unit: 'files' },
  { id: 'record', label: 'Recording in the catalog', unit: 'files' },
  { id: 'validate', label: 'Validating', unit: 'files' },
];

const byId = new Map(INGEST_PHASES.map((phase) => [phase.id, phase]));

/** The phase reported as `id`; an unknown id is shown as it is. */
export function phaseInfo(id: string): PhaseInfo {
  return byId.get(id) ?? { id, label: id.charAt(0).toUpperCase() + id.slice(1), unit: 'files' };
}
