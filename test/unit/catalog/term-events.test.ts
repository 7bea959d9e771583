import { describe, expect, it } from 'vitest';
import { termEvents } from '../../../electron/catalog/term-index-queries.js';
import type { TermVersionState } from '../../../electron/shared/contract/terms.js';

function state(version: string, present: boolean, extra: Partial<TermVersionState> = {}): TermVersionState {
  return {
    version, release_rank: 0, release_date: null, is_latest: false, present, label: present ? 'a' : null, labels: present ? ['a'] : [],
    synonyms: [], definition: present ? 'd' : null, definitions: present ? ['d'] : [], deprecated: false, parents: [], replaced_by: [], consider: [], files: [], kind: present ? 'class' : null, ...extra,
  };
}

describe('termEvents', () => {
  it('names each change with the release pair where it shows', () => {
    const events = termEvents([
      state('1', false),
      state('2', true),
      state('3', true, { label: 'b', labels: ['b'], definition: 'e', definitions: ['e'] }),
      state('4', true, { label: 'b', labels: ['b'], definition: 'e', definitions: ['e'], deprecated: true, replaced_by: ['X:2'] }),
      state('5', false),
      state('6', true),
    ]);
    expect(events.map((e) => [e.kind, e.from_version, e.to_version, e.before, e.after])).toEqual([
      ['FIRST_SEEN', '1', '2', null, 'a'],
      ['RELABELLED', '2', '3', 'a', 'b'],
      ['REDEFINED', '2', '3', 'd', 'e'],
      ['DEPRECATED', '3', '4', null, 'X:2'],
      ['REMOVED', '4', '5', 'b', null],
      ['READDED', '5', '6', null, 'a'],
      // Back with its first label, definition and no deprecation: named from the last
      // release that had it, as the delta 4 → 6 names them.
      ['RELABELLED', '4', '6', 'b', 'a'],
      ['REDEFINED', '4', '6', 'e', 'd'],
      ['UNDEPRECATED', '4', '6', null, null],
    ]);
  });

  it('names a change of kind, also across releases the term is missing from', () => {
    const events = termEvents([
      state('1', true),
      state('2', true, { kind: 'individual' }),
      state('3', false),
      state('4', true),
    ]);
    expect(events.map((e) => [e.kind, e.from_version, e.to_version, e.before, e.after])).toEqual([
      ['FIRST_SEEN', null, '1', null, 'a'],
      ['RETYPED', '1', '2', 'class', 'individual'],
      ['REMOVED', '2', '3', 'a', null],
      ['READDED', '3', '4', null, 'a'],
      ['RETYPED', '2', '4', 'individual', 'class'],
    ]);
  });

  it('names what changed while a term was gone, from the last release that had it', () => {
    const events = termEvents([
      state('1.9', true, { label: 'gone later', labels: ['gone later'], parents: ['ORD:1'] }),
      state('1.10', false),
      state('1.11', true, { label: 'back again', labels: ['back again'], deprecated: true, replaced_by: ['ORD:3'] }),
      state('1.12', false),
      state('1.13', false),
      state('1.14', true, { label: 'back again', labels: ['back again'], deprecated: true, replaced_by: ['ORD:4'] }),
      state('1.15', false),
      state('1.16', true, { label: 'back again', labels: ['back again'], deprecated: true, replaced_by: ['ORD:4'] }),
    ]);
    expect(events.map((e) => [e.kind, e.from_version, e.to_version, e.before, e.after])).toEqual([
      ['FIRST_SEEN', null, '1.9', null, 'gone later'],
      ['REMOVED', '1.9', '1.10', 'gone later', null],
      ['READDED', '1.10', '1.11', null, 'back again'],
      ['RELABELLED', '1.9', '1.11', 'gone later', 'back again'],
      ['REPARENTED', '1.9', '1.11', 'ORD:1', null],
      ['DEPRECATED', '1.9', '1.11', null, 'ORD:3'],
      ['REMOVED', '1.11', '1.12', 'back again', null],
      ['READDED', '1.13', '1.14', null, 'back again'],
      ['REPLACED', '1.11', '1.14', 'ORD:3', 'ORD:4'],
      ['REMOVED', '1.14', '1.15', 'back again', null],
      // Back unchanged: nothing but the return.
      ['READDED', '1.15', '1.16', null, 'back again'],
    ]);
  });

  it('joins parents and replacements with commas, as both deltas do (labels keep their bar)', () => {
    const events = termEvents([
      state('1', true, { parents: ['X:1'] }),
      state('2', true, { parents: ['X:1', 'X:2'], label: 'a, b', labels: ['a, b', 'c'] }),
      state('3', true, { parents: [], label: 'a, b', labels: ['a, b', 'c'], deprecated: true, replaced_by: ['Y:1', 'Y:2'] }),
      state('4', true, { parents: [], label: 'a, b', labels: ['a, b', 'c'], deprecated: true, replaced_by: ['Y:3'] }),
    ]);
    expect(events.map((e) => [e.kind, e.before, e.after])).toEqual([
      ['FIRST_SEEN', null, 'a'],
      ['RELABELLED', 'a', 'a, b | c'],
      ['REPARENTED', 'X:1', 'X:1, X:2'],
      ['REPARENTED', 'X:1, X:2', null],
      ['DEPRECATED', null, 'Y:1, Y:2'],
      ['REPLACED', 'Y:1, Y:2', 'Y:3'],
    ]);
  });
});
