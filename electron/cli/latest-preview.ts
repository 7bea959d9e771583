import type { ValidationDeltaSummary } from '../shared/contract/delta.js';
import type { TermDeltaSummary, TermImpact, ValidationHealth, VersionStats } from '../shared/models.js';
import { countOf, formatCount, formatSignedCount } from '../shared/count-noun.js';
import { describeNewerRelease, describeOrderBetween, newerReleaseThan, type NewerRelease } from '../shared/release-order.js';
import { describeHealth, errorCount } from '../shared/validation-health.js';
import type { CommandContext, CommandSession } from './command-types.js';
import { formatBytes, formatFields } from './output.js';

/** What one side of a set-latest preview shows of its version. */
export interface PreviewSide {
  readonly version: string;
  readonly files: number;
  readonly bytes: number;
  readonly health: ValidationHealth;
  readonly release_date: string | null;
  readonly release_date_source: string | null;
}

/**
 * What `ontocat latest set S/V --preview` shows: the comparison the app's Set as latest
 * dialog shows before Confirm, from the same channels, so a curator at a terminal sees
 * what changes (and whether it goes back a release) before anything is written.
 */
export interface LatestPreview {
  readonly service: string;
  readonly version: string;
  /** The latest now (null: none yet). */
  readonly current: string | null;
  readonly target: PreviewSide;
  readonly before: PreviewSide | null;
  /** Set when the target is older than the current latest by release order: how the two are ordered. */
  readonly older_than_current: string | null;
  /**
   * Set when the target is not its service's newest release (and not older than the current
   * latest): the newest, and how many releases come after the target.
   */
  readonly newer_release: (NewerRelease & { readonly newer: number }) | null;
  readonly files: { readonly added: number; readonly removed: number; readonly modified: number; readonly renamed: number; readonly bytes_added: number; readonly bytes_removed: number } | null;
  readonly terms: { readonly totals: TermDeltaSummary; readonly files_from: number; readonly files_to: number; readonly not_compared: readonly { readonly relpath: string; readonly error: string }[] } | null;
  readonly new_findings: { readonly errors: number; readonly others: number } | null;
}

function side(stats: VersionStats): PreviewSide {
  return { version: stats.version, files: stats.files, bytes: stats.bytes, health: stats.health, release_date: stats.release_date, release_date_source: stats.release_date_source };
}

/**
 * Why the target goes back a release, or null when it does not. The target's stats must have
 * been asked with `order_against` the current: their two ranks, read apart, mix two states
 * when a third version is pruned or re-dated between the reads.
 */
export function olderThan(target: VersionStats, current: VersionStats): string | null {
  const against = target.order_against;
  return against?.ref === `${current.service}/${current.version}` && against.older ? describeOrderBetween(target, current) : null;
}

function newErrors(summary: ValidationDeltaSummary): number {
  return summary.by_severity.find((row) => row.severity === 'ERROR')?.new ?? 0;
}

/** Asks the catalog what setting `service/version` as latest would change; writes nothing. */
export async function previewLatest(session: CommandSession, service: string, version: string): Promise<LatestPreview> {
  const ref = `${service}/${version}`;
  const latest = await session.call('latest:get', { service });
  const current = latest?.version ?? null;
  const [target, newest] = await Promise.all([
    session.call('versions:stats', current === null || current === version ? { ref } : { ref, order_against: `${service}/${current}` }),
    session.call('versions:list', { service, sort: 'release', direction: 'desc', limit: 1 }),
  ]);
  const newerRelease = current !== version ? newerReleaseThan(target, newest) : null;
  const empty = { service, version, current, target: side(target), before: null, older_than_current: null, newer_release: newerRelease, files: null, terms: null, new_findings: null };
  if (current === null || current === version) return empty;
  const from = `${service}/${current}`;
  const [before, delta, findings, terms] = await Promise.all([
    session.call('versions:stats', { ref: from }),
    session.call('delta:compute', { from, to: ref, kind: 'changed', limit: 1 }),
    session.call('delta:validations', { from, to: ref, status: 'new', limit: 1 }),
    session.call('delta:term-impact', { from, to: ref }),
  ]);
  const summary = delta.summary;
  return {
    ...empty,
    before: side(before),
    older_than_current: olderThan(target, before),
    // Going back a release has its own warning, which names the newer current latest.
    newer_release: olderThan(target, before) === null ? newerRelease : null,
    files: {
      added: summary.added.count, removed: summary.removed.count, modified: summary.modified.count, renamed: summary.renamed.count,
      bytes_added: summary.bytes_added, bytes_removed: summary.bytes_removed,
    },
    terms: termsOf(terms),
    new_findings: { errors: newErrors(findings.summary), others: findings.summary.new - newErrors(findings.summary) },
  };
}

