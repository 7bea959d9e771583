import { createHash } from 'node:crypto';
import { existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Catalog } from '../../electron/catalog/open-catalog.js';
import { replaceVersionFiles, setLatestPointer, upsertArtifact, upsertVersion } from '../../electron/catalog/write-records.js';
import { casRelpath, dataRelpath } from '../../electron/storage/layout.js';
import { writeLatestFile } from '../../electron/storage/latest-file.js';

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export interface FixtureVersion {
  readonly service: string;
  readonly version: string;
  /** relpath → content */
  readonly files: Readonly<Record<string, string>>;
  readonly created_at?: string;
  readonly latest?: boolean;
  /** An archive under `archives/`. */
  readonly archive?: { readonly name: string; readonly content: string };
  /** relpaths written as plain copies instead of hardlinks to the content store. */
  readonly copies?: readonly string[];
}

/**
 * Creates a version the simple way: content store object, hardlink (or copy) in `data/`,
 * rows through the real write functions, and LATEST.json when it becomes latest.
 */
export async function addVersion(catalog: Catalog, spec: FixtureVersion): Promise<void> {
  const root = catalog.root;
  const rows = Object.entries(spec.files).map(([relpath, content]) => {
    const hash = sha256(content);
    const object = path.join(root, casRelpath(hash));
    if (!existsSync(object)) {
      mkdirSync(path.dirname(object), { recursive: true });
      writeFileSync(object, content);
    }
    const target = path.join(root, dataRelpath(spec.service, spec.version, relpath));
    mkdirSync(path.dirname(target), { recursive: true });
    if (spec.copies?.includes(relpath)) writeFileSync(target, content);
    else linkSync(object, target);
    const stat = lstatSync(target);
    return { relpath, format: 'txt', size_bytes: stat.size, sha256: hash, mtime: Math.floor(stat.mtimeMs), cas_relpath: casRelpath(hash) };
  });
  if (spec.archive) {
    const file = path.join(root, spec.service, spec.version, 'archives', spec.archive.name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, spec.archive.content);
  }
  await catalog.write(async (tx) => {
    await upsertVersion(tx, { service: spec.service, version: spec.version, created_at: spec.created_at });
    await replaceVersionFiles(tx, spec, rows);
    if (spec.archive) {
      await upsertArtifact(tx, {
        service: spec.service, version: spec.version, name: spec.archive.name, size_bytes: Buffer.byteLength(spec.archive.content),
        sha256: sha256(spec.archive.content), fs_relpath: `${spec.service}/${spec.version}/archives/${spec.archive.name}`, status: 'fresh',
      });
    }
    if (spec.latest) {
      await setLatestPointer(tx, spec, 'test', async () => {
        writeLatestFile(root, { service: spec.service, version: spec.version, updated_at: new Date().toISOString(), by: 'test' });
      });
    }
  });
}

/**
 * Every file under the root (catalog, lock, backups, trash and plan bodies left out) with its hash
 * and inode-sharing group: what a user would see on disk.
 */
export function diskListing(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (!rel && (entry.name.startsWith('catalog.duckdb') || ['.ontocat.lock', '.backups', '.trash', '.ontocat-plans'].includes(entry.name))) continue;
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(abs, childRel);
      else out[childRel] = `${sha256(readFileSync(abs))} links=${lstatSync(abs).nlink}`;
    }
  };
  walk(root, '');
  return out;
}

/** The catalog rows a user would notice changing, as plain sorted data. */
export async function catalogDump(catalog: Catalog): Promise<Record<string, unknown[]>> {
  return catalog.read(async (conn) => ({
    versions: await conn.all('SELECT * FROM versions ORDER BY version_id'),
    artifacts: await conn.all('SELECT * FROM artifacts ORDER BY artifact_id'),
    files: await conn.all('SELECT * FROM extracted_files ORDER BY file_id'),
    validations: await conn.all('SELECT * FROM validations ORDER BY validation_id'),
    latest: await conn.all('SELECT * FROM latest_pointer ORDER BY slot'),
    damage: await conn.all('SELECT * FROM file_damage ORDER BY file_id'),
  }));
}
