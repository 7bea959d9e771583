/**
 * An ingest refused by a limit says "raise it with ONTOCAT_MAX_FILES=N" (or _BYTES, _RATIO).
 * Set in the CLI's environment, that worked when the CLI opened the catalog itself but was
 * ignored while the app or `ontocat serve` owned the root (the owner's environment decided),
 * so a curator following the message saw the same refusal, or a lowered limit let through.
 * The CLI now sends the limits its environment sets; through a running serve and directly,
 * the answers are the same. The reference for the tree's size is GNU find.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOntocat, type CliRun } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { startServe, type RunningServe } from '../../helpers/web-host.js';

describe('ingest limits set in the CLI environment, through a running owner and directly', () => {
  const temp = makeTempRoot('ontocat-limits-owner');
  const root = path.join(temp.root, 'root');
  const source = path.join(temp.root, 'three-files');
  let serve: RunningServe | null = null;

  beforeAll(async () => {
    mkdirSync(source, { recursive: true });
    for (const name of ['a.ttl', 'b.ttl', 'c.ttl']) writeFileSync(path.join(source, name), `<http://example.org/${name}> <http://example.org/p> "${'x'.repeat(40)}" .\n`);
    const counted = spawnSync('sh', ['-c', 'find . -type f | wc -l'], { cwd: source, encoding: 'utf8' });
    expect(counted.stdout.trim()).toBe('3');
    expect(runOntocat(['init'], { root }).code).toBe(0);
    serve = await startServe(root);
  }, 120_000);

  afterAll(async () => {
    await serve?.stop();
    temp.cleanup();
  });

  const ingest = (version: string, env: NodeJS.ProcessEnv): CliRun => runOntocat(['ingest', source, '--service', 'lim', '--version', version], { root, env });
  const versions = (): string[] => runOntocat(['versions', '--json'], { root }).json<{ version: string }[]>().map((row) => row.version).sort();

  it('a lowered limit refuses through the owner as it does directly, and a raised one lets the ingest through', async () => {
    const files = ingest('1', { ONTOCAT_MAX_FILES: '2' });
    expect(files.stderr).toContain('using the running ontocat-web');
    expect(files.code).toBe(1);
    expect(files.stderr).toMatch(/maxFiles/);
    const bytes = ingest('2', { ONTOCAT_MAX_BYTES: '100' });
    expect(bytes.code).toBe(1);
    expect(bytes.stderr).toMatch(/more than 100 bytes \(limit maxBytes\)/);
    expect(versions()).toEqual([]);

    const raised = ingest('3', { ONTOCAT_MAX_FILES: '3' });
    expect(raised.code, raised.stderr).toBe(0);
    expect(versions()).toEqual(['3']);

    // The same command lines with no owner running give the same verdicts and messages.
    await serve!.stop();
    serve = null;
    const direct = ingest('1', { ONTOCAT_MAX_FILES: '2' });
    expect(direct.code).toBe(1);
    expect(direct.stderr).toBe(files.stderr.split('\n').filter((line) => !line.includes('using the running')).join('\n'));
    expect(ingest('2', { ONTOCAT_MAX_BYTES: '100' }).stderr).toBe(bytes.stderr.split('\n').filter((line) => !line.includes('using the running')).join('\n'));
  }, 120_000);
});
