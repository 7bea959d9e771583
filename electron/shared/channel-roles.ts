/**
 * Who may call each channel on the team server: the one table of roles, next to the contract.
 *
 * A channel needs the role named here or a higher one (viewer < curator < admin). The
 * `satisfies` makes a channel without a role (or a role for a channel that no longer
 * exists) a compile error, and a unit test checks it against the contract at run time and
 * that no write channel is open to a viewer. Local front doors (the desktop app, `ontocat
 * serve` with its token, the CLI as the root's owner) act as the owner and are not checked.
 * Plain runtime data without zod, so the renderer can hide what a role may not use.
 */
import type { Channel } from './contract.js';
import type { Role } from './contract/users.js';

export type { Role } from './contract/users.js';

const V = 'viewer' as const;
const C = 'curator' as const;
const A = 'admin' as const;

const roles = {
  // Reading the catalog: every signed-in user.
  'catalog:info': V, 'services:list': V, 'versions:list': V, 'versions:stats': V, 'versions:previous': V, 'files:list': V, 'files:dir': V,
  'files:get': V, 'files:where': V, 'files:lines': V, 'artifacts:get': V, 'artifacts:list': V, 'validations:list': V,
  'validations:summary': V, 'validations:rules': V, 'latest:get': V, 'latest:list': V, 'latest:history': V, 'storage:usage': V, 'events:list': V,
  'storage:where': V, 'storage:dedup-report': V, 'delta:compute': V, 'delta:tree': V, 'delta:validations': V,
  'delta:terms': V, 'delta:term-impact': V, 'report:latest': V, 'report:growth': V, 'report:validation': V,
  'report:hotspots': V, 'report:cadence': V, 'catalog:schema': V, 'catalog:profile': V, 'jobs:list': V, 'jobs:get': V,
  'plans:get': V, 'trash:list': V, 'trash:files': V, 'backup:list': V, 'catalog:publication': V, 'terms:search': V,
  'terms:history': V, 'terms:version-delta': V, 'terms:lineage': V, 'terms:status': V, 'terms:unparsable': V, 'pins:get': V,
  'sources:list': V, 'sources:get': V, 'sources:export': V, 'sources:runs': V, 'sources:notifications': V, 'review:list': V,
  'bucket:status': V, 'bucket:trash-list': V,
  // Curating: ingest, validate, review, set latest, pin, release dates, sources; planning
  // housekeeping (a plan is a preview; applying it is an admin's) and cancelling jobs.
  'versions:pin': C, 'versions:set-release': C, 'latest:set': C, 'ingest:run': C, 'ingest:fetch': C,
  'ingest:import-manifest': C, 'storage:verify': C, 'validate:run': C, 'terms:backfill': C, 'jobs:cancel': C,
  'doctor:plan': C, 'doctor:choose': C, 'prune:plan': C, 'prune:choose': C, 'store:migrate-plan': C,
  'sources:save': C, 'sources:set-enabled': C, 'sources:remove': C, 'sources:import': C, 'sources:sync': C,
  'review:approve': C, 'review:reject': C, 'bucket:doctor': C, 'bucket:gc-plan': C, 'bucket:push': C, 'versions:checkout': C,
  // Administering: what deletes, restores or rewrites in bulk, the schema, backups, accounts.
  'catalog:migrate': A, 'ingest:demo': A, 'doctor:apply': A, 'prune:apply': A, 'trash:restore': A, 'trash:empty': A,
  'backup:create': A, 'backup:restore': A, 'catalog:compact': A, 'catalog:publish': A, 'store:migrate-apply': A,
  'users:list': A, 'users:add': A, 'users:set-role': A, 'users:set-password': A, 'users:remove': A,
  'bucket:configure': A, 'bucket:gc-apply': A, 'bucket:trash-restore': A, 'bucket:trash-empty': A,
} as const satisfies Record<Channel, Role>;

/** The role each channel needs. */
export const CHANNEL_ROLES: Readonly<Record<Channel, Role>> = roles;

const rank: Readonly<Record<Role, number>> = { viewer: 0, curator: 1, admin: 2 };

/** Whether `role` may call `channel`; unknown channels are nobody's. */
export function roleAllows(role: Role, channel: string): boolean {
  const needed = (CHANNEL_ROLES as Readonly<Record<string, Role | undefined>>)[channel];
  return needed !== undefined && rank[role] >= rank[needed];
}

/** Why `role` may not call `channel`, in words for a disabled control's tooltip; null when it may. */
export function roleRefusal(role: Role, channel: string): string | null {
  if (roleAllows(role, channel)) return null;
  const needed = (CHANNEL_ROLES as Readonly<Record<string, Role | undefined>>)[channel];
  return needed ? `Needs the ${needed} role (you are ${role === 'admin' ? 'an' : 'a'} ${role}).` : 'Not available.';
}
