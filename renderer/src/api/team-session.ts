/**
 * Signing in to a team server from the browser: who is signed in, sign in, sign out.
 *
 * The session cookie is HttpOnly (scripts never see it); the CSRF token comes in the
 * answer and the HTTP bridge sends it on every call. Under `ontocat serve` the same
 * question answers 404, meaning nobody signs in here.
 */
import { CSRF_HEADER, HTTP_AUTH_LOGIN, HTTP_AUTH_LOGOUT, HTTP_AUTH_ME, SESSION_AUTH_SCHEME, type Bridge, type SignedInUser } from '../../../electron/shared/api-protocol.js';
import type { Result } from '../../../electron/shared/contract.js';

/** The server a desktop sign-in goes to: `url` null when the page asks for the address. */
export interface ServerChoice {
  readonly url: string | null;
  readonly recent: readonly string[];
}

export type TeamState =
  | { readonly kind: 'local' }
  | { readonly kind: 'signed-out'; readonly message: string | null; readonly server?: ServerChoice }
  | { readonly kind: 'signed-in'; readonly user: SignedInUser };

async function readResult<T>(response: Response): Promise<Result<T> | null> {
  try {
    const body = await response.json() as Result<T>;
    return body && typeof body === 'object' && 'ok' in body ? body : null;
  } catch {
    return null;
  }
}

/** Asks the server whether it has accounts and who is signed in. */
export async function fetchTeamState(base = '', fetchImpl: typeof fetch = fetch): Promise<TeamState> {
  let response: Response;
  try {
    response = await fetchImpl(`${base}${HTTP_AUTH_ME}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  } catch {
    return { kind: 'local' };
  }
  const result = await readResult<SignedInUser>(response);
  // `data: null`: a host where nobody signs in (`ontocat serve`).
  if (result?.ok) return result.data ? { kind: 'signed-in', user: result.data } : { kind: 'local' };
  // Only a team server's 401 asks for a sign-in: `ontocat serve`'s (a page kept open past a
  // restart, its token gone) names its access token, which the sign-in form cannot give;
  // the app then opens and each call says to open the URL serve printed.
  const challenge = response.headers.get('www-authenticate') ?? '';
  if (result && result.code === 'UNAUTHORIZED' && challenge.startsWith(`${SESSION_AUTH_SCHEME} `)) return { kind: 'signed-out', message: null };
  return { kind: 'local' };
}

/** Signs in; resolves to the user, or rejects with the server's message. */
export async function signIn(username: string, password: string, base = '', fetchImpl: typeof fetch = fetch): Promise<SignedInUser> {
  let response: Response;
  try {
    response = await fetchImpl(`${base}${HTTP_AUTH_LOGIN}`, {
      method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  } catch (error) {
    throw new Error(`Cannot reach the server (${error instanceof Error ? error.message : String(error)}).`, { cause: error });
  }
  const result = await readResult<SignedInUser>(response);
  if (result?.ok) return result.data;
  throw new Error(result && !result.ok ? result.message : `The server answered ${response.status}.`);
}

/** Signs out (the server ends the session and clears the cookie). */
export async function signOut(csrf: string, base = '', fetchImpl: typeof fetch = fetch): Promise<void> {
  await fetchImpl(`${base}${HTTP_AUTH_LOGOUT}`, { method: 'POST', credentials: 'same-origin', headers: { [CSRF_HEADER]: csrf } }).catch(() => undefined);
}

/** How the sign-in page signs in and out: over HTTP (browser) or through Electron's main process (remote catalog). */
export interface AuthClient {
  /** `server`: the address typed on the page, when it asks for one (desktop only). */
  signIn(username: string, password: string, server?: string): Promise<SignedInUser>;
  signOut(csrf: string): Promise<void>;
}

export const httpAuth: AuthClient = { signIn: (username, password) => signIn(username, password), signOut: (csrf) => signOut(csrf) };

/** The auth of Electron's preload bridge (main holds the remote session), or null without one. */
export function bridgeAuth(bridge: Bridge): { client: AuthClient; state: () => Promise<TeamState> } | null {
  const { authMe, authSignIn, authSignOut, authServer } = bridge;
  if (!authMe || !authSignIn || !authSignOut) return null;
  return {
    client: {
      async signIn(username, password, server) {
        const result = await authSignIn({ username, password, ...(server !== undefined ? { server } : {}) });
        if (!result.ok) throw new Error(result.message);
        return result.data;
      },
      async signOut() { await authSignOut(); },
    },
    async state() {
      const result = await authMe();
      if (result.ok) return result.data ? { kind: 'signed-in', user: result.data } : { kind: 'local' };
      if (result.code !== 'UNAUTHORIZED') return { kind: 'local' };
      const server = authServer ? await authServer() : null;
      return { kind: 'signed-out', message: result.message, ...(server?.ok ? { server: server.data } : {}) };
    },
  };
}
