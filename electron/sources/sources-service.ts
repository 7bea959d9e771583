/**
 * Sources as the front doors see them: save (schedule checked), pause, remove, import and
 * export, and the list with last run, next run, health and pending candidates.
 */
import type { Catalog } from '../catalog/open-catalog.js';
import {
  deleteSource, getSourceRow, listSourceRows, runStats, serviceReleaseDates, setSourceEnabled, upsertSource, type SourceRow,
} from '../catalog/source-queries.js';
import { webhookOrigin, type Notification, type SourceSpec, type SourceSummary, type SourcesImportResult } from '../shared/contract/sources.js';
import { assertUrlAllowed } from '../ingest/ingest-confinement.js';
import { OntocatError } from '../shared/errors.js';
import { systemClock, type Clock } from './clock.js';
import { sourceHealth } from './health.js';
import { assertSchedule, nextRunAfter } from './schedule.js';
import { formatSourcesFile, parseSourcesFile } from './sources-file.js';

/** The spec in its canonical form (defaults written out), as stored and exported. */
function canonical(spec: SourceSpec): SourceSpec {
  return {
    ...spec,
    schedule: spec.schedule ?? null,
    version_rule: spec.version_rule ?? 'auto',
    promotion: spec.promotion ?? 'manual',
    enabled: spec.enabled ?? true,
  };
}

function checkSpec(spec: SourceSpec): void {
  if (spec.schedule) assertSchedule(spec.schedule);
  // On a team server, a URL the server may not fetch is refused when saved, not only at sync.
  for (const artifact of spec.artifacts) {
    if (artifact.type === 'url') assertUrlAllowed(artifact.url);
    else if (artifact.type === 'template') assertUrlAllowed(artifact.template.replace(/\{version\}/g, 'v'));
    const registry = artifact.type === 'url' ? undefined : artifact.type === 'npm' ? artifact.registry : artifact.version.registry;
    if (registry) assertUrlAllowed(registry);
  }
  if (spec.webhook) assertUrlAllowed(spec.webhook);
}

/**
 * When a source's schedule fires next: after its last scheduled run or after the schedule
 * was set (or changed), whichever is later; firings before it was set were never its own.
 */
export function nextRunOf(row: SourceRow, lastScheduled: string | null): Date | null {
  if (!row.enabled || !row.spec.schedule) return null;
  const set = new Date(row.schedule_set_at);
  const after = lastScheduled && new Date(lastScheduled).getTime() > set.getTime() ? new Date(lastScheduled) : set;
  return nextRunAfter(row.spec.schedule, after);
}

/** Every source with its last run, next run, health and pending candidates. */
export async function sourceSummaries(catalog: Catalog, clock: Clock = systemClock, only?: string): Promise<SourceSummary[]> {
  const { rows, stats, dates } = await catalog.read(async (conn) => ({
    rows: only ? [await getSourceRow(conn, only)].filter((row): row is SourceRow => row !== null) : await listSourceRows(conn),
    stats: await runStats(conn),
    dates: await serviceReleaseDates(conn),
  }));
  const now = clock.now();
  return rows.map((row) => {
    const stat = stats.get(row.source_id);
    const next = nextRunOf(row, stat?.last_scheduled ?? null);
    return {
      id: row.source_id, service: row.service, enabled: row.enabled, spec: row.spec,
      last_run: stat?.last_run ?? null,
      next_run: next ? next.toISOString() : null,
      health: sourceHealth(stat, dates.get(row.service) ?? [], now),
      pending_candidates: stat?.pending_candidates ?? 0,
      webhook_set: row.spec.webhook !== undefined,
      webhook_origin: row.spec.webhook !== undefined ? webhookOrigin(row.spec.webhook) : null,
      created_at: row.created_at, updated_at: row.updated_at,
    };
  });
}

/** One source's summary, or NOT_FOUND naming it. */
export async function sourceSummary(catalog: Catalog, id: string, clock: Clock = systemClock): Promise<SourceSummary> {
  const [found] = await sourceSummaries(catalog, clock, id);
  if (!found) throw new OntocatError('NOT_FOUND', `Unknown source '${id}'.`);
  return found;
}

/** A spec without its webhook: what a caller who may not edit sources receives. */
function withoutWebhook(spec: SourceSpec): SourceSpec {
  const rest = { ...spec };
  delete rest.webhook;
  return rest;
}

/** A summary as a caller who may not edit sources sees it: the webhook's scheme and host only. */
export function withholdWebhook(summary: SourceSummary): SourceSummary {
  return summary.spec.webhook === undefined ? summary : { ...summary, spec: withoutWebhook(summary.spec) };
}

