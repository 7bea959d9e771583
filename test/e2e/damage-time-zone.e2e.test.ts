/**
 * End to end in Debian's Chromium over `ontocat serve`: a damaged file's details say since
 * when in the curator's local time, the instant doctor recorded it (the CLI's `events --json`
 * time of the apply, read in each zone by Python's zoneinfo), west and east of UTC alike.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/browser.js';
import { runOntocatOk, type CliRun } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';
import { openServedBrowser, type ServedBrowser } from '../helpers/served-page.js';

/** "YYYY-MM-DD HH:MM" in `zone` of each instant from `iso` − 2 s to + 2 s, by Python's zoneinfo. */
function localMinutes(iso: string, zone: string): string[] {
  const run = spawnSync('python3', ['-c', [
    'import sys; from datetime import datetime, timedelta; from zoneinfo import ZoneInfo',
    't = datetime.fromisoformat(sys.argv[1].replace("Z", "+00:00"))',
    'print("\\n".join(sorted({(t + timedelta(seconds=s)).astimezone(ZoneInfo(sys.argv[2])).strftime("%Y-%m-%d %H:%M") for s in (-2, 0, 2)})))',
  ].join('\n'), iso, zone], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.trim().split('\n');
}

describe.skipIf(!chromiumAvailable())('a damaged file\'s time in the curator\'s zone', () => {
  const temp = makeTempRoot('ontocat-damage-time-e2e');
  const root = path.join(temp.root, 'catalog');
  let served: ServedBrowser | undefined;
  let applied = '';

  const cli = (args: string[]): CliRun => runOntocatOk(args, { root });

  beforeAll(async () => {
    ensureRendererBuilt();
    const source = path.join(temp.root, 'src');
    mkdirSync(source, { recursive: true });
    writeFileSync(path.join(source, 'mini.nt'), '<http://example.org/a> <http://example.org/b> "c" .\n');
    cli(['ingest', source, '--service', 'mini', '--version', '1.0']);
    // The file and its only copy are gone: doctor can only mark it damaged.
    rmSync(path.join(root, 'mini', '1.0', 'data', 'mini.nt'));
    const cas = path.join(root, '.cas');
    for (const entry of readdirSync(cas, { recursive: true, withFileTypes: true })) if (entry.isFile()) rmSync(path.join(entry.parentPath, entry.name));
    const plan = cli(['doctor', '--json']).json<{ plan_id: string; findings: { fix: string }[] }>();
    expect(plan.findings.map((f) => f.fix)).toContain('mark_damaged');
    cli(['doctor', '--apply', plan.plan_id, '--json']);
    applied = cli(['events', '--type', 'doctor.applied', '--json']).json<{ ts: string }[]>()[0]!.ts;
    served = await openServedBrowser(root);
  }, 300_000);

  afterAll(async () => {
    await served?.close();
    temp.cleanup();
  });

  it.each(['America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Kiritimati'])('shows the doctor\'s time in %s', async (zone) => {
    const context = await served!.browser.newContext({ timezoneId: zone });
    try {
      const page = await context.newPage();
      await page.goto(`${served!.serve.url}#/versions/mini/1.0?path=mini.nt`);
      const state = page.getByRole('note', { name: 'File state' });
      const since = /\(since (.+)\)/.exec((await state.textContent()) ?? '')?.[1];
      expect(localMinutes(applied, zone)).toContain(since);
    } finally {
      await context.close();
    }
  }, 60_000);
});
