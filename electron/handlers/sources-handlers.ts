import { listNotifications, listRuns } from '../catalog/source-queries.js';
import { pageWindow } from '../catalog/paging.js';
import { approveCandidate, listCandidates, rejectCandidate } from '../sources/review.js';
import {
  exportSources, importSources, removeSource, saveSource, setEnabled, sourceSummaries, sourceSummary, withholdTarget, withholdWebhook,
} from '../sources/sources-service.js';
import { roleAllows } from '../shared/channel-roles.js';
import { syncSources } from '../sources/sync.js';
import type { Channel } from '../shared/contract.js';
import type { SourceSummary, sourcesContract } from '../shared/contract/sources.js';
import { parseVersionRef } from '../shared/version-ref.js';
import type { HandlerContext, HandlerGroup } from './handler-types.js';
import { runAsJob } from './run-job.js';

type SourcesChannel = keyof typeof sourcesContract & Channel;

/**
 * Whether the caller receives sources' webhook URLs: a Slack-style hook is a secret, so only
 * who may edit sources (and the owner's own front doors) gets it; others see scheme and host.
 */
function seesWebhooks(ctx: HandlerContext): boolean {
  return ctx.role === undefined || roleAllows(ctx.role, 'sources:save');
}

function shown<T extends SourceSummary | SourceSummary[]>(ctx: HandlerContext, answer: T): T {
  if (seesWebhooks(ctx)) return answer;
  return (Array.isArray(answer) ? answer.map(withholdWebhook) : withholdWebhook(answer as SourceSummary)) as T;
}

/** Handlers of the source, run and review channels. */
export const sourcesHandlers: HandlerGroup<SourcesChannel> = {
  'sources:list': async (_input, ctx) => shown(ctx, await sourceSummaries(ctx.catalog)),
  'sources:get': async (input, ctx) => shown(ctx, await sourceSummary(ctx.catalog, input.id)),
  'sources:save': async (input, ctx) => shown(ctx, await saveSource(ctx.catalog, input.spec, ctx.actor, input.create, input.expected_updated_at, input.keep_webhook)),
  'sources:set-enabled': async (input, ctx) => shown(ctx, await setEnabled(ctx.catalog, input.id, input.enabled, ctx.actor)),
  'sources:remove': (input, { catalog, actor }) => removeSource(catalog, input.id, actor),
  'sources:import': (input, { catalog, actor }) => importSources(catalog, input.document, actor),
  'sources:export': (input, ctx) => exportSources(ctx.catalog, input.format ?? 'json', !seesWebhooks(ctx)),
  'sources:runs': (input, { catalog }) => catalog.read((conn) => listRuns(conn, input.id, pageWindow(input.offset, input.limit, 50))),
  'sources:notifications': async (input, ctx) => {
    const page = await ctx.catalog.read((conn) => listNotifications(conn, pageWindow(input.offset, input.limit, 50)));
    return seesWebhooks(ctx) ? page : { ...page, items: page.items.map(withholdTarget) };
  },

  'sources:sync': (input, ctx) => runAsJob(ctx, 'sync', ({ signal, onProgress }) => syncSources(ctx.catalog, {
    ids: input.ids, trigger: input.trigger ?? (ctx.actor === 'cli' ? 'cli' : 'manual'), actor: ctx.actor, signal, onProgress,
  })),

  'review:list': (input, { catalog }) => listCandidates(catalog, input.state ?? 'pending', input.service, pageWindow(input.offset, input.limit, 100)),
  'review:approve': (input, { catalog, actor }) => approveCandidate(catalog, parseVersionRef(input.ref), actor, null, {
    expectedLatest: input.expected_latest, expectedStamps: input.expected_stamps, expectedState: input.expected_state,
  }),
  'review:reject': (input, { catalog, actor }) => rejectCandidate(catalog, parseVersionRef(input.ref), actor, input.reason ?? null, input.expected_state),
};
