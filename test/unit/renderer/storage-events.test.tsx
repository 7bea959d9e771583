// @vitest-environment jsdom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp } from '../../helpers/render-app.js';

afterEach(cleanup);

describe('Storage page', () => {
  it('shows usage by service, version and format and the bytes saved by deduplication', async () => {
    renderApp('/storage');
    const saved = await screen.findByRole('group', { name: 'Saved by deduplication' });
    // total 8,406,200 − unique 4,506,200 = 3,900,000 bytes.
    expect(saved.textContent).toContain('3.9 MB');
    expect(saved.textContent).toContain('46.4%');
    expect(within(screen.getByRole('table', { name: 'Usage by version' })).getByText('go/2024-02-01')).toBeTruthy();
    expect(within(screen.getByRole('table', { name: 'Usage by format' })).getByText('RDF/XML')).toBeTruthy();
  });

  it('shows where the content objects live: local disk, or the bucket and its endpoint', async () => {
    renderApp('/storage');
    expect((await screen.findByRole('group', { name: 'Content objects' })).textContent).toContain('Local disk');
    cleanup();
    renderApp('/storage', { 'bucket:status': () => ({
      kind: 's3', url: 's3://ontologies/team-a', endpoint: 'https://minio.example.org:9000', region: 'us-east-1', path_style: true, profile: null, config_file: '/r/.ontocat-storage.json',
    }) });
    const card = await screen.findByRole('group', { name: 'Content objects' });
    expect(card.textContent).toContain('S3 bucket');
    expect(card.textContent).toContain('s3://ontologies/team-a at https://minio.example.org:9000');
  });

  it('explains how to start when nothing is stored', async () => {
    renderApp('/storage', {
      'storage:usage': () => ({
        versions: 0, total_files: 0, total_bytes: 0, unique_bytes: 0, downloads: { files: 0, bytes: 0 }, by_service: [], by_service_total: 0, by_version: [], by_format: [],
      }),
    });
    expect(await screen.findByText('No versions in this catalog yet')).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'Kept downloads' })).toBeNull();
  });

  it('says the By service table holds only the largest services when the catalog has more', async () => {
    const byService = Array.from({ length: 100 }, (_, i) => ({ key: `s${i}`, files: 1, bytes: 10_000 - i }));
    renderApp('/storage', {
      'storage:usage': () => ({
        versions: 103, total_files: 103, total_bytes: 1_000_000, unique_bytes: 900_000, downloads: { files: 0, bytes: 0 },
        by_service: byService, by_service_total: 103, by_version: [], by_format: [{ key: 'csv', files: 103, bytes: 1_000_000 }],
      }),
    });
    const table = await screen.findByRole('table', { name: 'Usage by service' });
    expect(within(table).getAllByRole('row')).toHaveLength(101);
    expect(screen.getByText('The 100 largest of 103 services.')).toBeTruthy();
  });

  it('says the By version table holds only the largest versions when the catalog has more', async () => {
    const byVersion = Array.from({ length: 100 }, (_, i) => ({ key: `go/${1000 - i}`, files: 1, bytes: 10_000 - i }));
    renderApp('/storage', {
      'storage:usage': () => ({
        versions: 150, total_files: 150, total_bytes: 1_000_000, unique_bytes: 900_000, downloads: { files: 0, bytes: 0 },
        by_service: [{ key: 'go', files: 150, bytes: 1_000_000 }], by_service_total: 1, by_version: byVersion, by_format: [{ key: 'obo', files: 150, bytes: 1_000_000 }],
      }),
    });
    const table = await screen.findByRole('table', { name: 'Usage by version' });
    expect(within(table).getAllByRole('row')).toHaveLength(101);
    expect(screen.getByText('The 100 largest of 150 versions.')).toBeTruthy();
    cleanup();
    renderApp('/storage');
    await screen.findByRole('table', { name: 'Usage by version' });
    expect(screen.queryByText(/largest of/)).toBeNull();
  });

  it('shows the downloads of a catalog of fetched releases, which has versions but no data files', async () => {
    renderApp('/storage', {
      'storage:usage': () => ({
        versions: 2, total_files: 0, total_bytes: 0, unique_bytes: 0, downloads: { files: 2, bytes: 429_650 }, by_service: [], by_service_total: 0, by_version: [], by_format: [],
      }),
    });
    const kept = await screen.findByRole('group', { name: 'Kept downloads' });
    expect(kept.textContent).toContain('430 KB');
    expect(kept.textContent).toContain('2 files kept as fetched, in S/V/archives/');
    expect(screen.queryByText('No versions in this catalog yet')).toBeNull();
  });
});

describe('Events page', () => {
  it('pages and filters the audit log in the catalog', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/events');
    const table = await screen.findByRole('table', { name: 'Events' });
    expect(within(table).getAllByRole('row')).toHaveLength(51);
    expect(screen.getByRole('navigation', { name: 'Event pages' }).textContent).toContain('1–50 of 120');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(bridge.inputsOf('events:list').at(-1)).toMatchObject({ offset: 50, limit: 50 }));
    await user.selectOptions(screen.getByLabelText('Level'), 'warn');
    await waitFor(() => expect(bridge.inputsOf('events:list').at(-1)).toEqual({ type: undefined, level: 'warn', search: undefined, offset: 0, limit: 50 }));
    await user.type(screen.getByLabelText('Search'), 'go{Enter}');
    await waitFor(() => expect(bridge.inputsOf('events:list').at(-1)).toMatchObject({ level: 'warn', search: 'go', offset: 0 }));
  });

  it('refetches when the catalog changes', async () => {
    const { bridge } = renderApp('/events');
    await screen.findByRole('table', { name: 'Events' });
    const before = bridge.inputsOf('events:list').length;
    act(() => bridge.emit('catalog:changed', { channel: 'latest:set', at: new Date().toISOString() }));
    await waitFor(() => expect(bridge.inputsOf('events:list').length).toBeGreaterThan(before));
  });
});

describe('Navigation', () => {
  it('has a labelled sidebar and sends /versions to the latest version', async () => {
    const user = userEvent.setup();
    renderApp('/storage');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    await user.click(within(nav).getByRole('link', { name: 'Version' }));
    expect(await screen.findByRole('tree', { name: 'Files of go/2024-03-01' })).toBeTruthy();
  });
});
