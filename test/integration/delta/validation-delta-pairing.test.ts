/**
 * Findings with no subject (parser notices) pair across versions by what they say, not by
 * their place in the file: removing one malformed line of a real OBO parse fixes that
 * line's notice, and the notices of the lines below it, which moved up, persist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../../electron/handlers/session.js';
import { ingestedSession } from '../../helpers/ingested-session.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const v1 = 'format-version: 1.2\n\n[Term]\nid: N:1\nname: one\nfirst junk\nsecond junk\n\n[Term]\nid: N:2\nname: two\nthird junk\n';
const v2 = v1.replace('first junk\n', '');

const temp = makeTempRoot('ontocat-finding-pairing');
let session: Session;

beforeAll(async () => {
  session = await ingestedSession(temp.root, 'n', { 1: { 'f.obo': v1 }, 2: { 'f.obo': v2 } });
}, 120_000);
afterAll(async () => {
  await session.close();
  temp.cleanup();
});

describe('delta validations pairs parser notices by what they say', () => {
  it('the removed line is FIXED; the lines that moved up PERSIST', async () => {
    const result = await session.call('delta:validations', { from: 'n/1', to: 'n/2', limit: 100 });
    const said = (status: string): string[] => result.findings.items.filter((r) => r.status === status && r.validator === 'obo')
      .map((r) => /found '([^']+)'/.exec(r.message ?? '')?.[1] ?? String(r.message)).sort();
    expect(said('FIXED')).toEqual(['first junk']);
    expect(said('PERSISTING')).toEqual(['second junk', 'third junk']);
    expect(said('NEW')).toEqual([]);
  });
});