/** A delivery as a caller who may not edit sources sees it: the target (and any error naming it) reduced to scheme and host. */
export function withholdTarget(notification: Notification): Notification {
  const shown = webhookOrigin(notification.target);
  return { ...notification, target: shown, last_error: notification.last_error?.split(notification.target).join(shown) ?? null };
}

/**
 * Adds or replaces a source (with `create`, only adds; with `expectedUpdatedAt`, only
 * replaces the source as it was then; with `keepWebhook`, the stored webhook stays).
 */
export async function saveSource(catalog: Catalog, given: SourceSpec, by: string, create = false, expectedUpdatedAt?: string, keepWebhook = false): Promise<SourceSummary> {
  if (keepWebhook && given.webhook !== undefined) {
    throw new OntocatError('BAD_INPUT', `Source '${given.id}': give a webhook or keep the stored one, not both.`);
  }
  checkSpec(given);
  await catalog.write(async (tx) => {
    const existing = create || expectedUpdatedAt !== undefined || keepWebhook ? await getSourceRow(tx, given.id) : null;
    // The stored webhook, read in the same transaction as the write: the form never held it.
    const kept = keepWebhook ? existing?.spec.webhook : undefined;
    const spec: SourceSpec = kept !== undefined ? { ...given, webhook: kept } : given;
    // Adding never replaces: a source of that id (another client's, or one scrolled past) keeps its spec.
    if (create && existing) {
      throw new OntocatError('CONFLICT', `A source '${spec.id}' already exists (service ${existing.service}); edit it, or choose another id. Nothing was saved.`, { source: spec.id });
    }
    // An edit never undoes what another client changed after the form opened.
    if (expectedUpdatedAt !== undefined && existing?.updated_at !== expectedUpdatedAt) {
      throw new OntocatError('CONFLICT', existing
        ? `Source '${spec.id}' was changed by another client at ${existing.updated_at}, after this form opened; nothing was saved. Open it again to edit what it is now.`
        : `Source '${spec.id}' was removed by another client after this form opened; nothing was saved.`, { source: spec.id });
    }
    const change = await upsertSource(tx, canonical(spec));
    if (change !== 'unchanged') await tx.event(`source.${change}`, { source: spec.id, service: spec.service, by });
  });
  return sourceSummary(catalog, given.id);
}

/** Pauses or resumes a source. */
export async function setEnabled(catalog: Catalog, id: string, enabled: boolean, by: string): Promise<SourceSummary> {
  await catalog.write(async (tx) => {
    const row = await getSourceRow(tx, id);
    if (!row) throw new OntocatError('NOT_FOUND', `Unknown source '${id}'.`);
    await setSourceEnabled(tx, id, enabled);
    await tx.event(enabled ? 'source.resumed' : 'source.paused', { source: id, by });
  });
  return sourceSummary(catalog, id);
}

/** Removes a source; its runs and the versions it brought in stay. */
export async function removeSource(catalog: Catalog, id: string, by: string): Promise<{ id: string }> {
  await catalog.write(async (tx) => {
    const row = await getSourceRow(tx, id);
    if (!row) throw new OntocatError('NOT_FOUND', `Unknown source '${id}'.`);
    await deleteSource(tx, id);
    await tx.event('source.removed', { source: id, service: row.service, by });
  });
  return { id };
}

/** Imports a sources file: every entry checked first, then all written in one transaction. */
export async function importSources(catalog: Catalog, document: string, by: string): Promise<SourcesImportResult> {
  const file = parseSourcesFile(document);
  for (const spec of file.sources) {
    try {
      checkSpec(spec);
    } catch (error) {
      throw new OntocatError(error instanceof OntocatError && error.code === 'FORBIDDEN' ? 'FORBIDDEN' : 'BAD_INPUT', `Source '${spec.id}': ${(error as Error).message}`);
    }
  }
  const result = { added: [] as string[], updated: [] as string[], unchanged: [] as string[] };
  await catalog.write(async (tx) => {
    for (const spec of file.sources) result[await upsertSource(tx, canonical(spec))].push(spec.id);
    await tx.event('sources.imported', { by, added: result.added.length, updated: result.updated.length, unchanged: result.unchanged.length });
  });
  return result;
}

/** The sources as one file; `withholdWebhooks` leaves the webhooks out (the caller may not edit sources). */
export async function exportSources(catalog: Catalog, format: 'json' | 'yaml', withholdWebhooks = false): Promise<{ document: string; count: number; webhooks_withheld: number }> {
  const rows = await catalog.read((conn) => listSourceRows(conn));
  const withheld = withholdWebhooks ? rows.filter((row) => row.spec.webhook !== undefined).length : 0;
  const specs = rows.map((row) => (withholdWebhooks ? withoutWebhook(row.spec) : row.spec));
  return { document: formatSourcesFile(specs, format), count: rows.length, webhooks_withheld: withheld };
}
