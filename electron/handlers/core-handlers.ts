import { migrate, pendingMigrationNames } from '../catalog/migrations.js';
import { findArtifact, findBySha256, getFile, listArtifacts, listDirectory, listFiles } from '../catalog/file-queries.js';
import { latestHistory, listEvents } from '../catalog/event-queries.js';
import { cachedStorageUsage } from '../catalog/usage-queries.js';
import { listValidations, validationSummary, validatorVersions } from '../catalog/validation-queries.js';
import { VALIDATOR_VERSION } from '../ingest/validate/validators.js';
import { catalogCountsOf, getLatest, listLatest, listServicesOf, listVersionsOf, requireVersionId, versionStats } from '../catalog/version-queries.js';
import { setLatestInTx } from '../catalog/latest-boundary.js';
import { previewStamp } from '../catalog/preview-stamp.js';
import { previousRelease, setReleaseDate } from '../catalog/release-order.js';
import { setPinned } from '../catalog/write-records.js';
import type { Channel } from '../shared/contract.js';
import type { coreContract } from '../shared/contract/core.js';
import { parseReleaseDate } from '../shared/release-order.js';
import { parseVersionRef } from '../shared/version-ref.js';
import { scheduleTimeZone } from '../sources/schedule.js';
import { fileWithDiskState, withDiskState } from './disk-state.js';
import type { HandlerGroup } from './handler-types.js';

type CoreChannel = keyof typeof coreContract & Channel;

/** Handlers of the core channels. */
export const coreHandlers: HandlerGroup<CoreChannel> = {
  async 'catalog:info'(_input, { catalog }) {
    const counts = await catalogCountsOf(catalog);
    const pending = await catalog.read((conn) => pendingMigrationNames(conn));
    return { root: catalog.root, db_path: catalog.dbPath, read_only: catalog.readOnly, ...counts, migrations_pending: pending, time_zone: scheduleTimeZone() };
  },

  async 'catalog:migrate'(input, { catalog }) {
    const report = input.dry_run
      ? await catalog.read((conn) => migrate(conn, { dryRun: true }))
      : await catalog.exclusive((conn) => migrate(conn));
    return { dry_run: report.dry_run, applied: report.applied, pending: report.pending };
  },

  'services:list': (_input, { catalog }) => listServicesOf(catalog),
  'versions:list': (input, { catalog }) => listVersionsOf(catalog, input),
  'versions:stats': (input, { catalog }) => {
    const ref = parseVersionRef(input.ref);
    const against = input.order_against === undefined ? undefined : parseVersionRef(input.order_against);
    if (!input.stamp) return catalog.read((conn) => versionStats(conn, ref, input.largest, against));
    // The stamp vouches for these figures, so both come from one snapshot: read apart, another
    // client's write between them gave a stamp of the newer state beside the older figures,
    // and Confirm applied over what the preview never showed.
    return catalog.readSnapshot(async (conn) => ({ ...await versionStats(conn, ref, input.largest, against), stamp: (await previewStamp(conn, ref)) ?? '' }));
  },
  async 'versions:previous'(input, { catalog }) {
    const ref = parseVersionRef(input.ref);
    const previous = await catalog.read(async (conn) => {
      await requireVersionId(conn, ref);
      return previousRelease(conn, ref);
    });
    return { previous: previous === null ? null : `${ref.service}/${previous}` };
  },

  async 'versions:pin'(input, { catalog }) {
    const { reason } = await catalog.write((tx) => setPinned(tx, parseVersionRef(input.ref), input.pinned, input.reason));
    return { ref: input.ref, pinned: input.pinned, reason };
  },

  async 'versions:set-release'(input, { catalog, actor }) {
    const ref = parseVersionRef(input.ref);
    const result = await catalog.write((tx) => setReleaseDate(tx, ref, parseReleaseDate(input.release_date), actor, input.expected_release_date));
    return {
      ref: input.ref, release_date: result.release_date!, release_date_source: 'curator' as const,
      previous: result.previous, previous_source: result.previous_source, order: result.order,
    };
  },

  'files:list': (input, { catalog }) => catalog.read((conn) => listFiles(conn, parseVersionRef(input.ref), input)),
  async 'files:dir'(input, { catalog }) {
    const ref = parseVersionRef(input.ref);
    return withDiskState(catalog, ref, await catalog.read((conn) => listDirectory(conn, ref, input)));
  },
  async 'files:get'(input, { catalog }) {
    const ref = parseVersionRef(input.ref);
    return fileWithDiskState(catalog, ref, await catalog.read((conn) => getFile(conn, ref, input.relpath)));
  },
  'files:where': (input, { catalog }) => catalog.read((conn) => findBySha256(conn, input.sha256)),
  'artifacts:get': (input, { catalog }) => catalog.read((conn) => findArtifact(conn, input.artifact_id)),
  'artifacts:list': (input, { catalog }) => catalog.read((conn) => listArtifacts(conn, parseVersionRef(input.ref))),
  'validations:list': (input, { catalog }) => catalog.read((conn) => listValidations(conn, parseVersionRef(input.ref), input)),
  'validations:summary': (input, { catalog }) => catalog.read((conn) => validationSummary(conn, parseVersionRef(input.ref))),
  'validations:rules': async (input, { catalog }) => ({
    ...await catalog.read((conn) => validatorVersions(conn, parseVersionRef(input.ref))), current: VALIDATOR_VERSION,
  }),
  'latest:get': (input, { catalog }) => catalog.read((conn) => getLatest(conn, input.service)),
  'latest:list': (_input, { catalog }) => catalog.read((conn) => listLatest(conn)),
  'latest:history': ({ service, ...query }, { catalog }) => catalog.read((conn) => latestHistory(conn, service, query)),

  async 'latest:set'(input, { catalog, actor }) {
    const ref = parseVersionRef(input.ref);
    // The set-latest boundary (pointer row, then LATEST.json, in one transaction).
    const { previous, changed } = await catalog.write((tx) => setLatestInTx(tx, catalog.root, ref, actor, input.expected_latest, input.expected_stamps));
    return { service: ref.service, version: ref.version, previous, changed };
  },

  'storage:usage': (input, { catalog }) => cachedStorageUsage(catalog, input),
  'events:list': (input, { catalog }) => catalog.read((conn) => listEvents(conn, input)),
};
