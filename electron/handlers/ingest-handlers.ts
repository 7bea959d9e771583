import { dedupTotals } from '../catalog/ingest-queries.js';
import { findBySha256 } from '../catalog/file-queries.js';
import { buildDemoCatalog } from '../ingest/demo-catalog.js';
import { fetchArtifact } from '../ingest/fetch-artifact.js';
import { ingestAndValidate } from '../ingest/ingest-and-validate.js';
import { verifyStorage } from '../ingest/verify-storage.js';
import { casLocate } from '../storage/content-store.js';
import { casRelpath } from '../storage/layout.js';
import { isFileInsideRoot } from '../storage/safe-path.js';
import type { Channel } from '../shared/contract.js';
import type { ingestContract } from '../shared/contract/ingest.js';
import { parseVersionRef } from '../shared/version-ref.js';
import type { HandlerGroup } from './handler-types.js';
import { runAsJob } from './run-job.js';

type IngestChannel = keyof typeof ingestContract & Channel;

/** Handlers of the ingest and storage channels. */
export const ingestHandlers: HandlerGroup<IngestChannel> = {
  'ingest:run': (input, ctx) => runAsJob(ctx, 'ingest', ({ signal, onProgress }) =>
    ingestAndValidate(ctx.catalog, input.source, {
      service: input.service, version: input.version, setLatest: input.set_latest, actor: ctx.actor, signal, onProgress,
      limits: { maxFiles: input.max_files, maxBytes: input.max_bytes, maxRatio: input.max_ratio }, replace: input.replace,
    })),

  'ingest:fetch': (input, ctx) => runAsJob(ctx, 'fetch', ({ signal, onProgress }) =>
    fetchArtifact(ctx.catalog, input.url, { service: input.service, version: input.version, replace: input.replace, signal, onProgress })),

  // Loaded on use: the manifest's record schema brings zod, which other commands skip.
  'ingest:import-manifest': async (input, ctx) => (await import('../ingest/import-manifest.js')).importManifest(ctx.catalog, input.path),

  'ingest:demo': (_input, ctx) => runAsJob(ctx, 'demo', ({ signal, onProgress }) => buildDemoCatalog(ctx.catalog, { signal, onProgress, actor: ctx.actor })),

  'storage:verify': (input, ctx) => runAsJob(ctx, 'verify', ({ signal, onProgress }) =>
    verifyStorage(ctx.catalog, input.ref ? parseVersionRef(input.ref) : undefined, { signal, onProgress }), { exclusive: false }),

  async 'storage:where'(input, { catalog }) {
    const sha256 = input.sha256.toLowerCase();
    const found = await catalog.read((conn) => findBySha256(conn, sha256));
    // During a store migration an object may still be in the older layout: name where it is.
    const located = await casLocate(catalog.root, sha256);
    // A download kept as fetched (S/V/archives/NAME) is a file of its own, never a store
    // object: say whether it is on disk where the catalog records it.
    const artifacts = found.artifacts.map((artifact) => ({
      ...artifact, kept: artifact.fs_relpath !== null && isFileInsideRoot(catalog.root, artifact.fs_relpath),
    }));
    return { sha256, cas_relpath: located ?? casRelpath(sha256), in_store: located !== null, files: found.files, artifacts };
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
