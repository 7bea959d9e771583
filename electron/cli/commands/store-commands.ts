import { stringOption, UsageError, type CliCommand } from '../command-types.js';
import { formatBytes, formatTable } from '../output.js';
import { withJobProgress } from '../progress-bar.js';

/** Commands on the content store itself. */
export const storeCommands: readonly CliCommand[] = [
  {
    name: 'migrate-store',
    summary: 'Plan moving the content store to one level of fan-out, ab/<sha> (--apply PLAN_ID moves it; resumable)',
    args: '', minArgs: 0, maxArgs: 0, access: 'write',
    options: { apply: { type: 'string', description: 'apply the plan with this id (again, to finish an interrupted run)' } },
    async run(args, session) {
      const apply = stringOption(args, 'apply');
      if (apply !== undefined) {
        if (!/^[a-z]+-[0-9A-Za-z]+-[0-9a-f]{8,64}$/.test(apply)) throw new UsageError('--apply takes a plan id, like migratestore-20260101T120000Z-1a2b3c4d5e6f.');
        const result = await withJobProgress(session, args, 'migrate-store', 'store:migrate-apply', { plan_id: apply });
        const human = [
          `Applied ${result.plan_id}: ${result.moved} objects moved to one level of fan-out` +
            `${result.already_moved > 0 ? `, ${result.already_moved} moved by an earlier run` : ''}; ${result.rows_updated} catalog rows updated.`,
          result.left_in_place > 0 ? `${result.left_in_place} objects were already stored under their new name as another file; the old copies stay for 'ontocat doctor' to list.` : '',
          result.foreign_new_copies > 0 ? `${result.foreign_new_copies} objects were not moved: their new name holds another file that does not hold their bytes, so the catalog keeps the old name; 'ontocat doctor' lists that file, then run migrate-store again.` : '',
          result.missing > 0 ? `${result.missing} objects of the plan were found under neither name; 'ontocat doctor' reports them.` : '',
          result.rows_left > 0 ? `${result.rows_left} catalog rows still point into the old layout: run 'ontocat doctor'.` : 'The store now uses one level of fan-out.',
        ].filter(Boolean).join('\n');
        return { json: result, human };
      }
      const plan = await withJobProgress(session, args, 'migrate-store', 'store:migrate-plan', {});
      const human = plan.objects === 0
        ? `Nothing to move: the store's ${plan.already_one_level} objects already use one level of fan-out (ab/<sha>). Plan ${plan.plan_id}.`
        : [
            formatTable(plan.preview, [{ header: 'FROM', value: (m) => m.from }, { header: 'TO', value: (m) => m.to }]),
            plan.objects > plan.preview.length ? `… and ${plan.objects - plan.preview.length} more.` : '',
            `${plan.objects} objects (${formatBytes(plan.bytes)}) to move from ab/cd/<sha> to ab/<sha>; ${plan.rows} catalog rows follow them; ${plan.already_one_level} already moved.`,
            'Objects are relinked, not copied: no extra disk. A run that is cut short is finished by applying the plan again.',
            `Plan ${plan.plan_id}. Review, then apply with: ontocat migrate-store --apply ${plan.plan_id}`,
          ].filter(Boolean).join('\n');
      return { json: plan, human };
    },
  },
];
