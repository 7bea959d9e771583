/**
 * `ontocat sources runs` printed the newest 50 runs and nothing else, with no --limit or
 * --offset to reach the rest: a source checked hourly showed two days of its history as if
 * that were all. The real CLI over a real HTTP server on 127.0.0.1; the pages are held to
 * the runs `--json` lists, and a page past the end never says there are no runs.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../electron/shared/contract/sources.js';
import type { Page } from '../../../electron/shared/models.js';
import { runOntocat, runOntocatAsync, runOntocatOk } from '../../helpers/run-cli.js';
import { localHttpServer } from '../../helpers/sync-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const local = localHttpServer((_req, res) => { res.writeHead(404).end('not here'); });

describe('sources runs pages its history', () => {
  const temp = makeTempRoot('ontocat-sources-runs-paging');
  const root = path.join(temp.root, 'root');
  afterAll(() => temp.cleanup());

  beforeAll(async () => {
    runOntocatOk(['init'], { root });
    const file = path.join(temp.root, 'sources.json');
    writeFileSync(file, JSON.stringify({ schema: 'ontocat.sources/2', sources: [{ id: 'gone', service: 'gone', artifacts: [{ type: 'url', url: `${local.base}/gone.obo` }] }] }));
    runOntocatOk(['sources', 'import', file], { root });
    for (let i = 0; i < 3; i += 1) expect((await runOntocatAsync(['sync'], { root })).code).toBe(1);
  }, 300_000);

  it('takes --limit and --offset, says how many of how many it shows, and a page past the end is not "No runs yet"', () => {
    const all = runOntocatOk(['sources', 'runs', '--json'], { root }).json<Page<RunRecord>>();
    expect(all.total).toBe(3);
    const started = all.items.map((r) => r.started_at.slice(0, 16).replace('T', ' '));

    const first = runOntocat(['sources', 'runs', '--limit', '2'], { root });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trimEnd().split('\n').at(-1)).toBe('(2 of 3; --offset to page)');
    const second = runOntocatOk(['sources', 'runs', '--limit', '2', '--offset', '2'], { root }).stdout;
    expect(second).not.toContain(' of 3');
    const rows = [...first.stdout.split('\n'), ...second.split('\n')].filter((line) => /^\d{4}-\d\d-\d\d /.test(line));
    expect(rows).toHaveLength(3);
    expect(rows.map((line) => line.slice(0, 16))).toEqual(started);

    const past = runOntocatOk(['sources', 'runs', 'gone', '--offset', '9'], { root }).stdout;
    expect(past).not.toContain('No runs yet');
    expect(past.trimEnd()).toBe('(none)\n(none past --offset 9; 3 in all)');
    expect(runOntocatOk(['sources', 'runs', '--json', '--limit', '1', '--offset', '1'], { root }).json<Page<RunRecord>>().items.map((r) => r.run_id))
      .toEqual([all.items[1]!.run_id]);
  });
});
