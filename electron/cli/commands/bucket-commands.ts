import path from 'node:path';
import type { BucketDoctorReport, BucketStatus } from '../../shared/contract/bucket.js';
import { intOption, stringOption, UsageError, versionRefArg, type CliCommand } from '../command-types.js';
import { formatBytes, formatFields, formatTable } from '../output.js';
import { withJobProgress } from '../progress-bar.js';
import { countOf } from '../../shared/count-noun.js';

const planIdPattern = /^[a-z]+-[0-9A-Za-z]+-[0-9a-f]{8,64}$/;

function planIdArg(text: string | undefined, what: string): string {
  if (!text || !planIdPattern.test(text)) throw new UsageError(`${what} takes a plan id, like bucketgc-20260101T120000Z-1a2b3c4d5e6f.`);
  return text;
}

/** The storage configuration as fields. */
export function bucketStatusText(status: BucketStatus): string {
  if (status.kind === 'local') return `Content objects are on local disk (ROOT/.cas). Configure a bucket with: ontocat init --s3 s3://BUCKET/PREFIX [--endpoint URL] [--region R] [--path-style]`;
  return formatFields([
    ['storage', 'S3-compatible bucket'], ['bucket', status.url ?? ''], ['endpoint', status.endpoint ?? 'AWS S3 (regional endpoint)'],
    ['region', status.region ?? ''], ['addressing', status.path_style ? 'path-style' : 'virtual-hosted'],
    ['credentials', status.profile ? `AWS profile ${status.profile}` : 'AWS default chain (environment, profile, SSO, role)'], ['config', status.config_file],
  ]);
}

/** Under a table of examples: how many of all are shown, when not all are (the report carries the first ones only). */
function shownOf(shown: number, total: number): string {
  return shown < total ? `(the first ${shown} of ${total} by SHA-256)` : '';
}

function doctorText(report: BucketDoctorReport): string {
  const lines = [
    `${report.url}: ${report.listed} objects listed (${formatBytes(report.listed_bytes)}); the catalog references ${report.referenced} (${formatBytes(report.referenced_bytes)}).`,
  ];
  if (report.missing_count > 0) {
    lines.push(`${report.missing_count} referenced objects are MISSING from the bucket (upload them from the local cache with 'ontocat bucket push'):`);
    lines.push(formatTable(report.missing, [{ header: 'SHA256', value: (m) => m.sha256 }, { header: 'SIZE', value: (m) => formatBytes(m.size_bytes), align: 'right' }, { header: 'E.G.', value: (m) => m.example }]));
    lines.push(shownOf(report.missing.length, report.missing_count));
  }
  if (report.size_mismatch_count > 0) {
    lines.push(`${report.size_mismatch_count} objects have another SIZE than the catalog says:`);
    lines.push(formatTable(report.size_mismatches, [{ header: 'SHA256', value: (m) => m.sha256 }, { header: 'EXPECTED', value: (m) => m.expected_size }, { header: 'IN BUCKET', value: (m) => m.actual_size }]));
    lines.push(shownOf(report.size_mismatches.length, report.size_mismatch_count));
  }
  if (report.unreferenced_count > 0) lines.push(`${report.unreferenced_count} objects (${formatBytes(report.unreferenced_bytes)}) are unreferenced; 'ontocat bucket prune' plans moving them to the trash prefix.`);
  if (report.stray_count > 0) lines.push(`${report.stray_count} keys under cas/ are not content keys (left alone), e.g. ${report.strays[0]!.key}.`);
  if (report.deep) {
    lines.push(`Deep check: ${report.deep.checked} objects re-downloaded and re-hashed (${formatBytes(report.deep.bytes)}); ${report.deep.corrupt.length} do not match their name.`);
    if (report.deep.corrupt.length > 0) {
      lines.push(formatTable(report.deep.corrupt, [{ header: 'SHA256', value: (c) => c.sha256 }, { header: 'ACTUAL', value: (c) => c.actual_sha256 ?? 'missing' }]));
      lines.push("'ontocat bucket push --deep' sends them again from the local cache.");
    }
  }
  lines.push(report.ok ? 'The bucket holds every referenced object.' : 'The bucket does NOT match the catalog (see above).');
  return lines.filter(Boolean).join('\n');
}

