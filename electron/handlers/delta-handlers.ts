import { computeDelta, deltaTree } from '../catalog/delta-queries.js';
import { validationDelta } from '../catalog/validation-delta-queries.js';
import { computeTermDelta } from '../ingest/terms/term-delta.js';
import { computeTermImpact } from '../ingest/terms/term-impact.js';
import type { Channel } from '../shared/contract.js';
import type { deltaContract } from '../shared/contract/delta.js';
import { parseVersionRef } from '../shared/version-ref.js';
import type { HandlerGroup } from './handler-types.js';
import { runAsJob } from './run-job.js';

type DeltaChannel = keyof typeof deltaContract & Channel;

/** Handlers of the delta channels. */
export const deltaHandlers: HandlerGroup<DeltaChannel> = {
  'delta:compute': ({ from, to, ...query }, { catalog }) =>
    catalog.read((conn) => computeDelta(conn, parseVersionRef(from), parseVersionRef(to), query)),
  'delta:tree': ({ from, to, ...query }, { catalog }) =>
    catalog.read((conn) => deltaTree(conn, parseVersionRef(from), parseVersionRef(to), query)),
  'delta:validations': ({ from, to, ...query }, { catalog }) =>
    catalog.read((conn) => validationDelta(conn, parseVersionRef(from), parseVersionRef(to), query)),
  'delta:terms': ({ from, to, ...query }, { catalog }) =>
    computeTermDelta(catalog, { ...query, a: parseVersionRef(from), b: parseVersionRef(to) }),
  'delta:term-impact': ({ from, to }, ctx) =>
    runAsJob(ctx, 'terms', (control) => computeTermImpact(ctx.catalog, parseVersionRef(from), parseVersionRef(to), control)),
};
