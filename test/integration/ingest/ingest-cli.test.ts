import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DedupReport, DemoResult, IngestResult, IngestSummary, ManifestImportResult, VerifyResult, WhereResult } from '../../../electron/shared/contract.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { listTree, writeTree } from './archive-fixtures.js';

const shared = '@prefix ex: <http://example.org/> .\nex:shared a ex:Thing .\n'.repeat(50);
const v1 = { 'core.ttl': shared, 'terms/a.obo': 'format-version: 1.2\n\n[Term]\nid: X:1\n', 'misc/notes.ontology': '@prefix ex: <http://example.org/> .\nex:n a ex:Note .\n' };
const v2 = { 'core.ttl': shared, 'terms/a.obo': 'format-version: 1.2\n\n[Term]\nid: X:1\nname: changed\n', 'terms/b.csv': 'id,label\n1,b\n' };

function counts(root: string): { versions: number; files: number } {
  const info = runOntocat(['info', '--json'], { root });
  return info.json<{ versions: number; files: number }>();
}

describe('ontocat ingest and storage commands (real CLI processes)', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let root: string;
  let src: string;
  beforeAll(() => {
    temp = makeTempRoot('ontocat-ingest-cli');
    root = path.join(temp.root, 'root');
    src = path.join(temp.root, 'src');
    writeTree(path.join(src, 'v1'), v1);
    writeTree(path.join(src, 'v2'), v2);
  });
  afterAll(() => temp.cleanup());

  it('ingests a folder, prints a JSON summary and sets latest', () => {
    const run = runOntocat(['ingest', path.join(src, 'v1'), '--service', 'demo', '--version', '1.0', '--set-latest', '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
    const summary = run.json<IngestResult>();
    // The validate boundary runs after the ingest: three files parse, and the OBO term
    // without a name has a missing label (ERROR) and a missing definition (WARN).
    expect(summary).toMatchObject({
      status: 'ingested', files: 3, bytes_deduplicated: 0, set_latest: true,
      validation: { files_checked: 3, files_parsed: 3, files_unparsable: 0, files_with_errors: 1, errors: 1, warnings: 1 },
    });
    expect(JSON.parse(readFileSync(path.join(root, 'demo/LATEST.json'), 'utf8'))).toMatchObject({ service: 'demo', version: '1.0', by: 'cli' });
    const files = runOntocat(['files', 'demo/1.0', '--json'], { root }).json<{ relpath: string; format: string }[]>();
    expect(Object.fromEntries(files.map((f) => [f.relpath, f.format]))).toEqual({ 'core.ttl': 'turtle', 'misc/notes.ontology': 'turtle', 'terms/a.obo': 'obo' });
  });

  it('re-ingesting the same content is a no-op with an ingest.unchanged event', () => {
    const before = counts(root);
    const run = runOntocat(['ingest', path.join(src, 'v1'), '--service', 'demo', '--version', '1.0', '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json<IngestSummary>().status).toBe('unchanged');
    expect(counts(root)).toEqual(before);
    const events = runOntocat(['events', '--type', 'ingest.unchanged', '--json'], { root }).json<unknown[]>();
    expect(events).toHaveLength(1);
    expect(listTree(path.join(root, '.tmp'))).toEqual([]);
  });

  it('refuses different content for a version already recorded unless told to replace it', () => {
    const before = counts(root);
    const obo = readFileSync(path.join(root, 'demo/1.0/data/terms/a.obo'));
    const run = runOntocat(['ingest', path.join(src, 'v2'), '--service', 'demo', '--version', '1.0', '--json'], { root });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/demo\/1\.0 is already in the catalog with different content \(3 of its files differ, added or removed\); nothing was changed.*--replace/);
    expect(counts(root)).toEqual(before);
    expect(readFileSync(path.join(root, 'demo/1.0/data/terms/a.obo'))).toEqual(obo);
    expect(listTree(path.join(root, '.tmp'))).toEqual([]);
    // On another root, so the versions below keep their files: --replace replaces, and says so.
    const other = path.join(temp.root, 'replace-root');
    expect(runOntocat(['ingest', path.join(src, 'v1'), '--service', 'demo', '--version', '1.0'], { root: other }).code).toBe(0);
    const replaced = runOntocat(['ingest', path.join(src, 'v2'), '--service', 'demo', '--version', '1.0', '--replace', '--json'], { root: other });
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(readFileSync(path.join(other, 'demo/1.0/data/terms/b.csv'), 'utf8')).toBe(v2['terms/b.csv']);
    const events = runOntocat(['events', '--type', 'ingest', '--json'], { root: other }).json<{ type: string; payload: { replaced?: boolean } }[]>();
    expect(events.find((event) => event.type === 'ingest.completed' && event.payload.replaced)).toBeDefined();
  });

  it('stores shared files once: same inode across versions, and the dedup report shows the bytes saved', () => {
    const run = runOntocat(['ingest', path.join(src, 'v2'), '--service', 'demo', '--version', '2.0', '--set-latest', '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json<IngestSummary>().bytes_deduplicated).toBe(Buffer.byteLength(shared));
    const a = statSync(path.join(root, 'demo/1.0/data/core.ttl'));
    const b = statSync(path.join(root, 'demo/2.0/data/core.ttl'));
    expect(b.ino).toBe(a.ino);
    expect(a.nlink).toBe(3); // the store object plus two version folders
    expect(statSync(path.join(root, 'demo/1.0/data/terms/a.obo')).ino).not.toBe(statSync(path.join(root, 'demo/2.0/data/terms/a.obo')).ino);
    const report = runOntocat(['dedup-report', '--json'], { root }).json<DedupReport>();
    expect(report.bytes_saved).toBe(Buffer.byteLength(shared));
    expect(report.top_shared[0]).toMatchObject({ copies: 2, example_relpath: 'core.ttl' });
    const human = runOntocat(['dedup-report'], { root });
    expect(human.stdout).toMatch(/saved:\s+[\d.]+ KB \(\d/);
  });

  it('where finds every copy of a content and its store object', () => {
    const files = runOntocat(['files', 'demo/2.0', '--json'], { root }).json<{ relpath: string; sha256: string }[]>();
    const core = files.find((f) => f.relpath === 'core.ttl')!;
    const where = runOntocat(['where', core.sha256, '--json'], { root }).json<WhereResult>();
    expect(where.in_store).toBe(true);
    expect(where.files.map((f) => `${f.version}:${f.relpath}`).sort()).toEqual(['1.0:core.ttl', '2.0:core.ttl']);
    expect(existsSync(path.join(root, where.cas_relpath))).toBe(true);
  });

  it('verify re-hashes files and exits 1 listing a tampered one', () => {
    const clean = runOntocat(['verify', '--json'], { root });
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.json<VerifyResult>()).toMatchObject({ checked: 6, mismatches: [] });
    const target = path.join(root, 'demo/2.0/data/terms/b.csv');
    chmodSync(target, 0o644);
    writeFileSync(target, 'id,label\n1,TAMPERED\n');
    const dirty = runOntocat(['verify', 'demo/2.0', '--json'], { root });
    expect(dirty.code).toBe(1);
    expect(dirty.json<VerifyResult>().mismatches).toEqual([expect.objectContaining({ relpath: 'terms/b.csv', problem: 'size' })]);
    writeFileSync(target, 'id,label\n1,b\n');
  });

  // The second point: the disk still flushing while DuckDB holds every row, uncommitted.
  it.each([
    ['ingest:after-fs-before-commit', '3.0'],
    ['ingest:rows-loaded-before-durable', '3.1'],
  ])('a process killed at %s (between the filesystem step and the commit) leaves no half-visible version', (point, version) => {
    const before = counts(root);
    const listed = (): string[] => runOntocat(['versions', '--service', 'demo', '--json'], { root }).json<{ version: string }[]>().map((v) => v.version).sort();
    const versionsBefore = listed();
    const crashed = runOntocat(['ingest', path.join(src, 'v2'), '--service', 'demo', '--version', version, '--json'], {
      root, env: { ONTOCAT_CRASH_AT: point },
    });
    expect(crashed.code).not.toBe(0);
    expect(crashed.stdout).toBe('');
    expect(counts(root)).toEqual(before);
    expect(versionsBefore).not.toContain(version);
    expect(listed()).toEqual(versionsBefore);
    // The same ingest afterwards works and ends in a consistent state.
    const again = runOntocat(['ingest', path.join(src, 'v2'), '--service', 'demo', '--version', version, '--json'], { root });
    expect(again.code, again.stderr).toBe(0);
    expect(again.json<IngestSummary>()).toMatchObject({ status: 'ingested', files: 3 });
    expect(runOntocat(['verify', `demo/${version}`], { root }).code).toBe(0);
  });

  it('import-manifest backfills valid lines and reports bad ones by line number', () => {
    const obo = 'format-version: 1.2\n';
    const owl = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n';
    writeTree(path.join(root, 'legacy/2020-01-01/data'), { 'go.obo': obo, 'sub/go.owl': owl });
    const sha = '0'.repeat(64);
    const shaOf = (text: string): string => createHash('sha256').update(text).digest('hex');
    const lines = [
      JSON.stringify({ path: 'legacy/2020-01-01/data/go.obo', url: 'http://example.org/go.obo', sha256: shaOf(obo), size: 20, service: 'legacy', version: '2020-01-01', fetched_by: 'old-tool' }),
      '{not json',
      JSON.stringify({ path: '../../etc/passwd', sha256: sha, size: 1, service: 'legacy', version: '2020-01-01' }),
      JSON.stringify({ path: 'sub/go.owl', sha256: 'abc', size: 1, service: 'legacy', version: '2020-01-01' }),
      JSON.stringify({ path: 'sub/go.owl', sha256: shaOf(owl).toUpperCase(), size: 67, service: 'legacy', version: '2020-01-01' }),
      JSON.stringify({ path: 'missing.ttl', sha256: sha, size: 1, service: 'legacy', version: '2020-01-01' }),
    ];
    writeFileSync(path.join(temp.root, 'manifest.jsonl'), `${lines.join('\n')}\n`);
    const run = runOntocat(['import-manifest', path.join(temp.root, 'manifest.jsonl'), '--json'], { root });
    expect(run.code).toBe(1);
    const result = run.json<ManifestImportResult>();
    expect(result).toMatchObject({ lines: 6, imported: 2, failed: 4, versions: ['legacy/2020-01-01'] });
    expect(result.errors.map((e) => e.line)).toEqual([2, 3, 4, 6]);
    expect(result.errors[1]!.message).toMatch(/\.\./);
    expect(result.errors[2]!.message).toMatch(/sha256/);
    expect(result.errors[3]!.message).toMatch(/no file/);
    const files = runOntocat(['files', 'legacy/2020-01-01', '--json'], { root }).json<{ relpath: string; format: string; artifact_id: string | null }[]>();
    expect(files.map((f) => [f.relpath, f.format])).toEqual([['go.obo', 'obo'], ['sub/go.owl', 'rdfxml']]);
    expect(files[0]!.artifact_id).not.toBeNull();
  });

  it('import-manifest recording new bytes for a path drops the old bytes\' findings: the file is unvalidated until validated again', () => {
    const shaOf = (text: string): string => createHash('sha256').update(text).digest('hex');
    const file = path.join(root, 'manifested/1/data/a.xml');
    const manifest = path.join(temp.root, 'replace.jsonl');
    const record = (text: string): void => {
      writeTree(path.join(root, 'manifested/1/data'), { 'a.xml': text });
      writeFileSync(manifest, `${JSON.stringify({ path: 'a.xml', sha256: shaOf(text), size: Buffer.byteLength(text), service: 'manifested', version: '1' })}\n`);
      const run = runOntocat(['import-manifest', manifest, '--json'], { root });
      expect(run.code, run.stderr).toBe(0);
    };
    record('<bad');
    expect(runOntocat(['validate', 'manifested/1'], { root }).code).toBe(0);
    const errors = (): { relpath: string; rule: string }[] => runOntocat(['findings', 'manifested/1', '--severity', 'ERROR', '--json'], { root }).json();
    expect(errors().map((row) => `${row.relpath} ${row.rule}`)).toEqual(['a.xml syntax']);

    record('<ok/>\n');
    expect(readFileSync(file, 'utf8')).toBe('<ok/>\n');
    // The old bytes' syntax ERROR is not said of the new ones; they await validation.
    expect(errors()).toEqual([]);
    expect(runOntocat(['files', 'manifested/1', '--status', 'failed', '--json'], { root }).json<unknown[]>()).toEqual([]);
    expect(runOntocat(['files', 'manifested/1', '--status', 'unvalidated', '--json'], { root }).json<{ relpath: string }[]>().map((f) => f.relpath)).toEqual(['a.xml']);
    const versions = runOntocat(['versions', '--service', 'manifested', '--json'], { root }).json<{ health: { errors: number; files_unparsable: number } }[]>();
    expect(versions[0]!.health).toMatchObject({ errors: 0, files_unparsable: 0 });
    expect(runOntocat(['validate', 'manifested/1'], { root }).code).toBe(0);
    expect(errors()).toEqual([]);
  });

  it('refuses bad arguments with a usage error', () => {
    const run = runOntocat(['ingest', path.join(src, 'v1'), '--version', '1'], { root });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--service is required/);
    const missing = runOntocat(['ingest', path.join(src, 'nope'), '--service', 's', '--version', '1'], { root });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No such file or folder/);
  });

  it('demo builds three real vocabulary versions sharing unchanged files', () => {
    const demoRoot = path.join(temp.root, 'demo');
    const run = runOntocat(['demo', '--json'], { root: demoRoot });
    expect(run.code, run.stderr).toBe(0);
    const result = run.json<DemoResult>();
    expect(result.versions.map((v) => [v.version, v.status])).toEqual([['2019.6.27', 'ingested'], ['2020.6.17', 'ingested'], ['2021.9.22', 'ingested']]);
    expect(result.versions.every((v) => v.files > 40)).toBe(true);
    expect(result.versions[2]!.bytes_deduplicated).toBeGreaterThan(0);
    const latest = runOntocat(['latest', 'get', 'rdf-vocabularies', '--json'], { root: demoRoot }).json<{ version: string }>();
    expect(latest.version).toBe('2021.9.22');
    const stats = runOntocat(['stats', 'rdf-vocabularies/2021.9.22', '--json'], { root: demoRoot }).json<{ by_format: { format: string }[] }>();
    expect(stats.by_format.map((f) => f.format)).toEqual(['nquads']);
    // The catalog records what is on disk (mtimes of the stored files, not the sources'),
    // so a doctor run right after ingest finds nothing to fix.
    const doctor = runOntocat(['doctor', '--json'], { root: demoRoot });
    expect(doctor.code, doctor.stderr).toBe(0);
    expect(doctor.json<{ findings: unknown[] }>().findings).toEqual([]);
  });
});
