/**
 * A source of two artifacts whose server starts serving one artifact's bytes under the
 * other's name (or swaps them): the same set of contents, but not the same release. The
 * run must not say "unchanged, same content as the newest"; each artifact of the new
 * version holds what curl gets from its address (sha256sum).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { syncSources } from '../../../electron/sources/sync.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { localHttpServer, sessionPerTest } from '../../helpers/sync-fixtures.js';

const edam = (name: string): Buffer => readFileSync(path.join(projectRoot, 'test', 'fixtures', 'edam', name));
const served = new Map<string, Buffer>();
const local = localHttpServer((req, res) => {
  const body = served.get(new URL(req.url ?? '/', 'http://x').pathname);
  if (!body) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
});

/** What coreutils' sha256sum says of the body curl receives from `url` (async: the server runs in this process). */
const curlSha = async (url: string): Promise<string> => (await promisify(execFile)('sh', ['-c', 'curl -sf "$1" | sha256sum', 'sh', url], { encoding: 'utf8' })).stdout.split(' ')[0]!;

describe('sync: a release of two artifacts with the same contents under other names', () => {
  const live = sessionPerTest('ontocat-sync-swapped');

  const sync = () => syncSources(live.session.catalog, { trigger: 'cli', actor: 'test', fetch: { retries: 0 } });
  const byName = async (ref: string) => Object.fromEntries((await live.session.call('artifacts:list', { ref })).map((a) => [a.name, a.sha256]));

  it('two artifacts swapped are a new release, each artifact as curl gets it', async () => {
    served.set('/main.obo', edam('EDAM_1.0.obo'));
    served.set('/extra.obo', edam('EDAM_1.1.obo'));
    await live.session.call('sources:save', { spec: { id: 'edam', service: 'edam', artifacts: [{ type: 'url', url: `${local.base}/main.obo` }, { type: 'url', url: `${local.base}/extra.obo` }] } });
    expect((await sync()).runs[0]).toMatchObject({ status: 'changed', version: '1.0' });

    // The server swaps them: main.obo is now EDAM 1.1, extra.obo EDAM 1.0.
    served.set('/main.obo', edam('EDAM_1.1.obo'));
    served.set('/extra.obo', edam('EDAM_1.0.obo'));
    const run = (await sync()).runs[0]!;
    expect(run.status, run.manifest.output?.reason ?? run.error_message ?? '').toBe('changed');
    expect(run.version).toBe('1.1');
    expect(await byName('edam/1.1')).toEqual({ 'main.obo': await curlSha(`${local.base}/main.obo`), 'extra.obo': await curlSha(`${local.base}/extra.obo`) });
  }, 120_000);

  it('one artifact now serving the other\'s bytes is not "unchanged"', async () => {
    served.set('/main.obo', edam('EDAM_1.0.obo'));
    served.set('/extra.obo', edam('EDAM_1.1.obo'));
    await live.session.call('sources:save', { spec: { id: 'edam', service: 'edam', artifacts: [{ type: 'url', url: `${local.base}/main.obo` }, { type: 'url', url: `${local.base}/extra.obo` }] } });
    expect((await sync()).runs[0]).toMatchObject({ status: 'changed', version: '1.0' });

    served.set('/extra.obo', edam('EDAM_1.0.obo'));
    expect(await curlSha(`${local.base}/extra.obo`)).not.toBe((await byName('edam/1.0'))['extra.obo']);
    // main.obo still says data-version 1.0: the same version name with other bytes is a conflict, never "unchanged".
    const run = (await sync()).runs[0]!;
    expect(run.status, run.manifest.output?.reason ?? '').toBe('failed');
    expect(run.error_message).toMatch(/different bytes/);
    expect(await byName('edam/1.0')).toEqual({ 'main.obo': await curlSha(`${local.base}/main.obo`), 'extra.obo': expect.any(String) });
  }, 120_000);
});
