/**
 * End to end in Debian's Chromium over `ontocat serve`: the Ingest form offers today's date
 * as the version name, the curator's today, in a time zone whose day is not UTC's at that
 * moment, as Python's zoneinfo gives that day.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/browser.js';
import { runOntocat } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';
import { openServedBrowser, type ServedBrowser } from '../helpers/served-page.js';

/** The calendar day of `instant` in `zone`, by Python's zoneinfo. */
function pythonDay(instant: string, zone: string): string {
  const run = spawnSync('python3', ['-c', [
    'import sys; from datetime import datetime; from zoneinfo import ZoneInfo',
    'print(datetime.fromisoformat(sys.argv[1]).astimezone(ZoneInfo(sys.argv[2])).date().isoformat())',
  ].join('\n'), instant, zone], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.trim();
}

describe.skipIf(!chromiumAvailable())('the Ingest form\'s default version in the curator\'s time zone', () => {
  const temp = makeTempRoot('ontocat-ingest-day-e2e');
  const root = path.join(temp.root, 'catalog');
  let served: ServedBrowser | undefined;

  beforeAll(async () => {
    ensureRendererBuilt();
    expect(runOntocat(['init'], { root }).code).toBe(0);
    served = await openServedBrowser(root);
  }, 300_000);

  afterAll(async () => {
    await served?.close();
    temp.cleanup();
  });

  // Each moment falls on another day in the zone than in UTC.
  it.each([
    ['America/Los_Angeles', '2026-12-05T04:00:00+00:00'],
    ['Pacific/Kiritimati', '2026-12-05T12:00:00+00:00'],
    ['Asia/Kolkata', '2026-12-05T20:00:00+00:00'],
  ])('in %s at %s', async (zone, instant) => {
    const day = pythonDay(instant, zone);
    expect(day).not.toBe(instant.slice(0, 10));
    const context = await served!.browser.newContext({ timezoneId: zone, locale: 'en-GB' });
    try {
      const page = await context.newPage();
      await page.clock.setFixedTime(new Date(instant));
      await page.goto(`${served!.serve.url}#/ingest`);
      await expect.poll(() => page.getByLabel('Version', { exact: true }).inputValue()).toBe(day);
    } finally {
      await context.close();
    }
  }, 60_000);
});
