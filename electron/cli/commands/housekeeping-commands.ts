import path from 'node:path';
import type { ApplyResult, BackupInfo, DoctorPlan, PrunePlan, PruneVersion, RestoreResult } from '../../shared/contract/housekeeping.js';
import { describeFinding, FIX_WORDS } from '../../shared/finding-words.js';
import { describeReleaseDate } from '../../shared/release-order.js';
import { intOption, stringOption, UsageError, type CliCommand, type ParsedArgs } from '../command-types.js';
import { formatBytes, formatFields, formatTable } from '../output.js';
import { withJobProgress } from '../progress-bar.js';
import { countOf } from '../../shared/count-noun.js';
import { trashComposition } from '../../shared/trash-composition.js';

function planIdArg(value: string | undefined, what: string): string {
  if (!value || !/^[a-z]+-[0-9A-Za-z]+-[0-9a-f]{8,64}$/.test(value)) throw new UsageError(`${what} takes a plan id, like prune-20260101T120000Z-1a2b3c4d5e6f.`);
  return value;
}

/**
 * A number of days written as one (30, 1.5). Number('') is 0, so `trash empty --older-than
 * "$DAYS"` with DAYS unset emptied the whole trash; '', ' ', '0x1e' and '1e1' are refused.
 */
function daysOption(args: ParsedArgs, name: string): number | undefined {
  const raw = stringOption(args, name);
  if (raw === undefined) return undefined;
  const value = /^[0-9]+(?:\.[0-9]+)?$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`--${name} takes a number of days, got '${raw}'.`);
  return value;
}

const versions = (n: number): string => `${n} version${n === 1 ? '' : 's'}`;

/** An apply's action count in words: fixes by what they did, prune's by name. */
function actionWords(name: string): string {
  return (FIX_WORDS as Readonly<Record<string, string>>)[name] ?? name.replaceAll('_', ' ');
}

function appliedText(result: ApplyResult): string {
  const actions = Object.entries(result.actions).map(([name, n]) => `${actionWords(name)}: ${n}`).join('; ') || 'nothing to do';
  return [
    `Applied ${result.plan_id}: ${actions}.`,
    result.trash ? `Moved ${countOf(result.files_moved, 'file')} (${formatBytes(result.bytes)}) to ${result.trash}; 'ontocat trash restore ${result.plan_id}' puts them back.` : '',
  ].filter(Boolean).join('\n');
}

function restoredText(result: RestoreResult): string {
  const previous = result.safety_backup
    ? `the previous one is backup ${result.safety_backup}`
    : result.set_aside ? `the previous file could not be opened and was moved to ${result.set_aside}` : 'there was no catalog file before';
  return [
    `Restored the catalog from ${result.timestamp} (${previous}).`,
    `versions ${result.before.versions} → ${result.after.versions}, files ${result.before.files} → ${result.after.files}.`,
    result.doctor.findings === 0
      ? 'Doctor: the disk agrees with the restored catalog.'
      : `Doctor found ${result.doctor.findings} differences with the disk (${Object.entries(result.doctor.kinds).map(([k, n]) => `${k} ${n}`).join(', ')}); review with 'ontocat plan ${result.doctor.plan_id}', apply with 'ontocat doctor --apply ${result.doctor.plan_id}'.`,
  ].join('\n');
}

/** A doctor plan for people: each finding in plain words, then how to apply or choose. */
function doctorPlanText(plan: DoctorPlan): string {
  const damaged = plan.damaged_versions.length > 0
    ? `\nKnown damaged versions: ${plan.damaged_versions.map((row) => `${row.service}/${row.version} (${countOf(row.damaged_files, 'file')})`).join(', ')}.`
    : '';
  if (plan.findings.length === 0) return `All is well: ${countOf(plan.scanned_files, 'file')} checked${plan.deep ? `, ${plan.hashed_files} hashed` : ''}, nothing to fix.${damaged}`;
  const adoptable = plan.findings.filter((f) => (f.alternatives ?? []).includes('adopt')).length;
  return [
    formatTable(plan.findings, [
      { header: 'FINDING', value: (f) => describeFinding(f.kind, f.fix) },
      { header: 'BYTES', value: (f) => formatBytes(f.bytes), align: 'right' },
      { header: 'PATH', value: (f) => f.path },
    ]),
    '',
    `${countOf(plan.findings.length, 'finding')} in ${countOf(plan.scanned_files, 'file')}. Plan ${plan.plan_id}.`,
    `Review, then apply with: ontocat doctor --apply ${plan.plan_id}`,
    `To leave items out, make a new plan: ontocat plan ${plan.plan_id} --without PATH [--without PATH…]${adoptable ? ` (${adoptable} stray files can be kept instead: --adopt PATH)` : ''}${damaged}`,
  ].join('\n');
}

