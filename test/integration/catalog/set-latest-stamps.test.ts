/**
 * A set-latest Confirm sends back the stamps its preview read (versions:stats with `stamp`)
 * and is refused, nothing changed, when either version's release date, files or findings
 * changed since: another client corrected the date, replaced the files (`ingest --replace`)
 * or pruned the version. Validating again with the same findings, or pinning, changes
 * nothing the preview showed and confirms. Real ingests of Debian's ro.obo into a real catalog.
 */
import { appendFileSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../electron/handlers/session.js';
import { ingest } from '../../../electron/ingest/ingest.js';
import { validateVersion } from '../../../electron/ingest/validate/validate-version.js';
import { makeTempRoot, sessionOn } from '../../helpers/temp-root.js';

const RO = '/usr/share/EMBOSS/data/OBO/ro.obo';

let root: string;
let cleanup: () => void;
const withSession = sessionOn(() => root);

beforeEach(() => {
  ({ root, cleanup } = makeTempRoot('ontocat-set-latest-stamps'));
});
afterEach(() => cleanup());

/** Ingests a folder holding Debian's ro.obo (with `extra` appended) and any other files, as ro/VERSION. */
async function ingestRo(session: Session, version: string, options: { extra?: string; files?: Record<string, string>; replace?: boolean } = {}): Promise<void> {
  const dir = path.join(root, '..', `${path.basename(root)}-src-${version}-${Math.random().toString(16).slice(2)}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(RO, path.join(dir, 'ro.obo'));
  if (options.extra) appendFileSync(path.join(dir, 'ro.obo'), options.extra);
  for (const [name, text] of Object.entries(options.files ?? {})) writeFileSync(path.join(dir, name), text);
  await ingest(session.catalog, dir, { service: 'ro', version, ...(options.replace ? { replace: true } : {}) });
  await validateVersion(session.catalog, { service: 'ro', version });
}

const term = '\n[Term]\nid: RO:9999999\nname: added in 2.0\n';

/** What the dialog reads before Confirm: both versions' stats with their stamps. */
async function preview(session: Session): Promise<{ to: string; from: string | null }> {
  const to = await session.call('versions:stats', { ref: 'ro/2.0', stamp: true });
  const from = await session.call('versions:stats', { ref: 'ro/1.0', stamp: true });
  expect(to.stamp).toMatch(/\S/);
  expect(from.stamp).toMatch(/\S/);
  return { to: to.stamp!, from: from.stamp! };
}

async function setup(session: Session): Promise<void> {
  await ingestRo(session, '1.0');
  await ingestRo(session, '2.0', { extra: term });
  await session.call('versions:set-release', { ref: 'ro/1.0', release_date: '2018-01-01' });
  await session.call('versions:set-release', { ref: 'ro/2.0', release_date: '2019-01-16' });
  await session.call('latest:set', { ref: 'ro/1.0' });
}

const latest = async (session: Session): Promise<string | null> => (await session.call('latest:get', { service: 'ro' }))?.version ?? null;

const refusal = (task: Promise<unknown>): Promise<Error & { code?: string }> => task.then(() => { throw new Error('expected a refusal'); }, (error: Error) => error);

describe('set latest against the preview it was shown', () => {
  it('refuses when the target was dated before the latest since, naming the release date', async () => {
    await withSession(async (session) => {
      await setup(session);
      const stamps = await preview(session);
      await session.call('versions:set-release', { ref: 'ro/2.0', release_date: '2017-06-01' });
      const error = await refusal(session.call('latest:set', { ref: 'ro/2.0', expected_latest: '1.0', expected_stamps: stamps }));
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toMatch(/^ro\/2\.0's release date changed since this preview was made .*nothing was changed/);
      expect(await latest(session)).toBe('1.0');
      // review:approve is the same boundary.
      await expect(session.call('review:approve', { ref: 'ro/2.0', expected_latest: '1.0', expected_stamps: stamps })).rejects.toThrow(/release date changed/);
      expect(await latest(session)).toBe('1.0');
    });
  });

  it('refuses when either version\'s files were replaced since, naming them; a preview made after confirms', async () => {
    await withSession(async (session) => {
      await setup(session);
      const stamps = await preview(session);
      await ingestRo(session, '2.0', { replace: true, extra: term, files: { 'broken.obo': 'format-version: 1.2\n\n[Term]\nid: X:1\nname: a\nis_a: \n[Typedef\n' } });
      const error = await refusal(session.call('latest:set', { ref: 'ro/2.0', expected_latest: '1.0', expected_stamps: stamps }));
      expect(error.message).toMatch(/^ro\/2\.0's files and findings changed since this preview/);
      expect(await latest(session)).toBe('1.0');

      const fresh = await preview(session);
      await ingestRo(session, '1.0', { replace: true, extra: '\n[Term]\nid: RO:8888888\nname: only in the new 1.0\n' });
      await expect(session.call('latest:set', { ref: 'ro/2.0', expected_latest: '1.0', expected_stamps: fresh })).rejects.toThrow(/^ro\/1\.0's files( and findings)? changed since this preview/);
      expect(await latest(session)).toBe('1.0');

      const last = await preview(session);
      expect((await session.call('latest:set', { ref: 'ro/2.0', expected_latest: '1.0', expected_stamps: last })).changed).toBe(true);
      expect(await latest(session)).toBe('2.0');
    });
  });

  it('confirms after a validation that finds the same, and after a pin; refuses a target pruned since', async () => {
    await withSession(async (session) => {
      await setup(session);
      const stamps = await preview(session);
      await validateVersion(session.catalog, { service: 'ro', version: '2.0' });
      await session.call('versions:pin', { ref: 'ro/2.0', pinned: true, reason: 'reviewed' });
      expect((await session.call('latest:set', { ref: 'ro/2.0', expected_latest: '1.0', expected_stamps: stamps })).changed).toBe(true);
      expect(await latest(session)).toBe('2.0');

      // Back to 1.0; 2.0 previewed again, and another client prunes it meanwhile.
      await session.call('latest:set', { ref: 'ro/1.0' });
      await session.call('versions:pin', { ref: 'ro/2.0', pinned: false });
      const again = await preview(session);
      const plan = await session.call('prune:plan', { service: 'ro', keep_last: 0, allow_large: true });
      expect(plan.removals.map((row) => row.version)).toEqual(['2.0']);
      await session.call('prune:apply', { plan_id: plan.plan_id });
      await expect(session.call('latest:set', { ref: 'ro/2.0', expected_latest: '1.0', expected_stamps: again })).rejects.toThrow(/^ro\/2\.0 was removed from the catalog since this preview was made .*nothing was changed/);
      expect(await latest(session)).toBe('1.0');
    });
  });

  it('refuses a Confirm whose preview figures were read before a correction and its stamp after', async () => {
    await withSession(async (session) => {
      await setup(session);
      // Another client dates ro/2.0 before the latest while the preview reads ro/2.0's stats:
      // just after their first row (the release date and health the dialog shows), before the rest.
      const catalog = session.catalog;
      const realRead = catalog.read.bind(catalog);
      let armed = true;
      catalog.read = (task) => realRead(async (conn) => {
        const all = conn.all.bind(conn);
        conn.all = (async (sql: string, params?: Parameters<typeof all>[1]) => {
          const rows = await all(sql, params);
          if (armed && sql.includes('FROM v_version_stats')) {
            armed = false;
            await session.call('versions:set-release', { ref: 'ro/2.0', release_date: '2017-06-01' });
          }
          return rows;
        }) as typeof conn.all;
        try {
          return await task(conn);
        } finally {
          delete (conn as { all?: unknown }).all;
        }
      });
      const to = await session.call('versions:stats', { ref: 'ro/2.0', stamp: true });
      catalog.read = realRead;
      expect(armed).toBe(false);
      const from = await session.call('versions:stats', { ref: 'ro/1.0', stamp: true });
      // What the curator saw: 2.0 released in 2019, after 1.0 (2018), so no warning that latest goes back.
      expect(to.release_date).toMatch(/^2019-01-16/);
      const error = await refusal(session.call('latest:set', { ref: 'ro/2.0', expected_latest: '1.0', expected_stamps: { to: to.stamp!, from: from.stamp! } }));
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toMatch(/^ro\/2\.0's release date changed since this preview was made .*nothing was changed/);
      expect(await latest(session)).toBe('1.0');
    });
  });
});
