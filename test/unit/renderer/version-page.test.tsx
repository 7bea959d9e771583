// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import type { FileRecord } from '../../../electron/shared/models.js';
import { AppProviders, AppRoutes } from '../../../renderer/src/app.js';
import { createFakeBridge, fakeFiles, fakeHealth, fakeVersions } from '../../helpers/fake-bridge.js';
import { renderApp } from '../../helpers/render-app.js';

afterEach(cleanup);

describe('Version page', () => {
  it('shows the release date with its source, and a curator corrects it (refused dates say why)', async () => {
    const user = userEvent.setup();
    let stored = { date: '2024-03-01T00:00:00.000Z', source: 'obo-header' as 'obo-header' | 'curator' };
    const { bridge } = renderApp('/versions/go/2024-03-01', {
      'versions:set-release': (input) => {
        const previous = stored;
        stored = { date: `${input.release_date}T00:00:00.000Z`, source: 'curator' };
        return { ref: input.ref, release_date: stored.date, release_date_source: 'curator', previous: previous.date, previous_source: previous.source };
      },
      'versions:stats': () => ({
        service: 'go', version: '2024-03-01', version_id: '00000000-0000-4000-8000-0000000003eb', is_latest: true, files: 5, bytes: 5_000_000,
        release_date: stored.date, release_date_source: stored.source, release_rank: 3, by_format: [], health: fakeHealth(5, 0), largest_files: [],
      }),
    });
    expect((await screen.findByText(/^Released/)).textContent).toBe('Released 2024-03-01, from the OBO header');
    await user.click(screen.getByRole('button', { name: 'Correct the release date of go/2024-03-01' }));
    const form = screen.getByRole('form', { name: 'Release date of go/2024-03-01' });
    const field = within(form).getByLabelText('Release date');
    await user.clear(field);
    await user.type(field, '2999-01-01');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect((await within(form).findByRole('alert')).textContent).toContain('Expected a real, past release date');
    expect(bridge.inputsOf('versions:set-release')).toHaveLength(1);
    await user.clear(field);
    await user.type(field, '2024-02-27');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(bridge.inputsOf('versions:set-release')).toEqual([
      { ref: 'go/2024-03-01', release_date: '2999-01-01', expected_release_date: '2024-03-01T00:00:00.000Z' },
      { ref: 'go/2024-03-01', release_date: '2024-02-27', expected_release_date: '2024-03-01T00:00:00.000Z' },
    ]));
    expect((await screen.findByText(/^Released/)).textContent).toBe('Released 2024-02-27, set by a curator');
  });

  it('loads the tree lazily: the root first, a folder only when it is expanded', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/versions/go/2024-03-01');
    const tree = await screen.findByRole('tree', { name: 'Files of go/2024-03-01' });
    const folder = await within(tree).findByRole('treeitem', { name: 'subsets, folder, 3 files' });
    expect(within(tree).getByRole('treeitem', { name: 'go.owl' })).toBeTruthy();
    expect(folder.getAttribute('aria-expanded')).toBe('false');
    expect(bridge.inputsOf('files:dir')).toEqual([{ ref: 'go/2024-03-01', dir: '', format: undefined, status: undefined, offset: 0, limit: 500 }]);
    expect(within(tree).queryByRole('treeitem', { name: 'goslim-agr.obo' })).toBeNull();

    await user.click(folder);
    expect(await within(tree).findByRole('treeitem', { name: 'goslim-agr.obo' })).toBeTruthy();
    expect(bridge.inputsOf('files:dir').at(-1)).toMatchObject({ dir: 'subsets', offset: 0 });
    expect(within(tree).getByRole('treeitem', { name: 'subsets, folder, 3 files' }).getAttribute('aria-expanded')).toBe('true');
  });

  it('navigates the tree with the keyboard and opens a file in the details pane', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/versions/go/2024-03-01');
    const tree = await screen.findByRole('tree');
    await within(tree).findByRole('treeitem', { name: 'subsets, folder, 3 files' });
    tree.focus();
    // Rows: subsets/, README.txt, go.owl. → opens subsets; → again moves to its first child (extra/); ↓ to the next.
    await user.keyboard('{ArrowRight}');
    await within(tree).findByRole('treeitem', { name: 'extra, folder, 1 file' });
    expect(bridge.inputsOf('files:dir').at(-1)).toMatchObject({ dir: 'subsets' });
    await user.keyboard('{ArrowRight}{ArrowDown}{Enter}');
    const details = await screen.findByRole('complementary', { name: 'goslim-agr.obo' });
    expect(bridge.inputsOf('files:get').at(-1)).toEqual({ ref: 'go/2024-03-01', relpath: 'subsets/goslim-agr.obo' });
    expect(await within(details).findByText('Term stanza without id (line 12:1)')).toBeTruthy();
    expect(within(details).getByLabelText('SHA-256').textContent).toMatch(/^[0-9a-f]{64}$/);
    expect(bridge.inputsOf('validations:list').at(-1)).toMatchObject({ ref: 'go/2024-03-01', file_id: '00000000-0000-4000-8000-000000000003' });
  });

  it('says what the content looks like when it differs from the declared format', async () => {
    renderApp('/versions/go/2024-03-01?path=subsets/goslim-generic.obo');
    const details = await screen.findByRole('complementary', { name: 'goslim-generic.obo' });
    expect((await within(details).findByText(/content looks like/)).textContent).toBe(' (content looks like Turtle)');
    cleanup();
    renderApp('/versions/go/2024-03-01?path=subsets/goslim-agr.obo');
    const same = await screen.findByRole('complementary', { name: 'goslim-agr.obo' });
    await within(same).findByLabelText('SHA-256');
    expect(within(same).queryByText(/content looks like/)).toBeNull();
  });

  it('shows where else the same content lives', async () => {
    renderApp('/versions/go/2024-03-01?path=go.owl', {
      'files:where': (input) => ({
        files: [
          { file_id: '00000000-0000-4000-8000-000000000001', artifact_id: null, version_id: 'x', service: 'go', version: '2024-03-01', relpath: 'go.owl', format: 'rdfxml', sniffed_format: 'rdfxml', size_bytes: 1, sha256: input.sha256, mtime: null, cas_relpath: null },
          { file_id: '00000000-0000-4000-8000-000000000099', artifact_id: null, version_id: 'y', service: 'go', version: '2024-02-01', relpath: 'old/go.owl', format: 'rdfxml', sniffed_format: null, size_bytes: 1, sha256: input.sha256, mtime: null, cas_relpath: null },
        ],
        artifacts: [],
      }),
    });
    const list = await screen.findByRole('list', { name: 'Same content elsewhere' });
    expect(within(list).getByRole('link', { name: 'go/2024-02-01' }).getAttribute('href')).toBe('/versions/go/2024-02-01?path=old%2Fgo.owl');
    expect(within(list).queryByText('go/2024-03-01')).toBeNull();
  });

  it('filters the tree by format and status, and searches paths with files:list', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/versions/go/2024-03-01');
    await screen.findByRole('tree');
    await user.selectOptions(await screen.findByLabelText('Format'), 'obo');
    await waitFor(() => expect(bridge.inputsOf('files:dir').at(-1)).toMatchObject({ dir: '', format: 'obo' }));
    await user.selectOptions(screen.getByLabelText('Validation'), 'failed');
    await waitFor(() => expect(bridge.inputsOf('files:dir').at(-1)).toMatchObject({ format: 'obo', status: 'failed' }));

    await user.type(screen.getByLabelText('Path contains'), 'goslim{Enter}');
    const results = await screen.findByRole('table', { name: 'Matching files' });
    expect(bridge.inputsOf('files:list').at(-1)).toEqual({ ref: 'go/2024-03-01', search: 'goslim', format: 'obo', status: 'failed', offset: 0, limit: 100 });
    expect(within(results).getAllByRole('row')).toHaveLength(3);
  });

  it('keeps a search page in view, marked busy, while the next page loads, and the focus on Next', async () => {
    const user = userEvent.setup();
    const items = Array.from({ length: 150 }, (_, i) => ({ ...fakeFiles[0]!, file_id: `f-${i}`, relpath: `obo/f${i}.obo` }));
    let answerPage: (() => void) | undefined;
    const bridge = createFakeBridge({
      'files:list': (input) => {
        const offset = input.offset ?? 0;
        const page = { items: items.slice(offset, offset + (input.limit ?? 100)), total: items.length, offset, limit: input.limit ?? 100 };
        return offset === 0 ? page : new Promise((resolve) => { answerPage = () => resolve(page); });
      },
    });
    const router = createMemoryRouter([{ path: '*', element: <AppRoutes /> }], { initialEntries: ['/versions/go/2024-03-01?q=obo'] });
    render(<AppProviders bridge={bridge} channels={bridge.channels}><RouterProvider router={router} /></AppProviders>);
    const table = await screen.findByRole('table', { name: 'Matching files' });
    expect(table.getAttribute('aria-busy')).toBeNull();
    await user.click(within(screen.getByRole('navigation', { name: 'Search result pages' })).getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(screen.getByRole('table', { name: 'Matching files' }).getAttribute('aria-busy')).toBe('true'));
    expect(within(screen.getByRole('table', { name: 'Matching files' })).getByText('obo/f0.obo')).toBeTruthy();
    expect(document.activeElement?.textContent).toBe('Next');
    await act(async () => { answerPage!(); });
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Matching files' })).getByText('obo/f100.obo')).toBeTruthy());
    expect(screen.getByRole('table', { name: 'Matching files' }).getAttribute('aria-busy')).toBeNull();
  });

  it('another version starts its path search at the first page, with the URL\'s search in the box', async () => {
    const user = userEvent.setup();
    // 250 matches in one version, 30 in the other: page 2 of the first is past the end of the second.
    const matches = (ref: string): FileRecord[] => Array.from({ length: ref.endsWith('03-01') ? 250 : 30 }, (_, i) => ({ ...fakeFiles[0]!, file_id: `${ref}-${i}`, relpath: `obo/f${i}.obo` }));
    const bridge = createFakeBridge({
      'files:list': (input) => {
        const items = matches(input.ref);
        return { items: items.slice(input.offset ?? 0, (input.offset ?? 0) + (input.limit ?? 100)), total: items.length, offset: input.offset ?? 0, limit: input.limit ?? 100 };
      },
    });
    const router = createMemoryRouter([{ path: '*', element: <AppRoutes /> }], { initialEntries: ['/versions/go/2024-03-01?q=obo'] });
    render(<AppProviders bridge={bridge} channels={bridge.channels}><RouterProvider router={router} /></AppProviders>);
    const pager = (): string => within(screen.getByRole('navigation', { name: 'Search result pages' })).getByText(/of/).textContent ?? '';
    await waitFor(() => expect(pager()).toMatch(/^1–100 of 250/));
    await user.click(within(screen.getByRole('navigation', { name: 'Search result pages' })).getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(pager()).toMatch(/^101–200 of 250/));
    await act(() => router.navigate('/versions/go/2024-02-01?q=f1'));
    await waitFor(() => expect(pager()).toMatch(/^1–30 of 30/));
    expect(screen.getByLabelText('Path contains')).toHaveProperty('value', 'f1');
  });

  it('renders only the visible rows of a very large folder and pages the rest on demand', async () => {
    const user = userEvent.setup();
    const total = 200_000;
    const { bridge } = renderApp('/versions/go/2024-03-01', {
      'files:dir': (input) => {
        const offset = input.offset ?? 0;
        const limit = input.limit ?? 500;
        const items = Array.from({ length: Math.min(limit, total - offset) }, (_, i) => ({
          kind: 'file' as const, name: `f${offset + i}.ttl`, relpath: `f${offset + i}.ttl`, files: 1, bytes: 10, format: 'turtle',
          sha256: null, file_id: null, errors: 0, warnings: 0,
        }));
        return { items, total, offset, limit };
      },
    });
    const tree = await screen.findByRole('tree');
    await within(tree).findByRole('treeitem', { name: 'f0.ttl' });
    expect(within(tree).getAllByRole('treeitem').length).toBeLessThan(60);
    tree.focus();
    await user.keyboard('{End}{Enter}');
    await waitFor(() => expect(bridge.inputsOf('files:dir').at(-1)).toMatchObject({ offset: 500, limit: 500 }));
  });

  it('opens the folders above a deep-linked file', async () => {
    const { bridge } = renderApp('/versions/go/2024-03-01?path=subsets%2Fextra%2Fmapping.json');
    const tree = await screen.findByRole('tree');
    const row = await within(tree).findByRole('treeitem', { name: 'mapping.json' });
    expect(row.getAttribute('aria-selected')).toBe('true');
    expect(bridge.inputsOf('files:dir').map((input) => (input as { dir: string }).dir)).toEqual(['', 'subsets', 'subsets/extra']);
    expect(await screen.findByRole('complementary', { name: 'mapping.json' })).toBeTruthy();
  });

  it('shows an error state for an unknown version', async () => {
    renderApp('/versions/go/nope');
    expect((await screen.findByRole('alert')).textContent).toContain('No version go/nope.');
  });

  it('shows a file with only warnings in amber, never red and never "failed"; errors in red', async () => {
    const entry = (name: string, errors: number, warnings: number) => ({
      kind: 'file' as const, name, relpath: name, files: 1, bytes: 10, format: 'turtle', sha256: null, file_id: null, errors, warnings,
    });
    renderApp('/versions/go/2024-03-01', {
      'files:dir': () => ({ items: [entry('warned.ttl', 0, 2), entry('broken.ttl', 1, 0)], total: 2, offset: 0, limit: 500 }),
    });
    const tree = await screen.findByRole('tree');
    const warned = await within(tree).findByRole('treeitem', { name: 'warned.ttl' });
    expect(warned.querySelector('.badge-warn')?.textContent).toBe('2 warnings');
    expect(warned.querySelector('.badge-bad')).toBeNull();
    expect(warned.textContent).not.toMatch(/fail/i);
    const broken = within(tree).getByRole('treeitem', { name: 'broken.ttl' });
    expect(broken.querySelector('.badge-bad')?.textContent).toBe('1 error');
  });

  it('shows the same parse rate and findings as the catalog page for the same version', async () => {
    const version = fakeVersions.find((v) => v.service === 'go' && v.version === '2024-03-01')!;
    renderApp('/versions/go/2024-03-01');
    const parse = await screen.findByRole('group', { name: 'Files that parse' });
    expect(parse.textContent).toContain('80%');
    expect(parse.textContent).toContain(`${version.health.files_parsed} of ${version.health.files_checked} checked`);
    expect(screen.getByRole('group', { name: 'Warnings' }).textContent).toContain(String(version.health.warnings));
    // One file is "1 file", not "1 files".
    const files = (n: number): string => `${n} ${n === 1 ? 'file' : 'files'}`;
    expect(screen.getByRole('group', { name: 'Errors' }).textContent).toContain(`${files(version.health.files_with_errors)} with errors`);
    expect(screen.getByRole('group', { name: 'Warnings' }).textContent).toContain(`${files(version.health.files_with_warnings)} with warnings`);
    expect([version.health.files_with_errors, version.health.files_with_warnings]).toContain(1);
    cleanup();
    renderApp('/');
    const row = await screen.findByRole('row', { name: 'go/2024-03-01' });
    expect(within(row).getByLabelText(/^Validation of go\/2024-03-01/).textContent).toMatch(/^80%/);
  });

  it('counts files that do not parse in the Errors card, as the CLI versions list does', async () => {
    // Two files fail their syntax check and there is no other ERROR finding: the CLI says ERRORS 2.
    const health = fakeHealth(5, 0, { files_parsed: 3, files_unparsable: 2, files_with_errors: 2, errors: 0 });
    const stats = {
      service: 'go', version: '2024-03-01', version_id: '00000000-0000-4000-8000-0000000003eb', is_latest: true, files: 5, bytes: 5_000_000,
      release_date: '2024-03-01T00:00:00.000Z', release_date_source: 'obo-header' as const, release_rank: 3, by_format: [], health, largest_files: [],
    };
    renderApp('/versions/go/2024-03-01', { 'versions:stats': () => stats });
    const errors = await screen.findByRole('group', { name: 'Errors' });
    expect(errors.querySelector('.card-value')?.textContent).toBe('2');
    expect(errors.textContent).toContain('2 files with errors');
    expect(errors.className).toContain('card-bad');
  });

  it('says how many formats the Formats card does not name', async () => {
    const stats = {
      service: 'go', version: '2024-03-01', version_id: '00000000-0000-4000-8000-0000000003eb', is_latest: true, files: 5, bytes: 5_000_000,
      release_date: '2024-03-01T00:00:00.000Z', release_date_source: 'obo-header' as const, release_rank: 3, health: fakeHealth(5, 0), largest_files: [],
      by_format: ['rdfxml', 'obo', 'json', 'turtle'].map((format) => ({ format, files: 1, bytes: 10 })),
    };
    renderApp('/versions/go/2024-03-01', { 'versions:stats': () => stats });
    const card = await screen.findByRole('group', { name: 'Formats' });
    expect(card.querySelector('.card-value')?.textContent).toBe('4');
    expect(card.querySelector('.card-note')?.textContent).toBe('RDF/XML, OBO, JSON and 1 more');
  });
  it('shows nothing of the version left while the next one loads, so its date cannot be corrected into the other', async () => {
    // A slow catalog answers 2.0's stats only when the test says so; until then 1.0's
    // numbers and date must not stand under 2.0's heading (Save would give 2.0 1.0's date).
    const user = userEvent.setup();
    let answerSecond: (() => void) | undefined;
    const stats = (version: string, day: string, files: number) => ({
      service: 'mini', version, version_id: '00000000-0000-4000-8000-0000000003eb', is_latest: false, files, bytes: 1_000,
      release_date: `${day}T00:00:00.000Z`, release_date_source: 'curator' as const, release_rank: 1, by_format: [],
      health: fakeHealth(files, 0), largest_files: [],
    });
    const bridge = createFakeBridge({
      'versions:stats': (input) => input.ref === 'mini/1.0'
        ? stats('1.0', '2014-01-01', 7)
        : new Promise((resolve) => { answerSecond = () => resolve(stats('2.0', '2019-01-16', 9)); }),
    });
    const router = createMemoryRouter([{ path: '*', element: <AppRoutes /> }], { initialEntries: ['/versions/mini/1.0'] });
    render(<AppProviders bridge={bridge} channels={bridge.channels}><RouterProvider router={router} /></AppProviders>);
    expect((await screen.findByText(/^Released/)).textContent).toContain('2014-01-01');
    await act(() => router.navigate('/versions/mini/2.0'));
    await screen.findByRole('heading', { name: /mini \/ 2\.0/ });
    await waitFor(() => expect(bridge.inputsOf('versions:stats')).toContainEqual({ ref: 'mini/2.0' }));
    expect(screen.queryByText(/^Released/)).toBeNull();
    expect(screen.queryByRole('button', { name: /Correct the release date/ })).toBeNull();
    expect(screen.getByRole('status', { name: 'Loading version' })).toBeTruthy();
    await act(async () => { answerSecond!(); });
    expect((await screen.findByText(/^Released/)).textContent).toContain('2019-01-16');
    await user.click(screen.getByRole('button', { name: 'Correct the release date of mini/2.0' }));
    expect(screen.getByLabelText('Release date')).toHaveProperty('value', '2019-01-16');
  });
  it('does not say the next search matches nothing while it loads after one that did', async () => {
    // "zzz" matched nothing; searching "go" showed "No files match “go”." until the answer came.
    const user = userEvent.setup();
    let answer: (() => void) | undefined;
    const bridge = createFakeBridge({
      'files:list': (input) => {
        const items = fakeFiles.filter((f) => f.version === '2024-03-01' && f.relpath.includes(input.search ?? ''));
        const page = { items, total: items.length, offset: 0, limit: input.limit ?? 100 };
        return input.search === 'zzz' ? page : new Promise((resolve) => { answer = () => resolve(page); });
      },
    });
    const router = createMemoryRouter([{ path: '*', element: <AppRoutes /> }], { initialEntries: ['/versions/go/2024-03-01?q=zzz'] });
    render(<AppProviders bridge={bridge} channels={bridge.channels}><RouterProvider router={router} /></AppProviders>);
    expect(await screen.findByText('No files match “zzz”.')).toBeTruthy();
    // Typed over the selected text (clearing the box first would end the search).
    const box = screen.getByLabelText('Path contains');
    await user.tripleClick(box);
    await user.keyboard('go{Enter}');
    await waitFor(() => expect(bridge.inputsOf('files:list').at(-1)).toMatchObject({ search: 'go' }));
    await waitFor(() => expect(screen.getByRole('table', { name: 'Matching files' }).getAttribute('aria-busy')).toBe('true'));
    expect(screen.queryByText(/No files match/)).toBeNull();
    await act(async () => { answer!(); });
    expect(await within(screen.getByRole('table', { name: 'Matching files' })).findByText('go.owl')).toBeTruthy();
  });
});
