/**
 * Renderer entry: pick the transport, mount the app under a hash router (outside the
 * providers, so toasts can link to routes).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { HashRouter } from 'react-router';
import { createBridge, hasPreloadBridge } from './api/create-bridge.js';
import { bridgeAuth, fetchTeamState, httpAuth } from './api/team-session.js';
import { AppProviders, AppRoutes, preloadRouteFor } from './app.js';
import { TeamGate } from './team-gate.js';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('Missing #root element.');
// A deep link's page chunk loads in parallel with this one's evaluation and is ready
// before the first render.
// On a team server nobody sees the catalog before signing in; elsewhere this is 'local'.
// In Electron, main may hold a remote catalog (`--remote URL`) and signs in for the window.
const desktopAuth = hasPreloadBridge(window) ? bridgeAuth(createBridge(window)) : null;
const [, initial] = await Promise.all([
  preloadRouteFor(window.location.hash),
  desktopAuth ? desktopAuth.state() : hasPreloadBridge(window) ? Promise.resolve({ kind: 'local' as const }) : fetchTeamState(),
]);
const csrf = { current: null as string | null };
createRoot(container).render(
  <StrictMode>
    <HashRouter>
      <TeamGate initial={initial} auth={desktopAuth?.client ?? httpAuth} csrf={csrf} makeBridge={() => createBridge(window, () => csrf.current)}>
        {(bridge) => (
          <AppProviders bridge={bridge}>
            <AppRoutes />
          </AppProviders>
        )}
      </TeamGate>
    </HashRouter>
  </StrictMode>,
);
