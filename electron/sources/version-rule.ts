/**
 * The version rule: which name a new release gets, and the evidence for it.
 *
 * From the resolver (an npm version), else the content (OBO `data-version`,
 * `owl:versionInfo`, `owl:versionIRI`, read from the head of a single-file download),
 * else the day of the HTTP Last-Modified, else the retrieval day. The release date itself
 * is recorded by ingest from the same evidence (release-evidence.ts, release-order.ts).
 */
import { open } from 'node:fs/promises';
import { dateInside, EVIDENCE_HEAD_BYTES } from '../ingest/release-evidence.js';
import type { VersionRule } from '../shared/contract/sources.js';
import { OntocatError } from '../shared/errors.js';
import { isValidName } from '../shared/name-rules.js';

export interface ChosenVersion {
  readonly version: string;
  readonly rule: Exclude<VersionRule, 'auto'>;
  readonly evidence: string;
}

/** Text made into a version name: odd characters become '_', at most 128. */
export function asVersionName(text: string): string | null {
  const cleaned = text.trim().replace(/^v(?=[0-9])/i, '').replace(/[^A-Za-z0-9._+-]+/g, '_').replace(/^[^A-Za-z0-9]+/, '').replace(/[._+-]+$/, '').slice(0, 128);
  return cleaned && isValidName('version', cleaned) ? cleaned : null;
}

/** A version in a versionIRI: a date inside it, else a dotted number, else its last path segment without extension. */
function versionOfIri(iri: string): string | null {
  const date = dateInside(iri);
  if (date) return date.slice(0, 10);
  const segments = iri.replace(/[#?].*$/, '').split('/').filter(Boolean);
  for (const segment of [...segments].reverse()) {
    const dotted = /(?:^|[^0-9])(\d+(?:\.\d+)+)(?=[^0-9]|$)/.exec(segment.replace(/\.(owl|obo|ttl|rdf|xml|nt|jsonld|json)$/i, ''));
    if (dotted) return dotted[1]!;
  }
  const last = segments.at(-1)?.replace(/\.(owl|obo|ttl|rdf|xml|nt|jsonld|json)$/i, '') ?? null;
  return last ? asVersionName(last) : null;
}

/** The version a file's head states about itself, and where. */
export function versionInHead(head: string): { version: string; field: string } | null {
  const header = head.split(/\n\s*\[/, 1)[0] ?? '';
  const dataVersion = /^data-version:[ \t]*(.+?)[ \t]*$/m.exec(header)?.[1];
  if (dataVersion) {
    const value = dataVersion.replace(/\s+!.*$/, '');
    const date = dateInside(value);
    const name = date ? date.slice(0, 10) : asVersionName(value.split('/').filter(Boolean).pop() ?? value);
    if (name) return { version: name, field: `data-version: ${value}` };
  }
  const info = /(?<!^)(?:<http:\/\/www\.w3\.org\/2002\/07\/owl#versionInfo>|owl:versionInfo)[ \t]+"([^"\n]{1,100})"/m.exec(head)?.[1]
    ?? /<owl:versionInfo[^>]*>([^<]{1,100})</.exec(head)?.[1];
  if (info) {
    const name = asVersionName(info);
    if (name) return { version: name, field: `owl:versionInfo ${info.trim()}` };
  }
  const iri = /(?<!^)(?:<http:\/\/www\.w3\.org\/2002\/07\/owl#versionIRI>|owl:versionIRI)[ \t]+<([^>\s]+)>/m.exec(head)?.[1]
    ?? /<owl:versionIRI\s+rdf:resource="([^"]+)"/.exec(head)?.[1]
    ?? /<Ontology\b[^>]*\sversionIRI="([^"]+)"/.exec(head)?.[1];
  if (iri) {
    const name = versionOfIri(iri);
    if (name) return { version: name, field: `owl:versionIRI ${iri}` };
  }
  return null;
}

/** The head of a downloaded file, for the content rule. */
export async function readHeadOf(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(EVIDENCE_HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

export interface VersionInputs {
  readonly resolverVersion: string | null;
  /** The downloaded file's head, or null for an archive (its files are not read before ingest). */
  readonly head: string | null;
  readonly fileName: string;
  readonly lastModified: string | null;
  readonly now: Date;
}

const day = (date: Date): string => date.toISOString().slice(0, 10);

/**
 * The version name under `rule` ('auto' tries each in turn). A named rule without its
 * evidence fails with a message saying what was missing.
 */
export function chooseVersion(rule: VersionRule, inputs: VersionInputs): ChosenVersion {
  const tries: Exclude<VersionRule, 'auto'>[] = rule === 'auto' ? ['resolver', 'content', 'last-modified', 'retrieval-date'] : [rule];
  for (const kind of tries) {
    if (kind === 'resolver' && inputs.resolverVersion) {
      const name = asVersionName(inputs.resolverVersion);
      if (name) return { version: name, rule: kind, evidence: `resolver version ${inputs.resolverVersion}` };
    }
    if (kind === 'content' && inputs.head) {
      const found = versionInHead(inputs.head);
      if (found) return { version: found.version, rule: kind, evidence: `${inputs.fileName}: ${found.field}` };
    }
    if (kind === 'last-modified' && inputs.lastModified) {
      const at = new Date(inputs.lastModified);
      if (!Number.isNaN(at.getTime())) return { version: day(at), rule: kind, evidence: `HTTP Last-Modified ${inputs.lastModified}` };
    }
    if (kind === 'retrieval-date') return { version: day(inputs.now), rule: kind, evidence: `retrieved ${inputs.now.toISOString()}` };
  }
  const missing = rule === 'content' && !inputs.head ? 'an archive is not read before ingest; use the resolver or last-modified rule' : `no ${rule} evidence`;
  throw new OntocatError('BAD_INPUT', `Version rule '${rule}' found no version for ${inputs.fileName}: ${missing}.`);
}
