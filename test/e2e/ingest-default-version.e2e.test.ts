/**
 * End to end in Debian's Chromium over `ontocat serve`: the Ingest form offers today's date
 * as the version name, the curator's today, in a time zone whose day is not UTC's at that
 * moment, as Python's zoneinfo gives that day.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../helpers/browser.js';
import { runOntocat } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt, startServe, type RunningServe } from '../helpers/web-host.js';

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
  let serve: RunningServe | undefined;
  let browser: Browser | undefined;
  let closeBrowser: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ensureRendererBuilt();
    expect(runOntocat(['init'], { root }).code).toBe(0);
    serve = await startServe(root);
    ({ browser, close: closeBrowser } = await launchChromium());
  }, 300_000);

  afterAll(async () => {
    await closeBrowser?.();
    await serve?.stop();
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
    const context = await browser!.newContext({ timezoneId: zone, locale: 'en-GB' });
    try {
      const page = await context.newPage();
      await page.clock.setFixedTime(new Date(instant));
      await page.goto(`${serve!.url}#/ingest`);
      await expect.poll(() => page.getByLabel('Version', { exact: true }).inputValue()).toBe(day);
    } finally {
      await context.close();
    }
  }, 60_000);
});
