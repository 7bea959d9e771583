import { closeSync, linkSync, openSync, readSync, renameSync } from 'node:fs';
import path from 'node:path';
import { detectFormat, SNIFF_BYTES } from '../ingest/detect-format.js';
import { OntocatError } from '../shared/errors.js';
import { fsyncDir, tempPathFor } from '../storage/atomic-write.js';
import { linkOrCopyRelpath, statRelpath } from '../storage/fs-ops.js';
import { casRelpath } from '../storage/layout.js';
import { resolveInsideRoot } from '../storage/safe-path.js';
import { recountVersionTotals } from './version-totals.js';
import { assertRelpath } from './write-records.js';
import type { WriteTx } from './open-catalog.js';
import { fileIdSql, versionId } from './ids.js';

/**
 * Adopting a stray file: a file in a version's `data/` folder that no catalog row accounts
 * for becomes a file of that version, as if ingest had put it there: stored once in the
 * content store (its data path a hard link to the object), recorded with its hash, size,
 * mtime and format, then validated with the version (by the caller, after the commit).
 */

/** Where a stray would be adopted: `S/V/data/REL` → its version and path inside `data/`. */
export function adoptionTarget(relpath: string): { service: string; version: string; relpath: string } | null {
  const match = /^([^/]+)\/([^/]+)\/data\/(.+)$/.exec(relpath);
  if (!match) return null;
  return { service: match[1]!, version: match[2]!, relpath: match[3]! };
}

/** What an adopted file is recorded with. */
export interface AdoptedFile {
  readonly service: string;
  readonly version: string;
  readonly relpath: string;
  readonly format: string;
  readonly sniffed_format: string | null;
  readonly size_bytes: number;
  readonly sha256: string;
  readonly mtime_ms: number;
  readonly cas_relpath: string;
}

function readHead(absolute: string): Buffer {
  const fd = openSync(absolute, 'r');
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const n = readSync(fd, head, 0, SNIFF_BYTES, 0);
    return head.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * The filesystem step of adopting one stray whose hash was checked: the content store gets
 * the object (a hard link to the stray itself) or, when it already holds that content,
 * the stray becomes a hard link to the object (same bytes, replaced atomically). Returns
 * the row to record and, when this step created the object, its path (to undo).
 */
export function adoptOnDisk(root: string, strayRelpath: string, sha256: string): { file: AdoptedFile; created: string | null } {
  const target = adoptionTarget(strayRelpath);
  if (!target) throw new OntocatError('BAD_INPUT', `'${strayRelpath}' is not inside a version's data folder; it cannot be adopted.`);
  assertRelpath(target.relpath);
  const object = casRelpath(sha256);
  let created: string | null = null;
  const objectStat = statRelpath(root, object);
  const strayStat = statRelpath(root, strayRelpath);
  if (!strayStat) throw new OntocatError('STALE_PLAN', `'${strayRelpath}' is gone; nothing was adopted.`);
  if (!objectStat) {
    linkOrCopyRelpath(root, strayRelpath, object);
    created = object;
  } else if (objectStat.ino !== strayStat.ino) {
    const stray = resolveInsideRoot(root, strayRelpath);
    const temp = tempPathFor(stray);
    linkSync(resolveInsideRoot(root, object), temp);
    renameSync(temp, stray);
    fsyncDir(path.dirname(stray));
  }
  const head = readHead(resolveInsideRoot(root, strayRelpath));
  const detected = detectFormat(target.relpath, head);
  const stat = statRelpath(root, strayRelpath)!;
  return {
    created,
    file: {
      service: target.service, version: target.version, relpath: target.relpath, format: detected.format, sniffed_format: detected.sniffed,
      size_bytes: stat.size, sha256, mtime_ms: stat.mtime_ms, cas_relpath: object,
    },
  };
}

/** Records adopted files as rows of their versions, in the apply transaction (one set-based insert). */
export async function recordAdoptedFiles(tx: WriteTx, files: readonly AdoptedFile[]): Promise<void> {
  if (files.length === 0) return;
  await tx.run(`CREATE OR REPLACE TEMP TABLE doctor_adopted (
    version_id VARCHAR, service VARCHAR, relpath VARCHAR, format VARCHAR, sniffed_format VARCHAR,
    size_bytes BIGINT, sha256 VARCHAR, mtime_ms BIGINT, cas_relpath VARCHAR)`);
  const appender = await tx.raw.createAppender('doctor_adopted', 'main', 'temp');
  for (const file of files) {
    appender.appendVarchar(versionId(file.service, file.version));
    appender.appendVarchar(file.service);
    appender.appendVarchar(file.relpath);
    appender.appendVarchar(file.format);
    if (file.sniffed_format === null) appender.appendNull(); else appender.appendVarchar(file.sniffed_format);
    appender.appendBigInt(BigInt(file.size_bytes));
    appender.appendVarchar(file.sha256);
    appender.appendBigInt(BigInt(Math.trunc(file.mtime_ms)));
    appender.appendVarchar(file.cas_relpath);
    appender.endRow();
  }
  appender.closeSync();
  // The same derivations as the bulk insert of ingest (write-records.ts): id, folder, name, content keys.
  await tx.run(`INSERT INTO extracted_files
    SELECT ${fileIdSql('a.version_id', 'a.relpath')}, NULL, a.version_id::UUID, a.service, a.relpath,
           CASE WHEN contains(a.relpath, '/') THEN a.relpath[:len(a.relpath) - len(parse_filename(a.relpath)) - 1] ELSE '' END,
           parse_filename(a.relpath), a.format, a.size_bytes, a.sha256, make_timestamp(a.mtime_ms * 1000), a.cas_relpath,
           ('0x' || a.sha256[1:16])::UBIGINT, ('0x' || a.sha256[17:32])::UBIGINT, ('0x' || a.sha256[33:48])::UBIGINT, ('0x' || a.sha256[49:64])::UBIGINT,
           a.sniffed_format
    FROM temp.doctor_adopted a`);
  await recountVersionTotals(tx, files.map((file) => versionId(file.service, file.version)));
  await tx.event('files.adopted', { files: files.map((file) => `${file.service}/${file.version}/data/${file.relpath}`) });
}
