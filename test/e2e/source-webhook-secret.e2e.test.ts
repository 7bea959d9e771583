/**
 * End to end on `ontocat server` in Debian's Chromium: a source's webhook URL is a secret.
 * The Sources form shows it by scheme and host only; a curator who saves another field
 * keeps it without retyping it, Replace with a new URL replaces it, and only Remove webhook
 * clears it, as PyYAML reads the owner's `sources:export` after each save. A viewer's
 * browser never receives the URL in any answer of the server.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../electron/handlers/session.js';
import { startTeamServer, type TeamServer } from '../../electron/serve/team-server.js';
import { chromiumAvailable, launchChromium } from '../helpers/browser.js';
import { seedSmallCatalog } from '../helpers/small-catalog.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt, RENDERER_DIR } from '../helpers/web-host.js';

const SECRET = 'T0SECRET/B0SECRET/xoxSecretToken';
const HOOK = `https://hooks.example.org/services/${SECRET}`;
const NEW_HOOK = 'https://hooks.example.org/services/T1/B1/another';

/** PyYAML's reading of a YAML document, as JSON. */
function pyyaml(document: string): unknown {
  const run = spawnSync('python3', ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))'], { input: document, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as unknown;
}

describe.skipIf(!chromiumAvailable())('a source webhook in the Sources form on a team server', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let session: Session;
  let server: TeamServer;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;

  /** The source as the owner exports it, read by PyYAML. */
  const stored = async (): Promise<Record<string, unknown>> => {
    const { document } = await session.call('sources:export', { format: 'yaml' });
    return (pyyaml(document) as { sources: Record<string, unknown>[] }).sources[0]!;
  };

  beforeAll(async () => {
    ensureRendererBuilt();
    temp = makeTempRoot('ontocat-webhook-e2e');
    session = await openSession({ actor: 'server', root: path.join(temp.root, 'root'), threads: 1 });
    await seedSmallCatalog(session.catalog);
    await session.call('users:add', { username: 'alice', role: 'curator', password: 'alice-password-1' });
    await session.call('users:add', { username: 'victor', role: 'viewer', password: 'victor-password-1' });
    await session.call('sources:save', { spec: { id: 'hooked', service: 'go', artifacts: [{ type: 'url', url: 'https://example.org/go.obo' }], webhook: HOOK, note: 'before' } });
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

  async function signIn(name: string, password: string, answers?: string[]): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    if (answers) page.on('response', (response) => { if (response.url().includes('/api/')) void response.text().then((text) => answers.push(text), () => undefined); });
    await page.goto(`${server.origin}/`);
    await page.getByLabel('User name').fill(name);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Signed in').waitFor({ timeout: 60_000 });
    return page;
  }

  async function openEdit(page: Page): Promise<void> {
    await page.goto(`${server.origin}/#/sources`);
    await page.reload();
    await page.getByRole('table', { name: 'Sources' }).getByRole('row').filter({ hasText: 'hooked' }).getByRole('button', { name: 'Edit' }).click();
  }

  it('a viewer\'s browser never receives the URL', async () => {
    const answers: string[] = [];
    const page = await signIn('victor', 'victor-password-1', answers);
    await openEdit(page);
    await page.getByRole('group', { name: 'Webhook' }).getByText('https://hooks.example.org/…').waitFor({ timeout: 30_000 });
    await expect.poll(() => answers.some((text) => text.includes('"hooked"'))).toBe(true);
    expect(answers.filter((text) => text.includes(SECRET))).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('saving the note keeps the webhook; Replace sets a new one; Remove webhook clears it', async () => {
    const page = await signIn('alice', 'alice-password-1');
    await openEdit(page);
    const group = page.getByRole('group', { name: 'Webhook' });
    await group.getByText('https://hooks.example.org/…').waitFor({ timeout: 30_000 });
    expect(await page.content()).not.toContain(SECRET);
    await page.getByLabel('Note').fill('after');
    await page.getByRole('button', { name: 'Save source' }).click();
    await page.getByText('Saved source hooked.').waitFor();
    expect(await stored()).toMatchObject({ note: 'after', webhook: HOOK });

    // Replace clicked, nothing typed: still kept.
    await openEdit(page);
    await group.getByRole('button', { name: 'Replace webhook' }).click();
    await page.getByLabel('Note').fill('blank replace');
    await page.getByRole('button', { name: 'Save source' }).click();
    await page.getByText('Saved source hooked.').first().waitFor();
    await expect.poll(async () => (await stored()).note).toBe('blank replace');
    expect((await stored()).webhook).toBe(HOOK);

    await openEdit(page);
    await group.getByRole('button', { name: 'Replace webhook' }).click();
    await page.getByLabel('Webhook (optional)').fill(NEW_HOOK);
    await page.getByRole('button', { name: 'Save source' }).click();
    await expect.poll(async () => (await stored()).webhook).toBe(NEW_HOOK);

    await openEdit(page);
    await group.getByRole('button', { name: 'Remove webhook' }).click();
    await group.getByText('Removed when saved').waitFor();
    await page.getByRole('button', { name: 'Save source' }).click();
    await expect.poll(async () => 'webhook' in (await stored())).toBe(false);
    expect((await stored()).note).toBe('blank replace');
    await page.context().close();
  }, 180_000);
});
