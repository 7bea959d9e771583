import { listNotifications, listRuns } from '../catalog/source-queries.js';
import { pageWindow } from '../catalog/paging.js';
import { approveCandidate, listCandidates, rejectCandidate } from '../sources/review.js';
import {
  exportSources, importSources, removeSource, saveSource, setEnabled, sourceSummaries, sourceSummary,
} from '../sources/sources-service.js';
import { syncSources } from '../sources/sync.js';
import type { Channel } from '../shared/contract.js';
import type { sourcesContract } from '../shared/contract/sources.js';
import { parseVersionRef } from '../shared/version-ref.js';
import type { HandlerGroup } from './handler-types.js';
import { runAsJob } from './run-job.js';

type SourcesChannel = keyof typeof sourcesContract & Channel;

/** Handlers of the source, run and review channels. */
export const sourcesHandlers: HandlerGroup<SourcesChannel> = {
  'sources:list': (_input, { catalog }) => sourceSummaries(catalog),
  'sources:get': (input, { catalog }) => sourceSummary(catalog, input.id),
  'sources:save': (input, { catalog, actor }) => saveSource(catalog, input.spec, actor, input.create, input.expected_updated_at),
  'sources:set-enabled': (input, { catalog, actor }) => setEnabled(catalog, input.id, input.enabled, actor),
  'sources:remove': (input, { catalog, actor }) => removeSource(catalog, input.id, actor),
  'sources:import': (input, { catalog, actor }) => importSources(catalog, input.document, actor),
  'sources:export': (input, { catalog }) => exportSources(catalog, input.format ?? 'json'),
  'sources:runs': (input, { catalog }) => catalog.read((conn) => listRuns(conn, input.id, pageWindow(input.offset, input.limit, 50))),
  'sources:notifications': (input, { catalog }) => catalog.read((conn) => listNotifications(conn, pageWindow(input.offset, input.limit, 50))),

  'sources:sync': (input, ctx) => runAsJob(ctx, 'sync', ({ signal, onProgress }) => syncSources(ctx.catalog, {
    ids: input.ids, trigger: input.trigger ?? (ctx.actor === 'cli' ? 'cli' : 'manual'), actor: ctx.actor, signal, onProgress,
  })),

  'review:list': (input, { catalog }) => listCandidates(catalog, input.state ?? 'pending', input.service),
  'review:approve': (input, { catalog, actor }) => approveCandidate(catalog, parseVersionRef(input.ref), actor, null, input.expected_latest),
  'review:reject': (input, { catalog, actor }) => rejectCandidate(catalog, parseVersionRef(input.ref), actor, input.reason ?? null),
};
