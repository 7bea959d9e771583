/**
 * A folder of the checkout's target swapped for a symbolic link while the checkout runs
 * (after its up-front check, before its writes): the version's files must not follow the
 * link out of the folder given. The swap is made by the checkout's own progress hook, after
 * the first file; the folder it leads to is judged by GNU find, the files written by
 * coreutils sha256sum against Debian's EMBOSS files ingested through the real CLI.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { checkoutVersion } from '../../../electron/ingest/checkout.js';
import { isOntocatError } from '../../../electron/shared/errors.js';
import { parseVersionRef } from '../../../electron/shared/version-ref.js';
import { runOntocatOk } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const EMBOSS = '/usr/share/EMBOSS/data';
/** Forty of Debian's scoring matrices, under matrices/ in the version; EDAM.obo sorts first, at the top. */
const MATRICES = readdirSync(EMBOSS).filter((name) => /^E[A-Z0-9]+$/.test(name)).sort().slice(0, 40);

const sha256 = (file: string): string => execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0]!;

describe('checkout: a folder swapped for a link while it runs', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let root: string;
  let catalog: Catalog;
  beforeAll(async () => {
    temp = makeTempRoot('ontocat-checkout-swap');
    root = path.join(temp.root, 'root');
    const source = path.join(temp.root, 'v1');
    mkdirSync(path.join(source, 'matrices'), { recursive: true });
    copyFileSync(path.join(EMBOSS, 'EDAM.obo'), path.join(source, 'EDAM.obo'));
    for (const name of MATRICES) copyFileSync(path.join(EMBOSS, name), path.join(source, 'matrices', name));
    runOntocatOk(['ingest', source, '--service', 'emboss', '--version', '1'], { root });
    catalog = await openCatalog({ root, threads: 1 });
  }, 240_000);
  afterAll(async () => {
    await catalog?.close();
    temp?.cleanup();
  });

  it('writes nothing through the link, refuses with UNSAFE_PATH, and every file it wrote is inside and whole', async () => {
    expect(MATRICES.length).toBe(40);
    const out = path.join(temp.root, 'out');
    const elsewhere = path.join(temp.root, 'elsewhere');
    mkdirSync(elsewhere);
    // The folder is there and inside at the check.
    mkdirSync(path.join(out, 'matrices'), { recursive: true });
    let swapped = false;
    const refusal = await checkoutVersion(catalog, parseVersionRef('emboss/1'), out, {
      onProgress: (progress) => {
        if (swapped || progress.done < 1) return;
        // After the first file: matrices/ moves aside and a link to elsewhere takes its name.
        renameSync(path.join(out, 'matrices'), path.join(out, 'matrices-before'));
        symlinkSync(elsewhere, path.join(out, 'matrices'));
        swapped = true;
      },
    }).then(() => null, (error: unknown) => error);
    expect(swapped).toBe(true);
    // Before: the files after the swap were linked into elsewhere and the checkout said it was done.
    const leaked = execFileSync('find', [elsewhere, '-mindepth', '1'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(leaked).toEqual([]);
    expect(isOntocatError(refusal, 'UNSAFE_PATH'), String(refusal)).toBe(true);
    expect((refusal as Error).message).toContain(`matrices became a link to ${elsewhere}`);
    // What it wrote before the swap is inside the folder given, with the version's bytes.
    const written = execFileSync('find', [out, '-type', 'f'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(written.length).toBeGreaterThan(0);
    for (const file of written) {
      const rel = path.relative(out, file);
      const name = rel === 'EDAM.obo' ? 'EDAM.obo' : path.basename(rel);
      expect(rel === 'EDAM.obo' || rel.startsWith('matrices-before/'), rel).toBe(true);
      expect(sha256(file), rel).toBe(sha256(path.join(EMBOSS, name)));
    }
    rmSync(out, { recursive: true, force: true });
  }, 120_000);
});
