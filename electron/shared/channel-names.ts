/**
 * Every channel name as a plain runtime list, without the zod schemas.
 *
 * The renderer needs the names (one bridge method per channel) but not the input schemas;
 * importing `channelNames` from contract.ts would ship zod in the renderer bundle. The
 * `satisfies` makes a channel missing here (or one that no longer exists) a compile
 * error, and a unit test checks the list against `channelNames`.
 */
import type { Channel } from './contract.js';

const channelFlags = {
  'catalog:info': true, 'catalog:migrate': true, 'services:list': true, 'versions:list': true, 'versions:stats': true, 'versions:previous': true,
  'versions:pin': true, 'versions:set-release': true, 'files:list': true, 'files:dir': true, 'files:get': true, 'files:where': true,
  'artifacts:get': true, 'artifacts:list': true, 'validations:list': true, 'validations:summary': true, 'validations:rules': true,
  'latest:get': true, 'latest:list': true, 'latest:set': true, 'latest:history': true, 'storage:usage': true, 'events:list': true,
  'ingest:run': true, 'ingest:fetch': true, 'ingest:import-manifest': true, 'ingest:demo': true,
  'storage:verify': true, 'storage:where': true, 'storage:dedup-report': true, 'validate:run': true,
  'delta:compute': true, 'delta:tree': true, 'delta:validations': true, 'delta:terms': true, 'delta:term-impact': true,
  'report:latest': true, 'report:growth': true, 'report:validation': true, 'report:hotspots': true, 'report:cadence': true,
  'catalog:schema': true, 'catalog:profile': true, 'jobs:list': true, 'jobs:get': true, 'jobs:cancel': true,
  'doctor:plan': true, 'doctor:apply': true, 'prune:plan': true, 'prune:apply': true, 'plans:get': true,
  'trash:list': true, 'trash:restore': true, 'trash:empty': true, 'backup:create': true, 'backup:list': true,
  'backup:restore': true, 'catalog:compact': true, 'catalog:publish': true, 'catalog:publication': true,
  'store:migrate-plan': true, 'store:migrate-apply': true,
  'terms:search': true, 'terms:history': true, 'terms:version-delta': true, 'terms:lineage': true, 'terms:status': true, 'terms:backfill': true, 'terms:unparsable': true,
  'files:lines': true,
  'doctor:choose': true, 'prune:choose': true, 'pins:get': true, 'trash:files': true,
  'sources:list': true, 'sources:get': true, 'sources:save': true, 'sources:set-enabled': true, 'sources:remove': true,
  'sources:import': true, 'sources:export': true, 'sources:runs': true, 'sources:sync': true, 'sources:notifications': true,
  'bucket:status': true, 'bucket:configure': true, 'bucket:push': true, 'bucket:doctor': true, 'bucket:gc-plan': true, 'bucket:gc-apply': true,
  'bucket:trash-list': true, 'bucket:trash-restore': true, 'bucket:trash-empty': true, 'versions:checkout': true,
  'review:list': true, 'review:approve': true, 'review:reject': true,
  'users:list': true, 'users:add': true, 'users:set-role': true, 'users:set-password': true, 'users:remove': true,
} as const satisfies Record<Channel, true>;

/** Every channel of the contract (same set as `channelNames` in contract.ts). */
export const CHANNEL_NAMES = Object.keys(channelFlags) as Channel[];
