// Publish benchmark (issue 17, "the catalog as open Parquet"): a catalog of 1,000,000 file
// rows over 20 versions of 5 services is published as Hive-partitioned Parquet; then an
// unchanged republish and a republish after one new version. Next to it, in the same
// process: DuckDB alone exporting the same tables with one plain COPY each, and with its
// own Hive writer (COPY … PARTITION_BY), the ceilings of a full publish.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openCatalog } from '../../electron/catalog/open-catalog.js';
import { publishParquet } from '../../electron/catalog/parquet-publish.js';
import { replaceVersionFiles, replaceVersionValidations, upsertVersion, type NewValidation } from '../../electron/catalog/write-records.js';
import { fmt, printTable, scaled } from './bench-utils.js';
import { versionFiles } from './catalog.bench.js';

const SERVICES = ['go', 'chebi', 'uberon', 'mondo', 'hp'];
const VERSIONS_PER_SERVICE = 4;

export async function main(): Promise<void> {
  const totalFiles = scaled(1_000_000, 2000);
  const versions = SERVICES.length * VERSIONS_PER_SERVICE;
  const perVersion = Math.floor(totalFiles / versions);
  const root = mkdtempSync(path.join(tmpdir(), 'ontocat-bench-publish-'));
  const refs = mkdtempSync(path.join(tmpdir(), 'ontocat-bench-publish-ref-'));
  const catalog = await openCatalog({ root });
  const addVersion = async (service: string, v: number): Promise<void> => {
    const version = `2024.${v + 1}`;
    const files = [...versionFiles(service, v, perVersion)];
    const validations: NewValidation[] = files.filter((_, i) => i % 10 === 0).map((file, i) => ({
      relpath: file.relpath, validator: file.format, rule: 'syntax', severity: 'ERROR', passed: i % 3 !== 0, message: i % 3 !== 0 ? null : 'unexpected token', line: i % 3 !== 0 ? null : 3,
    }));
    await catalog.write(async (tx) => {
      await upsertVersion(tx, { service, version, created_at: new Date(Date.UTC(2024, v, 1)) });
      await replaceVersionFiles(tx, { service, version }, files);
      await replaceVersionValidations(tx, { service, version }, validations);
    });
  };
  try {
    console.log(`Generating ${(perVersion * versions).toLocaleString()} file rows over ${versions} versions…`);
    for (const service of SERVICES) for (let v = 0; v < VERSIONS_PER_SERVICE; v += 1) await addVersion(service, v);
    await catalog.exclusive((conn) => conn.run('CHECKPOINT'));

    const timed = async <T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> => {
      const started = performance.now();
      const value = await fn();
      return { ms: performance.now() - started, value };
    };
    const first = await timed(() => publishParquet(catalog));
    const unchanged = await timed(() => publishParquet(catalog));
    await addVersion('go', VERSIONS_PER_SERVICE);
    const oneMore = await timed(() => publishParquet(catalog));

    // DuckDB alone: the same rows (columns as published) with one COPY per table.
    const lit = (p: string): string => `'${p.replace(/'/g, "''")}'`;
    const filesSql = `SELECT v.service, v.version, f.file_id::VARCHAR AS file_id, f.version_id::VARCHAR AS version_id, f.relpath, f.dir, f.name, f.format,
      f.sniffed_format, f.size_bytes, f.sha256, f.mtime FROM extracted_files f JOIN versions v USING (version_id)`;
    const validationsSql = `SELECT v.service, v.version, x.validation_id::VARCHAR AS validation_id, x.file_id::VARCHAR AS file_id, f.relpath, x.validator, x.rule,
      x.severity, x.passed, x.message, x.line, x.col, x.subject, x.run_at
      FROM validations x JOIN versions v USING (version_id) LEFT JOIN extracted_files f ON f.file_id = x.file_id`;
    const plain = await timed(() => catalog.read(async (conn) => {
      await conn.run(`COPY (${filesSql}) TO ${lit(path.join(refs, 'files.parquet'))} (FORMAT parquet, COMPRESSION zstd)`);
      await conn.run(`COPY (${validationsSql}) TO ${lit(path.join(refs, 'validations.parquet'))} (FORMAT parquet, COMPRESSION zstd)`);
    }));
    const hive = await timed(() => catalog.read(async (conn) => {
      await conn.run(`COPY (${filesSql}) TO ${lit(path.join(refs, 'files'))} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (service, version), OVERWRITE_OR_IGNORE)`);
      await conn.run(`COPY (${validationsSql}) TO ${lit(path.join(refs, 'validations'))} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (service, version), OVERWRITE_OR_IGNORE)`);
    }));
    const [check] = await catalog.read((conn) => conn.all<{ published: number; catalog: number }>(`SELECT
      (SELECT count(*) FROM read_parquet(${lit(`${root}/parquet/table=files/*/*/*.parquet`)}, hive_partitioning = true))::BIGINT AS published,
      (SELECT count(*) FROM extracted_files)::BIGINT AS catalog`));

    const rows = (perVersion * (versions + 1)).toLocaleString();
    console.log(`\nPublish as Parquet (${rows} file rows after the last step; files read back by read_parquet: ${Number(check!.published).toLocaleString()} of ${Number(check!.catalog).toLocaleString()}):`);
    printTable([
      { step: 'first publish (every partition)', ms: fmt(first.ms), written: first.value.written, kept: first.value.kept, 'x plain COPY': (first.ms / plain.ms).toFixed(2) },
      { step: 'republish, nothing changed', ms: fmt(unchanged.ms), written: unchanged.value.written, kept: unchanged.value.kept, 'x plain COPY': (unchanged.ms / plain.ms).toFixed(2) },
      { step: 'republish after one new version', ms: fmt(oneMore.ms), written: oneMore.value.written, kept: oneMore.value.kept, 'x plain COPY': (oneMore.ms / plain.ms).toFixed(2) },
      { step: 'DuckDB alone: plain COPY of files + validations', ms: fmt(plain.ms), written: 2, kept: 0, 'x plain COPY': '1.00' },
      { step: 'DuckDB alone: COPY … PARTITION_BY (service, version)', ms: fmt(hive.ms), written: '-', kept: 0, 'x plain COPY': (hive.ms / plain.ms).toFixed(2) },
    ]);
    console.log(`Published size: ${(first.value.bytes / 1e6).toFixed(1)} MB for ${first.value.tables.map((t) => `${t.rows.toLocaleString()} ${t.name}`).join(', ')}.`);
  } finally {
    await catalog.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(refs, { recursive: true, force: true });
  }
}
