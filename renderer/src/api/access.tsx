/**
 * Who is signed in (team server only) and what their role may do, for the whole UI.
 *
 * In the desktop app and under `ontocat serve` nobody signs in and everything is allowed;
 * on the team server the role comes from `GET /api/auth/me` and controls a role may not
 * use are disabled with the reason beside them (the server refuses them anyway).
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { SignedInUser } from '../../../electron/shared/api-protocol.js';
import { roleRefusal } from '../../../electron/shared/channel-roles.js';

export interface Access {
  /** The signed-in user, or null where nobody signs in. */
  readonly user: SignedInUser | null;
  /** Signs out (team server only). */
  readonly signOut: (() => void) | null;
}

const AccessContext = createContext<Access>({ user: null, signOut: null });

export function AccessProvider({ value, children }: { value: Access; children: ReactNode }): ReactNode {
  return <AccessContext.Provider value={value}>{children}</AccessContext.Provider>;
}

export function useAccess(): Access {
  return useContext(AccessContext);
}

/** Why the signed-in user may not call `channel` ("Needs the admin role …"), or null when they may. */
export function useRefusal(channel: string): string | null {
  const { user } = useAccess();
  return user ? roleRefusal(user.role, channel) : null;
}

/** The reason a control is disabled, shown beside it (a disabled button cannot show a tooltip to keyboard users). */
export function RoleHint({ refusal }: { refusal: string | null }): ReactNode {
  return refusal ? <span className="role-hint muted small">{refusal}</span> : null;
}
