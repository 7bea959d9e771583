// @vitest-environment jsdom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { DirEntry } from '../../../electron/shared/models.js';
import { defaultHandlers } from '../../helpers/fake-bridge.js';
import { renderApp } from '../../helpers/render-app.js';

afterEach(cleanup);

describe('keyboard', () => {
  it('keeps Tab inside the set-latest dialog, gives focus back on Escape, and Ctrl+Z runs the toast\'s Undo', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/');
    await screen.findByRole('table', { name: 'Versions' });
    const opener = await screen.findByRole('button', { name: 'Set as latest: go/2024-02-01' });
    opener.focus();
    await user.keyboard('{Enter}');
    const dialog = await screen.findByRole('dialog', { name: 'Set go/2024-02-01 as latest?' });
    const confirm = within(dialog).getByRole('button', { name: 'Set as latest' });
    await waitFor(() => expect(confirm).toHaveProperty('disabled', false));
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    for (let i = 0; i < 5; i += 1) {
      await user.tab();
      expect(dialog.contains(document.activeElement)).toBe(true);
      await user.tab({ shift: true });
      expect(dialog.contains(document.activeElement)).toBe(true);
    }
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(opener));
    expect(bridge.inputsOf('latest:set')).toEqual([]);

    await user.keyboard('{Enter}');
    const again = await screen.findByRole('dialog');
    const setIt = within(again).getByRole('button', { name: 'Set as latest' });
    await waitFor(() => expect(setIt).toHaveProperty('disabled', false));
    await user.click(setIt);
    await screen.findByText('go: latest is now 2024-02-01 (was 2024-03-01).');
    // Focus is on the page, not in a text field: Ctrl+Z undoes the last action.
    await user.keyboard('{Control>}z{/Control}');
    await waitFor(() => expect(bridge.inputsOf('latest:set').map((input) => { const { ref, expected_latest } = input as { ref: string; expected_latest: string }; return [ref, expected_latest]; })).toEqual([['go/2024-02-01', '2024-03-01'], ['go/2024-03-01', '2024-02-01']]));
    expect(await screen.findByText('Undone: latest go is 2024-03-01 again.')).toBeTruthy();
    // Once used, the Undo is gone: a second Ctrl+Z does nothing.
    await user.keyboard('{Control>}z{/Control}');
    expect(bridge.inputsOf('latest:set')).toHaveLength(2);
  });

  it('moves focus to the main content from the skip link without changing the route', async () => {
    const user = userEvent.setup();
    renderApp('/events');
    await user.tab();
    const skip = screen.getByRole('link', { name: 'Skip to main content' });
    expect(document.activeElement).toBe(skip);
    await user.keyboard('{Enter}');
    expect(document.activeElement).toBe(screen.getByRole('main'));
    expect(screen.getByRole('link', { name: 'Events' }).getAttribute('aria-current')).toBe('page');
  });

  it('closes the file panel on Escape and returns focus to the tree', async () => {
    const user = userEvent.setup();
    renderApp('/versions/go/2024-03-01');
    const tree = await screen.findByRole('tree', { name: 'Files of go/2024-03-01' });
    await within(tree).findByRole('treeitem', { name: 'go.owl' });
    tree.focus();
    // Type-ahead: "g" moves to go.owl, Enter opens it.
    await user.keyboard('g');
    expect(document.getElementById(tree.getAttribute('aria-activedescendant')!)?.getAttribute('aria-label')).toBe('go.owl');
    await user.keyboard('{Enter}');
    await screen.findByRole('complementary', { name: 'go.owl' });
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('complementary', { name: 'go.owl' })).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(tree));
  });
  it('keeps the tree\'s active row on the same file when a catalog change adds one above it, so Enter opens that file', async () => {
    // Re-ingest by another client added a file above go.owl: the active row stayed at its
    // index, now another file, and Enter opened that one instead of go.owl.
    const user = userEvent.setup();
    let added = false;
    const newFile: DirEntry = {
      kind: 'file', name: 'a-new.txt', relpath: 'a-new.txt', files: 1, bytes: 10, format: 'other', sha256: 'b'.repeat(64), file_id: null, errors: 0, warnings: 0,
    };
    const base = defaultHandlers()['files:dir'];
    const { bridge } = renderApp('/versions/go/2024-03-01', {
      'files:dir': async (input) => {
        const page = await base(input);
        if (!added || input.dir) return page;
        const items = [...page.items, newFile].sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1));
        return { ...page, items, total: page.total + 1 };
      },
    });
    const tree = await screen.findByRole('tree', { name: 'Files of go/2024-03-01' });
    await within(tree).findByRole('treeitem', { name: 'go.owl' });
    tree.focus();
    await user.keyboard('g');
    const activeName = (): string | null | undefined => document.getElementById(tree.getAttribute('aria-activedescendant')!)?.getAttribute('aria-label');
    expect(activeName()).toBe('go.owl');
    added = true;
    act(() => bridge.emit('catalog:changed', { channel: 'ingest:run', at: new Date().toISOString(), by: 'cli' }));
    await within(tree).findByRole('treeitem', { name: 'a-new.txt' });
    expect(activeName()).toBe('go.owl');
    await user.keyboard('{Enter}');
    await screen.findByRole('complementary', { name: 'go.owl' });
  });
  it('gives focus back to the row of the file whose details were open, not to the row of the first file opened', async () => {
    // Enter on one search row, ↓, Enter on the next, then Close in the panel: focus went
    // back to the first row, though the panel showed (and the user came from) the second.
    const user = userEvent.setup();
    renderApp('/versions/go/2024-03-01?q=subsets');
    const table = await screen.findByRole('table', { name: 'Matching files' });
    const first = await within(table).findByRole('row', { name: 'subsets/goslim-agr.obo' });
    first.focus();
    await user.keyboard('{Enter}');
    await screen.findByRole('complementary', { name: 'goslim-agr.obo' });
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('subsets/goslim-generic.obo');
    await user.keyboard('{Enter}');
    const panel = await screen.findByRole('complementary', { name: 'goslim-generic.obo' });
    await user.click(within(panel).getByRole('button', { name: 'Close details' }));
    await waitFor(() => expect(screen.queryByRole('complementary')).toBeNull());
    expect(document.activeElement?.getAttribute('aria-label')).toBe('subsets/goslim-generic.obo');
  });
});
