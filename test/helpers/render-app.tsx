/**
 * Mounts the real renderer routes in a MemoryRouter over a fake bridge.
 */
import { configure, render, type RenderResult } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { AppProviders, AppRoutes } from '../../renderer/src/app.js';
import { createFakeBridge, type FakeBridge, type FakeHandlers } from './fake-bridge.js';

// Pages are lazy chunks that vite transforms on first import: on a loaded 2-core machine
// that alone can pass testing-library's 1 s default, so waits get 10 s (a pass is still quick).
configure({ asyncUtilTimeout: 10_000 });

export interface RenderedApp extends RenderResult { readonly bridge: FakeBridge }

/** Renders the app at `path` (e.g. `/versions/go/2024-03-01`). */
export function renderApp(path: string, handlers: Partial<FakeHandlers> = {}, bridge: FakeBridge = createFakeBridge(handlers)): RenderedApp {
  const result = render(
    <MemoryRouter initialEntries={[path]}>
      <AppProviders bridge={bridge} channels={bridge.channels}>
        <AppRoutes />
      </AppProviders>
    </MemoryRouter>,
  );
  return Object.assign(result, { bridge });
}
