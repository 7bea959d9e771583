/**
 * Heads of the ontology files inside an archive, read before anything is extracted.
 *
 * A source run names a release before ingest, and a release that comes as a .tar.gz or
 * .zip states its version in the ontology file(s) inside. This reads the entries in
 * archive order, keeps the first bytes of each file whose name says it is an ontology
 * (OBO or an RDF syntax), and stops as soon as `enough` says a head suffices. Nothing is
 * written to disk. The archive limits apply to what is read (the same entry rules as
 * extraction: names, links, devices, file count, expanded bytes and ratio), so a bomb is
 * refused here as it would be at ingest, and at most `maxFiles` heads are kept.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { OntocatError, isOntocatError } from '../shared/errors.js';
import { ONTOLOGY_FORMATS, type FileFormat } from '../shared/formats.js';
import { EntryRules } from './archive-entry-rules.js';
import { readArchive, type ArchiveKind } from './archive-readers.js';
import { detectFormat } from './detect-format.js';
import type { IngestLimits } from './limits.js';
import { EVIDENCE_HEAD_BYTES, EVIDENCE_MAX_FILES } from './release-evidence.js';

/** One file's head inside an archive. */
export interface InnerHead {
  /** The entry's path inside the archive, normalised. */
  readonly relpath: string;
  readonly head: string;
}

export interface ArchiveHeadOptions {
  readonly limits: IngestLimits;
  readonly signal?: AbortSignal;
  /** Heads kept at most (default EVIDENCE_MAX_FILES). */
  readonly maxFiles?: number;
  /** Bytes of each head (default EVIDENCE_HEAD_BYTES). */
  readonly headBytes?: number;
  /** Stop reading once this returns true for a head (the evidence is found). */
  readonly enough?: (head: InnerHead) => boolean;
}

/** Whether a file name says ontology (by extension; a head alone is not sniffed here). */
function looksLikeOntology(relpath: string): boolean {
  const { format } = detectFormat(relpath, Buffer.alloc(0));
  return ONTOLOGY_FORMATS.has(format as FileFormat);
}

/**
 * Reads up to `limit` bytes of a stream. A tar entry must be drained for the parser to
 * reach the next one (counted, not kept); a zip entry is simply closed (`drain` false).
 */
async function headOf(stream: Readable, limit: number, drain: boolean, onBytes: (n: number) => void): Promise<Buffer> {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    onBytes(chunk.length);
    if (keptBytes < limit) {
      const part = chunk.subarray(0, limit - keptBytes);
      kept.push(part);
      keptBytes += part.length;
    }
    if (keptBytes >= limit && !drain) break;
  }
  return Buffer.concat(kept);
}

/**
 * The heads of the ontology files in `archive`, in archive order, up to the first one
 * `enough` accepts (which is the last returned).
 */
export async function readArchiveHeads(archive: string, kind: ArchiveKind, options: ArchiveHeadOptions): Promise<InnerHead[]> {
  const maxFiles = options.maxFiles ?? EVIDENCE_MAX_FILES;
  const headBytes = options.headBytes ?? EVIDENCE_HEAD_BYTES;
  const archiveBytes = (await stat(archive)).size;
  const rules = new EntryRules(options.limits, path.basename(archive), archiveBytes);
  const heads: InnerHead[] = [];
  let done = false;
  const stop = new OntocatError('CANCELLED', 'Enough read.');
  try {
    await readArchive(archive, kind, async (entry) => {
      if (done) return;
      const relpath = rules.admit({ name: entry.name, type: entry.type, linkTarget: entry.linkTarget });
      if (entry.type !== 'file' || relpath === null) return;
      if (!looksLikeOntology(relpath)) {
        // A tar stream decompresses what it skips anyway: count it against the limits. A zip skips for free.
        if (kind !== 'zip') await headOf(await entry.open(), 0, true, (n) => rules.addDeclared(n));
        return;
      }
      const head = await headOf(await entry.open(), headBytes, kind !== 'zip', (n) => rules.addDeclared(n));
      const inner = { relpath, head: head.toString('utf8') };
      heads.push(inner);
      if (heads.length >= maxFiles || options.enough?.(inner)) {
        done = true;
        throw stop;
      }
    }, options.signal);
  } catch (error) {
    // Stopping early ends the read with our own signal; anything else is the archive's fault.
    if (!(done && (error === stop || (isOntocatError(error) && error.message === stop.message)))) throw error;
  }
  return heads;
}
