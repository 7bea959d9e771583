// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeltaSummary, FileChange, FindingChange } from '../../../electron/shared/contract/delta.js';
import { OntocatError } from '../../../electron/shared/errors.js';
import { AppProviders, AppRoutes } from '../../../renderer/src/app.js';
import { createFakeBridge, fakeUuid, fakeValidations, fakeVersions } from '../../helpers/fake-bridge.js';
import { renderApp } from '../../helpers/render-app.js';

afterEach(cleanup);

const finding = (status: FindingChange['status'], relpath: string, message: string): FindingChange => ({
  status, relpath, old_relpath: null, validator: 'obo-syntax', rule: 'missing-id', severity: status === 'NEW' ? 'ERROR' : 'WARN', subject: null,
  message, line: 3, old_line: null,
});

describe('Validation page', () => {
  it('shows summary counts and sends the failure filters to validations:list', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/validation/go/2024-03-01');
    const failures = await screen.findByRole('table', { name: 'Validation findings' });
    expect(within(failures).getByText('missing-id')).toBeTruthy();
    // go/2024-03-01 in the fake: 5 files checked, 4 parse, one WARN. The file that does not
    // parse is the one error (as 'ontocat versions' counts it); the WARN is amber, never an error.
    expect((await screen.findByRole('group', { name: 'Files that parse' })).textContent).toContain('80%');
    expect(screen.getByRole('group', { name: 'Errors' }).className).toContain('card-bad');
    expect(screen.getByRole('group', { name: 'Errors' }).querySelector('.card-value')?.textContent).toBe('1');
    expect(screen.getByRole('group', { name: 'Warnings' }).className).toContain('card-warn');
    expect(bridge.inputsOf('validations:list')[0]).toEqual({
      ref: 'go/2024-03-01', passed: false, validator: undefined, severity: undefined, format: undefined, sort: 'relpath', direction: 'asc', offset: 0, limit: 50,
    });
    await user.selectOptions(screen.getByLabelText('Validator'), 'obo-syntax');
    await user.selectOptions(screen.getByLabelText('Severity'), 'ERROR');
    await user.selectOptions(screen.getByLabelText('Format'), 'obo');
    await waitFor(() => expect(bridge.inputsOf('validations:list').at(-1)).toMatchObject({ validator: 'obo-syntax', severity: 'ERROR', format: 'obo', offset: 0 }));
    await user.click(screen.getByRole('button', { name: /^Severity/ }));
    await waitFor(() => expect(bridge.inputsOf('validations:list').at(-1)).toMatchObject({ sort: 'severity', direction: 'asc' }));
  });

  it('says when the findings come from older validator rules, and how to validate again', async () => {
    renderApp('/validation/go/2024-03-01', { 'validations:rules': () => ({ oldest: 6, newest: 7, current: 8 }) });
    const notice = await screen.findByText(/These findings come from older validator rules/);
    expect(notice.textContent).toContain('version 6–7; this Ontocat\'s are version 8');
    expect(notice.textContent).toContain('ontocat validate go/2024-03-01');
    cleanup();
    // Current rules: no notice.
    renderApp('/validation/go/2024-03-01');
    await screen.findByRole('table', { name: 'Validation findings' });
    await screen.findByRole('group', { name: 'Files that parse' });
    expect(screen.queryByText(/older validator rules/)).toBeNull();
  });

  it('shows NEW / FIXED / PERSISTING / GONE versus the previous version, counted by the catalog and paged', async () => {
    const user = userEvent.setup();
    const rows = {
      new: [finding('NEW', 'a.obo', 'new one')],
      fixed: [finding('FIXED', 'b.obo', 'fixed one'), finding('FIXED', 'c.obo', 'fixed two')],
      persisting: [] as FindingChange[],
      gone: [finding('GONE', 'old.obo', 'left with its file')],
    };
    const { bridge } = renderApp('/validation/go/2024-03-01', {
      'delta:validations': (input) => {
        const items = rows[input.status as keyof typeof rows];
        return {
          summary: { from: input.from, to: input.to, new: 1, fixed: 2, persisting: 0, gone: 1, by_severity: [], by_validator: [] },
          findings: { items, total: input.status === 'fixed' ? 75 : items.length, offset: input.offset ?? 0, limit: input.limit ?? 50 },
        };
      },
    });
    const tabs = await screen.findByRole('tablist', { name: 'Findings versus previous version' });
    expect(bridge.inputsOf('delta:validations')).toEqual([{ from: 'go/2024-02-01', to: 'go/2024-03-01', status: 'new', offset: 0, limit: 50 }]);
    expect(within(tabs).getByRole('tab', { name: 'FIXED 2' })).toBeTruthy();
    expect(within(tabs).getByRole('tab', { name: 'PERSISTING 0' })).toBeTruthy();
    expect(await screen.findByText('new one')).toBeTruthy();
    await user.click(within(tabs).getByRole('tab', { name: 'FIXED 2' }));
    expect(await screen.findByText('fixed two')).toBeTruthy();
    expect(screen.queryByText('new one')).toBeNull();
    expect(bridge.inputsOf('delta:validations').at(-1)).toEqual({ from: 'go/2024-02-01', to: 'go/2024-03-01', status: 'fixed', offset: 0, limit: 50 });
    await user.click(within(screen.getByRole('navigation', { name: 'Finding pages' })).getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(bridge.inputsOf('delta:validations').at(-1)).toMatchObject({ status: 'fixed', offset: 50 }));
    await user.click(within(tabs).getByRole('tab', { name: 'PERSISTING 0' }));
    expect(await screen.findByText('No persisting findings.')).toBeTruthy();
    // Findings of a removed file are not counted as fixed: they have a tab of their own, in plain words.
    await user.click(within(tabs).getByRole('tab', { name: 'GONE · file removed 1' }));
    expect(await screen.findByText('left with its file')).toBeTruthy();
    expect(screen.getByText(/the file is gone, so they were not fixed/)).toBeTruthy();
    expect(bridge.inputsOf('delta:validations').at(-1)).toMatchObject({ status: 'gone', offset: 0 });
  });

  it('does not say a tab has no findings while its findings load after an empty tab', async () => {
    // From PERSISTING (none) to FIXED: "No fixed findings." showed until FIXED's rows came.
    const user = userEvent.setup();
    let answer: (() => void) | undefined;
    const { bridge } = renderApp('/validation/go/2024-03-01', {
      'delta:validations': (input) => {
        const items = input.status === 'fixed' ? [finding('FIXED', 'b.obo', 'fixed one')] : [];
        const result = {
          summary: { from: input.from, to: input.to, new: 0, fixed: 1, persisting: 0, gone: 0, by_severity: [], by_validator: [] },
          findings: { items, total: items.length, offset: 0, limit: input.limit ?? 50 },
        };
        return input.status === 'fixed' ? new Promise((resolve) => { answer = () => resolve(result); }) : result;
      },
    });
    const tabs = await screen.findByRole('tablist', { name: 'Findings versus previous version' });
    expect(await screen.findByText('No new findings.')).toBeTruthy();
    await user.click(within(tabs).getByRole('tab', { name: 'FIXED 1' }));
    await waitFor(() => expect(bridge.inputsOf('delta:validations').at(-1)).toMatchObject({ status: 'fixed' }));
    expect(screen.queryByText('No fixed findings.')).toBeNull();
    await act(async () => { answer!(); });
    expect(await screen.findByText('fixed one')).toBeTruthy();
  });

  it('starts another version without the last one\'s page, filters, open finding and comparison page', async () => {
    const user = userEvent.setup();
    const failures = Array.from({ length: 120 }, (_, i) => ({ ...fakeValidations[0]!, validation_id: fakeUuid(9000 + i), relpath: `f${i}.obo`, line: 1 }));
    renderApp('/validation/go/2024-03-01', {
      'validations:list': (input) => input.validation_id
        ? { items: failures.filter((f) => f.validation_id === input.validation_id), total: 1, offset: 0, limit: 1 }
        : { items: failures.slice(input.offset ?? 0, (input.offset ?? 0) + (input.limit ?? 50)), total: 120, offset: input.offset ?? 0, limit: input.limit ?? 50 },
      'delta:validations': (input) => ({
        summary: { from: input.from, to: input.to, new: 75, fixed: 0, persisting: 0, gone: 0, by_severity: [], by_validator: [] },
        findings: { items: [finding('NEW', `n${input.offset ?? 0}.obo`, 'new one')], total: 75, offset: input.offset ?? 0, limit: input.limit ?? 50 },
      }),
    });
    const failurePager = (): HTMLElement => screen.getByRole('navigation', { name: 'Failure pages' });
    const findingPager = (): HTMLElement => screen.getByRole('navigation', { name: 'Finding pages' });
    await screen.findByRole('table', { name: 'Validation findings' });
    await user.selectOptions(screen.getByLabelText('Severity'), 'ERROR');
    await user.click(within(failurePager()).getByRole('button', { name: 'Next' }));
    await user.click(within(failurePager()).getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(failurePager().textContent).toMatch(/^101–120 of 120/));
    await user.click(await screen.findByRole('row', { name: 'f100.obo: missing-id at line 1' }));
    expect(screen.getByRole('complementary', { name: 'f100.obo' })).toBeTruthy();
    await user.click(within(await screen.findByRole('navigation', { name: 'Finding pages' })).getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(findingPager().textContent).toMatch(/^51–75 of 75/));

    await user.selectOptions(screen.getByLabelText('Version'), 'go/2024-02-01');
    await waitFor(() => expect(failurePager().textContent).toMatch(/^1–50 of 120/));
    expect(screen.queryByRole('complementary', { name: 'f100.obo' })).toBeNull();
    expect(screen.getByLabelText('Severity')).toHaveProperty('value', '');
    await waitFor(() => expect(findingPager().textContent).toMatch(/^1–50 of 75/));
    expect(screen.getByText('Failed checks compared with go/2024-01-01.')).toBeTruthy();
  });

  it('says a finding open in its panel is gone once another client\'s validation removed it, and shows its new message while it stays', async () => {
    const user = userEvent.setup();
    const other = { ...fakeValidations[0]!, validation_id: fakeUuid(9500), relpath: 'subsets/goslim-generic.obo', line: 40, message: 'Another stanza without id' };
    let findings = [...fakeValidations, other];
    const { bridge } = renderApp('/validation/go/2024-03-01', {
      'validations:list': (input) => {
        const items = findings.filter((r) => !r.passed && (!input.validation_id || r.validation_id === input.validation_id));
        return { items, total: items.length, offset: 0, limit: input.limit ?? 50 };
      },
    });
    await user.click(await screen.findByRole('row', { name: 'subsets/goslim-agr.obo: missing-id at line 12' }));
    const panel = screen.getByRole('complementary', { name: 'subsets/goslim-agr.obo' });
    expect(within(panel).getByText('Term stanza without id')).toBeTruthy();
    // Validated again elsewhere: the same finding with another message.
    findings = findings.map((r) => (r.validation_id === fakeValidations[0]!.validation_id ? { ...r, message: 'Term stanza without id (line 12 of the new file)' } : r));
    act(() => bridge.emit('catalog:changed', { channel: 'validate:run', at: '2024-03-01T11:00:00.000Z' }));
    expect(await within(panel).findByText('Term stanza without id (line 12 of the new file)')).toBeTruthy();
    // Validated again with the stanza fixed: the finding is no more.
    findings = findings.filter((r) => r.validation_id !== fakeValidations[0]!.validation_id);
    act(() => bridge.emit('catalog:changed', { channel: 'validate:run', at: '2024-03-01T11:01:00.000Z' }));
    const gone = await within(screen.getByRole('complementary', { name: 'subsets/goslim-agr.obo' })).findByRole('status', { name: 'Finding gone' });
    expect(gone.textContent).toBe('This finding (obo-syntax: missing-id at line 12) is no longer in the catalog: the file was validated again, replaced or removed since it was opened.');
    await waitFor(() => expect(screen.getByRole('table', { name: 'Validation findings' }).textContent).not.toContain('Term stanza without id'));
  });

  it('shows only the error for a version that is not in the catalog', async () => {
    renderApp('/validation/go/nope');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('No version go/nope.');
    expect(alert.textContent).toContain('Cannot open go/nope');
    await waitFor(() => expect(screen.getAllByRole('alert')).toHaveLength(1));
    expect(screen.queryByText(/first version of its service/)).toBeNull();
    expect(screen.queryByRole('button', { name: /^Export/ })).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Findings' })).toBeNull();
  });

  it('has nothing to compare for the first version of a service', async () => {
    const { bridge } = renderApp('/validation/go/2024-01-01');
    expect(await screen.findByText('This is the first version of its service; there is nothing to compare with.')).toBeTruthy();
    expect(bridge.inputsOf('delta:validations')).toEqual([]);
  });
});

