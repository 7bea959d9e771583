/**
 * A source's webhook URL is a secret (whoever has a Slack-style hook's whole URL can post
 * to the channel): over real HTTP to `ontocat server`, a viewer never receives it (sources
 * list/get/export in JSON and YAML, notification deliveries, events, jobs), only its scheme
 * and host with `webhook_set`; a curator and an admin, who may edit sources, get the URL.
 * A curator's save with `keep_webhook` keeps the stored URL (the form never held it), and a
 * save without a webhook clears it. YAML is read by PyYAML, not by our code.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { startTeamServer, type TeamServer } from '../../../electron/serve/team-server.js';
import type { Role } from '../../../electron/shared/channel-roles.js';
import type { SourceSpec } from '../../../electron/shared/contract/sources.js';
import { deliveryKey, deliverWebhook } from '../../../electron/sources/notify.js';
import type { RawResponse } from '../../helpers/http-request.js';
import { seedSmallCatalog } from '../../helpers/small-catalog.js';
import { teamCall, teamLogin, type TeamLogin } from '../../helpers/team-client.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { RENDERER_DIR } from '../../helpers/web-host.js';

const PASSWORD: Readonly<Record<Role, string>> = { viewer: 'viewer-password-1', curator: 'curator-password-1', admin: 'admin-password-1' };
const ROLES: readonly Role[] = ['viewer', 'curator', 'admin'];
/** The secret part of the hook: a closed port, so a delivery fails and is recorded with its error. */
const SECRET = 'T0SECRET/B0SECRET/xoxSecretToken';
const HOOK = `http://127.0.0.1:9/services/${SECRET}`;

const spec: SourceSpec = { id: 'hooked', service: 'go', artifacts: [{ type: 'url', url: 'https://example.org/go.obo' }], webhook: HOOK, note: 'first' };

/** PyYAML's reading of a YAML document, as JSON. */
function pyyaml(document: string): unknown {
  const run = spawnSync('python3', ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))'], { input: document, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as unknown;
}

describe('ontocat server: a source webhook URL reaches only who may edit sources', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let session: Session;
  let server: TeamServer;
  const logins = new Map<Role, TeamLogin>();

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-team-webhook');
    session = await openSession({ actor: 'server', root: path.join(temp.root, 'root'), threads: 1 });
    await seedSmallCatalog(session.catalog);
    for (const role of ROLES) await session.call('users:add', { username: role, role, password: PASSWORD[role] });
    await session.call('sources:save', { spec });
    const event = { type: 'candidate.created', service: 'go', version: '2024-02-01', run_id: 'run-1' } as const;
    await deliverWebhook(session.catalog, HOOK, event.type, deliveryKey(event, HOOK), { ...event, source: 'hooked' }, { retries: 0, timeoutMs: 2000 });
    server = await startTeamServer({ session, rendererDir: RENDERER_DIR, heartbeatMs: 1000 });
    await server.accounts.settled();
    for (const role of ROLES) {
      const login = await teamLogin(server.port, role, PASSWORD[role]);
      expect(login.response.status).toBe(200);
      logins.set(role, login);
    }
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await session?.close();
    temp?.cleanup();
  });

  const call = async (role: Role, channel: string, input: unknown): Promise<RawResponse> => {
    const response = await teamCall(server.port, logins.get(role)!, channel, input);
    expect(response.status, `${role} ${channel}: ${response.body}`).toBe(200);
    return response;
  };

  it('a viewer receives no webhook URL from any channel that lists or shows sources, only its scheme and host', async () => {
    const reads: [string, unknown][] = [
      ['sources:list', {}], ['sources:get', { id: 'hooked' }], ['sources:export', {}], ['sources:export', { format: 'yaml' }],
      ['sources:notifications', {}], ['events:list', {}], ['jobs:list', {}], ['sources:runs', {}], ['review:list', { state: 'all' }],
    ];
    for (const [channel, input] of reads) {
      const response = await call('viewer', channel, input);
      expect(response.body, channel).not.toContain(SECRET);
      expect(response.body, channel).not.toContain('/services/');
    }
    const got = (await call('viewer', 'sources:get', { id: 'hooked' })).json<{ data: { spec: SourceSpec; webhook_set: boolean; webhook_origin: string } }>().data;
    expect(got.spec.webhook).toBeUndefined();
    expect(got.webhook_set).toBe(true);
    expect(got.webhook_origin).toBe(`${new URL(HOOK).origin}/…`);
    const exported = (await call('viewer', 'sources:export', { format: 'yaml' })).json<{ data: { document: string; webhooks_withheld: number } }>().data;
    expect(exported.webhooks_withheld).toBe(1);
    const file = pyyaml(exported.document) as { sources: Record<string, unknown>[] };
    expect(file.sources.map((source) => source.id)).toEqual(['hooked']);
    expect(file.sources[0]!.webhook).toBeUndefined();
    const deliveries = (await call('viewer', 'sources:notifications', {})).json<{ data: { items: { target: string; status: string }[] } }>().data.items;
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.status).toBe('failed');
    expect(deliveries[0]!.target).toBe(`${new URL(HOOK).origin}/…`);
  }, 60_000);

  it('a curator and an admin receive the URL', async () => {
    for (const role of ['curator', 'admin'] as const) {
      const got = (await call(role, 'sources:get', { id: 'hooked' })).json<{ data: { spec: SourceSpec; webhook_set: boolean } }>().data;
      expect(got.spec.webhook, role).toBe(HOOK);
      const exported = (await call(role, 'sources:export', { format: 'yaml' })).json<{ data: { document: string; webhooks_withheld: number } }>().data;
      expect((pyyaml(exported.document) as { sources: Record<string, unknown>[] }).sources[0]!.webhook, role).toBe(HOOK);
      expect(exported.webhooks_withheld).toBe(0);
      const deliveries = (await call(role, 'sources:notifications', {})).json<{ data: { items: { target: string }[] } }>().data.items;
      expect(deliveries[0]!.target, role).toBe(HOOK);
    }
  }, 60_000);

  it('a curator saving other fields with keep_webhook keeps the URL; a save without one clears it', async () => {
    const before = (await call('curator', 'sources:get', { id: 'hooked' })).json<{ data: { updated_at: string } }>().data;
    const { webhook: _dropped, ...withoutHook } = spec;
    const saved = await call('curator', 'sources:save', { spec: { ...withoutHook, note: 'second' }, keep_webhook: true, expected_updated_at: before.updated_at });
    expect(saved.json<{ data: { spec: SourceSpec } }>().data.spec.webhook).toBe(HOOK);
    const kept = pyyaml((await call('admin', 'sources:export', { format: 'yaml' })).json<{ data: { document: string } }>().data.document) as { sources: Record<string, unknown>[] };
    expect(kept.sources[0]!.webhook).toBe(HOOK);
    expect(kept.sources[0]!.note).toBe('second');

    const both = await teamCall(server.port, logins.get('curator')!, 'sources:save', { spec: { ...spec, note: 'third' }, keep_webhook: true });
    expect(both.status).toBe(400);

    await call('curator', 'sources:save', { spec: { ...withoutHook, note: 'third' } });
    const cleared = pyyaml((await call('admin', 'sources:export', { format: 'yaml' })).json<{ data: { document: string } }>().data.document) as { sources: Record<string, unknown>[] };
    expect(cleared.sources[0]!.webhook).toBeUndefined();
    expect((await call('viewer', 'sources:get', { id: 'hooked' })).json<{ data: { webhook_set: boolean } }>().data.webhook_set).toBe(false);
  }, 60_000);
});
