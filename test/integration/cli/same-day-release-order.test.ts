/**
 * Two releases served on one day, at two times (HTTP Last-Modified), whose version strings
 * disagree with the times: release order follows the instants, and the warning that latest
 * would go back a release must say so, not that "their version strings decide".
 *
 * Outside truth: GNU sort -V for the version strings' own order, GNU date for the instants
 * the Last-Modified headers name.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LatestPreview } from '../../../electron/cli/latest-preview.js';
import { runOntocatAsync } from '../../helpers/run-cli.js';
import { localHttpServer } from '../../helpers/sync-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const temp = makeTempRoot('ontocat-same-day-order');
const root = path.join(temp.root, 'root');
afterAll(() => temp.cleanup());

// 3.0 uploaded in the morning, 2.0 (a rebuilt older line) in the evening of the same day.
const served: Record<string, { lastModified: string; body: string }> = {
  '/3.0/mini.nt': { lastModified: 'Mon, 01 Jan 2024 09:00:00 GMT', body: '<http://example.org/a> <http://example.org/p> "three" .\n' },
  '/2.0/mini.nt': { lastModified: 'Mon, 01 Jan 2024 18:30:00 GMT', body: '<http://example.org/a> <http://example.org/p> "two" .\n' },
};
const local = localHttpServer((req, res) => {
  const file = served[req.url ?? ''];
  if (!file) { res.writeHead(404).end(); return; }
  res.writeHead(200, { 'content-type': 'application/n-triples', 'content-length': Buffer.byteLength(file.body), 'last-modified': file.lastModified });
  res.end(file.body);
});

const gnuDate = (text: string): string => spawnSync('date', ['-u', '-d', text, '+%Y-%m-%dT%H:%M:%S'], { encoding: 'utf8' }).stdout.trim();

describe('releases of one day at two times', () => {
  it('are ordered by their times, and going back a release names the times, not the version strings', async () => {
    for (const version of ['3.0', '2.0']) {
      const run = await runOntocatAsync(['ingest', `${local.base}/${version}/mini.nt`, '--service', 'mini', '--version', version], { root });
      expect(run.code, run.stderr).toBe(0);
    }
    const byString = spawnSync('sort', ['-V'], { input: '3.0\n2.0\n', encoding: 'utf8' }).stdout.trim().split('\n');
    expect(byString).toEqual(['2.0', '3.0']);
    const listed = (await runOntocatAsync(['versions', '--service', 'mini', '--json'], { root })).json<{ version: string; release_date: string }[]>();
    // Newest first by the instants GNU date reads from the headers: 2.0 at 18:30 after 3.0 at 09:00.
    expect(listed.map((v) => v.version)).toEqual(['2.0', '3.0']);
    expect(gnuDate(served['/2.0/mini.nt']!.lastModified) > gnuDate(served['/3.0/mini.nt']!.lastModified)).toBe(true);

    expect((await runOntocatAsync(['latest', 'set', 'mini/2.0'], { root })).code).toBe(0);
    const preview = await runOntocatAsync(['latest', 'set', 'mini/3.0', '--preview'], { root });
    expect(preview.code, preview.stderr).toBe(0);
    const warning = preview.stdout.split('\n').find((line) => line.startsWith('WARNING:'));
    // The version strings put 3.0 after 2.0 (sort -V): they are not what decides here.
    expect(warning).not.toMatch(/version strings decide/);
    expect(warning).toContain('mini/3.0 is older than 2.0 by release order (both dated 2024-01-01, at 09:00 against 18:30 UTC, both from HTTP Last-Modified)');
    const json = (await runOntocatAsync(['latest', 'set', 'mini/3.0', '--preview', '--json'], { root })).json<LatestPreview>();
    expect(json.older_than_current).toBe('both dated 2024-01-01, at 09:00 against 18:30 UTC, both from HTTP Last-Modified');
  });
});
