import { OntocatError } from './errors.js';

/** A version addressed by its directory under the storage root: `SERVICE/VERSION`. */
export interface VersionRef {
  readonly service: string;
  readonly version: string;
}

const segment = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;

/**
 * Checks one service or version name.
 *
 * Names become directory names under the root, so only a conservative character set is
 * allowed and `.`/`..` can never appear.
 */
export function assertNameSegment(kind: 'service' | 'version', value: string): string {
  if (!segment.test(value) || value === '.' || value === '..') {
    throw new OntocatError(
      'BAD_INPUT',
      `Invalid ${kind} name '${value}': use letters, digits, '.', '_', '+' or '-', starting with a letter or digit (max 128).`,
    );
  }
  return value;
}

/** Parses `SERVICE/VERSION`, rejecting anything that is not exactly two safe segments. */
export function parseVersionRef(text: string): VersionRef {
  const parts = text.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw new OntocatError('BAD_INPUT', `Expected SERVICE/VERSION, got '${text}'.`);
  }
  return { service: assertNameSegment('service', parts[0]), version: assertNameSegment('version', parts[1]) };
}

/** Formats a version reference as `SERVICE/VERSION`. */
export function formatVersionRef(ref: VersionRef): string {
  return `${ref.service}/${ref.version}`;
}
