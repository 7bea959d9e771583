// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeltaChange, DeltaSummary } from '../../../renderer/src/api/pending-channels.js';
import { renderApp } from '../../helpers/render-app.js';

afterEach(cleanup);

const totals = (count: number, bytes: number) => ({ count, bytes });
const summary: DeltaSummary = {
  added: totals(2, 2000), removed: totals(1, 500), modified: totals(3, 9000), renamed: totals(1, 10), unchanged: totals(40, 1e6),
  bytes_added: 2500, bytes_removed: 500, net_growth: 2000, churn: 11_500, by_format: [{ format: 'obo', added: 1, removed: 0, modified: 3 }], identical: false,
};
const change = (relpath: string, kind: DeltaChange['kind'], format = 'obo'): DeltaChange => ({
  relpath, kind, old_relpath: null, new_relpath: null, old_size: 10, new_size: 20, old_sha256: 'a'.repeat(64), new_sha256: 'b'.repeat(64), format,
});

describe('Validation page', () => {
  it('shows summary counts and sends the failure filters to validations:list', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/validation/go/2024-03-01');
    const failures = await screen.findByRole('table', { name: 'Validation failures' });
    expect(within(failures).getByText('missing-id')).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Checks failed' }).textContent).toContain('1');
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

  it('says comparing findings is not available when the build lacks delta:validations', async () => {
    renderApp('/validation/go/2024-03-01');
    expect(await screen.findByText('Comparing findings with the previous version is not available in this build')).toBeTruthy();
  });

  it('shows NEW / FIXED / PERSISTING versus the previous version', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/validation/go/2024-03-01', {
      'delta:validations': () => [
        { status: 'NEW', relpath: 'a.obo', validator: 'obo-syntax', rule: 'missing-id', severity: 'ERROR', message: 'new one' },
        { status: 'FIXED', relpath: 'b.obo', validator: 'obo-syntax', rule: 'dup', severity: 'WARN', message: 'fixed one' },
        { status: 'FIXED', relpath: 'c.obo', validator: 'obo-syntax', rule: 'dup', severity: 'WARN', message: 'fixed two' },
      ],
    });
    const tabs = await screen.findByRole('tablist', { name: 'Findings versus previous version' });
    expect(bridge.inputsOf('delta:validations')).toEqual([{ a: 'go/2024-02-01', b: 'go/2024-03-01' }]);
    expect(within(tabs).getByRole('tab', { name: 'FIXED 2' })).toBeTruthy();
    expect(screen.getByText('new one')).toBeTruthy();
    await user.click(within(tabs).getByRole('tab', { name: 'FIXED 2' }));
    expect(screen.getByText('fixed two')).toBeTruthy();
    expect(screen.queryByText('new one')).toBeNull();
  });
});

describe('Delta page', () => {
  it('shows a friendly state when delta channels are absent', async () => {
    renderApp('/delta');
    expect(await screen.findByText('Comparing versions is not available in this build')).toBeTruthy();
  });

  it('defaults to previous vs latest, shows summary cards, filters by kind and pages changes', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/delta', {
      'delta:compute': (input) => ({
        summary,
        changes: { items: [change('subsets/x.obo', 'modified'), change('new.obo', 'added')], total: 120, offset: input.offset ?? 0, limit: input.limit ?? 50 },
      }),
      'delta:tree': (input) => (input.dir ? [] : [{ name: 'subsets', relpath: 'subsets', kind: 'dir' as const, modified: 3, added: 1, bytes_added: 1024 }]),
    });
    await screen.findByRole('group', { name: 'Modified' });
    expect(bridge.inputsOf('delta:compute')[0]).toEqual({ a: 'go/2024-02-01', b: 'go/2024-03-01', kind: undefined, prefix: undefined, offset: 0, limit: 50 });
    expect(screen.getByRole('group', { name: 'Added' }).textContent).toContain('2');
    expect(screen.getByRole('group', { name: 'Net growth' }).textContent).toContain('+1.95 KB');

    await user.click(within(screen.getByRole('tablist', { name: 'Filter changes by kind' })).getByRole('tab', { name: 'removed 1' }));
    await waitFor(() => expect(bridge.inputsOf('delta:compute').at(-1)).toMatchObject({ kind: 'removed', offset: 0 }));
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(bridge.inputsOf('delta:compute').at(-1)).toMatchObject({ kind: 'removed', offset: 50 }));

    await user.click(screen.getByRole('button', { name: 'Open folder subsets: 4 changes' }));
    await waitFor(() => expect(bridge.inputsOf('delta:tree').at(-1)).toEqual({ a: 'go/2024-02-01', b: 'go/2024-03-01', dir: 'subsets' }));
    expect(bridge.inputsOf('delta:compute').at(-1)).toMatchObject({ prefix: 'subsets', offset: 0 });
  });

  it('shows term changes for a modified ontology file, or a placeholder without delta:terms', async () => {
    const user = userEvent.setup();
    const handlers = {
      'delta:compute': () => ({ summary, changes: { items: [change('subsets/x.obo', 'modified')], total: 1, offset: 0, limit: 50 } }),
    };
    renderApp('/delta?a=go/2024-01-01&b=go/2024-03-01', handlers);
    await user.click(await screen.findByRole('row', { name: 'modified subsets/x.obo' }));
    expect(await screen.findByText('Term-level changes is not available in this build')).toBeTruthy();
    cleanup();

    const { bridge } = renderApp('/delta?a=go/2024-01-01&b=go/2024-03-01', {
      ...handlers,
      'delta:terms': () => [{ term: 'GO:0000001', change: 'relabelled', old_label: 'old name', new_label: 'new name' }],
    });
    await user.click(await screen.findByRole('row', { name: 'modified subsets/x.obo' }));
    expect(await screen.findByText('GO:0000001')).toBeTruthy();
    expect(bridge.inputsOf('delta:terms')).toEqual([{ a: 'go/2024-01-01', b: 'go/2024-03-01', relpath: 'subsets/x.obo', limit: 200 }]);
  });
});
