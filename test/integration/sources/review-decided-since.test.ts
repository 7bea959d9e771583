/**
 * Two reviewers decide the same candidate (a real EDAM release synced from a local server):
 * one opened Approve… (or Reject…) on it while it was pending, the other rejected (or
 * approved) it meanwhile. The later decision, based on 'pending', is refused and changes
 * nothing: the first decision and its reason stand, and the latest stays. The CLI, which
 * decides without a preview, still may re-decide.
 */
import { describe, expect, it } from 'vitest';
import { syncSources } from '../../../electron/sources/sync.js';
import { edamRelease } from '../../helpers/release-server.js';
import { localHttpServer, sessionPerTest } from '../../helpers/sync-fixtures.js';

let body: Buffer = Buffer.alloc(0);
const local = localHttpServer((_req, res) => { res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' }).end(body); });

describe('review decisions from two reviewers', () => {
  const live = sessionPerTest('ontocat-review-decided');

  const sync = async () => (await syncSources(live.session.catalog, { trigger: 'cli', actor: 'test', fetch: { retries: 0 } })).runs[0]!;
  const candidates = async () => (await live.session.call('review:list', { state: 'all' })).items.map((c) => [c.version, c.state, c.reason]);
  const latest = async () => (await live.session.call('latest:get', { service: 'edam' }))?.version ?? null;

  it('an approval based on a pending candidate another reviewer rejected since is refused; theirs and the latest stand', async () => {
    await live.session.call('sources:save', { spec: { id: 'edam', service: 'edam', artifacts: [{ type: 'url', url: `${local.base}/edam.obo` }] } });
    body = edamRelease('EDAM_1.0.obo');
    expect(await sync()).toMatchObject({ status: 'changed', version: '1.0' });
    await live.session.call('review:approve', { ref: 'edam/1.0', expected_state: 'pending' });
    body = edamRelease('EDAM_1.2.obo');
    expect(await sync()).toMatchObject({ status: 'changed', version: '1.2' });
    expect(await candidates()).toContainEqual(['1.2', 'pending', null]);

    // Reviewer B rejects 1.2; reviewer A, whose dialog still showed it pending, confirms Approve.
    await live.session.call('review:reject', { ref: 'edam/1.2', reason: 'labels broken', expected_state: 'pending' });
    await expect(live.session.call('review:approve', { ref: 'edam/1.2', expected_latest: '1.0', expected_state: 'pending' }))
      .rejects.toThrow(/^edam\/1\.2 was rejected by test \(labels broken\) since, not pending as this decision was based on; nothing was changed/);
    expect(await candidates()).toContainEqual(['1.2', 'rejected', 'labels broken']);
    expect(await latest()).toBe('1.0');

    // The other way: approved by one (then latest moved back), rejected by another who saw it pending.
    await live.session.call('review:approve', { ref: 'edam/1.2' });
    await live.session.call('latest:set', { ref: 'edam/1.0' });
    await expect(live.session.call('review:reject', { ref: 'edam/1.2', reason: 'too late', expected_state: 'pending' }))
      .rejects.toThrow(/^edam\/1\.2 was approved by test since, not pending/);
    expect(await candidates()).toContainEqual(['1.2', 'approved', null]);
  }, 120_000);
});
