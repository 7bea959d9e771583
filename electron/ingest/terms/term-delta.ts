import { deltaCounterpart } from '../../catalog/delta-queries.js';
import { getFile, hasFile } from '../../catalog/file-queries.js';
import type { Catalog } from '../../catalog/open-catalog.js';
import { listTermChanges, readTermDeltaRun, saveTermDelta, type TermReadRules } from '../../catalog/term-changes.js';
import { TERM_INDEX_RULES } from '../../catalog/term-index.js';
import { OntocatError } from '../../shared/errors.js';
import { FORMAT_LABELS, ONTOLOGY_FORMATS, type FileFormat } from '../../shared/formats.js';
import type { TermChangeKind, TermDelta } from '../../shared/models.js';
import type { VersionRef } from '../../shared/version-ref.js';
import { dataRelpath } from '../../storage/layout.js';
import { compareWithRecord, rewrittenWords } from '../../storage/recorded-bytes.js';
import { resolveInsideRoot } from '../../storage/safe-path.js';
import { diffTerms } from './diff-terms.js';
import { VALIDATOR_VERSION } from '../validate/validators.js';
import { extractTermsInWorkers } from './term-workers.js';
import { lstatIfPresent } from '../../storage/stat-if-present.js';

/**
 * The revision of `diffTerms`' rules; raise it when a file pair would compare otherwise.
 * 1: terms matched by their index identity (an OBO id and its PURL are one term).
 * 2: a term live again after a deprecation is UNDEPRECATED; a deprecated term's new
 *    replacements are REPLACED.
 */
export const TERM_DIFF_RULES = 2;

/**
 * The parsers and term rules of this build: a comparison cached under others is made again.
 * `rules` holds the term index's rules and the diff's as one number (index × 100 + diff).
 */
export const TERMS_READ_BY: TermReadRules = { validator_version: VALIDATOR_VERSION, rules: TERM_INDEX_RULES * 100 + TERM_DIFF_RULES };

export interface TermDeltaQuery {
  readonly a: VersionRef;
  readonly b: VersionRef;
  /** The file's path in B. */
  readonly relpath: string;
  /** Its path in A when it was renamed (defaults to `relpath`). */
  readonly old_relpath?: string;
  readonly change?: TermChangeKind;
  readonly search?: string;
  readonly offset?: number;
  readonly limit?: number;
}

/**
 * The term-level delta of one ontology file between two versions: terms added, removed,
 * relabelled, redefined, re-parented, changed in kind and newly deprecated, with their
 * labels and what changed (diffTerms: the whole-version delta's rules).
 *
 * Computed once per file pair with the validation parsers in worker threads, then cached
 * in the catalog, so a second look is a query (until the parsers or the term rules change). Relative IRIs of both files resolve
 * against the new path, so a renamed file still compares term for term.
 */
export async function computeTermDelta(catalog: Catalog, query: TermDeltaQuery, signal?: AbortSignal): Promise<TermDelta> {
  // Without an old path, A's file at the same path, else the one the file-level delta pairs
  // with B's (renamed, or named by its version: EDAM_1.1.obo for EDAM_1.2.obo).
  const [oldFile, newFile] = await catalog.read(async (conn) => {
    const found = await getFile(conn, query.b, query.relpath);
    const counterpart = query.old_relpath === undefined && !await hasFile(conn, query.a, query.relpath)
      ? await deltaCounterpart(conn, query.a, query.b, query.relpath) : null;
    return [await getFile(conn, query.a, query.old_relpath ?? counterpart ?? query.relpath), found] as const;
  });
  const oldRelpath = oldFile.relpath;
  for (const file of [oldFile, newFile]) {
    if (!ONTOLOGY_FORMATS.has(file.format as FileFormat)) {
      const label = FORMAT_LABELS[file.format as FileFormat] ?? file.format;
      throw new OntocatError('BAD_INPUT', `${file.relpath} is ${label}, not an ontology format; term changes exist only for RDF and OBO files.`);
    }
  }

  let run = await catalog.read((conn) => readTermDeltaRun(conn, oldFile.file_id, newFile.file_id, TERMS_READ_BY));
  const cached = run !== null;
  if (!run) {
    const baseIri = `file:///${query.relpath.split('/').map(encodeURIComponent).join('/')}`;
    const task = (ref: VersionRef, relpath: string, format: string) => ({
      absPath: resolveInsideRoot(catalog.root, dataRelpath(ref.service, ref.version, relpath)), format, baseIri,
    });
    // The delta is cached by file pair: it must be of the recorded contents, not of other
    // bytes a file holds on disk now (a copy cut short, an edit in place). A missing file is
    // left to the parse, which says it could not be read.
    for (const [ref, file] of [[query.a, oldFile], [query.b, newFile]] as const) {
      const { absPath } = task(ref, file.relpath, file.format);
      const disk = await compareWithRecord(absPath, lstatIfPresent(absPath), {
        size_bytes: file.size_bytes, sha256: file.sha256, mtime_ms: file.mtime === null ? null : Date.parse(file.mtime),
      });
      const differs = disk.state === 'resized' ? `has ${disk.size} bytes where the catalog recorded ${file.size_bytes}`
        : disk.state === 'rewritten' ? `is not the content recorded (${rewrittenWords(disk.sha256, file.sha256)})` : null;
      if (differs) {
        throw new OntocatError('CONFLICT', `${ref.service}/${ref.version}/${file.relpath} on disk ${differs}: its term changes would be of other bytes. `
          + "Run 'ontocat doctor' to restore it from the content store.");
      }
    }
    // Identical content has identical terms: parse it once.
    const same = oldFile.sha256 === newFile.sha256 && oldFile.format === newFile.format;
    const lists = await extractTermsInWorkers(
      same ? [task(query.b, query.relpath, newFile.format)] : [task(query.a, oldRelpath, oldFile.format), task(query.b, query.relpath, newFile.format)],
      signal,
    );
    const before = lists[0]!;
    const after = lists[1] ?? before;
    const changes = diffTerms(before, after);
    await catalog.write((tx) => saveTermDelta(tx, oldFile.file_id, newFile.file_id, { old_terms: before.length, new_terms: after.length }, changes, TERMS_READ_BY));
    run = await catalog.read((conn) => readTermDeltaRun(conn, oldFile.file_id, newFile.file_id, TERMS_READ_BY));
  }
  const changes = await catalog.read((conn) => listTermChanges(conn, oldFile.file_id, newFile.file_id, query));
  return {
    old_relpath: oldRelpath,
    new_relpath: query.relpath,
    old_terms: run!.old_terms,
    new_terms: run!.new_terms,
    summary: run!.summary,
    changes,
    cached,
  };
}