describe('Delta page', () => {
  it('defaults to previous vs latest and shows summary cards and bytes by format from the real summary', async () => {
    const { bridge } = renderApp('/delta');
    const cards = await screen.findByLabelText('Delta summary');
    expect(bridge.inputsOf('delta:compute')[0]).toEqual({ from: 'go/2024-02-01', to: 'go/2024-03-01', kind: 'changed', prefix: undefined, offset: 0, limit: 50 });
    // go/2024-02-01 → go/2024-03-01: three files added under subsets/, one removed, go.owl modified, README unchanged.
    expect(within(cards).getByRole('group', { name: 'Added' }).textContent).toBe('Added3505 KB');
    expect(within(cards).getByRole('group', { name: 'Removed' }).textContent).toBe('Removed1250 KB');
    expect(within(cards).getByRole('group', { name: 'Modified' }).textContent).toContain('1');
    expect(within(cards).getByRole('group', { name: 'Files' }).textContent).toContain('3 → 5');
    expect(within(cards).getByRole('group', { name: 'Net growth' }).textContent).toBe('Net growth+355 KB+505 KB / −250 KB');
    const growth = screen.getByRole('table', { name: 'Growth by format' });
    expect(within(growth).getByRole('row', { name: /OBO/ }).textContent).toContain('1 → 2');
    expect(screen.getByRole('figure', { name: 'Bytes changed by format' })).toBeTruthy();
    const table = screen.getByRole('table', { name: 'Changed files' });
    expect(within(table).getByRole('row', { name: 'modified go.owl' })).toBeTruthy();
    expect(within(table).queryByRole('row', { name: 'unchanged README.txt' })).toBeNull();
  });

  it('keeps the pair it chose by default when another client moves the latest', async () => {
    // go/2024-02-01 is the latest at first: the page compares it with go/2024-01-01.
    let latest = '2024-02-01';
    const { bridge } = renderApp('/delta', {
      'versions:list': (input) => {
        const items = fakeVersions.filter((v) => !input.service || v.service === input.service).map((v) => ({ ...v, is_latest: v.service === 'go' ? v.version === latest : v.is_latest }));
        return { items, total: items.length, offset: 0, limit: input.limit ?? 50 };
      },
    });
    await screen.findByLabelText('Delta summary');
    expect(bridge.inputsOf('delta:compute').at(-1)).toMatchObject({ from: 'go/2024-01-01', to: 'go/2024-02-01' });
    // Another client sets go/2024-03-01 as latest while the curator reads this delta.
    latest = '2024-03-01';
    const asked = bridge.inputsOf('versions:list').length;
    act(() => bridge.emit('catalog:changed', { channel: 'latest:set', at: new Date().toISOString(), by: 'cli' }));
    await waitFor(() => expect(bridge.inputsOf('versions:list').length + bridge.inputsOf('delta:compute').length).toBeGreaterThan(asked + 1));
    await screen.findByLabelText('Delta summary');
    // The rows on screen stay those of the pair the page shows, and the page names it.
    expect((bridge.inputsOf('delta:compute') as { from: string; to: string }[]).map((input) => `${input.from} → ${input.to}`)).not.toContain('go/2024-02-01 → go/2024-03-01');
    expect((screen.getByLabelText('From (before)') as HTMLInputElement).value).toBe('go/2024-01-01');
    expect((screen.getByLabelText('To (after)') as HTMLInputElement).value).toBe('go/2024-02-01');
  });

  it('filters the change table by kind and pages it in the catalog', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/delta?from=go/2024-01-01&to=go/2024-03-01', {
      'delta:compute': (input) => ({
        summary: { ...emptySummary(input.from, input.to), removed: { count: 120, bytes: 5000 } },
        changes: { items: [], total: input.kind === 'removed' ? 120 : 0, offset: input.offset ?? 0, limit: input.limit ?? 50 },
      }),
    });
    const tabs = await screen.findByRole('tablist', { name: 'Filter changes by kind' });
    expect(within(tabs).getAllByRole('tab').map((t) => t.textContent)).toEqual([
      'Changed 120', 'Added 0', 'Removed 120', 'Modified 0', 'Renamed 0', 'Unchanged 0', 'All 120',
    ]);
    await user.click(within(tabs).getByRole('tab', { name: 'Removed 120' }));
    await waitFor(() => expect(bridge.inputsOf('delta:compute').at(-1)).toMatchObject({ from: 'go/2024-01-01', to: 'go/2024-03-01', kind: 'removed', offset: 0 }));
    await user.click(within(screen.getByRole('navigation', { name: 'Change pages' })).getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(bridge.inputsOf('delta:compute').at(-1)).toMatchObject({ kind: 'removed', offset: 50 }));
  });

  it('starts another pair at the first page of its changes when a link opens it on the Delta page', async () => {
    // The ingest toast's "Open delta from …" followed while on the Delta page kept the page of
    // the pair left: page 3 of 120 asked the new pair of 30 changes for rows 101–150 and showed none.
    const user = userEvent.setup();
    const totals: Record<string, number> = { 'go/2024-01-01': 120, 'go/2024-02-01': 30 };
    const bridge = createFakeBridge({
      'delta:compute': (input) => ({
        summary: { ...emptySummary(input.from, input.to), removed: { count: totals[input.from]!, bytes: 5000 } },
        changes: { items: [], total: totals[input.from]!, offset: input.offset ?? 0, limit: input.limit ?? 50 },
      }),
    });
    const router = createMemoryRouter([{ path: '*', element: <AppRoutes /> }], { initialEntries: ['/delta?from=go/2024-01-01&to=go/2024-03-01'] });
    render(<AppProviders bridge={bridge} channels={bridge.channels}><RouterProvider router={router} /></AppProviders>);
    const pages = await screen.findByRole('navigation', { name: 'Change pages' });
    await user.click(within(pages).getByRole('button', { name: 'Next' }));
    await user.click(within(pages).getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(within(pages).getByText(/of 120/).textContent).toBe('101–120 of 120'));
    await act(() => router.navigate('/delta?from=go%2F2024-02-01&to=go%2F2024-03-01'));
    await waitFor(() => expect(bridge.inputsOf('delta:compute').at(-1)).toMatchObject({ from: 'go/2024-02-01', offset: 0 }));
    expect(bridge.inputsOf('delta:compute').filter((input) => (input as { from: string }).from === 'go/2024-02-01'))
      .toEqual([expect.objectContaining({ offset: 0 })]);
    await waitFor(() => expect(screen.getByRole('navigation', { name: 'Change pages' }).textContent).toContain('1–30 of 30'));
  });

  it('keeps the page of changes when a file on it is opened for its term changes', async () => {
    // Opening a row on page 2 sent the table back to page 1, where the row opened is not.
    const user = userEvent.setup();
    const changes = Array.from({ length: 120 }, (_, i): FileChange => ({
      kind: 'MODIFIED', relpath: `obo/f${String(i).padStart(3, '0')}.obo`, old_relpath: null, new_relpath: null, old_size: 10, new_size: 20,
      old_sha256: null, new_sha256: null, format: 'obo', old_format: 'obo', new_format: 'obo', old_file_id: null, new_file_id: null,
    }));
    const { bridge } = renderApp('/delta?from=go/2024-01-01&to=go/2024-03-01', {
      'delta:compute': (input) => ({
        summary: { ...emptySummary(input.from, input.to), modified: { count: 120, bytes: 2400 } },
        changes: { items: changes.slice(input.offset ?? 0, (input.offset ?? 0) + (input.limit ?? 50)), total: 120, offset: input.offset ?? 0, limit: input.limit ?? 50 },
      }),
    });
    const pages = await screen.findByRole('navigation', { name: 'Change pages' });
    await user.click(within(pages).getByRole('button', { name: 'Next' }));
    const row = await screen.findByRole('row', { name: 'modified obo/f060.obo' });
    await user.click(row);
    await screen.findByRole('region', { name: 'Term changes in obo/f060.obo' });
    expect(screen.getByRole('navigation', { name: 'Change pages' }).textContent).toContain('51–100 of 120');
    expect(screen.getByRole('row', { name: 'modified obo/f060.obo' }).getAttribute('aria-selected')).toBe('true');
    expect(bridge.inputsOf('delta:compute').at(-1)).toMatchObject({ offset: 50 });
  });

  it('navigates the tree of changes: folders with per-kind counts, then their files', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/delta?from=go/2024-02-01&to=go/2024-03-01');
    const tree = await screen.findByRole('list', { name: 'Tree of changes' });
    expect(bridge.inputsOf('delta:tree')[0]).toEqual({ from: 'go/2024-02-01', to: 'go/2024-03-01', dir: undefined, changed_only: true, offset: 0, limit: 100 });
    const folder = within(tree).getByRole('button', { name: 'Open folder subsets: 4 changed of 4 files' });
    expect(folder.closest('li')?.textContent).toContain('added 3');
    expect(folder.closest('li')?.textContent).toContain('removed 1');
    expect(within(tree).getByRole('button', { name: 'MODIFIED go.owl' })).toBeTruthy();
    expect(within(tree).queryByRole('button', { name: /README/ })).toBeNull();

    await user.click(folder);
    await waitFor(() => expect(bridge.inputsOf('delta:tree').at(-1)).toMatchObject({ dir: 'subsets', offset: 0 }));
    const inner = await screen.findByRole('button', { name: 'Open folder extra: 1 changed of 1 file' });
    expect(screen.getByRole('button', { name: 'ADDED subsets/goslim-agr.obo' })).toBeTruthy();
    // The change table follows the folder.
    expect(bridge.inputsOf('delta:compute').at(-1)).toMatchObject({ prefix: 'subsets', offset: 0 });
    await user.click(inner);
    await waitFor(() => expect(bridge.inputsOf('delta:tree').at(-1)).toMatchObject({ dir: 'subsets/extra' }));
    await user.click(within(screen.getByRole('navigation', { name: 'Folder path' })).getByRole('button', { name: '(root)' }));
    await waitFor(() => expect(bridge.inputsOf('delta:tree').at(-1)).toMatchObject({ dir: undefined }));

    await user.click(screen.getByRole('checkbox', { name: 'Show unchanged' }));
    expect(await screen.findByRole('button', { name: 'UNCHANGED README.txt' })).toBeTruthy();
    expect(bridge.inputsOf('delta:tree').at(-1)).toMatchObject({ changed_only: false });
  });

  it('moves focus to the first entry of a folder opened from the keyboard, not to the page\'s start', async () => {
    // Enter on a folder removed the button with the folder left, and focus fell to the body:
    // a keyboard user started over from the top of the page.
    const user = userEvent.setup();
    renderApp('/delta?from=go/2024-02-01&to=go/2024-03-01');
    const tree = await screen.findByRole('list', { name: 'Tree of changes' });
    within(tree).getByRole('button', { name: 'Open folder subsets: 4 changed of 4 files' }).focus();
    await user.keyboard('{Enter}');
    const inner = await screen.findByRole('button', { name: 'Open folder extra: 1 changed of 1 file' });
    await waitFor(() => expect(document.activeElement).toBe(inner));
    // A breadcrumb keeps its own focus.
    const root = within(screen.getByRole('navigation', { name: 'Folder path' })).getByRole('button', { name: '(root)' });
    await user.click(root);
    await screen.findByRole('button', { name: 'Open folder subsets: 4 changed of 4 files' });
    expect(document.activeElement).toBe(root);
  });

  it('shows the term changes of a modified ontology file with a summary, a change filter and pages', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/delta?from=go/2024-02-01&to=go/2024-03-01');
    await user.click(await screen.findByRole('row', { name: 'modified go.owl' }));
    const region = await screen.findByRole('region', { name: 'Term changes in go.owl' });
    expect(await within(region).findByText('GO:0000001')).toBeTruthy();
    expect(within(region).getByLabelText('Term summary').textContent).toContain('40 terms → 41 terms');
    expect(bridge.inputsOf('delta:terms')).toEqual([{ from: 'go/2024-02-01', to: 'go/2024-03-01', relpath: 'go.owl', old_relpath: undefined, change: undefined, offset: 0, limit: 50 }]);
    const filter = within(region).getByRole('tablist', { name: 'Filter term changes' });
    expect(within(filter).getAllByRole('tab').map((t) => t.textContent)).toEqual(['All 4', 'added 2', 'removed 1', 'relabelled 1', 'redefined 0', 're-parented 0', 'kind changed 0', 'deprecated 0', 'no longer deprecated 0', 'replacement changed 0']);
    await user.click(within(filter).getByRole('tab', { name: 'added 2' }));
    await waitFor(() => expect(bridge.inputsOf('delta:terms').at(-1)).toMatchObject({ change: 'ADDED', offset: 0 }));
    expect(await within(region).findByText('brand new')).toBeTruthy();
    expect(within(region).queryByText('GO:0000001')).toBeNull();
    await user.click(within(filter).getByRole('tab', { name: 'deprecated 0' }));
    expect(await within(region).findByText('No term changes of this kind (deprecated).')).toBeTruthy();
  });

  it('asks for term changes of a renamed file under both paths, and explains files without terms', async () => {
    const user = userEvent.setup();
    const renamed = {
      ...emptyChange, kind: 'RENAMED' as const, relpath: 'new/go.owl', old_relpath: 'old/go.owl', new_relpath: 'new/go.owl', format: 'rdfxml',
    };
    const { bridge } = renderApp('/delta?from=go/2024-01-01&to=go/2024-03-01', {
      'delta:compute': (input) => ({
        summary: emptySummary(input.from, input.to),
        changes: { items: [renamed, { ...emptyChange, kind: 'MODIFIED', relpath: 'notes.csv', format: 'csv' }], total: 2, offset: 0, limit: 50 },
      }),
      'delta:terms': () => { throw new OntocatError('BAD_INPUT', 'x.csv is CSV, not an ontology format.'); },
    });
    await user.click(await screen.findByRole('row', { name: 'renamed new/go.owl' }));
    await waitFor(() => expect(bridge.inputsOf('delta:terms')).toEqual([{
      from: 'go/2024-01-01', to: 'go/2024-03-01', relpath: 'new/go.owl', old_relpath: 'old/go.owl', change: undefined, offset: 0, limit: 50,
    }]));
    // A refusal from the handler is shown as an explanation, not as a failure.
    expect(await screen.findByText('x.csv is CSV, not an ontology format.')).toBeTruthy();
    await user.click(screen.getByRole('row', { name: 'modified notes.csv' }));
    expect(await screen.findByText('Term changes are shown for modified or renamed ontology files (RDF or OBO).')).toBeTruthy();
    expect(bridge.inputsOf('delta:terms')).toHaveLength(1);
  });
});

