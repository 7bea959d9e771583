import { randomUUID } from 'node:crypto';
import { dedupTotals } from '../catalog/ingest-queries.js';
import { findBySha256 } from '../catalog/file-queries.js';
import { buildDemoCatalog } from '../ingest/demo-catalog.js';
import { fetchArtifact } from '../ingest/fetch-artifact.js';
import { importManifest } from '../ingest/import-manifest.js';
import { ingestAndValidate } from '../ingest/ingest-and-validate.js';
import { verifyStorage } from '../ingest/verify-storage.js';
import { casHas } from '../storage/content-store.js';
import { casRelpath } from '../storage/layout.js';
import type { Channel } from '../shared/contract.js';
import type { ingestContract } from '../shared/contract/ingest.js';
import type { Progress } from '../shared/progress.js';
import { parseVersionRef } from '../shared/version-ref.js';
import type { HandlerContext, HandlerGroup } from './handler-types.js';

type IngestChannel = keyof typeof ingestContract & Channel;

/**
 * Runs long work with its progress pushed as `job:progress` events (the CLI draws them
 * as a progress bar, Electron forwards them over IPC, the web host over SSE).
 */
async function asJob<T>(ctx: HandlerContext, kind: string, work: (onProgress: (progress: Progress) => void) => Promise<T>): Promise<T> {
  const jobId = randomUUID();
  const started = Date.now();
  let last: Progress = { done: 0, total: null, bytes: 0, current: null };
  const push = (state: 'running' | 'done' | 'failed', message: string | null): void => {
    const elapsed = Date.now() - started;
    const eta = last.total && last.done > 0 && state === 'running' ? Math.round((elapsed / last.done) * (last.total - last.done)) : null;
    ctx.emit('job:progress', {
      job_id: jobId, kind, done: last.done, total: last.total, bytes: last.bytes, current: last.phase ? `${last.phase}${last.current ? ` ${last.current}` : ''}` : last.current,
      eta_ms: eta, state, message,
    });
  };
  try {
    const result = await work((progress) => { last = progress; push('running', null); });
    push('done', null);
    return result;
  } catch (error) {
    push('failed', (error as Error).message);
    throw error;
  }
}

/** Handlers of the ingest and storage channels. */
export const ingestHandlers: HandlerGroup<IngestChannel> = {
  'ingest:run': (input, ctx) => asJob(ctx, 'ingest', (onProgress) =>
    ingestAndValidate(ctx.catalog, input.source, { service: input.service, version: input.version, setLatest: input.set_latest, actor: ctx.actor, onProgress })),

  'ingest:fetch': (input, ctx) => asJob(ctx, 'fetch', (onProgress) =>
    fetchArtifact(ctx.catalog, input.url, { service: input.service, version: input.version, onProgress })),

  'ingest:import-manifest': (input, ctx) => importManifest(ctx.catalog, input.path),

  'ingest:demo': (_input, ctx) => asJob(ctx, 'demo', (onProgress) => buildDemoCatalog(ctx.catalog, { onProgress, actor: ctx.actor })),

  'storage:verify': (input, ctx) => asJob(ctx, 'verify', (onProgress) =>
    verifyStorage(ctx.catalog, input.ref ? parseVersionRef(input.ref) : undefined, { onProgress })),

  async 'storage:where'(input, { catalog }) {
    const sha256 = input.sha256.toLowerCase();
    const found = await catalog.read((conn) => findBySha256(conn, sha256));
    return { sha256, cas_relpath: casRelpath(sha256), in_store: await casHas(catalog.root, sha256), ...found };
  },

  async 'storage:dedup-report'(input, { catalog }) {
    const { totals, by_service, top_shared } = await catalog.read((conn) => dedupTotals(conn, input.top ?? 10));
    return {
      ...totals,
      bytes_saved: totals.logical_bytes - totals.unique_bytes,
      ratio: totals.unique_bytes > 0 ? Math.round((totals.logical_bytes / totals.unique_bytes) * 100) / 100 : 1,
      by_service,
      top_shared,
    };
  },
};
