import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { scanStanzas, type ScannedTerm } from './obo-stanza-scan.js';
import { projectRoot, runOntocat } from './run-cli.js';

/** The vendored EDAM OBO releases (test/fixtures/edam). */
export const EDAM_FIXTURES = path.join(projectRoot, 'test', 'fixtures', 'edam');

/**
 * Ingests vendored EDAM OBO releases as versions of `service` with the real CLI, each as
 * `EDAM.obo` in its own folder under `work`, and returns each release's stanza scan (the
 * outside reading every term answer is held to), by version.
 */
export function ingestEdamReleases(work: string, root: string, releases: readonly string[], service = 'edam'): Map<string, Map<string, ScannedTerm>> {
  const scans = new Map<string, Map<string, ScannedTerm>>();
  for (const version of releases) {
    const dir = path.join(work, 'src', version);
    mkdirSync(dir, { recursive: true });
    copyFileSync(path.join(EDAM_FIXTURES, `EDAM_${version}.obo`), path.join(dir, 'EDAM.obo'));
    const run = runOntocat(['ingest', dir, '--service', service, '--version', version, '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
    scans.set(version, scanStanzas(path.join(EDAM_FIXTURES, `EDAM_${version}.obo`)));
  }
  return scans;
}
