import { searchTerms, termHistory, termIndexStatus, termLineage, unparsableTermContents, versionTermDelta } from '../catalog/term-index-queries.js';
import { backfillTermIndex } from '../ingest/terms/term-backfill.js';
import { VALIDATOR_VERSION } from '../ingest/validate/validators.js';
import type { Channel } from '../shared/contract.js';
import type { termsContract } from '../shared/contract/terms.js';
import { parseVersionRef } from '../shared/version-ref.js';
import type { HandlerGroup } from './handler-types.js';
import { runAsJob } from './run-job.js';

type TermsChannel = keyof typeof termsContract & Channel;

/** Handlers of the term index channels. */
export const termsHandlers: HandlerGroup<TermsChannel> = {
  'terms:search': (input, ctx) => ctx.catalog.read((conn) => searchTerms(conn, input)),
  'terms:history': (input, ctx) => ctx.catalog.read((conn) => termHistory(conn, input.term, input.service)),
  'terms:version-delta': (input, ctx) => ctx.catalog.read((conn) => versionTermDelta(conn, parseVersionRef(input.a), parseVersionRef(input.b), input)),
  'terms:lineage': (input, ctx) => ctx.catalog.read((conn) => termLineage(conn, input.term, input.service)),
  'terms:status': (_input, ctx) => ctx.catalog.read((conn) => termIndexStatus(conn, VALIDATOR_VERSION)),
  'terms:unparsable': (input, ctx) => ctx.catalog.read((conn) => unparsableTermContents(conn, VALIDATOR_VERSION, input)),
  'terms:backfill': (input, ctx) => runAsJob(ctx, 'terms-backfill', ({ signal, onProgress }) =>
    backfillTermIndex(ctx.catalog, { service: input.service, signal, onProgress })),
};
