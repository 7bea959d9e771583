/**
 * The version rule: which name a new release gets, and the evidence for it.
 *
 * From the resolver (an npm version), else the content (OBO `data-version`,
 * `owl:versionInfo`, `owl:versionIRI`, read from the head of a single-file download or of
 * the ontology files inside an archive), else the day of the HTTP Last-Modified, else the
 * retrieval day. With several artifacts, the first in the source's order that has a
 * rule's evidence decides. The release date itself
 * is recorded by ingest from the same evidence (release-evidence.ts, release-order.ts).
 */
import { open } from 'node:fs/promises';
import { readArchiveHeads } from '../ingest/archive-heads.js';
import { archiveKindOf } from '../ingest/archive-readers.js';
import type { IngestLimits } from '../ingest/limits.js';
import { dateInside, EVIDENCE_HEAD_BYTES, isVersionLikeInfo } from '../ingest/release-evidence.js';
import type { VersionRule } from '../shared/contract/sources.js';
import { OntocatError } from '../shared/errors.js';
import { lastModifiedEvidence, parseHttpDate } from '../shared/http-date.js';
import { isValidName } from '../shared/name-rules.js';

export interface ChosenVersion {
  readonly version: string;
  readonly rule: Exclude<VersionRule, 'auto'>;
  readonly evidence: string;
  /** The artifact that said (named when the source has several). */
  readonly artifact?: string;
  /** The file inside an archive the content evidence came from. */
  readonly file?: string;
}

/** Text made into a version name: odd characters become '_', at most 128. */
export function asVersionName(text: string): string | null {
  const cleaned = text.trim().replace(/^v(?=[0-9])/i, '').replace(/[^A-Za-z0-9._+-]+/g, '_').replace(/^[^A-Za-z0-9]+/, '').replace(/[._+-]+$/, '').slice(0, 128);
  return cleaned && isValidName('version', cleaned) ? cleaned : null;
}

/**
 * A pre-release or build suffix a dotted number carries in a versionIRI (EMMO's
 * `1.0.0-rc3`, `1.0.0-beta4`, `4.2-SNAPSHOT`, `1.2.3+build.5`): part of the version, which
 * is not the release it leads to. Only pre-release words, so `onto-1.0-full` stays 1.0.
 */
const PRE_RELEASE_SUFFIX = String.raw`(?:-(?:alpha|beta|rc|pre|preview|dev|snapshot|draft|milestone|m(?=\d))\d*(?:[.-][0-9A-Za-z]+)*)?(?:\+[0-9A-Za-z]+(?:[.-][0-9A-Za-z]+)*)?`;
const DOTTED_VERSION = new RegExp(String.raw`(?:^|[^0-9])(\d+(?:\.\d+)+${PRE_RELEASE_SUFFIX})(?=[^0-9A-Za-z]|$)`, 'i');
const DOTTED_NUMBER = /(?:^|[^0-9])(\d+(?:\.\d+)+)(?=[^0-9]|$)/;

