/**
 * A deprecation reversed and a replacement changed are term changes the history, the
 * whole-version delta and a file's own delta all name, in the same release pair and with
 * the same replacements on each side (the deltas named neither before migration 0031).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../../electron/handlers/session.js';
import { ingestedSession } from '../../helpers/ingested-session.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const stanza = (id: string, name: string, more = ''): string => `[Term]\nid: ${id}\nname: ${name}\n${more}\n`;
const releases: Readonly<Record<string, string>> = {
  '2019-01': `format-version: 1.2\ndata-version: 2019-01-01\n\n${stanza('HX:1', 'one', 'is_obsolete: true\nreplaced_by: HX:3\n')}${stanza('HX:2', 'two', 'is_obsolete: true\nreplaced_by: HX:3\n')}${stanza('HX:3', 'three')}${stanza('HX:4', 'four')}`,
  '2019-02': `format-version: 1.2\ndata-version: 2019-02-01\n\n${stanza('HX:1', 'one', 'is_obsolete: true\nreplaced_by: HX:4\n')}${stanza('HX:2', 'two')}${stanza('HX:3', 'three')}${stanza('HX:4', 'four')}`,
};

const temp = makeTempRoot('ontocat-deprecation-changes');
let session: Session;

beforeAll(async () => {
  session = await ingestedSession(temp.root, 'hx', Object.fromEntries(Object.entries(releases).map(([version, text]) => [version, { 'hx.obo': text }])));
}, 120_000);
afterAll(async () => {
  await session.close();
  temp.cleanup();
});

describe('a reversed deprecation and a changed replacement', () => {
  const expected = [
    { change: 'UNDEPRECATED', term: 'HX:2', before: null, after: null },
    { change: 'REPLACED', term: 'HX:1', before: 'HX:3', after: 'HX:4' },
  ];

  it('are in the history, in the release pair where they happened', async () => {
    const events = async (term: string) => (await session.call('terms:history', { term, service: 'hx' })).timelines[0]!.events
      .filter((e) => e.kind === 'UNDEPRECATED' || e.kind === 'REPLACED')
      .map((e) => ({ kind: e.kind, from: e.from_version, to: e.to_version, before: e.before, after: e.after }));
    expect(await events('HX:1')).toEqual([{ kind: 'REPLACED', from: '2019-01', to: '2019-02', before: 'HX:3', after: 'HX:4' }]);
    expect(await events('HX:2')).toEqual([{ kind: 'UNDEPRECATED', from: '2019-01', to: '2019-02', before: null, after: null }]);
  });

  it('are in the whole-version delta and in the file\'s own delta, alike', async () => {
    const whole = await session.call('terms:version-delta', { a: 'hx/2019-01', b: 'hx/2019-02' });
    expect(whole.summary).toMatchObject({ undeprecated: 1, replaced: 1, deprecated: 0, added: 0, removed: 0 });
    expect(whole.changes.items.map((c) => ({ change: c.change, term: c.ident, before: c.before, after: c.after }))).toEqual(expected);
    const file = await session.call('delta:terms', { from: 'hx/2019-01', to: 'hx/2019-02', relpath: 'hx.obo' });
    expect(file.summary).toEqual(whole.summary);
    expect(file.changes.items.map((c) => ({ change: c.change, term: c.term, before: c.before, after: c.after }))).toEqual(expected);
  });
});
