/**
 * A curator's choices on housekeeping plans, on a real catalog and disk: leaving single
 * fixes or versions out (a new plan, new id and hash), adopting a stray into its version,
 * pin reasons in prune previews, and trash figures that reconcile with preview and apply.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { describeFinding } from '../../../electron/shared/finding-words.js';
import { casRelpath } from '../../../electron/storage/layout.js';
import { addVersion, diskListing, sha256 } from '../../helpers/housekeeping-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let root: string;
let cleanup: () => void;
let session: Session;

const day = 86_400_000;
const ago = (days: number): string => new Date(Date.now() - days * day).toISOString();
const TTL = '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n<http://example.org/a> rdfs:label "A" .\n';

beforeEach(async () => {
  ({ root, cleanup } = makeTempRoot('ontocat-curation'));
  session = await openSession({ actor: 'test', root });
  await addVersion(session.catalog, { service: 'go', version: 'v1', created_at: ago(40), files: { 'shared.owl': 'shared', 'only1.owl': 'only in v1 '.repeat(20) } });
  await addVersion(session.catalog, { service: 'go', version: 'v2', created_at: ago(30), files: { 'shared.owl': 'shared', 'only2.owl': 'only in v2' } });
  await addVersion(session.catalog, { service: 'go', version: 'v3', created_at: ago(1), latest: true, files: { 'shared.owl': 'shared', 'only3.owl': 'v3' } });
});
afterEach(async () => {
  await session.close();
  cleanup();
});

function plant(relpath: string, text: string): void {
  writeFileSync(path.join(root, relpath), text);
}

describe('doctor: per-item choice', () => {
  it('leaves a fix out and adopts a stray into its version (stored, recorded, validated); the choice is a new plan', async () => {
    plant('go/v2/data/keep-me.ttl', TTL);
    plant('go/v2/data/junk.tmp.txt', 'junk\n');
    plant('go/v1/data/leave-alone.txt', 'leave\n');
    const plan = await session.call('doctor:plan', {});
    const strays = plan.findings.filter((f) => f.kind === 'orphan').map((f) => f.path).sort();
    expect(strays).toEqual(['go/v1/data/leave-alone.txt', 'go/v2/data/junk.tmp.txt', 'go/v2/data/keep-me.ttl']);
    expect(plan.findings.find((f) => f.path === 'go/v2/data/keep-me.ttl')!.alternatives).toEqual(['adopt']);

    const chosen = await session.call('doctor:choose', { plan_id: plan.plan_id, without: ['go/v1/data/leave-alone.txt'], adopt: ['go/v2/data/keep-me.ttl'] });
    expect(chosen.plan_id).not.toBe(plan.plan_id);
    expect(chosen.content_hash).not.toBe(plan.content_hash);
    expect(chosen.derived_from).toBe(plan.plan_id);
    expect(chosen.findings.map((f) => `${f.path}:${f.fix}`).sort()).toEqual(['go/v2/data/junk.tmp.txt:trash', 'go/v2/data/keep-me.ttl:adopt']);
    expect(chosen.findings.find((f) => f.fix === 'adopt')!.sha256).toBe(sha256(TTL));

    const result = await session.call('doctor:apply', { plan_id: chosen.plan_id });
    expect(result.actions).toEqual({ trash: 1, adopt: 1 });
    // Left out: untouched. Trashed: gone. Adopted: a hard link to its content-store object and a row of go/v2.
    expect(readFileSync(path.join(root, 'go/v1/data/leave-alone.txt'), 'utf8')).toBe('leave\n');
    expect(existsSync(path.join(root, 'go/v2/data/junk.tmp.txt'))).toBe(false);
    const object = path.join(root, casRelpath(sha256(TTL)));
    expect(statSync(object).ino).toBe(statSync(path.join(root, 'go/v2/data/keep-me.ttl')).ino);
    const file = await session.call('files:get', { ref: 'go/v2', relpath: 'keep-me.ttl' });
    expect(file).toMatchObject({ sha256: sha256(TTL), size_bytes: TTL.length, format: 'turtle', cas_relpath: casRelpath(sha256(TTL)) });
    const validations = await session.call('validations:list', { ref: 'go/v2', file_id: file.file_id });
    expect(validations.items.length).toBeGreaterThan(0);

    // The old plan is not applied, but it no longer matches the disk.
    await expect(session.call('doctor:apply', { plan_id: plan.plan_id })).rejects.toMatchObject({ code: 'STALE_PLAN' });
    // A new scan finds only the stray that was left out.
    const again = await session.call('doctor:plan', {});
    expect(again.findings.map((f) => f.path)).toEqual(['go/v1/data/leave-alone.txt']);
  });

  it('refuses to adopt a stray whose bytes changed after it was chosen, with size and mtime put back', async () => {
    plant('go/v2/data/keep-me.ttl', TTL);
    const file = path.join(root, 'go/v2/data/keep-me.ttl');
    // A whole-second mtime, so putting it back is exact (a Date carries only milliseconds,
    // the file system nanoseconds): only the hash can tell the change.
    const stamp = new Date('2026-01-02T03:04:05Z');
    utimesSync(file, stamp, stamp);
    const plan = await session.call('doctor:plan', {});
    const chosen = await session.call('doctor:choose', { plan_id: plan.plan_id, adopt: ['go/v2/data/keep-me.ttl'] });
    writeFileSync(file, TTL.replace('"A"', '"B"'));
    utimesSync(file, stamp, stamp);
    const refusal = session.call('doctor:apply', { plan_id: chosen.plan_id });
    await expect(refusal).rejects.toMatchObject({ code: 'STALE_PLAN' });
    await expect(refusal).rejects.toThrow(/its hash differs/);
    expect(existsSync(path.join(root, casRelpath(sha256(TTL.replace('"A"', '"B"')))))).toBe(false);
    expect((await session.call('files:list', { ref: 'go/v2' })).items.map((f) => f.relpath)).not.toContain('keep-me.ttl');
  });

  it('refuses to keep a put-back from a damaged store object whose rebuild is left out, and keeps both or neither', async () => {
    // One content: an intact plain copy in v4, a store object whose bytes rotted, and v5's file (a link of that object) deleted.
    await addVersion(session.catalog, { service: 'go', version: 'v4', created_at: ago(20), files: { 'good.owl': 'good bytes' }, copies: ['good.owl'] });
    await addVersion(session.catalog, { service: 'go', version: 'v5', created_at: ago(10), files: { 'gone.owl': 'good bytes' } });
    const object = casRelpath(sha256('good bytes'));
    rmSync(path.join(root, 'go/v5/data/gone.owl'));
    const rotted = statSync(path.join(root, object));
    writeFileSync(path.join(root, object), 'GOOD BYTES');
    utimesSync(path.join(root, object), rotted.atime, rotted.mtime);
    const plan = await session.call('doctor:plan', { deep: true });
    expect(plan.findings.find((item) => item.path === object)).toMatchObject({ kind: 'cas_corrupt', fix: 'restore_object', source: 'go/v4/data/good.owl' });
    expect(plan.findings.find((item) => item.path === 'go/v5/data/gone.owl')).toMatchObject({ fix: 'relink_from_cas', source: object });

    const refused = session.call('doctor:choose', { plan_id: plan.plan_id, without: [object] });
    await expect(refused).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(refused).rejects.toThrow(`'go/v5/data/gone.owl' needs the content-store copy that a left-out fix rebuilds ('${object}')`);
    expect(existsSync(path.join(root, 'go/v5/data/gone.owl'))).toBe(false);

    // Both left out: nothing of either is done; the damaged object stays as it was.
    const neither = await session.call('doctor:choose', { plan_id: plan.plan_id, without: [object, 'go/v5/data/gone.owl'] });
    await session.call('doctor:apply', { plan_id: neither.plan_id });
    expect(existsSync(path.join(root, 'go/v5/data/gone.owl'))).toBe(false);
    expect(readFileSync(path.join(root, object), 'utf8')).toBe('GOOD BYTES');
    // Both kept: the object is rebuilt from the good copy and the file put back with the catalogued bytes.
    const both = await session.call('doctor:plan', { deep: true });
    await session.call('doctor:apply', { plan_id: both.plan_id });
    expect(readFileSync(path.join(root, 'go/v5/data/gone.owl'), 'utf8')).toBe('good bytes');
    expect(readFileSync(path.join(root, object), 'utf8')).toBe('good bytes');
  });

  it('refuses unknown items, adopting what is not a stray in a version, and an applied plan', async () => {
    mkdirSync(path.join(root, 'other/9/data'), { recursive: true });
    plant('other/9/data/x.txt', 'x\n');
    const plan = await session.call('doctor:plan', {});
    await expect(session.call('doctor:choose', { plan_id: plan.plan_id, without: ['no/such/path'] })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    const notInVersion = session.call('doctor:choose', { plan_id: plan.plan_id, adopt: ['other/9/data/x.txt'] });
    await expect(notInVersion).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(notInVersion).rejects.toThrow(/cannot be adopted/);
    await session.call('doctor:apply', { plan_id: plan.plan_id });
    await expect(session.call('doctor:choose', { plan_id: plan.plan_id, without: ['other/9/data/x.txt'] })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('speaks plain words for every kind and fix', () => {
    expect(describeFinding('missing_file', 'relink_from_cas')).toBe('missing file — restore it from the content store');
    expect(describeFinding('orphan', 'adopt')).toMatch(/^stray file — adopt it into its version/);
  });
});

describe('prune: per-item choice, pin reasons and the trash', () => {
  it('keeps a version left out of the plan, shows the pin reason, and preview, apply and trash figures reconcile', async () => {
    const pin = await session.call('versions:pin', { ref: 'go/v2', pinned: true, reason: 'cited in the 2024 paper' });
    expect(pin.reason).toBe('cited in the 2024 paper');
    expect(await session.call('pins:get', { ref: 'go/v2' })).toMatchObject({ pinned: true, reason: 'cited in the 2024 paper' });
    await addVersion(session.catalog, { service: 'go', version: 'v0', created_at: ago(50), files: { 'shared.owl': 'shared', 'only0.owl': 'zero' } });

    const plan = await session.call('prune:plan', { keep_last: 1, allow_large: true });
    expect(plan.removals.map((v) => v.version).sort()).toEqual(['v0', 'v1']);
    expect(plan.kept.find((v) => v.version === 'v2')!.why).toEqual(['pinned — cited in the 2024 paper']);

    const chosen = await session.call('prune:choose', { plan_id: plan.plan_id, without: ['go/v0'] });
    expect(chosen.plan_id).not.toBe(plan.plan_id);
    expect(chosen.derived_from).toBe(plan.plan_id);
    expect(chosen.removals.map((v) => v.version)).toEqual(['v1']);
    expect(chosen.kept.find((v) => v.version === 'v0')!.why).toEqual(['left out of this plan by you']);
    expect(chosen.files.every((f) => !f.path.startsWith('go/v0/'))).toBe(true);

    const moved = chosen.files.reduce((n, f) => n + f.bytes, 0);
    const before = diskListing(root);
    const applied = await session.call('prune:apply', { plan_id: chosen.plan_id });
    expect(applied.bytes).toBe(moved);
    const [entry] = await session.call('trash:list', {});
    expect(entry).toMatchObject({ plan_id: chosen.plan_id, bytes: moved, freed_bytes: chosen.reclaimed_bytes, versions: ['go/v1'] });
    expect(chosen.reclaimed_bytes).toBe(220); // only1.owl's object; 'shared' stays with kept versions
    expect((await session.call('trash:files', { plan_id: chosen.plan_id })).total).toBe(chosen.files.length);
    expect(existsSync(path.join(root, 'go/v0/data/only0.owl'))).toBe(true);
    expect(Object.keys(before).length).toBeGreaterThan(0);

    const emptied = await session.call('trash:empty', { plan_id: chosen.plan_id });
    expect(emptied).toMatchObject({ removed: [chosen.plan_id], bytes: moved, freed_bytes: chosen.reclaimed_bytes });
    expect(await session.call('trash:list', {})).toEqual([]);

    await session.call('versions:pin', { ref: 'go/v2', pinned: false });
    expect(await session.call('pins:get', { ref: 'go/v2' })).toMatchObject({ pinned: false, reason: null });
  });

  it('refuses to leave out a version the plan does not remove', async () => {
    const plan = await session.call('prune:plan', { keep_last: 1, allow_large: true });
    await expect(session.call('prune:choose', { plan_id: plan.plan_id, without: ['go/v3'] })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
