import path from 'node:path';
import { OntocatError } from '../shared/errors.js';
import { CONTROL_CHARACTER, normaliseRelpath } from '../storage/safe-path.js';
import { PATH_MAX_BYTES, raiseHint, type IngestLimits } from './limits.js';
import { formatByteSize } from '../shared/byte-size.js';

/** What every archive entry is judged by, whether read from headers or while extracting. */
export interface EntryFacts {
  readonly name: string;
  readonly type: 'file' | 'dir' | 'symlink' | 'hardlink' | 'device' | 'sparse' | 'other';
  readonly linkTarget?: string;
}

/**
 * Checks an archive entry's name: relative, normalised, inside the archive.
 *
 * Anything else (absolute, `..`, a drive letter, NUL, backslash) refuses the whole
 * archive: an archive that tries to escape is not trusted for its other entries either.
 */
export function entryRelpath(archiveName: string, name: string): string {
  let relpath: string;
  try {
    relpath = normaliseRelpath(name.replace(/\/+$/, ''));
  } catch (error) {
    throw new OntocatError('UNSAFE_PATH', `Refused ${archiveName}: entry '${name}' ${(error as OntocatError).message.replace(/^Path '.*?' /, '')}`);
  }
  // Legal on Linux (GNU tar and unzip extract them), but a path is one line everywhere in
  // Ontocat (bulk blocks, listings, exports): refused here, from the headers, not when the
  // version is recorded after everything was extracted and stored.
  if (CONTROL_CHARACTER.test(relpath)) {
    throw new OntocatError('UNSAFE_PATH', `Refused ${archiveName}: entry '${shownControls(relpath)}' has a control character in its name; Ontocat records paths without control characters: rename it and repack the archive.`);
  }
  return relpath;
}

