/**
 * A second launch of the desktop app while one runs: Electron lets one instance live, so
 * the second hands its request over and quits. A bare launch only brings the window
 * forward; one naming another catalog (`--root DIR`) or a server (`--remote URL`) is
 * offered to the running window, which before focused itself and dropped the request.
 */
import path from 'node:path';

/** What a launch asks for, as it hands it to the running instance. */
export interface LaunchRequest {
  /** `--root DIR`, resolved against the launch's own working folder. */
  readonly root: string | null;
  /** `--remote URL`. */
  readonly remote: string | null;
}

function optionValue(argv: readonly string[], name: string): string | null {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
    if (arg === `--${name}` && argv[i + 1]) return argv[i + 1]!;
  }
  return null;
}

/** The request this launch makes: its explicit `--root` or `--remote`, if any. */
export function launchRequest(argv: readonly string[], cwd: string): LaunchRequest {
  const remote = optionValue(argv, 'remote');
  const root = optionValue(argv, 'root');
  return { root: remote === null && root !== null ? path.resolve(cwd, root) : null, remote };
}

/** Reads what another launch handed over; anything malformed asks for nothing. */
export function parseLaunchRequest(data: unknown): LaunchRequest | null {
  if (typeof data !== 'object' || data === null) return null;
  const { root, remote } = data as Record<string, unknown>;
  const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 && value.length < 4096 ? value : null);
  const request = { root: text(root) !== null && path.isAbsolute(root as string) ? path.resolve(root as string) : null, remote: text(remote) };
  return request.root === null && request.remote === null ? null : request;
}

/** What the running window shows now. */
export interface ShownCatalog {
  readonly root: string | null;
  readonly remote: string | null;
}

/** What the running window does with a request: come forward, and perhaps offer to switch. */
export type SecondLaunchAction =
  | { readonly kind: 'focus' }
  | { readonly kind: 'offer-root'; readonly root: string; readonly message: string; readonly detail: string }
  | { readonly kind: 'offer-remote'; readonly url: string; readonly message: string; readonly detail: string };

/** Decides what a second launch's request asks of the window showing `shown`. */
export function secondLaunchAction(shown: ShownCatalog, request: LaunchRequest | null): SecondLaunchAction {
  const showing = shown.remote ?? shown.root ?? 'no catalog';
  if (request?.remote && request.remote !== shown.remote) {
    return { kind: 'offer-remote', url: request.remote, message: `Open the catalog at ${request.remote}?`, detail: `Ontocat was started again for that server. This window shows ${showing}; it would show the server instead.` };
  }
  if (request?.root && (shown.remote !== null || shown.root === null || path.resolve(shown.root) !== request.root)) {
    return { kind: 'offer-root', root: request.root, message: `Open the catalog at ${request.root}?`, detail: `Ontocat was started again for that folder. This window shows ${showing}; it would close it and open that one, as File › Open Catalog does.` };
  }
  return { kind: 'focus' };
}
