// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { OntocatError } from '../../../electron/shared/errors.js';
import { renderApp } from '../../helpers/render-app.js';

afterEach(cleanup);

describe('Catalog page', () => {
  it('lists services and versions with size, pass rate and the latest badge', async () => {
    renderApp('/');
    const versions = await screen.findByRole('table', { name: 'Versions' });
    const row = await within(versions).findByRole('row', { name: 'go/2024-03-01' });
    expect(within(row).getByText('latest')).toBeTruthy();
    expect(within(row).getByText('4.77 MB')).toBeTruthy();
    expect(within(row).getByText('90.9%')).toBeTruthy();
    expect(within(screen.getByRole('table', { name: 'Services' })).getByText('hp')).toBeTruthy();
    expect(await screen.findByLabelText('Catalog path')).toHaveProperty('textContent', '/data/ontocat');
  });

  it('sorts and pages versions in the catalog, not in the browser', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/');
    await screen.findByRole('table', { name: 'Versions' });
    await user.click(screen.getByRole('button', { name: /^Size/ }));
    await waitFor(() => expect(bridge.inputsOf('versions:list')).toContainEqual({ service: undefined, sort: 'bytes', direction: 'asc', offset: 0, limit: 50 }));
  });

  it('asks before setting latest, shows the difference, and calls latest:set only after confirming', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/');
    await screen.findByRole('table', { name: 'Versions' });
    await user.click(await screen.findByRole('button', { name: 'Set go/2024-02-01 as latest' }));
    const dialog = await screen.findByRole('dialog', { name: 'Set go/2024-02-01 as latest?' });
    // Size and files versus the current latest (5 MB → 4 MB, 5 → 4 files), before anything is written.
    await waitFor(() => expect(within(dialog).getByLabelText('Changes versus the current latest').textContent).toContain('3.81 MB (−977 KB)'));
    expect(within(dialog).getByLabelText('Changes versus the current latest').textContent).toContain('4 (−1)');
    expect(bridge.inputsOf('latest:set')).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(bridge.inputsOf('latest:set')).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Set go/2024-02-01 as latest' }));
    const again = await screen.findByRole('dialog');
    await user.click(within(again).getByRole('button', { name: 'Set as latest' }));
    await waitFor(() => expect(bridge.inputsOf('latest:set')).toEqual([{ ref: 'go/2024-02-01' }]));
    expect(await screen.findByText('go: latest is now 2024-02-01 (was 2024-03-01).')).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('explains how to ingest when the catalog is empty', async () => {
    renderApp('/', { 'services:list': () => [] });
    expect(await screen.findByText('No versions in this catalog yet')).toBeTruthy();
    expect(screen.getByText(/ontocat ingest/)).toBeTruthy();
  });

  it('shows an error state with the code when the catalog cannot be read', async () => {
    renderApp('/', { 'services:list': () => { throw new OntocatError('LOCKED', 'Catalog locked by pid 42.'); } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Catalog locked by pid 42.');
    expect(alert.textContent).toContain('LOCKED');
  });

  it('ingests a folder when the build offers ingest:run, and validates names first', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/', { 'ingest:run': () => ({ version_id: 'v' }) });
    await user.click(await screen.findByRole('button', { name: 'Ingest folder…' }));
    const form = screen.getByRole('form', { name: 'Ingest a folder' });
    await user.type(within(form).getByLabelText('Folder, archive or URL'), '/downloads/go');
    await user.type(within(form).getByLabelText('Service'), 'bad name');
    expect(within(form).getByRole('button', { name: 'Ingest' })).toHaveProperty('disabled', true);
    await user.clear(within(form).getByLabelText('Service'));
    await user.type(within(form).getByLabelText('Service'), 'go');
    await user.clear(within(form).getByLabelText('Version'));
    await user.type(within(form).getByLabelText('Version'), '2024-04-01');
    await user.click(within(form).getByRole('button', { name: 'Ingest' }));
    await waitFor(() => expect(bridge.inputsOf('ingest:run')).toEqual([{ source: '/downloads/go', service: 'go', version: '2024-04-01', set_latest: true }]));
    expect(await screen.findByText('Ingested go/2024-04-01.')).toBeTruthy();
  });

  it('offers no ingest button when the build lacks ingest:run', async () => {
    renderApp('/');
    await screen.findByRole('table', { name: 'Versions' });
    expect(screen.queryByRole('button', { name: 'Ingest folder…' })).toBeNull();
  });
});
