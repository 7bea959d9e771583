/**
 * Release date evidence from a version's own ontology files.
 *
 * Reads only the head of each file (where OBO headers and OWL ontology headers live) and
 * looks for dates the release states about itself: OBO `data-version` (a date inside it,
 * as in `releases/2023-01-01`) or `date:` (`dd:MM:yyyy HH:mm`), the dates inside
 * `owl:versionIRI` or `owl:versionInfo`, and the OBO `date` tag as OBO-to-OWL converters
 * carry it into OWL (`oboInOwl:date`, or `obo:date` as EDAM's OWL releases have it). A
 * small reader on purpose, not the parsers: a header is a few lines, and a file that does
 * not parse still says when it was released.
 */
import { constants } from 'node:fs';
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

/** A word a change-log entry starts with ('Add …', 'Removed …', 'Fixed …'): history, not a version. */
const CHANGE_ENTRY = /^(?:add|remov|delet|chang|fix|correct|renam|updat|creat|mov|merg|deprecat|introduc|replac|split|harmoni[sz]|align|separat)\w*$/i;

/**
 * Whether an `owl:versionInfo` value states a version: one short line that is a version
 * token (0.8, R36, 4.2-SNAPSHOT, 2016-11-12T21:28:11Z, an IRI), an RCS keyword
 * (`$Date: 2013-03-11 07:54:23 $`), or a few words around a dotted number or a date
 * ('Version 1.10', 'Revision: 1.36', 'Lexvo.org Ontology Version 0.24 (2019-01-16)').
 * Ontologies also write prose and change logs there (EBUCore keeps 31 entries such as 'Add
 * formatId to Format.' beside its 'Version 1.10'; TopBraid writes 'Created with TopBraid
 * Composer'; some keep a history of several lines), which name no version and date no release.
 */
export function isVersionLikeInfo(value: string): boolean {
  const text = value.trim();
  // A line break, real or as N-Triples/Turtle escape it, or a ';' list: a history, not a version.
  if (!text || /[\r\n;]|\\[nr]/.test(text)) return false;
  if (/^\$[A-Za-z]+:.*\$$/.test(text)) return text.length <= 120;
  if (text.length > 64) return false;
  const words = text.split(/\s+/);
  if (words.length === 1) return /[0-9]/.test(text);
  if (words.length > 6 || CHANGE_ENTRY.test(words[0]!)) return false;
  return /[0-9]\.[0-9]/.test(text) || dateInside(text) !== null;
}

function realDate(year: number, month: number, day: number, hour = 0, minute = 0): string | null {
  const at = new Date(Date.UTC(year, month - 1, day, hour, minute));
  if (at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day || hour > 23 || minute > 59) return null;
  return at.toISOString();
}

/**
 * An OBO `date` value as an ISO instant: `dd:MM:yyyy HH:mm` as the OBO format defines it,
 * and the forms real releases write besides (EDAM: `02:02:2015` without a time,
 * `08:02:2016 22:15GMT`, `31.10.2016 23:58 GMT`, `14.01.2020 13:23 UTC`). Null for anything else.
 */
export function oboDateValue(value: string): string | null {
  const match = /^(\d{2})[:.](\d{2})[:.](\d{4})(?:[ \t]+(\d{2}):(\d{2}))?[ \t]*(?:GMT|UTC|Z)?$/.exec(value.trim());
  if (!match) return null;
  return realDate(Number(match[3]), Number(match[2]), Number(match[1]), Number(match[4] ?? 0), Number(match[5] ?? 0));
}

/** An OBO tag's value without its trailing comment (an unescaped `!` to the end of the line). */
const withoutComment = (value: string): string => value.replace(/(?<!\\)!.*$/, '').trim();

