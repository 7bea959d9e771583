import { OntocatError } from './errors.js';
import { nameProblem, shown } from './name-rules.js';

/** A version addressed by its directory under the storage root: `SERVICE/VERSION`. */
export interface VersionRef {
  readonly service: string;
  readonly version: string;
}

/**
 * Checks one service or version name (electron/shared/name-rules.ts).
 *
 * Names become directory names under the root: a conservative character set, never `.`
 * or `..`, never a name the root uses for itself or one Windows reserves.
 */
export function assertNameSegment(kind: 'service' | 'version', value: string): string {
  const problem = nameProblem(kind, value);
  if (problem) throw new OntocatError('BAD_INPUT', problem);
  return value;
}

/** Parses `SERVICE/VERSION`, rejecting anything that is not exactly two safe segments. */
export function parseVersionRef(text: string): VersionRef {
  const parts = text.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw new OntocatError('BAD_INPUT', `Expected SERVICE/VERSION, got '${shown(text)}'.`);
  }
  return { service: assertNameSegment('service', parts[0]), version: assertNameSegment('version', parts[1]) };
}

/** Formats a version reference as `SERVICE/VERSION`. */
export function formatVersionRef(ref: VersionRef): string {
  return `${ref.service}/${ref.version}`;
}
