import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../electron/catalog/open-catalog.js';
import { recordVersion, sha } from '../../helpers/catalog-fixtures.js';
import { tableColumn } from '../../helpers/cli-table.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

describe('ontocat CLI (real processes)', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  beforeAll(async () => {
    temp = makeTempRoot('ontocat-cli');
    expect(runOntocat(['init'], { root: temp.root }).code).toBe(0);
    const catalog = await openCatalog({ root: temp.root });
    await recordVersion(catalog, 'go', '2024-01-01', [
      { relpath: 'go.owl', format: 'rdfxml', size_bytes: 2_500_000, sha256: sha('a') },
      { relpath: 'sub sets/slim é.obo', format: 'obo', size_bytes: 1000, sha256: sha('b') },
    ], { created_at: '2024-01-01T00:00:00Z' });
    await recordVersion(catalog, 'go', '2024-02-01', [{ relpath: 'go.owl', format: 'rdfxml', size_bytes: 2_600_000, sha256: sha('c') }], { created_at: '2024-02-01T00:00:00Z' });
    await catalog.close();
  });
  afterAll(() => temp.cleanup());

  it('versions --json prints an array with stable snake_case fields', () => {
    const run = runOntocat(['versions', '--json'], { root: temp.root });
    expect(run.code).toBe(0);
    const rows = run.json<Record<string, unknown>[]>();
    expect(rows.map((r) => r.version)).toEqual(['2024-02-01', '2024-01-01']);
    expect(Object.keys(rows[0]!).sort()).toEqual([
      'bytes', 'created_at', 'files', 'health', 'is_latest', 'note', 'pinned', 'release_date', 'release_date_source',
      'release_rank', 'service', 'version', 'version_id',
    ]);
  });

  it('human output is an aligned table', () => {
    const run = runOntocat(['versions'], { root: temp.root });
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SERVICE\s+VERSION\s+LATEST\s+PINNED\s+FILES\s+BYTES/);
    expect(lines[1]).toMatch(/^-+\s+-+/);
    // Right-aligned numbers end in the same column.
    const filesEnd = lines[0]!.indexOf('FILES') + 'FILES'.length;
    expect(lines[2]!.slice(0, filesEnd)).toMatch(/1$/);
    expect(lines[3]!.slice(0, filesEnd)).toMatch(/2$/);
    expect(run.stdout).toContain('2.6 MB');
  });

  it('stats --json has files, bytes and by_format', () => {
    const run = runOntocat(['stats', 'go/2024-01-01', '--json'], { root: temp.root });
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({
      files: 2, bytes: 2_501_000,
      by_format: [{ format: 'rdfxml', files: 1, bytes: 2_500_000 }, { format: 'obo', files: 1, bytes: 1000 }],
      health: { files: 2, files_checked: 0, files_unchecked: 2, errors: 0, warnings: 0 },
    });
  });

  it('files filters by prefix and format and honours --limit', () => {
    const byPrefix = runOntocat(['files', 'go/2024-01-01', '--prefix', 'sub sets', '--json'], { root: temp.root });
    expect(byPrefix.json<{ relpath: string }[]>().map((f) => f.relpath)).toEqual(['sub sets/slim é.obo']);
    const byFormat = runOntocat(['files', 'go/2024-01-01', '--format', 'rdfxml', '--json'], { root: temp.root });
    expect(byFormat.json<{ relpath: string }[]>().map((f) => f.relpath)).toEqual(['go.owl']);
    const limited = runOntocat(['files', 'go/2024-01-01', '--limit', '1'], { root: temp.root });
    expect(limited.stdout).toContain('(1 of 2; --offset to page)');
  });

  it('latest set then get, with events recording it', () => {
    const none = runOntocat(['latest', 'get', 'go', '--json'], { root: temp.root });
    expect(none.code).toBe(0);
    expect(none.json()).toBeNull();
    const set = runOntocat(['latest', 'set', 'go', '2024-02-01', '--json'], { root: temp.root });
    expect(set.code).toBe(0);
    expect(set.json()).toEqual({ service: 'go', version: '2024-02-01', previous: null, changed: true, older_than_previous: null });
    const get = runOntocat(['latest', 'get', 'go'], { root: temp.root });
    expect(get.stdout).toContain('go/2024-02-01');
    const events = runOntocat(['events', '--limit', '1', '--json'], { root: temp.root });
    expect(events.json<{ type: string; payload: Record<string, unknown> }[]>()[0]).toMatchObject({ type: 'latest.set', payload: { version: '2024-02-01', by: 'cli' } });
    // The S/V form every other command takes a version in.
    const slashed = runOntocat(['latest', 'set', 'go/2024-01-01', '--json'], { root: temp.root });
    expect(slashed.code, slashed.stderr).toBe(0);
    // Back a release, by release order (here the version strings, no release date known): said on stderr.
    expect(slashed.json()).toEqual({ service: 'go', version: '2024-01-01', previous: '2024-02-01', changed: true, older_than_previous: expect.stringContaining('ordered by version string') });
    expect(slashed.stderr).toMatch(/^ontocat: warning: go\/2024-01-01 is older than 2024-02-01 by release order/);
    // People read the sentence the Events page shows, with names, not the payload's JSON and ids.
    const table = runOntocat(['events', '--type', 'latest.set', '--limit', '2'], { root: temp.root }).stdout;
    expect(tableColumn(table, 'DETAILS')).toEqual(['Latest of go set to 2024-01-01 (was 2024-02-01) by cli.', 'Latest of go set to 2024-02-01 (none before) by cli.']);
    expect(table).not.toContain('{');
  });

  it('latest set to the version that is latest already records no move (its history read 2024-01-01 → 2024-01-01)', () => {
    expect(runOntocat(['latest', 'set', 'go/2024-01-01'], { root: temp.root }).code).toBe(0);
    const latestFile = `${temp.root}/go/LATEST.json`;
    const fileBefore = spawnSync('sha256sum', [latestFile], { encoding: 'utf8' }).stdout;
    const historyBefore = runOntocat(['latest', 'history', 'go', '--json'], { root: temp.root }).json<unknown[]>();
    const again = runOntocat(['latest', 'set', 'go/2024-01-01'], { root: temp.root });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe('Latest go is already 2024-01-01; nothing changed.');
    expect(runOntocat(['latest', 'history', 'go', '--json'], { root: temp.root }).json<unknown[]>()).toEqual(historyBefore);
    // LATEST.json as it was, byte for byte (coreutils sha256sum).
    expect(spawnSync('sha256sum', [latestFile], { encoding: 'utf8' }).stdout).toBe(fileBefore);
  });

  it('exit 1 with a one-line reason for failed operations', () => {
    const run = runOntocat(['stats', 'go/1999'], { root: temp.root });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('Unknown version go/1999');
    const noCatalog = runOntocat(['versions'], { root: `${temp.root}/missing` });
    expect(noCatalog.code).toBe(1);
    expect(noCatalog.stderr).toContain("run 'ontocat init'");
  });

  it('exit 2 on usage errors', () => {
    for (const args of [['stats'], ['stats', 'no-slash'], ['versions', '--limit', 'ten'], ['versions', '--bogus'], ['frobnicate'], ['latest', 'set', 'go'], ['latest', 'set', 'go/2024-01-01', 'x']]) {
      const run = runOntocat(args, { root: temp.root });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.length).toBeGreaterThan(0);
    }
  });

  it('--root defaults to $ONTOCAT_ROOT', () => {
    const run = runOntocat(['info', '--json'], { env: { ONTOCAT_ROOT: temp.root } });
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ root: temp.root, versions: 2, files: 3 });
  });
});
