import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession } from '../../electron/handlers/session.js';
import { projectRoot } from '../helpers/run-cli.js';
import { seedSmallCatalog } from '../helpers/small-catalog.js';
import { makeTempRoot } from '../helpers/temp-root.js';

/** The Electron executable, when its binary was downloaded (never in the sandboxed CI). */
function electronBinary(): string | null {
  try {
    const binary = createRequire(path.join(projectRoot, 'package.json'))('electron') as unknown;
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) {
  console.warn('[electron-smoke] skipped: no Electron binary (node_modules/electron has no dist/; npm ran with ignore-scripts and it could not be downloaded). The same UI is tested through `ontocat serve` instead.');
}

describe.skipIf(!binary)('Electron smoke test', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let app: ElectronApplication;

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-electron');
    const build = spawnSync(process.execPath, [path.join(projectRoot, 'scripts', 'build.mjs')], { cwd: projectRoot, stdio: 'inherit' });
    expect(build.status).toBe(0);
    const session = await openSession({ actor: 'test', root: temp.root });
    await seedSmallCatalog(session.catalog);
    await session.close();
    const sandbox = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
    app = await electron.launch({ executablePath: binary!, args: [projectRoot, ...sandbox, '--root', temp.root], cwd: projectRoot });
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    temp?.cleanup();
  });

  it('opens the window on app:// and lists the catalog versions through the bridge', async () => {
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    expect(page.url()).toMatch(/^app:\/\/ontocat\//);
    const result = await page.evaluate(async () => {
      const bridge = (window as unknown as { ontocat: Record<string, (input: unknown) => Promise<unknown>> }).ontocat;
      return bridge.versionsList!({});
    }) as { ok: boolean; data: { total: number; items: { service: string }[] } };
    expect(result.ok).toBe(true);
    expect(result.data.total).toBe(3);
    const nodeVisible = await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require);
    expect(nodeVisible).toBe('undefined');
  });
});
