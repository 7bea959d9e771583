/**
 * The order of version strings as a curator sees it, through the real CLI over real
 * ingests into a real catalog, held to references Ontocat did not write: GNU `sort -V`
 * for the versions list sorted by version, and the semver package (semver 2.0.0 §10:
 * build metadata does not order) for release order, prune's keep-last and growth.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let root: string;
let sources: string;
let cleanup: () => void;

beforeEach(() => {
  ({ root, cleanup } = makeTempRoot('ontocat-version-string-order'));
  sources = `${root}-src`;
  expect(runOntocat(['init'], { root }).code).toBe(0);
});
afterEach(() => {
  cleanup();
  rmSync(sources, { recursive: true, force: true });
});

/** Ingests a one-file folder (no release date in it) as SERVICE/VERSION through the CLI. */
function ingestUndated(service: string, version: string): void {
  const dir = path.join(sources, service, version);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'notes.txt'), `release ${version}\n`);
  const run = runOntocat(['ingest', dir, '--service', service, '--version', version], { root });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
}

const versionsOf = (args: readonly string[]): string[] =>
  runOntocat(['versions', ...args, '--json'], { root }).json<{ version: string }[]>().map((row) => row.version);

describe('version strings in order', () => {
  it('versions --sort version lists 1.2 before 1.10, as sort -V does', () => {
    const names = ['1.10', '0.9', '1.2', '2.0', '1.9', '1.0'];
    for (const name of names) ingestUndated('svc', name);
    const reference = spawnSync('sort', ['-V'], { input: `${names.join('\n')}\n`, encoding: 'utf8' }).stdout.trim().split('\n');
    expect(reference).toEqual(['0.9', '1.0', '1.2', '1.9', '1.10', '2.0']);
    expect(versionsOf(['--service', 'svc', '--sort', 'version'])).toEqual(reference);
    expect(versionsOf(['--service', 'svc', '--sort', 'version', '--desc'])).toEqual([...reference].reverse());
    // Sorted by service, a service's versions follow the same natural order.
    expect(versionsOf(['--sort', 'service'])).toEqual(reference);
  });

  it('a release with build metadata (2.0.0+build.5) is newer than its release candidate, as semver orders them', () => {
    const semver = createRequire(import.meta.url)('semver') as { compare(a: string, b: string): number };
    const names = ['1.0.0', '2.0.0-rc.2', '2.0.0+build.5', '1.0.0-rc.1'];
    for (const name of names) ingestUndated('lib', name);
    const newestFirst = [...names].sort((a, b) => semver.compare(b, a));
    expect(newestFirst).toEqual(['2.0.0+build.5', '2.0.0-rc.2', '1.0.0', '1.0.0-rc.1']);
    expect(versionsOf(['--service', 'lib'])).toEqual(newestFirst);

    const plan = runOntocat(['prune', '--keep-last', '1', '--service', 'lib', '--allow-large', '--json'], { root })
      .json<{ kept: { version: string }[]; removals: { version: string }[] }>();
    expect(plan.kept.map((v) => v.version)).toEqual(['2.0.0+build.5']);
    expect(plan.removals.map((v) => v.version).sort()).toEqual(newestFirst.slice(1).sort());

    const growth = runOntocat(['report', 'growth', 'lib'], { root });
    expect(growth.stdout.split('\n')[0]).toContain('lib/2.0.0-rc.2 -> lib/2.0.0+build.5');
  });

  it('build metadata after a pre-release (semver 2.0.0 §10: 1.0.0-alpha+001, 1.0.0-beta+exp.sha.5114f85) does not order either', () => {
    const semver = createRequire(import.meta.url)('semver') as { compare(a: string, b: string): number };
    // The spec's own examples of build metadata, beside the pre-releases that follow them.
    const names = ['1.0.0-beta.2', '1.0.0-alpha+001', '1.0.0-beta+exp.sha.5114f85', '1.0.0-alpha.1'];
    for (const name of names) ingestUndated('lib', name);
    const newestFirst = [...names].sort((a, b) => semver.compare(b, a));
    expect(newestFirst).toEqual(['1.0.0-beta.2', '1.0.0-beta+exp.sha.5114f85', '1.0.0-alpha.1', '1.0.0-alpha+001']);
    expect(versionsOf(['--service', 'lib'])).toEqual(newestFirst);
    expect(versionsOf(['--service', 'lib', '--sort', 'version'])).toEqual([...newestFirst].reverse());

    const plan = runOntocat(['prune', '--keep-last', '1', '--service', 'lib', '--allow-large', '--json'], { root })
      .json<{ kept: { version: string }[] }>();
    expect(plan.kept.map((v) => v.version)).toEqual(['1.0.0-beta.2']);

    const growth = runOntocat(['report', 'growth', 'lib'], { root });
    expect(growth.stdout.split('\n')[0]).toContain('lib/1.0.0-beta+exp.sha.5114f85 -> lib/1.0.0-beta.2');
  });

  it('a numeric pre-release of a semver version (1.0.1-0, as npm version prerelease makes it) comes before its release, as semver orders them', () => {
    const semver = createRequire(import.meta.url)('semver') as { valid(v: string): string | null; compare(a: string, b: string): number };
    const names = ['1.0.1', '1.0.1-1', '1.0.0', '1.0.1-0', '1.0.1-rc.1', '1.0.1-0.3.7', '1.0.1-2+build.7'];
    expect(names.every((name) => semver.valid(name) !== null)).toBe(true);
    for (const name of names) ingestUndated('lib', name);
    const newestFirst = [...names].sort((a, b) => semver.compare(b, a));
    expect(newestFirst).toEqual(['1.0.1', '1.0.1-rc.1', '1.0.1-2+build.7', '1.0.1-1', '1.0.1-0.3.7', '1.0.1-0', '1.0.0']);
    expect(versionsOf(['--service', 'lib'])).toEqual(newestFirst);

    const plan = runOntocat(['prune', '--keep-last', '1', '--service', 'lib', '--allow-large', '--json'], { root })
      .json<{ kept: { version: string }[] }>();
    expect(plan.kept.map((v) => v.version)).toEqual(['1.0.1']);

    // Not semver (two numbers, a leading zero): a number after '-' is one more part, as GNU sort -V reads it.
    const others = ['2.1-3', '2.1', '2024.01.02-1', '2024.01.02'];
    for (const name of others) ingestUndated('other', name);
    const reference = spawnSync('sort', ['-V'], { input: `${others.join('\n')}\n`, encoding: 'utf8' }).stdout.trim().split('\n');
    expect(reference).toEqual(['2.1', '2.1-3', '2024.01.02', '2024.01.02-1']);
    expect(versionsOf(['--service', 'other', '--sort', 'version'])).toEqual(reference);
  });
});