/** The OBO header (the lines before the first stanza) of a file's head. */
export function oboHeaderEvidence(head: string): FileEvidence | null {
  const header = head.split(/\n\s*\[/, 1)[0] ?? '';
  const tag = (name: string): string | null => {
    const value = new RegExp(`^${name}:[ \\t]*(.*)$`, 'm').exec(header)?.[1];
    return value === undefined ? null : withoutComment(value);
  };
  const dataVersion = tag('data-version');
  const fromVersion = dataVersion ? dateInside(dataVersion) : null;
  if (fromVersion) return { date: fromVersion, source: 'obo-header', field: `data-version: ${dataVersion}`, strength: 2 };
  // EDAM 1.0 and 1.1 say `date: 13:01:2012 18:00 ! Always GMT (UTC) or British Summer Time`.
  const saved = tag('date');
  const date = saved ? oboDateValue(saved) : null;
  return date ? { date, source: 'obo-header', field: `date: ${saved}`, strength: 1 } : null;
}

/**
 * `owl:versionIRI` / `owl:versionInfo` in any RDF syntax's head: as a predicate followed by
 * its object (Turtle, N-Triples, N-Quads, JSON-LD) or as an element (RDF/XML, OWL/XML);
 * else the OBO `date` tag in its OWL form.
 */
export function owlHeaderEvidence(head: string): FileEvidence | null {
  for (const [field, patterns, strength] of [['owl:versionIRI', versionIriPatterns, 2], ['owl:versionInfo', versionInfoPatterns, 1]] as const) {
    for (const pattern of patterns) {
      for (const match of matchesOf(pattern, head)) {
        const value = (match[1] ?? '').trim();
        // A versionInfo that is prose or a change log dates nothing, even with a date in a sentence.
        if (field === 'owl:versionInfo' && !isVersionLikeInfo(value)) continue;
        const date = dateInside(value);
        if (date) return { date, source: 'owl-version', field: `${field} ${value}`, strength };
      }
    }
  }
  return oboDateInOwl(head);
}

/**
 * The namespaces OBO-to-OWL converters write the OBO header's `date` tag under: oboInOwl
 * (the OBO 1.4 mapping), and the OBO PURL base for tags it has no name for (EDAM's OWL
 * releases 1.3 to 1.25: `<oboOther:date>31.10.2016 23:58 GMT</oboOther:date>`).
 */
const OBO_DATE_NAMESPACES: readonly string[] = ['http://www.geneontology.org/formats/oboInOwl#', 'http://purl.obolibrary.org/obo/'];

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * The OBO `date` tag as an OWL file's header carries it: an element (RDF/XML), an
 * annotation (OWL/XML) or a predicate (Turtle, N-Triples), under whatever prefix the file
 * binds to one of OBO_DATE_NAMESPACES. A save date, as in an OBO header.
 */
function oboDateInOwl(head: string): FileEvidence | null {
  const prefixes = new Set<string>();
  const declarations = [
    /xmlns:([A-Za-z_][\w.-]*)\s*=\s*"([^"]*)"/,
    /(?:@prefix|PREFIX)[ \t]+([A-Za-z_][\w.-]*):[ \t]*<([^>]*)>/,
    /<Prefix\s+name="([A-Za-z_][\w.-]*)"\s+IRI="([^"]*)"/,
  ];
  for (const declaration of declarations) {
    for (const match of matchesOf(declaration, head)) if (OBO_DATE_NAMESPACES.includes(match[2]!)) prefixes.add(match[1]!);
  }
  const value = '([^<"\\n]{1,100})';
  const patterns: [string, RegExp][] = [];
  for (const prefix of prefixes) {
    const name = escapeRegExp(`${prefix}:date`);
    patterns.push(
      [`${prefix}:date`, new RegExp(`<${name}(?:\\s[^>]*)?>${value}</${name}>`)],
      [`${prefix}:date`, new RegExp(`abbreviatedIRI="${name}"\\s*/>\\s*<Literal[^>]*>${value}<`)],
      [`${prefix}:date`, new RegExp(`(?<!^)${name}[ \\t]+"${value}"`, 'm')],
    );
  }
  for (const namespace of OBO_DATE_NAMESPACES) {
    const iri = escapeRegExp(`${namespace}date`);
    patterns.push([`<${namespace}date>`, new RegExp(`(?:<${iri}>|IRI="${iri}"\\s*/>\\s*<Literal[^>]*>)[ \\t]*"?${value}`)]);
  }
  for (const [field, pattern] of patterns) {
    for (const match of matchesOf(pattern, head)) {
      const stated = match[1]!.trim();
      const date = oboDateValue(stated);
      if (date) return { date, source: 'obo-header', field: `${field} ${stated}`, strength: 1 };
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
  // A link in place of a file is passed over, never read through (it may point out of the root);
  // a FIFO is opened without blocking and passed over too.
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | (constants.O_NONBLOCK ?? 0));
  try {
    if (!(await handle.stat()).isFile()) return '';
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
 * 2019.) Files stating different days make a bundle, whose latest date is only a lower
 * bound: `spread` says so (refreshReleaseDate then prefers a date the version's name spells).
 * Unreadable files are passed over: evidence is optional, ingest does not fail for it.
 */
export async function readReleaseEvidence(
  dataDir: string, files: readonly { relpath: string; format: string }[],
): Promise<HeaderEvidence | null> {
  const candidates = files.filter((file) => ONTOLOGY_FORMATS.has(file.format as FileFormat)).slice(0, EVIDENCE_MAX_FILES);
  let best: (FileEvidence & { relpath: string }) | null = null;
  const days = new Set<string>();
  let earliest: string | null = null;
  for (const file of candidates) {
    let head: string;
    try {
      head = await readHead(path.join(dataDir, ...file.relpath.split('/')));
    } catch {
      continue;
    }
    const found = fileEvidence(file.format, head);
    if (!found) continue;
    days.add(found.date.slice(0, 10));
    if (earliest === null || found.date < earliest) earliest = found.date;
    if (!best || found.date > best.date || (found.date === best.date && found.strength > best.strength)) {
      best = { ...found, relpath: file.relpath };
    }
  }
  if (!best) return null;
  const evidence = { date: best.date, source: best.source, detail: `${best.relpath}: ${best.field}` };
  return days.size > 1 && earliest ? { ...evidence, spread: { earliest, days: days.size } } : evidence;
}
