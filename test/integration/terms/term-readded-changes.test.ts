/**
 * A term removed and later added back: its history names READDED and also what changed
 * between the last release that had it and the one it is back in (deprecation, relabel,
 * parents…), as the whole-version delta between those two releases does. Before, the
 * history said READDED alone and hid a deprecation the delta showed.
 *
 * Outside truth: EDAM's real releases (test/fixtures/edam), read by a plain line scan
 * (test/helpers/obo-stanza-scan.ts). beta10 dated after 1.1 (as a curator may correct a
 * date) puts a release without EDAM's 1.x ids between 1.1 and 1.2, so every term of both
 * is back in 1.2; EDAM_data:1101 is deprecated there, replaced by EDAM_data:3021, and has
 * lost its is_a.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../electron/catalog/open-catalog.js';
import { termHistory, versionTermDelta } from '../../../electron/catalog/term-index-queries.js';
import type { Session } from '../../../electron/handlers/session.js';
import type { TermEvent, TermHistory } from '../../../electron/shared/contract/terms.js';
import { ingestedSession } from '../../helpers/ingested-session.js';
import type { ScannedTerm } from '../../helpers/obo-stanza-scan.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { ingestEdamReleases } from '../../helpers/edam-releases.js';

/** The change kinds a history names besides FIRST_SEEN, REMOVED and READDED. */
const CHANGE_KINDS = new Set<TermEvent['kind']>(['RELABELLED', 'REDEFINED', 'REPARENTED', 'RETYPED', 'DEPRECATED', 'UNDEPRECATED', 'REPLACED']);

const shape = (events: readonly TermEvent[]) => events.map((e) => ({ kind: e.kind, from: e.from_version, to: e.to_version, before: e.before, after: e.after }));

describe('a term removed and added back (synthetic OBO releases 1.9, 1.10, 1.11)', () => {
  const temp = makeTempRoot('ontocat-readded-synthetic');
  const header = (date: string): string => `format-version: 1.2\ndata-version: ${date}\n\n`;
  const stanza = (id: string, lines: string): string => `[Term]\nid: ${id}\n${lines}\n`;
  const releases = {
    '1.9': `${header('2019-01-01')}${stanza('ORD:1', 'name: one')}${stanza('ORD:2', 'name: gone later')}${stanza('ORD:3', 'name: three')}`,
    '1.10': `${header('2019-02-01')}${stanza('ORD:1', 'name: one')}${stanza('ORD:3', 'name: three')}`,
    '1.11': `${header('2019-03-01')}${stanza('ORD:1', 'name: one')}${stanza('ORD:2', 'name: back again\nis_obsolete: true\nreplaced_by: ORD:3')}${stanza('ORD:3', 'name: three')}`,
  };
  let session: Session;

  beforeAll(async () => {
    session = await ingestedSession(temp.root, 'ord', Object.fromEntries(Object.entries(releases).map(([version, text]) => [version, { 'ord.obo': text }])));
  }, 120_000);
  afterAll(async () => {
    await session.close();
    temp.cleanup();
  });

  it('names the relabel and the deprecation with its replacement, as the delta 1.9 → 1.11 does', async () => {
    const history = await session.call('terms:history', { term: 'ORD:2', service: 'ord' });
    expect(shape(history.timelines[0]!.events)).toEqual([
      { kind: 'FIRST_SEEN', from: null, to: '1.9', before: null, after: 'gone later' },
      { kind: 'REMOVED', from: '1.9', to: '1.10', before: 'gone later', after: null },
      { kind: 'READDED', from: '1.10', to: '1.11', before: null, after: 'back again' },
      { kind: 'RELABELLED', from: '1.9', to: '1.11', before: 'gone later', after: 'back again' },
      { kind: 'DEPRECATED', from: '1.9', to: '1.11', before: null, after: 'ORD:3' },
    ]);
    const delta = await session.call('terms:version-delta', { a: 'ord/1.9', b: 'ord/1.11' });
    expect(delta.changes.items.map((c) => ({ kind: c.change, before: c.before, after: c.after })))
      .toEqual(shape(history.timelines[0]!.events).filter((e) => CHANGE_KINDS.has(e.kind)).map(({ kind, before, after }) => ({ kind, before, after })));
  });
});

