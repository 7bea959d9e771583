import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeltaSummary, FileChange, FindingChange, ValidationDeltaSummary } from '../../../electron/shared/contract/delta.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { catalogWith, f, fail } from './fixtures.js';

const temp = makeTempRoot('ontocat-delta-cli');

beforeAll(async () => {
  const catalog = await catalogWith(temp.root, [
    {
      service: 'go', version: 'v1', created_at: '2024-01-01T00:00:00Z', files: [f('a.ttl', 'a'), f('dir/b.ttl', 'b'), f('café c.ttl', 'c')],
      validations: [fail('a.ttl', 'parse'), fail('café c.ttl', 'missing-label', { severity: 'WARN' }), fail('dir/b.ttl', 'parse')],
    },
    { service: 'go', version: 'v2', created_at: '2024-01-05T00:00:00Z', files: [f('a.ttl', 'a2'), f('dir2/b.ttl', 'b'), f('d.ttl', 'd')], latest: true },
  ]);
  await catalog.close();
});
afterAll(() => temp.cleanup());

describe('ontocat delta / report / schema / profile', () => {
  it('prints the delta as JSON: summary per kind plus the changed paths', () => {
    const run = runOntocat(['delta', 'go/v1', 'go/v2', '--json'], { root: temp.root });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.json<{ summary: DeltaSummary; changes: FileChange[]; total: number }>();
    expect(out.summary.added).toEqual({ count: 1, bytes: 10 });
    expect(out.summary.removed.count).toBe(1);
    expect(out.summary.modified.count).toBe(1);
    expect(out.summary.renamed.count).toBe(1);
    expect(out.summary.unchanged).toEqual({ count: 0, bytes: 0 });
    expect(out.changes.map((c) => [c.kind, c.relpath])).toEqual([
      ['MODIFIED', 'a.ttl'], ['REMOVED', 'café c.ttl'], ['ADDED', 'd.ttl'], ['RENAMED', 'dir2/b.ttl'],
    ]);
  });

  it('scopes the delta to a folder with the files that moved out of it', () => {
    const run = runOntocat(['delta', 'go/v1', 'go/v2', '--prefix', 'dir', '--json'], { root: temp.root });
    expect(run.code).toBe(0);
    const out = run.json<{ summary: DeltaSummary; changes: FileChange[] }>();
    expect(out.summary).toMatchObject({ files_from: 1, files_to: 0, bytes_from: 10, bytes_to: 0, renamed: { count: 1, bytes: 10 } });
    expect(out.changes.map((c) => [c.kind, c.old_relpath, c.new_relpath])).toEqual([['RENAMED', 'dir/b.ttl', 'dir2/b.ttl']]);
    const human = runOntocat(['delta', 'go/v1', 'go/v2', '--prefix', 'dir'], { root: temp.root });
    expect(human.stdout).toMatch(/files:\s+1 -> 0/);
    expect(human.stdout).toContain('dir/b.ttl -> dir2/b.ttl');
    const tree = runOntocat(['delta', 'tree', 'go/v1', 'go/v2', 'dir'], { root: temp.root });
    expect(tree.code, tree.stderr).toBe(0);
    expect(tree.stdout).toMatch(/b\.ttl -> dir2\/b\.ttl\s+RENAMED/);
  });

  it('counts findings of a removed file as GONE, not FIXED', () => {
    const run = runOntocat(['delta', 'validations', 'go/v1', 'go/v2', '--json'], { root: temp.root });
    expect(run.code).toBe(0);
    const out = run.json<{ summary: ValidationDeltaSummary; findings: FindingChange[] }>();
    expect(out.summary).toMatchObject({ new: 0, fixed: 2, persisting: 0, gone: 1 });
    expect(out.findings.map((r) => [r.status, r.relpath])).toEqual([['FIXED', 'a.ttl'], ['FIXED', 'dir2/b.ttl'], ['GONE', 'café c.ttl']]);
    const gone = runOntocat(['delta', 'validations', 'go/v1', 'go/v2', '--status', 'gone'], { root: temp.root });
    expect(gone.code).toBe(0);
    expect(gone.stdout).toContain('1 (file removed)');
    expect(gone.stdout).toMatch(/GONE\s+WARN\s+café c\.ttl/);
    expect(runOntocat(['delta', 'validations', 'go/v1', 'go/v2', '--status', 'vanished'], { root: temp.root }).code).toBe(2);
  });

  it('writes CSV to a file and prints the profile on stderr with --profile', () => {
    const out = path.join(temp.root, 'delta.csv');
    const run = runOntocat(['delta', 'go/v1', 'go/v2', '--kind', 'all', '--format', 'csv', '--out', out, '--profile'], { root: temp.root });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Wrote 4 rows as csv');
    expect(run.stderr).toContain('Profile of delta');
    expect(run.stderr).toContain('Total Time');
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]!.startsWith('kind,relpath,old_relpath,new_relpath')).toBe(true);
    expect(lines).toHaveLength(5);
    expect(lines.some((line) => line.startsWith('REMOVED,café c.ttl'))).toBe(true);
  });

  it('exits 1 for an unknown version and 2 for bad arguments', () => {
    const unknown = runOntocat(['delta', 'go/v1', 'go/v9'], { root: temp.root });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Unknown version go/v9');
    expect(runOntocat(['delta', 'go/v1', 'go/v2', '--kind', 'moved'], { root: temp.root }).code).toBe(2);
    expect(runOntocat(['delta', 'go/v1'], { root: temp.root }).code).toBe(2);
    expect(runOntocat(['delta', 'go/v1', 'go/v2', '--format', 'parquet'], { root: temp.root }).code).toBe(2);
    expect(runOntocat(['report', 'growth', 'go', '--format', 'xml'], { root: temp.root }).code).toBe(2);
  });

  it('reports growth and cadence, and writes the schema as Markdown', () => {
    const growth = runOntocat(['report', 'growth', 'go', '--json'], { root: temp.root });
    expect(growth.code).toBe(0);
    expect(growth.json<{ from: string; to: string }>()).toMatchObject({ from: 'go/v1', to: 'go/v2' });
    const cadence = runOntocat(['report', 'cadence'], { root: temp.root });
    // No release date known: the days run between ingest dates, which are shown apart.
    expect(cadence.stdout).toMatch(/go\s+v2\s+not known\s+2024-01-05\s+4/);
    const md = path.join(temp.root, 'schema.md');
    const schema = runOntocat(['schema', '--markdown', md], { root: temp.root });
    expect(schema.code).toBe(0);
    expect(existsSync(md)).toBe(true);
    expect(readFileSync(md, 'utf8')).toContain('`version_delta(a, b)` (table macro)');
    const profile = runOntocat(['profile', 'files-list', 'go/v2', '--json'], { root: temp.root });
    expect(profile.code).toBe(0);
    expect(profile.json<{ queries: unknown[] }>().queries.length).toBeGreaterThan(0);
    expect(runOntocat(['profile', 'everything'], { root: temp.root }).code).toBe(2);
  });
});