/** A version in a versionIRI: a date inside it, else a dotted number (with its pre-release), else its last path segment without extension. */
function versionOfIri(iri: string): string | null {
  const date = dateInside(iri);
  if (date) return date.slice(0, 10);
  const segments = iri.replace(/[#?].*$/, '').split('/').filter(Boolean);
  for (const segment of [...segments].reverse()) {
    const bare = segment.replace(/\.(owl|obo|ttl|rdf|xml|nt|jsonld|json)$/i, '');
    const dotted = DOTTED_VERSION.exec(bare) ?? DOTTED_NUMBER.exec(bare);
    if (dotted) return asVersionName(dotted[1]!) ?? dotted[1]!;
  }
  const last = segments.at(-1)?.replace(/\.(owl|obo|ttl|rdf|xml|nt|jsonld|json)$/i, '') ?? null;
  return last ? asVersionName(last) : null;
}

const VERSION_INFO_PATTERNS: readonly RegExp[] = [
  /(?<!^)(?:<http:\/\/www\.w3\.org\/2002\/07\/owl#versionInfo>|owl:versionInfo)[ \t]+"([^"\n]{1,120})"/gm,
  /<owl:versionInfo[^>]*>([^<]{1,200})</g,
];

/**
 * The version an owl:versionInfo value names, when it is version-like (isVersionLikeInfo):
 * a single token as it stands (0.8, R36, 4.2-SNAPSHOT), an IRI as a versionIRI, and words
 * around a version by that version, as versionIRI names its dotted number or date
 * ('Version 1.10' is 1.10, 'Revision: 1.36' is 1.36, '$Date: 2013-03-11 07:54:23 $' is 2013-03-11).
 */
function versionOfInfo(info: string): string | null {
  if (!isVersionLikeInfo(info)) return null;
  if (/^https?:\/\/\S+$/.test(info)) return versionOfIri(info);
  if (!/\s/.test(info)) return asVersionName(info);
  const dotted = DOTTED_VERSION.exec(info) ?? DOTTED_NUMBER.exec(info);
  if (dotted) return asVersionName(dotted[1]!);
  const date = dateInside(info);
  return date ? date.slice(0, 10) : null;
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
  // Every versionInfo in the head, the first that is version-like: prose and change-log
  // entries beside it name nothing (EBUCore's 'Add formatId to Format.' before 'Version 1.10').
  for (const pattern of VERSION_INFO_PATTERNS) {
    for (const match of head.matchAll(pattern)) {
      const info = match[1]!.trim();
      const name = versionOfInfo(info);
      if (name) return { version: name, field: `owl:versionInfo ${info}` };
    }
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

/** One head the content rule reads: a single-file download (`relpath` null) or a file inside an archive. */
export interface HeadRead {
  readonly relpath: string | null;
  readonly head: string;
}

/**
 * The heads the content rule reads of one download: the file's own head, or for an archive
 * the heads of its ontology files in archive order up to the first that states a version
 * (bounded by the archive limits; see archive-heads.ts).
 */
export async function readHeadsOf(file: string, name: string, limits: IngestLimits, signal?: AbortSignal): Promise<HeadRead[]> {
  const kind = archiveKindOf(name);
  if (!kind) return [{ relpath: null, head: await readHeadOf(file) }];
  return readArchiveHeads(file, kind, { limits, signal, enough: (inner) => versionInHead(inner.head) !== null });
}

/** What one artifact offers each rule. */
export interface ArtifactEvidence {
  /** The artifact's file name. */
  readonly name: string;
  readonly resolverVersion: string | null;
  /** Heads for the content rule (null: not read, as when an earlier rule already decided). */
  readonly heads: readonly HeadRead[] | null;
  readonly lastModified: string | null;
}

export interface VersionInputs {
  /** The source's artifacts in order: the first that has a rule's evidence decides. */
  readonly artifacts: readonly ArtifactEvidence[];
  readonly now: Date;
}

const day = (date: Date): string => date.toISOString().slice(0, 10);

/**
 * Why a Last-Modified the server sent named no version, one phrase per artifact: a curator
 * reading "retrieved …" beside a header in the manifest sees why the header was passed over.
 */
function unusableLastModified(inputs: VersionInputs): string[] {
  const several = inputs.artifacts.length > 1;
  return inputs.artifacts.flatMap((artifact) => {
    if (!artifact.lastModified || lastModifiedEvidence(artifact.lastModified, inputs.now)) return [];
    const why = parseHttpDate(artifact.lastModified, inputs.now) ? 'later than the retrieval' : 'not an HTTP date';
    return [`${several ? `${artifact.name}: ` : ''}HTTP Last-Modified ${artifact.lastModified} passed over (${why})`];
  });
}

/** The rules `rule` tries, in order. */
export function rulesTried(rule: VersionRule): Exclude<VersionRule, 'auto'>[] {
  return rule === 'auto' ? ['resolver', 'content', 'last-modified', 'retrieval-date'] : [rule];
}

/** Whether choosing under `rule` may need the content heads (the resolver did not already decide). */
export function needsHeads(rule: VersionRule, artifacts: readonly Pick<ArtifactEvidence, 'resolverVersion'>[]): boolean {
  if (rule === 'content') return true;
  return rule === 'auto' && !artifacts.some((artifact) => artifact.resolverVersion && asVersionName(artifact.resolverVersion));
}

/**
 * The version name under `rule` ('auto' tries each in turn), from the first artifact in
 * order that has the rule's evidence; the result names that artifact and, for content
 * read inside an archive, the file. A named rule without evidence fails saying what was missing.
 */
export function chooseVersion(rule: VersionRule, inputs: VersionInputs): ChosenVersion {
  const several = inputs.artifacts.length > 1;
  const from = (artifact: ArtifactEvidence): { artifact?: string } => (several ? { artifact: artifact.name } : {});
  for (const kind of rulesTried(rule)) {
    for (const artifact of inputs.artifacts) {
      if (kind === 'resolver' && artifact.resolverVersion) {
        const name = asVersionName(artifact.resolverVersion);
        if (name) return { version: name, rule: kind, evidence: `${several ? `${artifact.name}: ` : ''}resolver version ${artifact.resolverVersion}`, ...from(artifact) };
      }
      if (kind === 'content') {
        for (const read of artifact.heads ?? []) {
          const found = versionInHead(read.head);
          if (!found) continue;
          const where = read.relpath ? `${artifact.name}/${read.relpath}` : artifact.name;
          return { version: found.version, rule: kind, evidence: `${where}: ${found.field}`, ...from(artifact), ...(read.relpath ? { file: read.relpath } : {}) };
        }
      }
      if (kind === 'last-modified') {
        const at = lastModifiedEvidence(artifact.lastModified, inputs.now);
        if (at) return { version: day(at), rule: kind, evidence: `${several ? `${artifact.name}: ` : ''}HTTP Last-Modified ${artifact.lastModified}`, ...from(artifact) };
      }
    }
    if (kind === 'retrieval-date') {
      return { version: day(inputs.now), rule: kind, evidence: [`retrieved ${inputs.now.toISOString()}`, ...unusableLastModified(inputs)].join('; ') };
    }
  }
  const names = inputs.artifacts.map((artifact) => artifact.name).join(', ');
  const missing = rule === 'content'
    ? `no version in the head of ${inputs.artifacts.some((artifact) => archiveKindOf(artifact.name)) ? 'any ontology file of' : ''} ${names}`.replace(/\s+/g, ' ')
    : [`no ${rule} evidence`, ...(rule === 'last-modified' ? unusableLastModified(inputs) : [])].join('; ');
  throw new OntocatError('BAD_INPUT', `Version rule '${rule}' found no version for ${names}: ${missing}.`);
}
