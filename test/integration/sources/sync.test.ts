import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { deliverWebhook, deliveryKey } from '../../../electron/sources/notify.js';
import { SourceScheduler } from '../../../electron/sources/scheduler.js';
import { syncSources, type SyncOptions } from '../../../electron/sources/sync.js';
import type { Clock } from '../../../electron/sources/clock.js';
import type { SourceSpec } from '../../../electron/shared/contract/sources.js';
import { edamRelease, release, ReleaseServer, vocabulariesTarball } from '../../helpers/release-server.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import YAML from 'yaml';

const server = new ReleaseServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

const fast: Pick<SyncOptions, 'fetch' | 'webhook'> = { fetch: { retries: 3, backoffMs: 10, timeoutMs: 5000 }, webhook: { retries: 4, backoffMs: 10 } };

describe('sources: sync, runs, review', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let session: Session;
  beforeEach(async () => {
    temp = makeTempRoot('ontocat-sources');
    session = await openSession({ root: temp.root, actor: 'test' });
    server.current.clear();
    server.trouble.clear();
    server.redirects.clear();
    server.packages.clear();
    server.log.length = 0;
    server.posts.length = 0;
  });
  afterEach(async () => {
    await session.close();
    temp.cleanup();
  });

  const sync = (ids?: string[], extra: Partial<SyncOptions> = {}) => syncSources(session.catalog, { ids, trigger: 'cli', actor: 'test', ...fast, ...extra });
  const save = (spec: SourceSpec) => session.call('sources:save', { spec });
  const versions = async (service: string) => (await session.call('versions:list', { service, sort: 'release', direction: 'asc' })).items.map((v) => v.version);

  it('follows a time series of real EDAM releases: content version, 304 unchanged, candidates, approve to latest', async () => {
    server.current.set('/edam.obo', release(edamRelease('EDAM_1.0.obo'), 'Fri, 13 Jan 2012 18:00:00 GMT'));
    await save({ id: 'edam', service: 'edam', artifacts: [{ type: 'url', url: `${server.base}/edam.obo` }] });

    const first = await sync();
    expect(first).toMatchObject({ changed: 1, unchanged: 0, failed: 0 });
    const run = first.runs[0]!;
    expect(run).toMatchObject({ status: 'changed', version: '1.0', trigger: 'cli' });
    expect(run.manifest.output).toMatchObject({
      outcome: 'created', version: '1.0', version_rule: { rule: 'content', evidence: 'edam.obo: data-version: 1.0' }, files: 1,
    });
    expect(run.manifest.output!.validation).toMatchObject({ files_checked: 1 });
    expect(run.manifest.inputs[0]).toMatchObject({ sent: { etag: null }, received: { http: 200, last_modified: 'Fri, 13 Jan 2012 18:00:00 GMT' } });
    expect(run.idempotency_key).toMatch(/^[0-9a-f]{64}$/);

    // Nothing changed: a conditional GET answered 304, no body, no version.
    const again = await sync();
    expect(again.runs[0]).toMatchObject({ status: 'unchanged', version: null });
    expect(again.runs[0]!.manifest.output!.reason).toBe('HTTP 304 Not Modified');
    expect(server.hits('/edam.obo').map((hit) => hit.status)).toEqual([200, 304]);
    expect(server.hits('/edam.obo')[1]!.ifNoneMatch).toBe(server.current.get('/edam.obo')!.etag);

    // The next release appears.
    server.current.set('/edam.obo', release(edamRelease('EDAM_1.1.obo'), 'Thu, 05 Jul 2012 18:00:00 GMT'));
    const next = await sync();
    expect(next.runs[0]).toMatchObject({ status: 'changed', version: '1.1' });
    expect(await versions('edam')).toEqual(['1.0', '1.1']);

    // Both are candidates; nothing is latest until a curator approves.
    expect(await session.call('latest:get', { service: 'edam' })).toBeNull();
    const pending = (await session.call('review:list', {})).items;
    expect(pending.map((c) => c.version).sort()).toEqual(['1.0', '1.1']);
    await session.call('review:approve', { ref: 'edam/1.0' });
    const review = (await session.call('review:list', {})).items;
    expect(review).toHaveLength(1);
    const candidate = review[0]!;
    expect(candidate).toMatchObject({ version: '1.1', latest: '1.0', state: 'pending' });
    // NEW ERROR findings as the Delta page's validation delta counts them.
    const validationDelta = await session.call('delta:validations', { from: 'edam/1.0', to: 'edam/1.1', severity: 'ERROR', status: 'new', limit: 1 });
    expect(candidate.impact).toMatchObject({ files_from: 1, files_to: 1, files_modified: 1, new_errors: validationDelta.findings.total });
    // EDAM 1.1 added terms to 1.0 (the term impact compares the two OBO files).
    expect(candidate.impact!.terms!.added).toBeGreaterThan(0);
    const decision = await session.call('review:approve', { ref: 'edam/1.1' });
    expect(decision).toMatchObject({ state: 'approved', previous_latest: '1.0' });
    expect((await session.call('latest:get', { service: 'edam' }))?.version).toBe('1.1');

    const summary = await session.call('sources:get', { id: 'edam' });
    expect(summary.last_run).toMatchObject({ status: 'changed', version: '1.1' });
    expect(summary.health).toMatchObject({ consecutive_failures: 0 });
    expect(summary.health.last_changed).not.toBeNull();
    expect(summary.pending_candidates).toBe(0);
    const runs = await session.call('sources:runs', { id: 'edam' });
    expect(runs.items.map((r) => r.status)).toEqual(['changed', 'unchanged', 'changed']);
  }, 120_000);

  it('repeated and concurrent syncs create each release once; same bytes without validators are unchanged', async () => {
    server.current.set('/edam.obo', release(edamRelease('EDAM_1.2.obo'), 'Thu, 13 Dec 2012 00:00:00 GMT'));
    await save({ id: 'edam', service: 'edam', artifacts: [{ type: 'url', url: `${server.base}/edam.obo` }] });
    const results = await Promise.all([sync(), sync(), sync(['edam'])]);
    const statuses = results.map((r) => r.runs[0]!.status).sort();
    expect(statuses).toEqual(['changed', 'unchanged', 'unchanged']);
    expect(await versions('edam')).toEqual(['1.2']);

    // A server that forgets its validators (new ETag, same bytes): downloaded, but no new version.
    const same = release(edamRelease('EDAM_1.2.obo'), 'Sat, 01 Jun 2013 00:00:00 GMT');
    server.current.set('/edam.obo', { ...same, etag: '"other"' });
    const refetched = await sync();
    expect(refetched.runs[0]).toMatchObject({ status: 'unchanged', version: '1.2' });
    expect(refetched.runs[0]!.manifest.output!.reason).toContain('same content as edam/1.2');
    expect(await versions('edam')).toEqual(['1.2']);
    const candidates = (await session.call('review:list', { state: 'all' })).items;
    expect(candidates).toHaveLength(1);
  }, 120_000);

  it('a source serving an older release another source brought in: unchanged, no second version, no candidate for the old one', async () => {
    server.current.set('/a/edam.obo', release(edamRelease('EDAM_1.0.obo'), 'Fri, 13 Jan 2012 18:00:00 GMT'));
    await save({ id: 'a', service: 'edam', artifacts: [{ type: 'url', url: `${server.base}/a/edam.obo` }] });
    expect((await sync(['a'])).changed).toBe(1);
    server.current.set('/a/edam.obo', release(edamRelease('EDAM_1.1.obo'), 'Thu, 05 Jul 2012 18:00:00 GMT'));
    expect((await sync(['a'])).changed).toBe(1);
    await session.call('review:approve', { ref: 'edam/1.0' });

    // A mirror still on 1.0: its bytes are edam/1.0, not the newest (1.1), and not new either.
    server.current.set('/b/edam.obo', release(edamRelease('EDAM_1.0.obo'), 'Fri, 13 Jan 2012 18:00:00 GMT'));
    await save({ id: 'b', service: 'edam', artifacts: [{ type: 'url', url: `${server.base}/b/edam.obo` }] });
    const mirror = (await sync(['b'])).runs[0]!;
    expect(mirror).toMatchObject({ status: 'unchanged', version: '1.0' });
    expect(mirror.manifest.output!.reason).toContain('same content as edam/1.0, already in the catalog');
    expect(await versions('edam')).toEqual(['1.0', '1.1']);
    const candidates = (await session.call('review:list', { state: 'all' })).items;
    expect(candidates.map((c) => [c.version, c.state]).sort()).toEqual([['1.0', 'approved'], ['1.1', 'pending']]);
    // Recorded: the next check of the mirror knows the release without reading it again.
    server.current.set('/b/edam.obo', { ...release(edamRelease('EDAM_1.0.obo'), 'Fri, 13 Jan 2012 18:00:00 GMT'), etag: '"moved"' });
    expect((await sync(['b'])).runs[0]!.manifest.output!.reason).toBe('same content as edam/1.0, already recorded');
  }, 120_000);

  it('retries 5xx bursts and truncated bodies, follows redirects, survives a slow server; one failing source never stops the others', async () => {
    server.current.set('/a/edam.obo', release(edamRelease('EDAM_1.0.obo'), 'Fri, 13 Jan 2012 18:00:00 GMT'));
    server.trouble.set('/a/edam.obo', { fail5xx: 2 });
    server.current.set('/b/edam.obo', release(edamRelease('EDAM_1.1.obo'), 'Thu, 05 Jul 2012 18:00:00 GMT'));
    server.trouble.set('/b/edam.obo', { truncate: 1, slowMs: 20 });
    server.redirects.set('/purl/edam.obo', '/c/EDAM_1.2.obo');
    server.current.set('/c/EDAM_1.2.obo', release(edamRelease('EDAM_1.2.obo'), 'Thu, 13 Dec 2012 00:00:00 GMT'));
    await save({ id: 'a', service: 'svc-a', artifacts: [{ type: 'url', url: `${server.base}/a/edam.obo` }] });
    await save({ id: 'b', service: 'svc-b', artifacts: [{ type: 'url', url: `${server.base}/b/edam.obo` }] });
    await save({ id: 'c', service: 'svc-c', artifacts: [{ type: 'url', url: `${server.base}/purl/edam.obo` }] });
    await save({ id: 'gone', service: 'svc-d', artifacts: [{ type: 'url', url: `${server.base}/nothing-here.obo` }] });

    const result = await sync();
    expect(result).toMatchObject({ changed: 3, failed: 1 });
    const byId = new Map(result.runs.map((r) => [r.source_id, r]));
    expect(byId.get('a')!.manifest.inputs[0]!.received.attempts).toBe(3);
    expect(byId.get('b')!.manifest.inputs[0]!.received.attempts).toBe(2);
    expect(byId.get('c')!.manifest.inputs[0]!.final_url).toBe(`${server.base}/c/EDAM_1.2.obo`);
    expect(byId.get('c')!.version).toBe('1.2');
    expect(byId.get('gone')).toMatchObject({ status: 'failed', error_code: 'FETCH_FAILED' });
    expect(byId.get('gone')!.error_message).toContain('HTTP 404');

    await sync(['gone']);
    const health = await session.call('sources:get', { id: 'gone' });
    expect(health.health.consecutive_failures).toBe(2);
    expect(health.last_run).toMatchObject({ status: 'failed' });
  }, 120_000);

  it('a body that stalls times out and is retried; a server that keeps stalling fails the run after its retries', async () => {
    server.current.set('/stall.obo', release(edamRelease('EDAM_1.0.obo'), 'Fri, 13 Jan 2012 18:00:00 GMT'));
    server.trouble.set('/stall.obo', { stall: 1 });
    await save({ id: 'stall', service: 'stall', artifacts: [{ type: 'url', url: `${server.base}/stall.obo` }] });
    const patient = { fetch: { retries: 2, backoffMs: 10, timeoutMs: 1500 } };
    const first = (await sync(undefined, patient)).runs[0]!;
    expect(first).toMatchObject({ status: 'changed', version: '1.0' });
    expect(first.manifest.inputs[0]!.received.attempts).toBe(2);
    server.current.set('/stall.obo', release(edamRelease('EDAM_1.1.obo'), 'Thu, 05 Jul 2012 18:00:00 GMT'));
    server.trouble.set('/stall.obo', { stall: 5 });
    const second = (await sync(undefined, patient)).runs[0]!;
    expect(second).toMatchObject({ status: 'failed', error_code: 'FETCH_FAILED' });
    expect(second.error_message).toMatch(/stalled|timed out|timeout/i);
    expect(await versions('stall')).toEqual(['1.0']);
  }, 120_000);

  it('refuses a body over the source size cap and records the failure', async () => {
    server.current.set('/big.obo', release(edamRelease('EDAM_1.0.obo'), 'Fri, 13 Jan 2012 18:00:00 GMT'));
    await save({ id: 'big', service: 'big', artifacts: [{ type: 'url', url: `${server.base}/big.obo` }], max_bytes: 1000 });
    const result = await sync();
    expect(result.runs[0]).toMatchObject({ status: 'failed', error_code: 'LIMIT_EXCEEDED' });
    expect(await versions('big')).toEqual([]);
  }, 60_000);

  it('resolves real @zazuko/rdf-vocabularies releases from an npm registry; the npm version names the version', async () => {
    const v2019 = await vocabulariesTarball('rdf-vocabularies-2019');
    const v2020 = await vocabulariesTarball('rdf-vocabularies-2020');
    const name = '@zazuko/rdf-vocabularies';
    server.packages.set(name, [{ version: v2019.version, tarball: release(v2019.body, 'Thu, 27 Jun 2019 10:00:00 GMT'), published: '2019-06-27T10:00:00.000Z' }]);
    await save({ id: 'vocabs', service: 'vocabs', artifacts: [{ type: 'npm', package: name, registry: `${server.base}/registry` }] });
    const first = await sync();
    expect(first.runs[0]).toMatchObject({ status: 'changed', version: '2019.6.27' });
    expect(first.runs[0]!.manifest.output!.version_rule).toEqual({ rule: 'resolver', evidence: 'resolver version 2019.6.27' });
    expect(first.runs[0]!.manifest.inputs[0]!.resolver).toMatchObject({ resolver: 'npm', version: '2019.6.27', published: '2019-06-27T10:00:00.000Z' });
    expect(first.runs[0]!.manifest.output!.files).toBe(5);

    const second = await sync();
    expect(second.runs[0]).toMatchObject({ status: 'unchanged' });
    server.packages.get(name)!.push({ version: v2020.version, tarball: release(v2020.body, 'Wed, 17 Jun 2020 10:00:00 GMT'), published: '2020-06-17T10:00:00.000Z' });
    const third = await sync();
    expect(third.runs[0]).toMatchObject({ status: 'changed', version: '2020.6.17' });
    expect(await versions('vocabs')).toEqual(['2019.6.27', '2020.6.17']);
  }, 120_000);

  it('auto promotion with no latest: a release whose only file does not parse is held for review, never made latest', async () => {
    // A Turtle file cut off mid-statement: its syntax failure is an ERROR (what `findings
    // --severity ERROR` lists), though it holds no ERROR finding of another rule.
    server.current.set('/onto.ttl', release(Buffer.from('@prefix : <http://example.org/> .\n:a :b :c .\n:d :e\n', 'utf8'), 'Fri, 13 Jan 2012 18:00:00 GMT'));
    await save({ id: 'onto', service: 'onto', promotion: 'auto', artifacts: [{ type: 'url', url: `${server.base}/onto.ttl` }] });
    const first = await sync();
    expect(first.runs[0]!.status).toBe('changed');
    const version = first.runs[0]!.version!;
    const stats = await session.call('versions:stats', { ref: `onto/${version}` });
    expect(stats.health).toMatchObject({ files_checked: 1, files_unparsable: 1 });
    expect(await session.call('latest:get', { service: 'onto' })).toBeNull();
    const runs = await session.call('sources:runs', { id: 'onto' });
    expect(runs.items[0]!.manifest.output!.promotion).toEqual({ promoted: false, reason: '1 ERROR finding and no latest to compare with; left for review' });
    expect(runs.items[0]!.manifest.output!.validation).toEqual({ files_checked: 1, files_unparsable: 1, files_with_errors: 1, errors: 0, warnings: 0 });
  });

  it('auto promotion against a latest: a release whose file no longer parses brings a NEW ERROR and is held', async () => {
    server.current.set('/onto.ttl', release(Buffer.from('@prefix : <http://example.org/> .\n:a :b :c .\n', 'utf8'), 'Fri, 13 Jan 2012 18:00:00 GMT'));
    await save({ id: 'onto', service: 'onto', promotion: 'auto', artifacts: [{ type: 'url', url: `${server.base}/onto.ttl` }] });
    const first = await sync();
    expect((await session.call('latest:get', { service: 'onto' }))?.version).toBe(first.runs[0]!.version);
    server.current.set('/onto.ttl', release(Buffer.from('@prefix : <http://example.org/> .\n:a :b :c .\n:d :e\n', 'utf8'), 'Sat, 14 Jan 2012 18:00:00 GMT'));
    const second = await sync();
    expect(second.runs[0]!.status).toBe('changed');
    expect((await session.call('latest:get', { service: 'onto' }))?.version).toBe(first.runs[0]!.version);
    const runs = await session.call('sources:runs', { id: 'onto' });
    expect(runs.items[0]!.manifest.output!.promotion).toEqual({ promoted: false, reason: `1 NEW ERROR finding against onto/${first.runs[0]!.version}; left for review` });
  });

  it('auto promotion: held on ERROR findings, promoted when none is NEW against latest, each with its reason; webhooks delivered once', async () => {
    const edam10 = edamRelease('EDAM_1.0.obo');
    server.current.set('/edam.obo', release(edam10, 'Fri, 13 Jan 2012 18:00:00 GMT'));
    server.webhookFailures = 2;
    await save({ id: 'edam', service: 'edam', promotion: 'auto', webhook: `${server.base}/hook`, artifacts: [{ type: 'url', url: `${server.base}/edam.obo` }] });
    const first = await sync();
    expect(first.runs[0]!.status).toBe('changed');
    // EDAM 1.0 has ERROR findings and there is no latest to compare with: left for review.
    const firstHealth = first.runs[0]!.manifest.output!.validation!;
    expect(firstHealth.errors).toBeGreaterThan(0);
    expect(await session.call('latest:get', { service: 'edam' })).toBeNull();
    let runs = await session.call('sources:runs', { id: 'edam' });
    expect(runs.items[0]!.manifest.output!.promotion).toEqual({ promoted: false, reason: `${firstHealth.errors} ERROR ${firstHealth.errors === 1 ? 'finding' : 'findings'} and no latest to compare with; left for review` });
    await session.call('review:approve', { ref: 'edam/1.0' });

    // A re-release with only its data-version changed brings no NEW ERROR finding: promoted.
    const rereleased = Buffer.from(edam10.toString('utf8').replace('data-version: 1.0', 'data-version: 1.0.1'), 'utf8');
    server.current.set('/edam.obo', release(rereleased, 'Sat, 14 Jan 2012 18:00:00 GMT'));
    const second = await sync();
    expect(second.runs[0]).toMatchObject({ status: 'changed', version: '1.0.1' });
    expect((await session.call('latest:get', { service: 'edam' }))?.version).toBe('1.0.1');
    runs = await session.call('sources:runs', { id: 'edam' });
    expect(runs.items[0]!.manifest.output!.promotion).toEqual({ promoted: true, reason: 'no NEW ERROR finding against edam/1.0' });
    const events = await session.call('events:list', { type: 'candidate.promoted' });
    expect(events.items).toHaveLength(1);
    expect((await session.call('review:list', { state: 'approved' })).items.find((c) => c.version === '1.0.1')).toMatchObject({ decided_by: 'auto:edam' });

    // Three events (two candidates, one promotion), each POSTed once; the first after two 503s.
    expect(server.posts.map((post) => `${(post.body as { type: string }).type} ${(post.body as { version: string }).version}`).sort())
      .toEqual(['candidate.created 1.0', 'candidate.created 1.0.1', 'candidate.promoted 1.0.1']);
    expect(new Set(server.posts.map((post) => post.key)).size).toBe(3);
    const deliveries = await session.call('sources:notifications', {});
    expect(deliveries.items.every((d) => d.status === 'delivered')).toBe(true);
    expect(deliveries.items.map((d) => d.attempts).sort()).toEqual([1, 1, 3]);

    // Delivering the same event again never notifies twice.
    const event = { type: 'candidate.created' as const, service: 'edam', version: '1.0', run_id: first.runs[0]!.run_id };
    const key = deliveryKey(event, `${server.base}/hook`);
    const again = await deliverWebhook(session.catalog, `${server.base}/hook`, event.type, key, event, { backoffMs: 10 });
    expect(again.status).toBe('delivered');
    expect(server.posts).toHaveLength(3);
  }, 120_000);

  it('rejects a candidate; a paused source is skipped by a plain sync but runs when named', async () => {
    server.current.set('/edam.obo', release(edamRelease('EDAM_1.0.obo'), 'Fri, 13 Jan 2012 18:00:00 GMT'));
    await save({ id: 'edam', service: 'edam', artifacts: [{ type: 'url', url: `${server.base}/edam.obo` }], enabled: false });
    expect((await sync()).runs).toHaveLength(0);
    expect((await sync(['edam'])).runs[0]!.status).toBe('changed');
    const decision = await session.call('review:reject', { ref: 'edam/1.0', reason: 'not wanted' });
    expect(decision.state).toBe('rejected');
    expect((await session.call('review:list', {})).items).toEqual([]);
    expect((await session.call('review:list', { state: 'rejected' })).items[0]).toMatchObject({ version: '1.0', reason: 'not wanted', decided_by: 'test' });
  }, 60_000);

  it('a rejected candidate is offered to prune with its reason; pinned and latest stay; plan, preview, apply', async () => {
    await save({ id: 'edam', service: 'edam', artifacts: [{ type: 'url', url: `${server.base}/edam.obo` }] });
    for (const [name, date] of [['EDAM_1.0.obo', 'Fri, 13 Jan 2012 18:00:00 GMT'], ['EDAM_1.1.obo', 'Thu, 05 Jul 2012 18:00:00 GMT'], ['EDAM_1.2.obo', 'Thu, 13 Dec 2012 00:00:00 GMT']] as const) {
      server.current.set('/edam.obo', release(edamRelease(name), date));
      expect((await sync()).changed).toBe(1);
    }
    await session.call('review:approve', { ref: 'edam/1.2' });
    await session.call('review:reject', { ref: 'edam/1.0', reason: 'broken header' });
    await session.call('review:reject', { ref: 'edam/1.1' });
    await session.call('versions:pin', { ref: 'edam/1.1', pinned: true, reason: 'cited in a paper' });
    await expect(session.call('review:reject', { ref: 'edam/1.2' })).rejects.toThrow(/is the latest edam; set another version latest before rejecting it/);
    const today = new Date().toISOString().slice(0, 10);

    // Rejected candidates only: 1.0 goes with its reason; the pinned 1.1 and the latest 1.2 stay, saying why.
    const plan = await session.call('prune:plan', { rejected: true, service: 'edam' });
    expect(plan.policy).toMatchObject({ rejected: true, keep_last: null });
    expect(plan.removals.map((v) => [`${v.service}/${v.version}`, v.rejected])).toEqual([['edam/1.0', `rejected on ${today} by test: broken header`]]);
    expect(plan.kept.map((v) => [v.version, v.reasons, v.rejected ?? null])).toEqual([
      ['1.2', ['latest', 'not_rejected'], null], ['1.1', ['pinned'], `rejected on ${today} by test`],
    ]);
    expect(plan.files.filter((f) => f.what === 'data').map((f) => f.path)).toEqual(['edam/1.0/data/edam.obo']);
    // Under "rejected", keep-last does not shelter a rejected candidate; without it, the reason still shows.
    const withKeep = await session.call('prune:plan', { rejected: true, keep_last: 5 });
    expect(withKeep.removals.map((v) => v.version)).toEqual(['1.0']);
    const byAge = await session.call('prune:plan', { keep_last: 1 });
    expect(byAge.removals.map((v) => [v.version, v.rejected])).toEqual([['1.0', `rejected on ${today} by test: broken header`]]);
    // A curator may still leave it out.
    const chosen = await session.call('prune:choose', { plan_id: plan.plan_id, without: ['edam/1.0'] });
    expect(chosen.removals).toEqual([]);
    expect(chosen.policy.rejected).toBe(true);

    const applied = await session.call('prune:apply', { plan_id: (await session.call('prune:plan', { rejected: true, service: 'edam' })).plan_id });
    expect(applied.files_moved).toBeGreaterThan(0);
    expect(await versions('edam')).toEqual(['1.1', '1.2']);
    expect((await session.call('review:list', { state: 'rejected' })).items.map((c) => c.version)).toEqual(['1.1']);
    // Nothing left to offer.
    expect((await session.call('prune:plan', { rejected: true })).removals).toEqual([]);
  }, 180_000);

  it('a URL template over the npm version; a cancelled run leaves nothing and the next completes; progress and desktop notifications', async () => {
    const v2019 = await vocabulariesTarball('rdf-vocabularies-2019');
    const name = '@zazuko/rdf-vocabularies';
    server.packages.set(name, [{ version: v2019.version, tarball: release(v2019.body, 'Thu, 27 Jun 2019 10:00:00 GMT'), published: '2019-06-27T10:00:00.000Z' }]);
    server.current.set(`/mirror/${v2019.version}/vocabs.tgz`, release(v2019.body, 'Thu, 27 Jun 2019 10:00:00 GMT'));
    server.trouble.set(`/mirror/${v2019.version}/vocabs.tgz`, { slowMs: 300 });
    await save({
      id: 'mirror', service: 'mirror',
      artifacts: [{ type: 'template', template: `${server.base}/mirror/{version}/vocabs.tgz`, version: { type: 'npm', package: name, registry: `${server.base}/registry` } }],
    });

    // Cancelled while the body trickles in: the run says so, nothing is stored.
    const controller = new AbortController();
    const progress: string[] = [];
    const cancelled = sync(undefined, { signal: controller.signal, onProgress: (p) => { progress.push(p.current ?? ''); if (/download/.test(p.current ?? '')) controller.abort(); } });
    const stopped = await cancelled;
    expect(stopped.runs[0]).toMatchObject({ status: 'cancelled', error_code: 'CANCELLED', version: null });
    expect(progress.some((line) => line.startsWith('mirror: download'))).toBe(true);
    expect(await versions('mirror')).toEqual([]);

    // The next run brings it in; the template's URL and the npm version are the evidence; the desktop sink hears of it.
    server.trouble.clear();
    const heard: string[] = [];
    const run = (await sync(undefined, { onEvent: (event, text) => heard.push(`${event.type} ${event.version}: ${text.title}`) })).runs[0]!;
    expect(run).toMatchObject({ status: 'changed', version: '2019.6.27' });
    expect(run.manifest.inputs[0]!.resolver).toMatchObject({
      resolver: 'template', url: `${server.base}/mirror/2019.6.27/vocabs.tgz`, version_from: { resolver: 'npm', version: '2019.6.27' },
    });
    expect(run.manifest.output!.version_rule).toEqual({ rule: 'resolver', evidence: 'resolver version 2019.6.27' });
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatch(/^candidate\.created 2019\.6\.27: /);
    expect((await session.call('sources:runs', { id: 'mirror' })).items.map((r) => r.status)).toEqual(['changed', 'cancelled']);
  }, 120_000);

  it('runs schedules by an injected clock: missed runs are caught up once', async () => {
    server.current.set('/edam.obo', release(edamRelease('EDAM_1.0.obo'), 'Fri, 13 Jan 2012 18:00:00 GMT'));
    await save({ id: 'edam', service: 'edam', schedule: '0 3 * * *', artifacts: [{ type: 'url', url: `${server.base}/edam.obo` }] });
    // Three days later: the schedule fired three times meanwhile.
    let now = new Date(Date.now() + 3 * 86_400_000);
    const timers: number[] = [];
    const clock: Clock = { now: () => now, setTimer: (_fn, ms) => { timers.push(ms); return () => undefined; } };
    const ran: string[][] = [];
    const scheduler = new SourceScheduler(session.catalog, {
      clock, run: async (ids) => { ran.push([...ids]); await syncSources(session.catalog, { ids, trigger: 'schedule', actor: 'scheduler', clock, ...fast }); },
    });
    await scheduler.tick();
    await scheduler.tick();
    expect(ran).toEqual([['edam']]);
    const listed = await session.call('sources:get', { id: 'edam' });
    expect(listed.last_run).toMatchObject({ trigger: 'schedule', status: 'changed' });
    expect(new Date(listed.next_run!).getTime()).toBeGreaterThan(now.getTime());
    now = new Date(now.getTime() + 86_400_000);
    await scheduler.tick();
    expect(ran).toEqual([['edam'], ['edam']]);
    expect(timers.length).toBeGreaterThan(0);
    await scheduler.stop();
  }, 60_000);

  it('imports and exports sources as JSON and YAML; an invalid file changes nothing', async () => {
    const yaml = [
      'schema: ontocat.sources/1',
      'sources:',
      '  - id: edam',
      '    service: edam',
      '    schedule: "0 3 * * 1"',
      '    artifacts:',
      '      - type: url',
      `        url: ${server.base}/edam.obo`,
      '  - id: vocabs',
      '    service: vocabs',
      '    promotion: auto',
      '    artifacts:',
      '      - type: npm',
      '        package: "@zazuko/rdf-vocabularies"',
    ].join('\n');
    // A file in the old format (schema 1, one artifact per source) still imports.
    expect(await session.call('sources:import', { document: yaml })).toEqual({ added: ['edam', 'vocabs'], updated: [], unchanged: [] });
    const exported = await session.call('sources:export', { format: 'json' });
    expect(exported.count).toBe(2);
    const parsed = JSON.parse(exported.document) as { schema: string; sources: SourceSpec[] };
    expect(parsed.schema).toBe('ontocat.sources/2');
    expect(parsed.sources[0]).toMatchObject({ id: 'edam', schedule: '0 3 * * 1', version_rule: 'auto', promotion: 'manual', enabled: true });
    // Round trip: importing the export changes nothing.
    expect(await session.call('sources:import', { document: exported.document })).toEqual({ added: [], updated: [], unchanged: ['edam', 'vocabs'] });
    const yamlOut = await session.call('sources:export', { format: 'yaml' });
    expect(await session.call('sources:import', { document: yamlOut.document })).toMatchObject({ unchanged: ['edam', 'vocabs'] });
    // Names a YAML 1.1 reader (PyYAML) would take for booleans or dates stay strings there.
    await session.call('sources:import', { document: JSON.stringify({ schema: 'ontocat.sources/2', sources: [
      { id: 'yes', service: 'on', artifacts: [{ type: 'url', url: `${server.base}/edam.obo` }] },
    ] }) });
    const tricky = (await session.call('sources:export', { format: 'yaml' })).document;
    const asYaml11 = YAML.parse(tricky, { version: '1.1' }) as { sources: SourceSpec[] };
    expect(asYaml11.sources.find((source) => source.id === 'yes')).toMatchObject({ id: 'yes', service: 'on' });
    await session.call('sources:remove', { id: 'yes' });

    // Schema 2: a source with several artifacts, kept in order through export and import.
    const two = [
      'schema: ontocat.sources/2',
      'sources:',
      '  - id: go',
      '    service: go',
      '    artifacts:',
      '      - { type: url, url: "http://purl.obolibrary.org/obo/go.obo" }',
      '      - { type: url, url: "http://purl.obolibrary.org/obo/go.owl" }',
    ].join('\n');
    expect(await session.call('sources:import', { document: two })).toEqual({ added: ['go'], updated: [], unchanged: [] });
    const withTwo = JSON.parse((await session.call('sources:export', { format: 'json' })).document) as { sources: SourceSpec[] };
    expect(withTwo.sources.find((source) => source.id === 'go')!.artifacts.map((a) => (a.type === 'url' ? a.url : ''))).toEqual(['http://purl.obolibrary.org/obo/go.obo', 'http://purl.obolibrary.org/obo/go.owl']);
    expect(await session.call('sources:import', { document: (await session.call('sources:export', { format: 'yaml' })).document })).toMatchObject({ unchanged: ['edam', 'go', 'vocabs'] });
    // Several artifacts in a schema-1 file, or two artifacts with one file name, are refused with a reason.
    await expect(session.call('sources:import', { document: two.replace('ontocat.sources/2', 'ontocat.sources/1') })).rejects.toThrow(/one artifact per source; write schema 'ontocat.sources\/2'/);
    await expect(session.call('sources:import', { document: two.replace('go.owl', 'x/go.obo') })).rejects.toThrow(/same file name as an earlier one \(go.obo\)/);
    await session.call('sources:remove', { id: 'go' });

    const bad = yaml.replace('0 3 * * 1', '99 99 * * *').replace('id: vocabs', 'id: other');
    await expect(session.call('sources:import', { document: bad })).rejects.toThrow(/Source 'edam': Invalid schedule/);
    await expect(session.call('sources:import', { document: '{"schema":"ontocat.sources/9","sources":[]}' })).rejects.toThrow(/expected schema 'ontocat.sources\/1'/);
    expect((await session.call('sources:list', {})).map((s) => s.id)).toEqual(['edam', 'vocabs']);
  }, 60_000);
});
