// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import type { TermSearchHit, TermSearchResult } from '../../../electron/shared/contract/terms.js';
import { AppProviders, AppRoutes } from '../../../renderer/src/app.js';
import { createFakeBridge } from '../../helpers/fake-bridge.js';
import { renderApp } from '../../helpers/render-app.js';

afterEach(cleanup);

/** 'cell' matches 200 terms, anything else 22. */
function search(input: { query: string; offset?: number; limit?: number }): TermSearchResult {
  const total = input.query === 'cell' ? 200 : 22;
  const offset = input.offset ?? 0;
  const limit = input.limit ?? 50;
  const hits = Array.from({ length: total }, (_, i): TermSearchHit => ({
    ident: `GO:${String(i).padStart(7, '0')}`, ids: [], curie: null, service: 'go', label: `${input.query} ${i}`, kind: 'class', matched_on: 'label',
    versions: ['2024-03-01'], version_count: 1, first_version: '2024-03-01', last_version: '2024-03-01', in_latest: true, deprecated_in_last: false,
  }));
  return { items: hits.slice(offset, offset + limit), total, offset, limit, query: input.query, match: 'contains' };
}

const pagerText = (): string => screen.getByRole('navigation', { name: 'Term result pages' }).textContent ?? '';

describe('Terms page', () => {
  it('shows the first page of results for a new query or filter, not the old page', async () => {
    const user = userEvent.setup();
    renderApp('/terms?q=cell', { 'terms:search': search });
    await screen.findByRole('table', { name: 'Matching terms' });
    for (let i = 0; i < 3; i += 1) await user.click(within(screen.getByRole('navigation', { name: 'Term result pages' })).getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(pagerText()).toMatch(/^151–200 of 200/));

    const box = screen.getByLabelText('Id, IRI, CURIE or label');
    await user.clear(box);
    await user.type(box, 'sequence');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(pagerText()).toMatch(/^1–22 of 22/));
    expect(within(screen.getByRole('table', { name: 'Matching terms' })).getAllByRole('row')).toHaveLength(23);

    // The same for the latest filter, from a later page of another query.
    await user.clear(box);
    await user.type(box, 'cell');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(pagerText()).toMatch(/^1–50 of 200/));
    await user.click(within(screen.getByRole('navigation', { name: 'Term result pages' })).getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(pagerText()).toMatch(/^51–100 of 200/));
    await user.click(screen.getByRole('checkbox', { name: 'In latest only' }));
    await waitFor(() => expect(pagerText()).toMatch(/^1–50 of 200/));
  });

  it('shows the query of the URL in the search box after Back', async () => {
    const user = userEvent.setup();
    const bridge = createFakeBridge({ 'terms:search': search });
    const router = createMemoryRouter([{ path: '*', element: <AppRoutes /> }], { initialEntries: ['/terms?q=sequence'] });
    render(<AppProviders bridge={bridge} channels={bridge.channels}><RouterProvider router={router} /></AppProviders>);
    const box = await screen.findByLabelText('Id, IRI, CURIE or label');
    expect(box).toHaveProperty('value', 'sequence');
    await user.clear(box);
    await user.type(box, 'cell');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(pagerText()).toMatch(/of 200/));
    await act(() => router.navigate(-1));
    await waitFor(() => expect(pagerText()).toMatch(/^1–22 of 22/));
    expect(router.state.location.search).toBe('?q=sequence');
    expect(screen.getByLabelText('Id, IRI, CURIE or label')).toHaveProperty('value', 'sequence');
  });
  it('says nothing of the last search\'s IRI while the next loads, and exports only what is shown', async () => {
    // Searching "neuron" after "cell": until the answer came, the old rows (kept, busy) stood
    // under "200 terms for cell, the IRI neuron stands for (nothing matched it as typed)", and
    // Export wrote cell's hits under neuron's filters.
    const user = userEvent.setup();
    let answer: (() => void) | undefined;
    const bridge = createFakeBridge({
      'terms:search': (input) => input.query === 'cell' ? search(input) : new Promise((resolve) => { answer = () => resolve(search(input)); }),
    });
    const exported: unknown[] = [];
    Object.assign(bridge, { saveExport: async (request: unknown) => { exported.push(request); return { ok: true, data: { path: '/tmp/terms.csv', rows: 1 } }; } });
    const router = createMemoryRouter([{ path: '*', element: <AppRoutes /> }], { initialEntries: ['/terms?q=cell'] });
    render(<AppProviders bridge={bridge} channels={bridge.channels}><RouterProvider router={router} /></AppProviders>);
    await screen.findByRole('table', { name: 'Matching terms' });
    const box = screen.getByLabelText('Id, IRI, CURIE or label');
    await user.clear(box);
    await user.type(box, 'neuron');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(screen.getByRole('table', { name: 'Matching terms' }).getAttribute('aria-busy')).toBe('true'));
    expect(screen.queryByText(/stands for/)).toBeNull();
    expect(screen.getByRole('button', { name: 'Export CSV of matching terms' }).getAttribute('aria-disabled')).toBe('true');
    await user.click(screen.getByRole('button', { name: 'Export CSV of matching terms' }));
    expect(exported).toEqual([]);
    await act(async () => { answer!(); });
    await waitFor(() => expect(pagerText()).toMatch(/^1–22 of 22/));
    await user.click(screen.getByRole('button', { name: 'Export CSV of matching terms' }));
    await waitFor(() => expect(exported).toEqual([{ table: 'term-search', format: 'csv', input: { query: 'neuron', match: 'contains' } }]));
  });
});
