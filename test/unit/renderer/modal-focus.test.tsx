// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { StrictMode, useState, type ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfirmDialog } from '../../../renderer/src/components/confirm-dialog.js';

afterEach(cleanup);

/** A list whose rows can be read again (new elements) while a dialog from one of them is open. */
function ListWithDialog({ generation, rows }: { generation: number; rows: boolean }): ReactNode {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  return (
    <main id="main-content" tabIndex={-1}>
      {rows && ['a/1', 'b/2 "quoted"'].map((name) => (
        <button key={`${generation}-${name}`} type="button" aria-label={`Set ${name} as latest`} onClick={() => setOpen(true)}>set</button>
      ))}
      {open && (
        <ConfirmDialog title="Sure?" confirmLabel="Do" onCancel={() => setOpen(false)} onConfirm={() => setOpen(false)}>
          <input aria-label="Reason" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </ConfirmDialog>
      )}
      <output aria-label="typed">{typed}</output>
    </main>
  );
}

describe('modal dialog focus', () => {
  it('starts on Cancel, so Shift+Tab and typing land in the reason, not on the page behind', async () => {
    const user = userEvent.setup();
    render(<ListWithDialog generation={0} rows />);
    await user.click(screen.getByRole('button', { name: 'Set a/1 as latest' }));
    // No waiting for effects: the keys follow the click at once.
    await user.keyboard('{Shift>}{Tab}{/Shift}reason');
    expect(screen.getByLabelText('typed').textContent).toBe('reason');
  });

  it('gives focus back to the opener re-rendered by a list read while the dialog was open, also when it appears only after closing', async () => {
    const user = userEvent.setup();
    const view = render(<ListWithDialog generation={0} rows />);
    const opener = screen.getByRole('button', { name: 'Set b/2 "quoted" as latest' });
    await user.click(opener);
    expect(document.activeElement?.textContent).toBe('Cancel');
    // The list is being read again: its rows are gone while the dialog closes.
    view.rerender(<ListWithDialog generation={1} rows={false} />);
    await user.keyboard('{Escape}');
    await act(async () => { await Promise.resolve(); });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement?.id).toBe('main-content');
    // The rows come back as new elements: focus moves to the twin of the opener.
    view.rerender(<ListWithDialog generation={2} rows />);
    await act(async () => { await new Promise((resolve) => setTimeout(resolve, 10)); });
    const twin = screen.getByRole('button', { name: 'Set b/2 "quoted" as latest' });
    expect(twin).not.toBe(opener);
    expect(document.activeElement).toBe(twin);
  });

  it('under StrictMode (effects run twice) starts on Cancel and gives focus back to the opener', async () => {
    const user = userEvent.setup();
    render(<StrictMode><ListWithDialog generation={0} rows /></StrictMode>);
    const opener = screen.getByRole('button', { name: 'Set a/1 as latest' });
    opener.focus();
    await user.keyboard('{Enter}');
    expect(document.activeElement?.textContent).toBe('Cancel');
    await user.keyboard('{Shift>}{Tab}{/Shift}why');
    expect(screen.getByLabelText('typed').textContent).toBe('why');
    await user.keyboard('{Escape}');
    await act(async () => { await Promise.resolve(); });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });
});