function termsOf(impact: TermImpact): LatestPreview['terms'] {
  return {
    totals: impact.totals, files_from: impact.index.files_from, files_to: impact.index.files_to,
    not_compared: impact.files.flatMap((file) => (file.error === null ? [] : [{ relpath: file.relpath, error: file.error }])),
  };
}

function signedBytes(n: number): string {
  return n > 0 ? `+${formatBytes(n)}` : n < 0 ? `−${formatBytes(-n)}` : '±0 B';
}

/** The term counts in the words the app's preview uses. */
export function describeTermTotals(t: TermDeltaSummary): string {
  const extra = [
    t.retyped > 0 ? `${formatCount(t.retyped)} changed kind` : null,
    t.undeprecated > 0 ? `${formatCount(t.undeprecated)} no longer deprecated` : null,
    t.replaced > 0 ? `${formatCount(t.replaced)} with a new replacement` : null,
  ].filter((part) => part !== null);
  return `+${formatCount(t.added)} / −${formatCount(t.removed)} (${formatCount(t.relabelled)} relabelled, ${formatCount(t.deprecated)} deprecated, ` +
    `${formatCount(t.redefined)} redefined, ${formatCount(t.reparented)} re-parented${extra.length > 0 ? `, ${extra.join(', ')}` : ''})`;
}

/** The sentence that warns a move of latest goes back a release. */
export function goesBackSentence(service: string, version: string, current: string, order: string, done: boolean): string {
  return `${service}/${version} is older than ${current} by release order (${order}): curators and pipelines following latest ` +
    `${done ? `went back a release; 'ontocat latest set ${service}/${current}' undoes it` : 'would go back a release'}.`;
}

/** The preview for people, as the dialog words it; `apply` is the command that does it. */
export function formatLatestPreview(preview: LatestPreview, apply = `ontocat latest set ${preview.service}/${preview.version}`): string {
  const { service, version, current, target, before } = preview;
  const head = current === version ? `${version} is the latest ${service} already; nothing would change.`
    : current === null ? `${service} has no latest version yet; ${version} would become the first.`
    : `The latest ${service} version is now ${current}. After this change it would be ${version}.`;
  const lines = [head];
  if (preview.older_than_current !== null && current !== null) lines.push(`WARNING: ${goesBackSentence(service, version, current, preview.older_than_current, false)}`);
  if (preview.newer_release !== null) lines.push(`NOTE: ${describeNewerRelease(version, target, preview.newer_release)}`);
  const fields: [string, string][] = [
    ['files', `${formatCount(target.files)}${before ? ` (${formatSignedCount(target.files - before.files)})` : ''}`],
    ['size', `${formatBytes(target.bytes)}${before ? ` (${signedBytes(target.bytes - before.bytes)})` : ''}`],
  ];
  if (preview.files) {
    const f = preview.files;
    fields.push(['files added / removed', `+${formatCount(f.added)} / −${formatCount(f.removed)} (${formatCount(f.modified)} modified, ${formatCount(f.renamed)} renamed)`]);
    fields.push(['bytes added / removed', `+${formatBytes(f.bytes_added)} / −${formatBytes(f.bytes_removed)}`]);
  }
  if (preview.terms) {
    fields.push(['terms added / removed', `${describeTermTotals(preview.terms.totals)}; from the term index over ${formatCount(preview.terms.files_from)} → ${formatCount(preview.terms.files_to)} files`]);
    for (const file of preview.terms.not_compared) fields.push(['not compared', `${file.relpath}: ${file.error}`]);
  }
  fields.push(['validation', describeHealth(target.health)]);
  fields.push(['errors', `${formatCount(errorCount(target.health))}${before ? ` (${formatSignedCount(errorCount(target.health) - errorCount(before.health))})` : ''}`]);
  fields.push(['warnings', `${formatCount(target.health.warnings)}${before ? ` (${formatSignedCount(target.health.warnings - before.health.warnings)})` : ''}`]);
  if (preview.new_findings) fields.push(['new errors', `${formatCount(preview.new_findings.errors)} (${countOf(preview.new_findings.others, 'new warning or info', 'new warnings and info')})`]);
  lines.push('', formatFields(fields));
  if (current !== version) lines.push('', `Nothing was changed. To apply: ${apply}`);
  return lines.join('\n');
}

/**
 * After latest moved from `previous` to `version`: when that went back a release, says so on
 * stderr with the way back, and answers how the two are ordered (null when it did not).
 */
export async function warnIfWentBack(session: CommandSession, context: CommandContext, service: string, version: string, previous: string | null): Promise<string | null> {
  if (previous === null || previous === version) return null;
  const [target, before] = await Promise.all([
    session.call('versions:stats', { ref: `${service}/${version}`, order_against: `${service}/${previous}` }), session.call('versions:stats', { ref: `${service}/${previous}` }),
  ]);
  const older = olderThan(target, before);
  if (older !== null) context.stderr(`ontocat: warning: ${goesBackSentence(service, version, previous, older, true)}`);
  return older;
}