describe('EDAM terms back in 1.2 after beta10 (dated after 1.1)', () => {
  /** beta10 moved after 1.1 by its release date, below. */
  const order = ['beta08', '1.0', '1.1', 'beta10', '1.2'] as const;
  const temp = makeTempRoot('ontocat-readded-edam');
  const root = path.join(temp.root, 'root');
  const scans = new Map<string, Map<string, ScannedTerm>>();

  beforeAll(() => {
    for (const [version, scan] of ingestEdamReleases(temp.root, root, order)) scans.set(version, scan);
    const dated = runOntocat(['release-date', 'edam/beta10', '2012-10-01'], { root });
    expect(dated.code, dated.stderr).toBe(0);
  }, 600_000);
  afterAll(() => temp.cleanup());

  /** The changes the scan finds for a term between two releases, as kinds in the history's order. */
  function scannedChanges(a: ScannedTerm, b: ScannedTerm): TermEvent['kind'][] {
    const set = (values: readonly string[]): string => [...new Set(values)].sort().join();
    const kinds: TermEvent['kind'][] = [];
    if (a.name !== b.name) kinds.push('RELABELLED');
    if (a.def !== b.def) kinds.push('REDEFINED');
    if (set(a.isA) !== set(b.isA)) kinds.push('REPARENTED');
    if (a.kind !== b.kind) kinds.push('RETYPED');
    if (b.obsolete && !a.obsolete) kinds.push('DEPRECATED');
    if (a.obsolete && !b.obsolete) kinds.push('UNDEPRECATED');
    if (a.obsolete && b.replacedBy.length > 0 && set(a.replacedBy) !== set(b.replacedBy)) kinds.push('REPLACED');
    return kinds;
  }

  it('EDAM_data:1101: READDED in 1.2, with its deprecation and lost parent as the 1.2 stanza has them', () => {
    const a = scans.get('1.1')!.get('EDAM_data:1101')!;
    const b = scans.get('1.2')!.get('EDAM_data:1101')!;
    expect(scans.get('beta10')!.has('EDAM_data:1101')).toBe(false);
    expect({ obsolete: b.obsolete, replacedBy: b.replacedBy, isA: b.isA }).toEqual({ obsolete: true, replacedBy: ['EDAM_data:3021'], isA: [] });
    const run = runOntocat(['terms', 'history', 'EDAM_data:1101', '--service', 'edam', '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
    const timeline = run.json<TermHistory>().timelines[0]!;
    expect(timeline.versions.map((v) => [v.version, v.present])).toEqual(order.map((v) => [v, scans.get(v)!.has('EDAM_data:1101')]));
    expect(shape(timeline.events)).toEqual([
      { kind: 'FIRST_SEEN', from: 'beta08', to: '1.0', before: null, after: a.name },
      { kind: 'REMOVED', from: '1.1', to: 'beta10', before: a.name, after: null },
      { kind: 'READDED', from: 'beta10', to: '1.2', before: null, after: b.name },
      { kind: 'REPARENTED', from: '1.1', to: '1.2', before: [...new Set(a.isA)].sort().join(', '), after: null },
      { kind: 'DEPRECATED', from: '1.1', to: '1.2', before: null, after: b.replacedBy.join(', ') },
    ]);
    expect(scannedChanges(a, b)).toEqual(['REPARENTED', 'DEPRECATED']);
  });

  it('every term the scan finds changed from 1.1 to 1.2 shows those changes on its return, as the delta 1.1 → 1.2 names them', async () => {
    const a = scans.get('1.1')!;
    const b = scans.get('1.2')!;
    const changed = [...b.keys()].filter((id) => a.has(id) && scannedChanges(a.get(id)!, b.get(id)!).length > 0).sort();
    expect(changed.length).toBeGreaterThan(50);
    // And a few unchanged ones, which come back with no change named.
    const unchanged = [...b.keys()].filter((id) => a.has(id) && scannedChanges(a.get(id)!, b.get(id)!).length === 0).sort().slice(0, 20);
    expect(unchanged.length).toBe(20);
    const catalog = await openCatalog({ root });
    try {
      await catalog.read(async (conn) => {
        const delta = await versionTermDelta(conn, { service: 'edam', version: '1.1' }, { service: 'edam', version: '1.2' }, { limit: 1000 });
        expect(delta.changes.total).toBe(delta.changes.items.length);
        const deltaKinds = new Map<string, string[]>();
        for (const item of delta.changes.items) deltaKinds.set(item.ident, [...(deltaKinds.get(item.ident) ?? []), item.change]);
        for (const id of [...changed, ...unchanged]) {
          const timeline = (await termHistory(conn, id, 'edam')).timelines[0]!;
          const events = timeline.events.filter((e) => e.to_version === '1.2');
          expect({ id, readded: events.some((e) => e.kind === 'READDED' && e.from_version === 'beta10') }).toEqual({ id, readded: true });
          const changes = events.filter((e) => CHANGE_KINDS.has(e.kind));
          expect({ id, from: [...new Set(changes.map((e) => e.from_version))] }).toEqual({ id, from: changes.length > 0 ? ['1.1'] : [] });
          const kinds = changes.map((e) => e.kind);
          expect({ id, kinds }).toEqual({ id, kinds: scannedChanges(a.get(id)!, b.get(id)!) });
          expect({ id, kinds: [...kinds].sort() }).toEqual({ id, kinds: [...(deltaKinds.get(id) ?? [])].sort() });
        }
      });
    } finally {
      await catalog.close();
    }
  }, 120_000);
});