/** Commands on the root's bucket, and checkout. */
export const bucketCommands: readonly CliCommand[] = [
  {
    name: 'bucket status',
    summary: 'Show where the content objects live (local disk or an S3-compatible bucket)',
    args: '', minArgs: 0, maxArgs: 0, access: 'read',
    async run(_args, session) {
      const status = await session.call('bucket:status', {});
      return { json: status, human: bucketStatusText(status) };
    },
  },
  {
    name: 'bucket push',
    summary: 'Upload every referenced object the bucket lacks from the local cache',
    args: '', minArgs: 0, maxArgs: 0, access: 'write',
    options: { deep: { type: 'boolean', description: 're-hash the objects the bucket holds too, and send again those that hold other bytes' } },
    async run(args, session) {
      const result = await withJobProgress(session, args, 'push', 'bucket:push', { deep: args.options.deep === true });
      // Every referenced object not uploaded, not cached and not refused was in the bucket already; only those are said to be.
      const already = result.referenced - result.uploaded - result.not_cached.length - result.bad_local.length;
      const human = `Uploaded ${result.uploaded} of ${result.referenced} referenced objects (${formatBytes(result.bytes)}); ` +
        `${already === result.referenced - result.uploaded ? 'the others were' : `${already} ${already === 1 ? 'was' : 'were'}`} already in the bucket.` +
        (result.rehashed !== null ? `
Re-hashed ${result.rehashed} objects the bucket held at their size: ${result.corrupt.length} held other bytes and ${result.corrupt.length === 1 ? 'was' : 'were'} sent again.` : '') +
        (result.not_cached.length > 0 ? `\n${result.not_cached.length} referenced objects are in neither the bucket nor the local cache, e.g. ${result.not_cached[0]}.` : '') +
        result.bad_local.map((bad) => `\nNot uploaded: the local copy of ${bad.sha256} no longer hashes to its name; run 'ontocat doctor --deep' to find and repair it.`).join('');
      return { json: result, human, exitCode: result.not_cached.length + result.bad_local.length > 0 ? 1 : 0 };
    },
  },
  {
    name: 'bucket doctor',
    summary: 'List the bucket into the catalog and compare (missing, unreferenced, size); --deep re-hashes; exit 1 on problems',
    args: '', minArgs: 0, maxArgs: 0, access: 'write',
    options: {
      deep: { type: 'boolean', description: 're-download and re-hash the referenced objects' },
      sample: { type: 'string', description: 'with --deep: only N random objects' },
    },
    async run(args, session) {
      const sample = intOption(args, 'sample', 1, 100_000_000);
      if (sample !== undefined && args.options.deep !== true) throw new UsageError('--sample goes with --deep.');
      const report = await withJobProgress(session, args, 'bucket doctor', 'bucket:doctor', { deep: args.options.deep === true, ...(sample ? { sample } : {}) });
      return { json: report, human: doctorText(report), exitCode: report.ok ? 0 : 1 };
    },
  },
  {
    name: 'bucket prune',
    summary: 'Plan moving unreferenced bucket objects to the trash prefix (--apply PLAN_ID moves them)',
    args: '', minArgs: 0, maxArgs: 0, access: 'write',
    options: { apply: { type: 'string', description: 'apply the plan with this id' } },
    async run(args, session) {
      const apply = stringOption(args, 'apply');
      if (apply !== undefined) {
        const result = await withJobProgress(session, args, 'bucket prune', 'bucket:gc-apply', { plan_id: planIdArg(apply, '--apply') });
        const human = [
          `Moved ${result.moved} objects (${formatBytes(result.bytes)}) to ${result.trash_prefix}; restore with 'ontocat bucket trash restore ${result.plan_id}'.`,
          result.skipped.length > 0 ? `Left ${result.skipped.length} objects alone because they changed since the plan, e.g. ${result.skipped[0]!.key}: ${result.skipped[0]!.reason}.` : '',
        ].filter(Boolean).join('\n');
        return { json: result, human };
      }
      const plan = await withJobProgress(session, args, 'bucket prune', 'bucket:gc-plan', {});
      const human = plan.objects === 0
        ? `Nothing to collect: every content object in the bucket is referenced. Plan ${plan.plan_id}.`
        : [
            formatTable(plan.preview, [{ header: 'KEY', value: (v) => v.key }, { header: 'SIZE', value: (v) => formatBytes(v.size_bytes), align: 'right' }]),
            plan.objects > plan.preview.length ? `… and ${plan.objects - plan.preview.length} more.` : '',
            `${plan.objects} unreferenced objects (${formatBytes(plan.bytes)}) would move to ${plan.trash_prefix} (restorable until emptied).`,
            `Plan ${plan.plan_id}. Review, then apply with: ontocat bucket prune --apply ${plan.plan_id}`,
          ].filter(Boolean).join('\n');
      return { json: plan, human };
    },
  },
  {
    name: 'bucket trash',
    summary: "The bucket's trash prefix: list, restore PLAN_ID, or empty PLAN_ID (deletes for good)",
    args: 'list|restore|empty [PLAN_ID]', minArgs: 1, maxArgs: 2, access: (args) => (args.positionals[0] === 'list' ? 'read' : 'write'),
    async run(args, session) {
      const [action, planId] = args.positionals;
      if (action === 'list') {
        const rows = await session.call('bucket:trash-list', {});
        return {
          json: rows,
          human: rows.length === 0 ? "The bucket's trash is empty." : formatTable(rows, [
            { header: 'PLAN', value: (r) => r.plan_id }, { header: 'OBJECTS', value: (r) => r.objects }, { header: 'BYTES', value: (r) => formatBytes(r.bytes), align: 'right' },
          ]),
        };
      }
      if (action === 'restore') {
        const result = await withJobProgress(session, args, 'restore', 'bucket:trash-restore', { plan_id: planIdArg(planId, 'bucket trash restore') });
        return { json: result, human: `Restored ${result.objects} objects (${formatBytes(result.bytes)}) of ${result.plan_id} to their content keys.` };
      }
      if (action === 'empty') {
        const result = await session.call('bucket:trash-empty', { plan_id: planIdArg(planId, 'bucket trash empty') });
        return { json: result, human: `Deleted ${result.objects} trashed objects (${formatBytes(result.bytes)}) of ${result.plan_id} for good.` };
      }
      throw new UsageError(`bucket trash takes list, restore PLAN_ID or empty PLAN_ID, not '${action ?? ''}'.`);
    },
  },
  {
    name: 'checkout',
    summary: 'Materialise a version into a folder (hard links from the local cache, downloads from the bucket otherwise)',
    args: 'SERVICE/VERSION DIR', minArgs: 2, maxArgs: 2, access: 'write',
    options: { copy: { type: 'boolean', description: 'copy the bytes instead of hard-linking (for files you will edit)' } },
    async run(args, session) {
      const ref = versionRefArg(args.positionals[0]);
      const dir = path.resolve(args.positionals[1]!);
      const result = await withJobProgress(session, args, 'checkout', 'versions:checkout', { ref, dir, ...(args.options.copy === true ? { copy: true } : {}) });
      const how = [
        result.linked > 0 ? `${result.linked} linked` : '', result.copied > 0 ? `${result.copied} copied` : '',
        result.downloaded > 0 ? `${result.downloaded} downloaded (${formatBytes(result.downloaded_bytes)})` : '', result.unchanged > 0 ? `${result.unchanged} already there` : '',
      ].filter(Boolean).join(', ');
      const downloads = result.downloads_only.length === 0 ? ''
        : `\n${result.service}/${result.version} has no data files, only ${result.downloads_only.length === 1 ? 'a download' : 'downloads'} kept as fetched, which a checkout does not take: `
          + `${result.downloads_only.join(', ')} (under the storage root). To check out its contents, ingest ${result.downloads_only.length === 1 ? 'it' : 'them'} as a version.`;
      return { json: result, human: `Checked out ${result.service}/${result.version} into ${result.directory}: ${countOf(result.files, 'file')}, ${formatBytes(result.bytes)}${how ? ` (${how})` : ''}.${downloads}` };
    },
  },
];