/** A prune plan for people: what goes, what stays and why, and the bytes. */
function prunePlanText(plan: PrunePlan): string {
  return [
    plan.policy.orphans_only ? '' : `Remove (${versions(plan.removals.length)}):\n${formatTable(plan.removals, [
      { header: 'VERSION', value: (v) => `${v.service}/${v.version}` },
      { header: 'FILES', value: (v) => v.files },
      { header: 'BYTES', value: (v) => formatBytes(v.bytes), align: 'right' },
      { header: 'RELEASED', value: (v) => describeReleaseDate(v.release_date, v.release_date_source) },
      { header: 'CREATED (UTC)', value: (v) => v.created_at.slice(0, 19).replace('T', ' ') },
      ...(plan.removals.some((v) => v.rejected) ? [{ header: 'WHY', value: (v: PruneVersion) => v.rejected ?? '' }] : []),
    ])}`,
    plan.policy.orphans_only ? '' : `\nKeep (${versions(plan.kept.length)}), newest first by ${plan.order}:\n${formatTable(plan.kept, [
      { header: 'VERSION', value: (v) => `${v.service}/${v.version}` },
      { header: 'BYTES', value: (v) => formatBytes(v.bytes), align: 'right' },
      { header: 'WHY', value: (v) => v.why.join('; ') },
    ])}`,
    `\n${countOf(plan.files.length, 'file')}${plan.files.length > 0 ? ` (${trashComposition(plan.files)})` : ''} move to the trash; ${formatBytes(plan.bytes)} of ${formatBytes(plan.catalog_bytes)} catalogued.`,
    `Space is freed only when the trash is emptied: ${formatBytes(plan.reclaimed_bytes)} then (content that kept versions or a linked checkout still hold stays).`,
    plan.large && !plan.policy.allow_large ? 'This removes more than half of the catalog: make the plan again with --allow-large to be able to apply it.' : '',
    `Plan ${plan.plan_id}. Review, then apply with: ontocat prune --apply ${plan.plan_id}`,
    plan.removals.length > 0 ? `To keep one of them, make a new plan: ontocat plan ${plan.plan_id} --without S/V` : '',
  ].filter(Boolean).join('\n');
}

/** A repeatable option as a list (none → empty). */
function listOption(args: ParsedArgs, name: string): string[] {
  const raw = args.options[name];
  return raw === undefined || typeof raw === 'boolean' ? [] : Array.isArray(raw) ? raw : [raw];
}

