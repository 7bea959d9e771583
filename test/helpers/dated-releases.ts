/**
 * A small service in releases the curator dated: each release one `mini.ttl` ingested
 * through the real CLI, then given its day with `release-date`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runOntocatOk } from './run-cli.js';

export interface DatedRelease {
  readonly version: string;
  /** The release day, as `release-date` takes it (2019-01-16). */
  readonly day: string;
  /** The release's one Turtle file; by default one triple naming the version. */
  readonly turtle?: string;
}

/** Ingests each release of `service` from its own folder under `sources`, in the order given. */
export function ingestDatedReleases(root: string, sources: string, service: string, releases: readonly DatedRelease[]): void {
  for (const { version, day, turtle = `<http://example.org/a> <http://example.org/b> "${version}" .\n` } of releases) {
    const dir = path.join(sources, version);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'mini.ttl'), turtle);
    runOntocatOk(['ingest', dir, '--service', service, '--version', version], { root });
    runOntocatOk(['release-date', `${service}/${version}`, day], { root });
  }
}
