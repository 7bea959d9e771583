/**
 * In front of the app on a team server: the sign-in page until someone is signed in, then
 * the app with their role; back to sign-in when they sign out or their session ends.
 *
 * Each sign-in gets a fresh bridge (its event stream opens with the new session cookie).
 * Where nobody signs in (the desktop app, `ontocat serve`) the app shows at once.
 */
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { methodName, type Bridge } from '../../electron/shared/api-protocol.js';
import { CHANNEL_NAMES } from '../../electron/shared/channel-names.js';
import type { Result } from '../../electron/shared/contract.js';
import { AccessProvider, type Access } from './api/access.js';
import type { AuthClient, TeamState } from './api/team-session.js';
import { LoginPage } from './pages/login-page.js';

/** Wraps every channel method so an answer "your session has ended" returns to sign-in. */
function watchSession(bridge: Bridge, onEnded: () => void): Bridge {
  const wrapped: Record<string, unknown> = { ...bridge };
  for (const channel of CHANNEL_NAMES) {
    const name = methodName(channel);
    const original = (bridge as unknown as Record<string, ((input: unknown) => Promise<Result<unknown>>) | undefined>)[name];
    if (!original) continue;
    wrapped[name] = async (input: unknown) => {
      const result = await original(input);
      if (!result.ok && result.code === 'UNAUTHORIZED') onEnded();
      return result;
    };
  }
  return wrapped as unknown as Bridge;
}

export interface TeamGateProps {
  readonly initial: TeamState;
  /** Signs in and out: over HTTP, or through Electron's main process. */
  readonly auth: AuthClient;
  /** Where the bridge reads the CSRF token at each call. */
  readonly csrf: { current: string | null };
  readonly makeBridge: () => Bridge;
  readonly children: (bridge: Bridge) => ReactNode;
}

export function TeamGate({ initial, auth, csrf, makeBridge, children }: TeamGateProps): ReactNode {
  const [state, setState] = useState<TeamState>(initial);
  const [notice, setNotice] = useState<string | null>(null);
  // The desktop's File › Open Remote Catalog…: the page asks for the server's address too.
  const [server] = useState(initial.kind === 'signed-out' ? initial.server : undefined);
  if (state.kind === 'signed-in') csrf.current = state.user.csrf;
  const ended = useCallback(() => {
    csrf.current = null;
    setNotice('Your session has ended; sign in again.');
    setState({ kind: 'signed-out', message: null });
  }, [csrf]);
  const user = state.kind === 'signed-in' ? state.user : null;
  // A new bridge per signed-in session (keyed by its CSRF token).
  const bridge = useMemo(() => (state.kind === 'local' ? makeBridge() : user ? watchSession(makeBridge(), ended) : null),
    [state.kind, user?.csrf]); // one bridge per session
  const access = useMemo<Access>(() => ({
    user,
    signOut: user ? () => {
      void auth.signOut(user.csrf).then(() => {
        csrf.current = null;
        setNotice('Signed out.');
        setState({ kind: 'signed-out', message: null });
      });
    } : null,
  }), [user, csrf, auth]);
  if (state.kind === 'signed-out') {
    return <LoginPage auth={auth} server={server} notice={notice ?? (state.message && state.message !== 'Sign in first.' ? state.message : null)} onSignedIn={(signedIn) => { setNotice(null); setState({ kind: 'signed-in', user: signedIn }); }} />;
  }
  return <AccessProvider value={access}>{bridge ? children(bridge) : null}</AccessProvider>;
}
