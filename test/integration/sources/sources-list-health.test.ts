/**
 * What `ontocat sources list` says of a source whose every check failed: the real CLI, a
 * real HTTP server on 127.0.0.1 answering 404. The Sources page says "N failed" and never
 * "ok" beside it; the CLI said "ok, 2 failed".
 */
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runOntocat, runOntocatAsync } from '../../helpers/run-cli.js';
import { localHttpServer } from '../../helpers/sync-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const local = localHttpServer((_req, res) => { res.writeHead(404).end('not here'); });

describe('sources list: health of a failing source', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let root: string;
  beforeEach(() => {
    temp = makeTempRoot('ontocat-sources-health');
    root = path.join(temp.root, 'root');
  });
  afterEach(() => temp.cleanup());

  it('says how many checks failed in a row, never "ok"', async () => {
    expect(runOntocat(['init'], { root }).code).toBe(0);
    const file = path.join(temp.root, 'sources.json');
    writeFileSync(file, JSON.stringify({ schema: 'ontocat.sources/2', sources: [{ id: 'gone', service: 'gone', artifacts: [{ type: 'url', url: `${local.base}/gone.obo` }] }] }));
    expect(runOntocat(['sources', 'import', file], { root }).code).toBe(0);
    for (let i = 0; i < 2; i += 1) {
      // Not spawnSync: the server answering it runs in this process.
      const sync = await runOntocatAsync(['sync'], { root });
      expect(sync.code).toBe(1);
      expect(sync.stdout).toContain('gone: failed');
      expect(sync.stdout).toContain('HTTP 404');
    }
    const list = runOntocat(['sources', 'list'], { root });
    expect(list.code).toBe(0);
    const row = list.stdout.split('\n').find((line) => line.startsWith('gone '))!;
    expect(row).toContain('2 failed');
    expect(row).not.toMatch(/\bok\b/);
  }, 300_000);
});
