/**
 * Where a team server may read sources from: ingest roots on its disk and public URLs.
 *
 * A curator's call on `ontocat server` runs inside `withConfinement(policy, …)`; every
 * place that opens a local source (ingest, manifest import, checkout) or a URL (downloads,
 * resolver look-ups, webhooks) asks this module first, so a curator cannot ingest `/etc`,
 * or make the server fetch `file://`, loopback, private or link-local addresses. The
 * policy rides along the call's async work (AsyncLocalStorage, as the actor does), so a
 * job started by the call stays confined after the browser has gone. Outside a confined
 * call (the desktop app, the CLI, `ontocat serve`: the root's owner) nothing is checked.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { realpath } from 'node:fs/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import path from 'node:path';
import { OntocatError } from '../shared/errors.js';
import type { IngestConfinement } from '../shared/ingest-confinement-policy.js';

export type { IngestConfinement };

const storage = new AsyncLocalStorage<IngestConfinement>();

/** Runs `task` confined by `policy` (null: unconfined). */
export function withConfinement<T>(policy: IngestConfinement | null, task: () => T): T {
  return policy ? storage.run(policy, task) : task();
}

/** The confinement of the current call, or null outside a confined one. */
export function currentConfinement(): IngestConfinement | null {
  return storage.getStore() ?? null;
}

/** Loopback, private, link-local, carrier-grade NAT, unspecified, multicast and reserved ranges. */
const internal = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) internal.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['2001:db8::', 32]] as const) {
  internal.addSubnet(net, bits, 'ipv6');
}

/** True for an address no confined call may reach without an admin's allowance. */
export function isInternalAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return internal.check(mapped[1]!, 'ipv4');
  // The same IPv4-mapped address in hex (how URL parsing writes it): ::ffff:7f00:1 is 127.0.0.1.
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(bare);
  if (hex) {
    const [high, low] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
    return internal.check(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, 'ipv4');
  }
  const family = isIP(bare);
  if (family === 4) return internal.check(bare, 'ipv4');
  if (family === 6) return internal.check(bare, 'ipv6');
  return false;
}

const adminHint = 'an admin can allow it when starting the server (--ingest-root DIR, --allow-url-host HOST or --allow-private-urls)';

function hostAllowed(policy: IngestConfinement, host: string): boolean {
  return policy.allowPrivateNetwork || policy.allowedHosts.some((allowed) => allowed.toLowerCase() === host.toLowerCase());
}

/**
 * Refuses, in a confined call, a URL that is not http(s) or names a loopback, private or
 * link-local host (by name or address). Names are checked again at connect time by
 * `confinedLookup`, which sees what DNS really answered.
 */
export function assertUrlAllowed(url: string | URL): void {
  const policy = currentConfinement();
  if (!policy) return;
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    throw new OntocatError('BAD_INPUT', `'${String(url)}' is not a URL.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new OntocatError('FORBIDDEN', `Refused ${parsed.protocol}// URLs on this team server: only http(s) sources are fetched.`);
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (hostAllowed(policy, host)) return;
  const local = host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal') || !host.includes('.') && isIP(host) === 0;
  if (local || isInternalAddress(host)) {
    throw new OntocatError('FORBIDDEN', `Refused ${parsed.origin}: this team server does not fetch from loopback, private or internal hosts; ${adminHint}.`);
  }
}

/**
 * The `lookup` for http(s) requests of a confined call (undefined outside one): resolves
 * as usual, then refuses when any answer is an internal address the policy does not
 * allow, so a public name that resolves to 127.0.0.1 is refused too.
 */
export function confinedLookup(): LookupFunction | undefined {
  const policy = currentConfinement();
  if (!policy) return undefined;
  const lookup = (hostname: string, options: { all?: boolean; family?: number | string }, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void): void => {
    dnsLookup(hostname, { ...options, family: options.family === 'IPv6' ? 6 : options.family === 'IPv4' ? 4 : (options.family as number | undefined) ?? 0, all: true }, (error, addresses) => {
      if (error) { callback(error, ''); return; }
      const blocked = hostAllowed(policy, hostname) ? undefined : addresses.find((item) => !hostAllowed(policy, item.address) && isInternalAddress(item.address));
      if (blocked) {
        callback(Object.assign(new OntocatError('FORBIDDEN', `Refused ${hostname}: it resolves to ${blocked.address}, a loopback, private or internal address; ${adminHint}.`), { code: 'FORBIDDEN' }) as NodeJS.ErrnoException, '');
        return;
      }
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
  return lookup as unknown as LookupFunction;
}

function inside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Real path of `target`, or of its nearest existing ancestor joined with the rest (a folder checkout will create). */
async function realPathOfNearest(target: string): Promise<string> {
  let current = target;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(await realpath(current), ...rest.reverse());
    } catch (error) {
      const parent = path.dirname(current);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) throw error;
      rest.push(path.basename(current));
      current = parent;
    }
  }
}

/**
 * Refuses, in a confined call, a local path outside every ingest root: first by its text
 * (so nothing outside is even looked at), then by its real path (so a symbolic link inside
 * a root that points out of it is refused too). `what` names the path in the message.
 */
export async function assertPathAllowed(target: string, what = 'ingest'): Promise<void> {
  const policy = currentConfinement();
  if (!policy) return;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    throw new OntocatError('FORBIDDEN', `Refused ${target}: only http(s) URLs and paths inside the ingest roots are accepted on this team server.`);
  }
  if (policy.roots.length === 0) {
    throw new OntocatError('FORBIDDEN', `Refused ${target}: this team server has no ingest roots, so it does not ${what} local paths; ${adminHint}.`);
  }
  if (!path.isAbsolute(target)) {
    throw new OntocatError('FORBIDDEN', `Refused ${target}: give an absolute path inside an ingest root (${policy.roots.join(', ')}).`);
  }
  const resolved = path.resolve(target);
  const refusal = new OntocatError('FORBIDDEN', `Refused ${target}: it is outside this team server's ingest roots (${policy.roots.join(', ')}); ${adminHint}.`);
  if (!policy.roots.some((root) => inside(root, resolved))) throw refusal;
  const real = await realPathOfNearest(resolved);
  const realRoots = await Promise.all(policy.roots.map((root) => realpath(root).catch(() => root)));
  if (!realRoots.some((root) => inside(root, real))) throw refusal;
}
