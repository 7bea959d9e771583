/**
 * Release date evidence from a version's own ontology files.
 *
 * Reads only the head of each file (where OBO headers and OWL ontology headers live) and
 * looks for dates the release states about itself: OBO `data-version` (a date inside it,
 * as in `releases/2023-01-01`) or `date:` (`dd:MM:yyyy HH:mm`), and the dates inside
 * `owl:versionIRI` or `owl:versionInfo`. A small reader on purpose, not the parsers: a
 * header is a few lines, and a file that does not parse still says when it was released.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { HeaderEvidence } from '../catalog/release-order.js';
import { ONTOLOGY_FORMATS, type FileFormat } from '../shared/formats.js';

/** Bytes read from the start of each file. */
export const EVIDENCE_HEAD_BYTES = 64 * 1024;
/** Files read per version at most (the first by path): enough for any header, bounded for huge releases. */
export const EVIDENCE_MAX_FILES = 200;

/** One file's evidence: the date and the field it came from. */
export interface FileEvidence {
  readonly date: string;
  readonly source: HeaderEvidence['source'];
  readonly field: string;
  /** A release identifier (data-version, versionIRI) outranks a save date (date:, versionInfo). */
  readonly strength: 2 | 1;
}

/** A calendar date at the start of `text`'s first ISO-like date (2023-01-01, 2023/01/01, 20230101), as an ISO instant. */
export function dateInside(text: string): string | null {
  const match = /(?<![0-9])((?:19|20)[0-9]{2})([-/._]?)(0[1-9]|1[0-2])\2(0[1-9]|[12][0-9]|3[01])(?![0-9])/.exec(text);
  if (!match) return null;
  return realDate(Number(match[1]), Number(match[3]), Number(match[4]));
}

function realDate(year: number, month: number, day: number, hour = 0, minute = 0): string | null {
  const at = new Date(Date.UTC(year, month - 1, day, hour, minute));
  if (at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day || hour > 23 || minute > 59) return null;
  return at.toISOString();
}

/** The OBO header (the lines before the first stanza) of a file's head. */
export function oboHeaderEvidence(head: string): FileEvidence | null {
  const header = head.split(/\n\s*\[/, 1)[0] ?? '';
  const dataVersion = /^data-version:[ \t]*(.+)$/m.exec(header)?.[1]?.trim();
  const fromVersion = dataVersion ? dateInside(dataVersion) : null;
  if (fromVersion) return { date: fromVersion, source: 'obo-header', field: `data-version: ${dataVersion}`, strength: 2 };
  const saved = /^date:[ \t]*(\d{2}):(\d{2}):(\d{4})(?:[ \t]+(\d{2}):(\d{2}))?[ \t]*$/m.exec(header);
  if (saved) {
    const date = realDate(Number(saved[3]), Number(saved[2]), Number(saved[1]), Number(saved[4] ?? 0), Number(saved[5] ?? 0));
    if (date) return { date, source: 'obo-header', field: `date: ${saved[0].slice(5).trim()}`, strength: 1 };
  }
  return null;
}

/**
 * `owl:versionIRI` / `owl:versionInfo` in any RDF syntax's head: as a predicate followed by
 * its object (Turtle, N-Triples, N-Quads, JSON-LD) or as an element (RDF/XML, OWL/XML).
 */
export function owlHeaderEvidence(head: string): FileEvidence | null {
  for (const [field, patterns, strength] of [['owl:versionIRI', versionIriPatterns, 2], ['owl:versionInfo', versionInfoPatterns, 1]] as const) {
    for (const pattern of patterns) {
      for (const match of matchesOf(pattern, head)) {
        const value = (match[1] ?? '').trim();
        const date = dateInside(value);
        if (date) return { date, source: 'owl-version', field: `${field} ${value}`, strength };
      }
    }
  }
  return null;
}

// `(?<!^)`: a predicate never starts a line in N-Triples/N-Quads, and a Turtle subject
// does; owl.ttl itself describes owl:versionIRI as a subject, which is no evidence.
const versionIriPatterns: readonly RegExp[] = [
  /(?<!^)(?:<http:\/\/www\.w3\.org\/2002\/07\/owl#versionIRI>|owl:versionIRI)[ \t]+<([^>\s]+)>/m,
  /<owl:versionIRI\s+rdf:resource="([^"]+)"/,
  /<Ontology\b[^>]*\sversionIRI="([^"]+)"/,
  /"(?:owl:versionIRI|http:\/\/www\.w3\.org\/2002\/07\/owl#versionIRI)"\s*:\s*\[?\s*\{\s*"@id"\s*:\s*"([^"]+)"/,
];

const versionInfoPatterns: readonly RegExp[] = [
  /(?<!^)(?:<http:\/\/www\.w3\.org\/2002\/07\/owl#versionInfo>|owl:versionInfo)[ \t]+"([^"\n]{1,200})"/m,
  /<owl:versionInfo[^>]*>([^<]{1,200})</,
  /abbreviatedIRI="owl:versionInfo"\s*\/>\s*<Literal[^>]*>([^<]{1,200})</,
  /"(?:owl:versionInfo|http:\/\/www\.w3\.org\/2002\/07\/owl#versionInfo)"\s*:\s*\[?\s*(?:\{\s*"@value"\s*:\s*)?"([^"]{1,200})"/,
];

function* matchesOf(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  const global = new RegExp(pattern.source, `${pattern.flags}g`);
  for (let match = global.exec(text); match; match = global.exec(text)) yield match;
}

/** The evidence in one file's head, by its recorded format. */
export function fileEvidence(format: string, head: string): FileEvidence | null {
  if (format === 'obo') return oboHeaderEvidence(head);
  if (ONTOLOGY_FORMATS.has(format as FileFormat)) return owlHeaderEvidence(head);
  return null;
}

async function readHead(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(EVIDENCE_HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * The release date a version's ontology files state, or null when none does.
 *
 * Within a file, a release identifier (data-version, versionIRI) outranks a save date
 * (date:, versionInfo). Across files the latest date wins, whatever its kind: a release is
 * no older than any file in it. (Ranking kinds across files dated the 2021 bundle of
 * @zazuko/rdf-vocabularies by frbr.nq's versionIRI of 2018, although its lvont.nq states
 * 2019.) Unreadable files are passed over: evidence is optional, ingest does not fail for it.
 */
export async function readReleaseEvidence(
  dataDir: string, files: readonly { relpath: string; format: string }[],
): Promise<HeaderEvidence | null> {
  const candidates = files.filter((file) => ONTOLOGY_FORMATS.has(file.format as FileFormat)).slice(0, EVIDENCE_MAX_FILES);
  let best: (FileEvidence & { relpath: string }) | null = null;
  for (const file of candidates) {
    let head: string;
    try {
      head = await readHead(path.join(dataDir, ...file.relpath.split('/')));
    } catch {
      continue;
    }
    const found = fileEvidence(file.format, head);
    if (!found) continue;
    if (!best || found.date > best.date || (found.date === best.date && found.strength > best.strength)) {
      best = { ...found, relpath: file.relpath };
    }
  }
  return best ? { date: best.date, source: best.source, detail: `${best.relpath}: ${best.field}` } : null;
}
