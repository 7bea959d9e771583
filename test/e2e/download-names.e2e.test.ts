/**
 * End to end, downloads keep their names: Debian's Chromium saves a stored file from
 * `ontocat serve` under the name it has in the version, whatever its characters. The
 * reference is Chromium's own Content-Disposition parser (RFC 6266 with RFC 5987's
 * `filename*`), not a header string written here.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, CHROMIUM_PATH, launchChromium } from '../helpers/browser.js';
import { runOntocat } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { startServe, type RunningServe } from '../helpers/web-host.js';

const hasChromium = chromiumAvailable();
if (!hasChromium) console.warn(`[download-names.e2e] skipped: no Chromium at ${CHROMIUM_PATH}.`);

/** Names a curator's releases carry: an apostrophe and accents (French), brackets, an ampersand. */
const NAMES = ["ontologie d'été.obo", 'données (version 2).csv', "it's.txt", 'Größe & Maß.tsv'];

describe.skipIf(!hasChromium)('downloads from ontocat serve keep the stored file name in Chromium', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let serve: RunningServe | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  const source = (): string => path.join(temp.root, 'release');

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-download-names');
    mkdirSync(source());
    NAMES.forEach((name, i) => writeFileSync(path.join(source(), name), `line ${i} of ${name}\n`));
    const root = path.join(temp.root, 'catalog');
    const ingest = runOntocat(['ingest', source(), '--service', 'names', '--version', '1', '--json'], { root });
    expect(ingest.code, ingest.stderr).toBe(0);
    serve = await startServe(root);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    temp?.cleanup();
  });

  it('saves each file under its own name, with its own bytes', async () => {
    const context = await browser!.browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(serve!.url);
    const saved: string[] = [];
    for (const name of NAMES) {
      const href = `${serve!.origin}/api/download/file?ref=names/1&relpath=${encodeURIComponent(name)}`;
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.evaluate((url) => {
          const link = document.createElement('a');
          link.href = url;
          document.body.append(link);
          link.click();
          link.remove();
        }, href),
      ]);
      saved.push(download.suggestedFilename());
      expect(readFileSync((await download.path())!)).toEqual(readFileSync(path.join(source(), name)));
    }
    expect(saved).toEqual(NAMES);
    await context.close();
  }, 120_000);
});
