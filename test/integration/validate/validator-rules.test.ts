/**
 * Which validator rules a version's findings come from (`validations:rules`): the real
 * CLI validates and lists findings (through the channel the app and the web host use).
 * Findings recorded under older rules say so until the version is validated again.
 */
import { cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../electron/catalog/open-catalog.js';
import { validatorVersions } from '../../../electron/catalog/validation-queries.js';
import { VALIDATOR_VERSION } from '../../../electron/ingest/validate/validators.js';
import { projectRoot, runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const temp = makeTempRoot('ontocat-validator-rules');
const root = path.join(temp.root, 'root');
const ref = { service: 'edam', version: '1.2' };

beforeAll(() => {
  const dir = path.join(temp.root, 'src');
  cpSync(path.join(projectRoot, 'test', 'fixtures', 'edam', 'EDAM_1.2.obo'), path.join(dir, 'EDAM.obo'));
  const run = runOntocat(['ingest', dir, '--service', ref.service, '--version', ref.version, '--json'], { root });
  expect(run.code, run.stderr).toBe(0);
}, 300_000);
afterAll(() => temp.cleanup());

async function rules(): Promise<{ oldest: number | null; newest: number | null }> {
  const catalog = await openCatalog({ root });
  try {
    return await catalog.read((conn) => validatorVersions(conn, ref));
  } finally {
    await catalog.close();
  }
}

describe('the validator rules of a version', () => {
  it('are the current ones after a validation, older ones after an upgrade, and current again once validated', async () => {
    expect(await rules()).toEqual({ oldest: VALIDATOR_VERSION, newest: VALIDATOR_VERSION });
    // As a catalog validated by the Ontocat before this one holds it.
    const catalog = await openCatalog({ root });
    await catalog.write((tx) => tx.run(
      `UPDATE validations SET details_json = json_merge_patch(details_json, json_object('validator_version', ${VALIDATOR_VERSION - 1}))
       WHERE rule = 'syntax'`,
    ));
    await catalog.close();
    expect(await rules()).toEqual({ oldest: VALIDATOR_VERSION - 1, newest: VALIDATOR_VERSION - 1 });
    const findings = (): string => {
      const listed = runOntocat(['findings', `${ref.service}/${ref.version}`], { root });
      expect(listed.code, listed.stderr).toBe(0);
      return listed.stdout;
    };
    expect(findings()).toContain(`These findings come from older validator rules (version ${VALIDATOR_VERSION - 1}; this Ontocat's are version ${VALIDATOR_VERSION})`);
    const run = runOntocat(['validate', `${ref.service}/${ref.version}`, '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
    expect(await rules()).toEqual({ oldest: VALIDATOR_VERSION, newest: VALIDATOR_VERSION });
    expect(findings()).not.toContain('older validator rules');
  }, 300_000);
});
