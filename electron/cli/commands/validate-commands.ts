import type { Severity } from '../../shared/models.js';
import { intOption, stringOption, type CliCommand, versionRefArg } from '../command-types.js';
import { formatBytes, formatFields, formatTable, pageNote } from '../output.js';
import { describeHealth, olderRulesSentence } from '../../shared/validation-health.js';
import { validationHealthColumns } from '../health-columns.js';
import { callFollowingJobs, progressBar } from '../progress-bar.js';
import { countOf } from '../../shared/count-noun.js';

export const validateCommands: readonly CliCommand[] = [
  {
    name: 'validate',
    summary: 'Validate every file of a version (syntax + ontology quality checks) and record the results',
    args: 'SERVICE/VERSION', minArgs: 1, maxArgs: 1, access: 'write',
    options: {
      workers: { type: 'string', description: 'worker threads (default: all cores)' },
      fresh: { type: 'boolean', description: 'parse every file again (default: reuse results of the same content validated elsewhere)' },
    },
    async run(args, session) {
      const ref = versionRefArg(args.positionals[0]);
      const bar = progressBar('validate', { enabled: !args.json });
      try {
        const result = await callFollowingJobs(session, 'validate:run', {
          ref, workers: intOption(args, 'workers', 1, 256), ...(args.options.fresh === true ? { fresh: true } : {}),
        }, (event) => {
          if (event.kind === 'validate' && event.state === 'running') {
            bar.onProgress({ done: event.done, total: event.total, bytes: event.bytes, current: event.current });
          }
        });
        const human = [
          formatFields([
            ['version', `${result.service}/${result.version}`],
            ['files', `${result.checked} checked of ${result.files} (${formatBytes(result.bytes)})${result.reused > 0 ? `; ${result.reused} known by content, not parsed again` : ''}`],
            ['triples', result.triples],
            ['terms', result.terms],
            ['health', describeHealth(result.health)],
            ['time', `${(result.duration_ms / 1000).toFixed(1)} s on ${countOf(result.workers, 'worker')}`],
          ]),
          '',
          formatTable(result.by_validator, [
            { header: 'VALIDATOR', value: (row) => row.validator },
            { header: 'FORMAT', value: (row) => row.format },
            ...validationHealthColumns,
          ]),
          ...(result.health.files_with_errors + result.health.warnings + result.health.infos > 0 ? ['', `See the findings with: ontocat findings ${ref}  (or the Validation page)`] : []),
        ].join('\n');
        return { json: result, human };
      } finally {
        bar.done();
      }
    },
  },
  {
    name: 'findings',
    summary: 'List the validation findings of a version (--all includes passed checks)',
    args: 'SERVICE/VERSION', minArgs: 1, maxArgs: 1, access: 'read',
    options: {
      all: { type: 'boolean', description: 'include passed results' },
      validator: { type: 'string', description: 'only this validator (turtle, obo, quality, storage, …)' },
      severity: { type: 'string', description: 'ERROR, WARN or INFO' },
      prefix: { type: 'string', description: 'only files under this folder' },
      search: { type: 'string', description: 'message or path contains this text' },
      limit: { type: 'string', description: 'at most N rows (default 100, max 1000)' },
      offset: { type: 'string', description: 'skip N rows' },
    },
    async run(args, session) {
      const severity = stringOption(args, 'severity')?.toUpperCase();
      const ref = versionRefArg(args.positionals[0]);
      const rules = await session.call('validations:rules', { ref });
      const page = await session.call('validations:list', {
        ref,
        passed: args.options.all === true ? undefined : false,
        validator: stringOption(args, 'validator'),
        severity: severity as Severity | undefined,
        prefix: stringOption(args, 'prefix'),
        search: stringOption(args, 'search'),
        limit: intOption(args, 'limit', 1, 1000),
        offset: intOption(args, 'offset'),
      });
      const olderRules = olderRulesSentence(rules);
      const older = olderRules ? `\n${olderRules}: validate again with ontocat validate ${ref}` : '';
      return {
        json: page.items,
        human: formatTable(page.items, [
          { header: 'SEVERITY', value: (v) => v.severity },
          { header: 'PATH', value: (v) => `${v.relpath}${v.line !== null ? `:${v.line}${v.col !== null ? `:${v.col}` : ''}` : ''}` },
          { header: 'VALIDATOR', value: (v) => v.validator },
          { header: 'RULE', value: (v) => v.rule },
          { header: 'SUBJECT', value: (v) => v.subject ?? '' },
          { header: 'MESSAGE', value: (v) => (v.passed ? 'ok' : (v.message ?? '').slice(0, 120)) },
        ]) + pageNote(page) + older,
      };
    },
  },
];
