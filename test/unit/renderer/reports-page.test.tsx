// @vitest-environment jsdom
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceSummary } from '../../../electron/shared/contract.js';
import { OntocatError } from '../../../electron/shared/errors.js';
import { renderApp } from '../../helpers/render-app.js';

afterEach(cleanup);

describe('Reports page', () => {
  it('says a service picked for Growth was pruned by another client, and shows the next one instead of asking for the gone one', async () => {
    const user = userEvent.setup();
    let services: ServiceSummary[] = [
      { service: 'go', versions: 3, latest: '2024-03-01', newest: '2024-03-01', bytes: 12_000_000 },
      { service: 'mondo', versions: 2, latest: '2024-02-01', newest: '2024-02-01', bytes: 4_000_000 },
    ];
    const { bridge } = renderApp('/reports', {
      'services:list': () => services,
      // Enough for the page: the figures themselves are the report's own tests.
      'report:growth': (input) => { throw new OntocatError('NOT_FOUND', `growth of ${input.service} asked`); },
    });
    const select = await screen.findByLabelText('Service');
    await user.selectOptions(select, 'mondo');
    expect(await screen.findByText('growth of mondo asked')).toBeTruthy();

    // Another client prunes every mondo version.
    services = services.filter((s) => s.service !== 'mondo');
    act(() => bridge.emit('catalog:changed', { channel: 'prune:apply', at: '2024-03-02T10:00:00.000Z', by: 'cli' }));
    const notice = await screen.findByRole('status', { name: 'Service gone' });
    expect(notice.textContent).toBe('mondo is no longer in the catalog (pruned or removed since); showing go instead.');
    expect(screen.getByLabelText('Service')).toHaveProperty('value', 'go');
    expect(await screen.findByText('growth of go asked')).toBeTruthy();
    await waitFor(() => expect(bridge.inputsOf('report:growth').at(-1)).toEqual({ service: 'go' }));

    // Picking one again says no more.
    await user.selectOptions(screen.getByLabelText('Service'), 'go');
    expect(screen.queryByRole('status', { name: 'Service gone' })).toBeNull();
  });
});