/** A path with each control character shown as \xNN, so a message stays one readable line. */
function shownControls(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is shown
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Resolves a link target against the link's folder; null when it leaves the archive. */
export function resolveLinkTarget(relpath: string, target: string, hard: boolean): string | null {
  if (target === '' || target.startsWith('/') || /^[A-Za-z]:/.test(target) || target.includes('\\') || target.includes('\0')) return null;
  // Hard links in tar name their target from the archive root; symlinks from their folder.
  const joined = hard ? target : path.posix.join(path.posix.dirname(relpath), target);
  const normal = path.posix.normalize(joined);
  if (normal === '..' || normal.startsWith('../') || normal.startsWith('/') || normal === '.') return null;
  return normal;
}

/** Refuses an entry whose path is too long, has too long a segment or goes too deep. */
function checkShape(archiveName: string, relpath: string, limits: IngestLimits): void {
  const bytes = Buffer.byteLength(relpath);
  if (bytes > limits.maxPathBytes) {
    throw new OntocatError('LIMIT_EXCEEDED', `Refused ${archiveName}: entry '${relpath.slice(0, 80)}…' has a path of ${bytes} bytes, more than ${limits.maxPathBytes} (limit maxPathBytes).`);
  }
  const prefix = limits.pathPrefixBytes ?? 0;
  if (prefix > 0 && prefix + bytes > PATH_MAX_BYTES) {
    throw new OntocatError('LIMIT_EXCEEDED', `Refused ${archiveName}: entry '${relpath.slice(0, 80)}…' has a path of ${bytes} bytes; under the storage root (${prefix} bytes before it) it would pass the ${PATH_MAX_BYTES} bytes a path may have: shorten its names.`);
  }
  const segments = relpath.split('/');
  if (segments.length > limits.maxDepth) {
    throw new OntocatError('LIMIT_EXCEEDED', `Refused ${archiveName}: entry '${relpath.slice(0, 80)}…' is ${segments.length} levels deep, more than ${limits.maxDepth} (limit maxDepth).`);
  }
  for (const segment of segments) {
    if (Buffer.byteLength(segment) > limits.maxNameBytes) {
      throw new OntocatError('LIMIT_EXCEEDED', `Refused ${archiveName}: entry '${relpath.slice(0, 80)}…' has a name longer than ${limits.maxNameBytes} bytes (limit maxNameBytes).`);
    }
  }
}

/** Most case-only duplicates an ingest lists (the count is always exact). */
const CASE_EXAMPLES = 20;

/**
 * Judges an archive's entries one by one against the limits and the safety rules.
 *
 * The same rules run twice: over headers before anything is written (`archive-precheck`)
 * and again while extracting, so a reader that disagrees with the header scan still
 * cannot get past them. Memory grows with the number of distinct file paths only (one
 * map, needed to refuse duplicates), which the file limit bounds.
 */
export class EntryRules {
  files = 0;
  entries = 0;
  declaredBytes = 0;
  caseOnlyDuplicates = 0;
  readonly caseExamples: string[] = [];
  /**
   * Lower-cased path → every spelling of it seen, for every file and link: one string in
   * the usual case, a list once case variants appear. Keeping every spelling (not only the
   * first) is what lets `A.txt, a.txt, a.txt` be refused for its second `a.txt`.
   */
  private readonly seen = new Map<string, string | string[]>();
  /** Paths of links (symbolic or hard), which the file-and-folder check leaves to extraction. */
  private readonly links = new Set<string>();

  constructor(private readonly limits: IngestLimits, private readonly archiveName: string, private readonly archiveBytes: number) {}

  /** Checks one entry; returns its normalised path (null for folders and unknown types). */
  admit(entry: EntryFacts, declaredSize = 0): string | null {
    const { archiveName, limits } = this;
    this.entries += 1;
    // Folders cost no file, but a flood of them still costs time: bound them too.
    if (this.entries > limits.maxFiles * 2) {
      throw new OntocatError('LIMIT_EXCEEDED', `Refused ${archiveName}: more than ${limits.maxFiles * 2} entries (twice the file limit; ${raiseHint('maxFiles')}).`);
    }
    if (entry.type === 'device') {
      throw new OntocatError('UNSAFE_PATH', `Refused ${archiveName}: entry '${entry.name}' is a device or FIFO, which archives of data never need.`);
    }
    // A sparse entry's bytes are a packed form that only GNU tar's sparse logic expands;
    // taken as a file it would be recorded wrong, and skipping it would lose it silently.
    if (entry.type === 'sparse') {
      throw new OntocatError('BAD_INPUT', `Refused ${archiveName}: entry '${entry.name}' is a sparse file (tar --sparse), which Ontocat does not extract; re-create the archive without --sparse.`);
    }
    if (entry.type === 'other') return null;
    // `tar -C dir -cf x.tar .` starts with './': the archive's own root, not a folder in it.
    if (entry.type === 'dir' && /^\.(\/\.)*\/?$/.test(entry.name)) return null;
    const relpath = entryRelpath(archiveName, entry.name);
    checkShape(archiveName, relpath, limits);
    if (entry.type === 'dir') return null;
    // A zip keeps a link's target in its data: unknown (undefined) until extraction reads it.
    if ((entry.type === 'symlink' || entry.type === 'hardlink') && entry.linkTarget !== undefined) {
      const target = resolveLinkTarget(relpath, entry.linkTarget ?? '', entry.type === 'hardlink');
      if (target === null) {
        throw new OntocatError('UNSAFE_PATH', `Refused ${archiveName}: link '${entry.name}' points outside the archive ('${entry.linkTarget ?? ''}').`);
      }
    }
    this.files += 1;
    if (this.files > limits.maxFiles) {
      throw new OntocatError('LIMIT_EXCEEDED', `Refused ${archiveName}: more than ${limits.maxFiles} files (${raiseHint('maxFiles')}).`);
    }
    this.noteName(relpath);
    if (entry.type === 'symlink' || entry.type === 'hardlink') this.links.add(relpath);
    this.addDeclared(declaredSize);
    return relpath;
  }

  /**
   * Refuses an archive where a file's path is also the folder of another entry (`a` and
   * `a/b`): it cannot be laid out (GNU tar -x fails on it too). Run once every entry is
   * admitted, over the paths already kept, so it costs no memory of its own.
   */
  assertNoFileFolderClash(): void {
    for (const spellings of this.seen.values()) {
      for (const relpath of Array.isArray(spellings) ? spellings : [spellings]) {
        for (let slash = relpath.indexOf('/'); slash > 0; slash = relpath.indexOf('/', slash + 1)) {
          const folder = relpath.slice(0, slash);
          const known = this.seen.get(folder.toLowerCase());
          if (known !== folder && !(Array.isArray(known) && known.includes(folder))) continue;
          // A link there is left to extraction: one to a folder is dropped, its entries kept.
          if (this.links.has(folder)) continue;
          throw new OntocatError(
            'BAD_INPUT',
            `Refused ${this.archiveName}: '${folder}' is both a file and the folder of '${relpath}'; an archive cannot hold both, so nothing was extracted.`,
          );
        }
      }
    }
  }

  /** Refuses a path seen before; counts paths that differ only in case. */
  private noteName(relpath: string): void {
    const key = relpath.toLowerCase();
    const before = this.seen.get(key);
    if (before === relpath || (Array.isArray(before) && before.includes(relpath))) {
      throw new OntocatError(
        'BAD_INPUT',
        `Refused ${this.archiveName}: the entry '${relpath}' appears more than once; an archive with duplicate paths is ambiguous (which one is meant?), so nothing was extracted.`,
      );
    }
    if (before === undefined) {
      this.seen.set(key, relpath);
      return;
    }
    const spellings = Array.isArray(before) ? before : [before];
    this.caseOnlyDuplicates += 1;
    if (this.caseExamples.length < CASE_EXAMPLES) this.caseExamples.push(`${spellings[0]} | ${relpath}`);
    spellings.push(relpath);
    this.seen.set(key, spellings);
  }

  /** Adds bytes an entry declares (headers) or produced (extraction) and judges size and ratio. */
  addDeclared(n: number): void {
    this.declaredBytes += n;
    const { limits, archiveName } = this;
    if (this.declaredBytes > limits.maxBytes) {
      throw new OntocatError('LIMIT_EXCEEDED', `Refused ${archiveName}: it expands past ${formatByteSize(limits.maxBytes)} (${raiseHint('maxBytes')}).`);
    }
    if (this.declaredBytes > limits.ratioFloorBytes && this.declaredBytes > this.archiveBytes * limits.maxRatio) {
      throw new OntocatError(
        'LIMIT_EXCEEDED',
        `Refused ${archiveName}: compression ratio above ${limits.maxRatio}:1 (${formatByteSize(this.declaredBytes)} from ${this.archiveBytes} bytes); it looks like an archive bomb (${raiseHint('maxRatio')}).`,
      );
    }
  }
}
