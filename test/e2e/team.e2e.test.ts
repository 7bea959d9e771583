/**
 * End to end on `ontocat server` in Debian's Chromium: two browser contexts signed in as
 * two users; the curator sets latest and the viewer's page shows it live (SSE), without a
 * reload. The sign-in page passes axe in light and dark; screenshots are saved.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../electron/handlers/session.js';
import { startTeamServer, type TeamServer } from '../../electron/serve/team-server.js';
import { chromiumAvailable, launchChromium, recordPageProblems, seriousAxeViolations } from '../helpers/browser.js';
import { projectRoot } from '../helpers/run-cli.js';
import { seedSmallCatalog } from '../helpers/small-catalog.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt, RENDERER_DIR } from '../helpers/web-host.js';

const SHOTS = path.join(projectRoot, 'test-results', 'screenshots');

describe.skipIf(!chromiumAvailable())('team server in Chromium: sign-in, roles, live updates between two users', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let session: Session;
  let server: TeamServer;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  const problems: string[] = [];

  beforeAll(async () => {
    ensureRendererBuilt();
    mkdirSync(SHOTS, { recursive: true });
    temp = makeTempRoot('ontocat-team-e2e');
    session = await openSession({ actor: 'server', root: path.join(temp.root, 'root'), threads: 1 });
    await seedSmallCatalog(session.catalog);
    await session.call('users:add', { username: 'alice', role: 'curator', password: 'alice-password-1' });
    await session.call('users:add', { username: 'victor', role: 'viewer', password: 'victor-password-1' });
    server = await startTeamServer({ session, rendererDir: RENDERER_DIR, heartbeatMs: 1000 });
    await server.accounts.settled();
    ({ browser, close: closeBrowser } = await launchChromium());
  }, 300_000);
  afterAll(async () => {
    await closeBrowser?.();
    await server?.close();
    await session?.close();
    temp?.cleanup();
  });

  async function signIn(name: string, password: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
    const page = await context.newPage();
    recordPageProblems(page, problems);
    await page.goto(`${server.origin}/`);
    await page.getByRole('heading', { name: 'Sign in to Ontocat' }).waitFor({ timeout: 60_000 });
    // The user name field has focus: sign in by keyboard.
    await page.keyboard.type(name);
    await page.keyboard.press('Tab');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
    await page.getByLabel('Signed in').waitFor({ timeout: 60_000 });
    return page;
  }

  it('the sign-in page passes axe in light and dark, says why a sign-in failed, and is screenshotted', async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 }, colorScheme: 'light' });
    const page = await context.newPage();
    await page.goto(`${server.origin}/`);
    await page.getByRole('heading', { name: 'Sign in to Ontocat' }).waitFor({ timeout: 60_000 });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'team-login.png'), fullPage: true });
    await page.getByLabel('User name').fill('victor');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 30_000 }).toBe('Wrong user name or password.');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'team-login-dark.png'), fullPage: true });
    await context.close();
  }, 120_000);

  it('a curator sets latest in one browser and the viewer sees it live in another; the viewer has no such control', async () => {
    const viewer = await signIn('victor', 'victor-password-1');
    const curator = await signIn('alice', 'alice-password-1');
    expect(await viewer.getByLabel('Signed in').textContent()).toContain('victor');
    expect(await viewer.getByLabel('Signed in').textContent()).toContain('viewer');
    expect(await curator.getByLabel('Signed in').textContent()).toContain('curator');

    await viewer.getByRole('link', { name: 'Open go/2024-02-01, the latest go' }).waitFor({ timeout: 60_000 });
    expect(await viewer.getByRole('button', { name: /^Set as latest: / }).count()).toBe(0);
    expect(await viewer.getByText('Setting the latest version: needs the curator role').count()).toBe(1);

    await curator.getByRole('button', { name: 'Set as latest: go/2024-01-01' }).click();
    await curator.getByRole('dialog').getByRole('button', { name: 'Set as latest' }).click();
    // The viewer's page follows without a reload.
    await viewer.getByRole('link', { name: 'Open go/2024-01-01, the latest go' }).waitFor({ timeout: 60_000 });
    expect(await viewer.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
    await viewer.screenshot({ path: path.join(SHOTS, 'team-viewer-live.png'), fullPage: true });
    expect(await seriousAxeViolations(viewer)).toEqual([]);

    // The audit log names the curator.
    const actor = await session.catalog.read((conn) => conn.scalar<string>("SELECT actor FROM events WHERE type = 'latest.set' ORDER BY ts DESC LIMIT 1"));
    expect(actor).toBe('alice');

    // Signing out returns to the sign-in page.
    await viewer.getByRole('button', { name: 'Sign out' }).click();
    await viewer.getByRole('heading', { name: 'Sign in to Ontocat' }).waitFor({ timeout: 30_000 });
    expect(problems.filter((p) => !/401|Unauthorized/.test(p))).toEqual([]);
  }, 240_000);
});