describe('Delta page, a folder a file moved out of', () => {
  it('lists the file where it was, says where it went, and asks for its terms under both paths', async () => {
    const user = userEvent.setup();
    const counts = {
      added_files: 0, added_bytes: 0, removed_files: 0, removed_bytes: 0, modified_files: 0, modified_bytes: 0,
      renamed_files: 1, renamed_bytes: 40, unchanged_files: 0, unchanged_bytes: 0,
    };
    const { bridge } = renderApp('/delta?from=go/2024-01-01&to=go/2024-03-01&dir=extra', {
      'delta:tree': (input) => ({
        items: input.dir === 'extra'
          ? [{ entry: 'file' as const, name: 'out.owl', relpath: 'extra/out.owl', kind: 'RENAMED' as const, old_relpath: 'extra/out.owl',
            new_relpath: 'moved/out.owl', files: 1, net_bytes: -40, ...counts }]
          : [],
        total: input.dir === 'extra' ? 1 : 0, offset: 0, limit: 100,
      }),
    });
    const tree = await screen.findByRole('list', { name: 'Tree of changes' });
    const entry = await within(tree).findByRole('button', { name: 'RENAMED extra/out.owl' });
    expect(entry.closest('li')?.textContent).toContain('moved to moved/out.owl');
    await user.click(entry);
    await waitFor(() => expect(bridge.inputsOf('delta:terms').at(-1)).toMatchObject({ relpath: 'moved/out.owl', old_relpath: 'extra/out.owl' }));
  });
});

const emptyChange: FileChange = {
  kind: 'UNCHANGED', relpath: '', old_relpath: null, new_relpath: null, old_size: 10, new_size: 20, old_sha256: 'a'.repeat(64), new_sha256: 'b'.repeat(64),
  format: 'obo', old_format: null, new_format: null, old_file_id: null, new_file_id: null,
};

function emptySummary(from: string, to: string): DeltaSummary {
  const zero = { count: 0, bytes: 0 };
  return {
    from, to, prefix: '', added: zero, removed: zero, modified: zero, renamed: zero, unchanged: zero, files_from: 0, files_to: 0, bytes_from: 0, bytes_to: 0,
    bytes_added: 0, bytes_removed: 0, net_growth: 0, churn_bytes: 0, identical: false, by_format: [],
  };
}
