import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Catalog } from '../../electron/catalog/open-catalog.js';
import { replaceVersionFiles, replaceVersionValidations, setLatestPointer, upsertArtifact, upsertVersion } from '../../electron/catalog/write-records.js';

const hex = (n: number): string => n.toString(16).padStart(64, '0');

/** Fills a catalog with two services, three versions, a few files, validations and a latest pointer. */
export async function seedSmallCatalog(catalog: Catalog): Promise<void> {
  await catalog.write(async (tx) => {
    for (const [service, version] of [['go', '2024-01-01'], ['go', '2024-02-01'], ['chebi', '231']] as const) {
      await upsertVersion(tx, { service, version, created_at: '2024-03-01T00:00:00Z' });
      const artifact = await upsertArtifact(tx, { service, version, name: `${service}.tar.gz`, size_bytes: 1234, status: 'fresh', sha256: hex(7) });
      await replaceVersionFiles(tx, { service, version }, [
        { relpath: `${service}.owl`, format: 'owlxml', size_bytes: 500, sha256: hex(1), artifact_id: artifact },
        { relpath: 'sub/terms.ttl', format: 'turtle', size_bytes: 300, sha256: hex(2), artifact_id: artifact },
        { relpath: 'sub/readme.txt', format: 'text', size_bytes: 20, sha256: hex(3), artifact_id: artifact },
      ]);
      await replaceVersionValidations(tx, { service, version }, [
        { relpath: 'sub/terms.ttl', validator: 'turtle', rule: 'parse', severity: 'ERROR', passed: false, message: 'bad token', line: 3 },
        { relpath: `${service}.owl`, validator: 'owlxml', rule: 'parse', severity: 'INFO', passed: true },
      ]);
    }
    await setLatestPointer(tx, { service: 'go', version: '2024-02-01' }, 'test');
  });
}

/**
 * A fingerprint of everything a write could change: every base table's rows (hashed,
 * order-independent) and the files under the root other than the database itself.
 */
export async function catalogFingerprint(catalog: Catalog): Promise<string> {
  const tables = await catalog.read((conn) => conn.all<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name",
  ));
  const parts: string[] = [];
  for (const { table_name: table } of tables) {
    const row = await catalog.read((conn) => conn.one<{ n: number; digest: string | null }>(
      `SELECT count(*) AS n, md5(string_agg(CAST(t AS VARCHAR), '|' ORDER BY CAST(t AS VARCHAR))) AS digest FROM "${table}" t`,
    ));
    parts.push(`${table}:${row?.n ?? 0}:${row?.digest ?? ''}`);
  }
  parts.push(`files:${listFiles(catalog.root).join(',')}`);
  return parts.join('\n');
}

function listFiles(root: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (/^catalog\.duckdb/.test(rel) || rel === '.ontocat.lock') continue;
    if (entry.isDirectory()) out.push(...listFiles(root, rel));
    else out.push(`${rel}=${statSync(path.join(root, rel)).size}`);
  }
  return out.sort();
}