export const housekeepingCommands: readonly CliCommand[] = [
  {
    name: 'doctor',
    summary: 'Check the disk against the catalog and plan fixes (--apply PLAN_ID applies a reviewed plan)',
    args: '', minArgs: 0, maxArgs: 0, access: 'write',
    options: {
      deep: { type: 'boolean', description: 're-hash every file to find bit rot' },
      apply: { type: 'string', description: 'apply the plan with this id' },
    },
    async run(args, session) {
      const apply = stringOption(args, 'apply');
      if (apply !== undefined) {
        const result = await withJobProgress(session, args, 'doctor', 'doctor:apply', { plan_id: planIdArg(apply, '--apply') });
        return { json: result, human: appliedText(result) };
      }
      const plan = await withJobProgress(session, args, 'doctor', 'doctor:plan', { deep: args.options.deep === true });
      return { json: plan, human: doctorPlanText(plan) };
    },
  },
  {
    name: 'prune',
    summary: 'Plan removing old versions by retention policy (--apply PLAN_ID applies a reviewed plan)',
    args: '', minArgs: 0, maxArgs: 0, access: 'write',
    options: {
      'keep-last': { type: 'string', description: 'keep the newest N versions of each service' },
      'newer-than': { type: 'string', description: 'keep versions newer than D days' },
      service: { type: 'string', description: 'only this service' },
      'orphans-only': { type: 'boolean', description: 'only files and content objects no row uses' },
      'allow-large': { type: 'boolean', description: 'allow a plan that removes more than half of the catalog bytes' },
      rejected: { type: 'boolean', description: 'remove candidates rejected in review (unless pinned or latest); alone or with --keep-last/--newer-than' },
      apply: { type: 'string', description: 'apply the plan with this id' },
    },
    async run(args, session) {
      const apply = stringOption(args, 'apply');
      if (apply !== undefined) {
        const result = await withJobProgress(session, args, 'prune', 'prune:apply', { plan_id: planIdArg(apply, '--apply') });
        return { json: result, human: appliedText(result) };
      }
      const plan = await withJobProgress(session, args, 'prune', 'prune:plan', {
        keep_last: intOption(args, 'keep-last', 0),
        newer_than_days: daysOption(args, 'newer-than'),
        service: stringOption(args, 'service'),
        orphans_only: args.options['orphans-only'] === true,
        allow_large: args.options['allow-large'] === true,
        rejected: args.options.rejected === true || undefined,
      });
      return { json: plan, human: prunePlanText(plan) };
    },
  },
  {
    name: 'plan',
    summary: 'Show a stored doctor or prune plan; --without/--adopt make a new plan from your choice',
    args: 'PLAN_ID', minArgs: 1, maxArgs: 1,
    access: (args) => (listOption(args, 'without').length + listOption(args, 'adopt').length > 0 ? 'write' : 'read'),
    options: {
      without: { type: 'string', multiple: true, description: 'leave this item out (a finding\'s path, or S/V of a version to prune); repeat for more' },
      adopt: { type: 'string', multiple: true, description: 'adopt this stray file into its version instead of trashing it (doctor plans); repeat for more' },
    },
    async run(args, session) {
      const planId = planIdArg(args.positionals[0], 'plan');
      const without = listOption(args, 'without');
      const adopt = listOption(args, 'adopt');
      if (without.length === 0 && adopt.length === 0) {
        const plan = await session.call('plans:get', { plan_id: planId });
        return {
          json: plan,
          human: formatFields([
            ['plan', plan.plan_id], ['kind', plan.kind], ['created', plan.created_at], ['hash', plan.content_hash], ['applied', plan.applied_at ?? 'no'],
            ...(plan.body === null ? [['body', `unavailable. ${plan.body_unavailable ?? ''}`] as const] : []),
          ]),
        };
      }
      if (planId.startsWith('prune-')) {
        if (adopt.length > 0) throw new UsageError('--adopt applies to doctor plans (stray files); a prune plan takes --without S/V.');
        const plan = await withJobProgress(session, args, 'prune', 'prune:choose', { plan_id: planId, without });
        return { json: plan, human: `New plan ${plan.plan_id} from ${planId}, without ${without.join(', ')}.\n${prunePlanText(plan)}` };
      }
      const plan = await withJobProgress(session, args, 'doctor', 'doctor:choose', { plan_id: planId, without, adopt });
      return { json: plan, human: `New plan ${plan.plan_id} from ${planId}${without.length ? `, without ${without.length} items` : ''}${adopt.length ? `, adopting ${adopt.length}` : ''}.\n${doctorPlanText(plan)}` };
    },
  },
  {
    name: 'trash list',
    summary: 'List what pruning and doctor moved to the trash',
    args: '', minArgs: 0, maxArgs: 0, access: 'read',
    async run(_args, session) {
      const rows = await session.call('trash:list', {});
      return {
        json: rows,
        human: formatTable(rows, [
          { header: 'PLAN', value: (r) => r.plan_id },
          { header: 'KIND', value: (r) => r.kind },
          { header: 'STATUS', value: (r) => r.status },
          { header: 'FILES', value: (r) => r.files },
          { header: 'ON DISK', value: (r) => formatBytes(r.disk_bytes), align: 'right' },
          { header: 'FREED WHEN EMPTIED', value: (r) => formatBytes(r.freed_bytes), align: 'right' },
          { header: 'CREATED (UTC)', value: (r) => r.created_at.slice(0, 19).replace('T', ' ') },
          { header: 'VERSIONS', value: (r) => r.versions.join(', ') },
        ]) + rows.filter((r) => r.problem).map((r) => `\n${r.plan_id}: ${r.problem}`).join(''),
      };
    },
  },
  {
    name: 'trash restore',
    summary: 'Put the files and catalog rows of a plan back from the trash',
    args: 'PLAN_ID', minArgs: 1, maxArgs: 1, access: 'write',
    async run(args, session) {
      const result = await withJobProgress(session, args, 'restore', 'trash:restore', { plan_id: planIdArg(args.positionals[0], 'trash restore') });
      const rows = Object.entries(result.rows).filter(([, n]) => n > 0).map(([table, n]) => `${n} ${table}`).join(', ');
      const stored = result.already_stored > 0
        ? ` ${countOf(result.already_stored, 'content store object')} had been stored again since (by a later version) and stayed; the restored files link to ${result.already_stored === 1 ? 'it' : 'them'}.`
        : '';
      return { json: result, human: `Restored ${countOf(result.files, 'file')} (${formatBytes(result.bytes)})${rows ? ` and rows: ${rows}` : ''} from ${result.plan_id}.${stored}` };
    },
  },
  {
    name: 'trash empty',
    summary: 'Delete trashed files for good (all, --older-than D days, or --plan PLAN_ID)',
    args: '', minArgs: 0, maxArgs: 0, access: 'write',
    options: {
      'older-than': { type: 'string', description: 'only entries older than D days' },
      plan: { type: 'string', description: 'only the entry of this plan' },
    },
    async run(args, session) {
      const plan = stringOption(args, 'plan');
      const result = await session.call('trash:empty', { older_than_days: daysOption(args, 'older-than'), plan_id: plan === undefined ? undefined : planIdArg(plan, '--plan') });
      return {
        json: result,
        human: [
          result.removed.length === 0 ? 'Nothing to empty.' : `Deleted ${countOf(result.removed.length, 'trash entry', 'trash entries')} (${formatBytes(result.bytes)}); ${formatBytes(result.freed_bytes)} of disk space freed.`,
          result.unreadable ? `Left ${result.unreadable.join(', ')}: its manifest cannot be read, so nothing of it is deleted ('ontocat doctor' says more).` : '',
        ].filter(Boolean).join('\n'),
      };
    },
  },
  {
    name: 'backup',
    summary: 'Copy the catalog into ROOT/.backups/<timestamp>/ with a checksum',
    args: '', minArgs: 0, maxArgs: 0, access: 'write',
    async run(_args, session) {
      const info = await session.call('backup:create', {});
      return { json: info, human: `Backed up the catalog to ${info.path} (${formatBytes(info.bytes)}, sha256 ${info.sha256.slice(0, 12)}…).` };
    },
  },
  {
    name: 'backup list',
    summary: 'List catalog backups, newest first, with their status (works even when the catalog does not open)',
    args: '', minArgs: 0, maxArgs: 0, access: 'read',
    async offline(_args, target) {
      // Loaded here: the handlers bring DuckDB and the parsers, which other commands'
      // start must not pay for.
      const { listBackupsWithoutSession } = await import('../../handlers/housekeeping-handlers.js');
      const rows = listBackupsWithoutSession(target.root);
      const problems = rows.filter((r) => r.status !== 'ok');
      return {
        json: rows,
        human: [
          formatTable(rows, [
            { header: 'TIMESTAMP', value: (r) => r.timestamp },
            { header: 'STATUS', value: (r) => r.status },
            { header: 'VERSIONS', value: (r) => (r.status === 'unreadable_manifest' ? '-' : r.versions) },
            { header: 'FILES', value: (r) => (r.status === 'unreadable_manifest' ? '-' : r.files) },
            { header: 'BYTES', value: (r) => (r.status === 'unreadable_manifest' ? '-' : formatBytes(r.bytes)), align: 'right' },
            { header: 'SCHEMA', value: (r) => (r.status === 'unreadable_manifest' ? '-' : r.schema_version) },
          ]),
          ...problems.map((r: BackupInfo) => `${r.timestamp}: ${r.problem}`),
        ].join('\n'),
      };
    },
  },
  {
    name: 'restore',
    summary: 'Restore the catalog from a backup (verified; works even when the current catalog is missing or broken)',
    args: 'TIMESTAMP', minArgs: 1, maxArgs: 1, access: 'write',
    localOnly: 'restore replaces the catalog file, which needs it closed',
    async offline(args, target) {
      const stamp = args.positionals[0]!;
      if (!/^[0-9]{8}T[0-9]{6,9}Z$/.test(stamp)) throw new UsageError(`'${stamp}' is not a backup timestamp; see 'ontocat backup list'.`);
      const root = path.resolve(target.root);
      const { restoreWithoutSession } = await import('../../handlers/housekeeping-handlers.js');
      const result = await restoreWithoutSession({ root, dbPath: target.dbPath }, stamp);
      return { json: result, human: restoredText(result) };
    },
  },
  {
    name: 'compact',
    summary: 'Rebuild the catalog into a fresh file and report the bytes reclaimed',
    args: '', minArgs: 0, maxArgs: 0, access: 'write',
    localOnly: 'compact swaps the catalog file, which needs it closed',
    async run(_args, session) {
      const result = await session.call('catalog:compact', {});
      return { json: result, human: `Compacted the catalog: ${formatBytes(result.bytes_before)} → ${formatBytes(result.bytes_after)} (${formatBytes(result.bytes_reclaimed)} reclaimed).` };
    },
  },
];
