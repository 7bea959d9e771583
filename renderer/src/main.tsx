/**
 * Renderer entry: pick the transport, mount the app under a hash router (outside the
 * providers, so toasts can link to routes).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { HashRouter } from 'react-router';
import { createBridge } from './api/create-bridge.js';
import { AppProviders, AppRoutes, preloadRouteFor } from './app.js';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('Missing #root element.');
// A deep link's page chunk loads in parallel with this one's evaluation and is ready
// before the first render.
await preloadRouteFor(window.location.hash);
createRoot(container).render(
  <StrictMode>
    <HashRouter>
      <AppProviders bridge={createBridge()}>
        <AppRoutes />
      </AppProviders>
    </HashRouter>
  </StrictMode>,
);
