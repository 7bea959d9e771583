// @vitest-environment jsdom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { OntocatError } from '../../../electron/shared/errors.js';
import type { IngestResult } from '../../../electron/shared/contract.js';
import { addPhaseEvent } from '../../../renderer/src/components/phased-progress.js';
import { fakeHealth, fakeVersions } from '../../helpers/fake-bridge.js';
import { renderApp } from '../../helpers/render-app.js';

afterEach(cleanup);

const JOB = 'job-00000000-0000-4000-8000-000000000042';
const progress = (phase: string, done: number, total: number | null, extra: { job_id?: string; state?: 'running' | 'done'; request_id?: string | null } = {}) => ({
  job_id: extra.job_id ?? JOB, kind: 'ingest', done, total, bytes: 512 * done, current: 'go.owl', eta_ms: null,
  state: extra.state ?? 'running' as const, message: null, phase,
  ...(extra.request_id === undefined ? {} : { request_id: extra.request_id }),
});

function result(service: string, version: string, setLatest = false): IngestResult {
  return {
    service, version, status: 'ingested', files: 12, bytes: 2000, bytes_deduplicated: 0, artifacts: 0, skipped: 0, empty_folders: 0,
    set_latest: setLatest, duration_ms: 5, validation: fakeHealth(12, 1),
  };
}

describe('Ingest page', () => {
  it('picks an existing service by type-ahead, leaves "set as latest" off, shows each phase, and links the toast to the delta', async () => {
    const user = userEvent.setup();
    let finish!: () => void;
    const added = { ...fakeVersions[0]!, version: '2024-04-01', version_id: 'go/2024-04-01', is_latest: false };
    let ingested = false;
    const { bridge } = renderApp('/ingest', {
      'ingest:run': (input) => new Promise((resolve) => { finish = () => { ingested = true; resolve(result(input.service, input.version)); }; }),
      // Release order, newest first; the new version is placed before 2024-03-01.
      'versions:list': (input) => {
        const items = [...(ingested ? [added] : []), ...fakeVersions].filter((v) => !input.service || v.service === input.service);
        return { items, total: items.length, offset: 0, limit: 1000 };
      },
      // The catalog's answer for the new version: the one released just before it.
      'versions:previous': (input) => ({ previous: ingested && input.ref === 'go/2024-04-01' ? 'go/2024-03-01' : null }),
    });
    const form = await screen.findByRole('form', { name: 'Ingest a folder' });
    // The web host has no picker: the path is typed, and the page says why.
    expect(within(form).queryByRole('button', { name: 'Choose folder…' })).toBeNull();
    expect(within(form).getByText(/there is no folder picker/)).toBeTruthy();
    await user.type(within(form).getByLabelText('Folder, archive or URL'), '/downloads/go');
    const combo = within(form).getByRole('combobox', { name: 'Service' });
    await user.type(combo, 'g');
    const list = within(form).getByRole('listbox', { name: 'Service suggestions' });
    expect(within(list).getAllByRole('option').map((o) => o.textContent)).toEqual(['go3 versions · latest 2024-03-01', 'New service “g”create']);
    // Type-ahead: the first match is active, Enter takes it (and does not submit).
    expect(combo.getAttribute('aria-activedescendant')).toBe(within(list).getAllByRole('option')[0]!.id);
    await user.keyboard('{Enter}');
    expect((combo as HTMLInputElement).value).toBe('go');
    expect(bridge.inputsOf('ingest:run')).toEqual([]);
    expect(within(form).getByText('Existing service: 3 versions, latest 2024-03-01.')).toBeTruthy();
    const latest = within(form).getByRole('checkbox', { name: 'Set as latest' }) as HTMLInputElement;
    expect(latest.checked).toBe(false);
    await user.clear(within(form).getByLabelText('Version'));
    await user.type(within(form).getByLabelText('Version'), '2024-04-01');
    await user.click(within(form).getByRole('button', { name: 'Ingest' }));
    // An existing service needs no confirmation.
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(bridge.inputsOf('ingest:run')).toEqual([{ source: '/downloads/go', service: 'go', version: '2024-04-01', set_latest: false }]));

    const group = await screen.findByRole('group', { name: 'Ingest progress' });
    act(() => bridge.emit('job:progress', progress('check', 0, null)));
    act(() => bridge.emit('job:progress', progress('copy', 9, 12)));
    // Another ingest job (the CLI through this host) does not hijack the display.
    act(() => bridge.emit('job:progress', progress('validate', 99, 100, { job_id: 'job-00000000-0000-4000-8000-000000000043' })));
    let current = within(group).getByRole('listitem', { current: 'step' });
    expect(current.textContent).toMatch(/^▸Copying and hashing files9 of 12 files/);
    // The next phase counts from 0 again under its own name and bar; the copy stays done.
    act(() => bridge.emit('job:progress', progress('record', 0, 12)));
    act(() => bridge.emit('job:progress', progress('validate', 2, 12)));
    current = within(group).getByRole('listitem', { current: 'step' });
    expect(within(current).getByRole('progressbar', { name: 'Validating' }).getAttribute('value')).toBe('2');
    expect(within(group).getAllByRole('listitem').map((li) => li.textContent?.slice(0, 2))).toEqual(['✓C', '✓C', '✓R', '▸V']);
    await user.click(within(group).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(bridge.inputsOf('jobs:cancel')).toEqual([{ job_id: JOB }]));

    act(() => finish());
    const toast = await screen.findByText(/^Ingested go\/2024-04-01: 12 files, 2 KB; 11 of 12 checked files parse/);
    const link = within(toast.parentElement!).getByRole('link', { name: 'Open delta from go/2024-03-01' });
    expect(link.getAttribute('href')).toBe('/delta?from=go%2F2024-03-01&to=go%2F2024-04-01');
    const outcome = screen.getByRole('status', { name: 'Ingest result' });
    expect(within(outcome).getByRole('link', { name: 'Open delta from go/2024-03-01' })).toBeTruthy();
  });

  it('shows the phases of the ingest its own call started when another client starts one at the same moment', async () => {
    // Another client's ingest heard first after the click was taken for this one: its
    // phases were shown and Cancel stopped it. Each job names the request of its call.
    const user = userEvent.setup();
    let finish!: () => void;
    const { bridge } = renderApp('/ingest', {
      'ingest:run': (input) => new Promise((resolve) => { finish = () => { resolve(result(input.service, input.version)); }; }),
    });
    const form = await screen.findByRole('form', { name: 'Ingest a folder' });
    await user.type(within(form).getByLabelText('Folder, archive or URL'), '/downloads/go');
    await user.type(within(form).getByRole('combobox', { name: 'Service' }), 'go');
    await user.keyboard('{Escape}');
    await user.clear(within(form).getByLabelText('Version'));
    await user.type(within(form).getByLabelText('Version'), '2024-04-01');
    await user.click(within(form).getByRole('button', { name: 'Ingest' }));
    await waitFor(() => expect(bridge.inputsOf('ingest:run')).toHaveLength(1));
    const group = await screen.findByRole('group', { name: 'Ingest progress' });
    const [sent] = bridge.requestIdsOf('ingest:run');
    const other = 'job-00000000-0000-4000-8000-000000000043';
    act(() => bridge.emit('job:progress', progress('validate', 99, 100, { job_id: other, request_id: 'cli-request-0001' })));
    act(() => bridge.emit('job:progress', progress('copy', 9, 12, { request_id: sent ?? 'page-request' })));
    act(() => bridge.emit('job:progress', progress('record', 50, 100, { job_id: other, request_id: null })));
    const current = within(group).getByRole('listitem', { current: 'step' });
    expect(current.textContent).toMatch(/^▸Copying and hashing files9 of 12 files/);
    expect(within(group).getAllByRole('listitem')).toHaveLength(1);
    await user.click(within(group).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(bridge.inputsOf('jobs:cancel')).toEqual([{ job_id: JOB }]));
    expect(typeof sent).toBe('string');
    act(() => finish());
  });

  it('asks before creating a new service, and links the first version itself', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/ingest', { 'ingest:run': (input) => result(input.service, input.version, true) });
    const form = await screen.findByRole('form', { name: 'Ingest a folder' });
    await user.type(within(form).getByLabelText('Folder, archive or URL'), '/downloads/uberon');
    const combo = within(form).getByRole('combobox', { name: 'Service' });
    await user.type(combo, 'uberon');
    expect(within(form).getByText('New service: you will be asked to confirm before it is created.')).toBeTruthy();
    await user.click(within(form).getByRole('checkbox', { name: 'Set as latest' }));
    const submit = within(form).getByRole('button', { name: 'Ingest' });
    await user.click(submit);
    const dialog = await screen.findByRole('dialog', { name: 'Create new service uberon?' });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    // Escape cancels, nothing runs, and focus is back on the button that opened it.
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(submit));
    expect(bridge.inputsOf('ingest:run')).toEqual([]);
    await user.click(submit);
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Create and ingest' }));
    await waitFor(() => expect(bridge.inputsOf('ingest:run')).toEqual([{ source: '/downloads/uberon', service: 'uberon', version: expect.any(String), set_latest: true }]));
    const outcome = await screen.findByRole('status', { name: 'Ingest result' });
    expect(within(outcome).getByRole('link', { name: /^Open uberon\// }).getAttribute('href')).toMatch(/^\/versions\/uberon\//);
    expect(outcome.textContent).toContain('(the first version of uberon)');
  });

  it('checks names as typed with the contract rule, and says when an ingest was cancelled', async () => {
    const user = userEvent.setup();
    renderApp('/ingest', { 'ingest:run': () => { throw new OntocatError('CANCELLED', 'The ingest job was cancelled.'); } });
    const form = await screen.findByRole('form', { name: 'Ingest a folder' });
    await user.type(within(form).getByLabelText('Folder, archive or URL'), '/downloads/go');
    const combo = within(form).getByRole('combobox', { name: 'Service' });
    await user.type(combo, 'catalog.duckdb.wal');
    expect(within(form).getByText(/reserved for the storage root's own files/)).toBeTruthy();
    expect(combo.getAttribute('aria-invalid')).toBe('true');
    expect(within(form).getByRole('button', { name: 'Ingest' })).toHaveProperty('disabled', true);
    await user.clear(combo);
    await user.type(combo, 'go{Escape}');
    await user.clear(within(form).getByLabelText('Version'));
    await user.type(within(form).getByLabelText('Version'), '2024-03-01');
    expect(within(form).getByText(/go\/2024-03-01 is already in the catalog/)).toBeTruthy();
    await user.click(within(form).getByRole('button', { name: 'Ingest' }));
    expect(await screen.findByText('Ingest cancelled; nothing was added.')).toBeTruthy();
  });

  it('uses the native picker where the bridge has one (Electron)', async () => {
    const user = userEvent.setup();
    const asked: string[] = [];
    const { bridge } = renderApp('/ingest');
    Object.assign(bridge, { pickSource: async (kind: string) => { asked.push(kind); return kind === 'folder' ? '/home/me/go-2024' : null; } });
    cleanup();
    renderApp('/ingest', {}, bridge);
    const form = await screen.findByRole('form', { name: 'Ingest a folder' });
    await user.click(within(form).getByRole('button', { name: 'Choose archive…' }));
    await user.click(within(form).getByRole('button', { name: 'Choose folder…' }));
    await waitFor(() => expect((within(form).getByLabelText('Folder, archive or URL') as HTMLInputElement).value).toBe('/home/me/go-2024'));
    expect(asked).toEqual(['archive', 'folder']);
    expect(within(form).queryByText(/there is no folder picker/)).toBeNull();
  });

  it('keeps a phase per name: a final push only changes the state', () => {
    let job = addPhaseEvent(null, { ...progress('copy', 0, null), phase: null });
    expect(job.phases).toEqual([]);
    job = addPhaseEvent(job, progress('copy', 5, 10));
    job = addPhaseEvent(job, progress('copy', 10, 10));
    job = addPhaseEvent(job, { ...progress('validate', 3, 10), phase: 'validate' });
    job = addPhaseEvent(job, { ...progress('validate', 10, 10), state: 'done', phase: null });
    expect(job.phases.map((p) => [p.phase, p.done])).toEqual([['copy', 10], ['validate', 10]]);
    expect(job.state).toBe('done');
  });
  it('keeps the highlighted service when the catalog changes under the open list, so Enter picks the one shown', async () => {
    // "go" highlighted after typing "g"; a source run then brought in a service "gene", listed
    // before it: the highlight stayed on the first row, now "gene", and Enter picked that one.
    const user = userEvent.setup();
    let gene = false;
    const { bridge } = renderApp('/ingest', {
      'services:list': () => [
        ...(gene ? [{ service: 'gene', versions: 1, latest: 'v1', newest: 'v1', bytes: 10 }] : []),
        { service: 'go', versions: 3, latest: '2024-03-01', newest: '2024-03-01', bytes: 12_000_000 },
        { service: 'hp', versions: 1, latest: 'v1', newest: 'v1', bytes: 2048 },
      ],
    });
    const form = await screen.findByRole('form', { name: 'Ingest a folder' });
    const combo = within(form).getByRole('combobox', { name: 'Service' });
    await user.type(combo, 'g');
    const list = within(form).getByRole('listbox', { name: 'Service suggestions' });
    expect(document.getElementById(combo.getAttribute('aria-activedescendant')!)?.textContent).toContain('go3 versions');
    gene = true;
    act(() => bridge.emit('catalog:changed', { channel: 'sources:sync', at: new Date().toISOString() }));
    await waitFor(() => expect(within(list).getAllByRole('option')[0]!.textContent).toContain('gene'));
    expect(document.getElementById(combo.getAttribute('aria-activedescendant')!)?.textContent).toContain('go3 versions');
    await user.keyboard('{Enter}');
    expect((combo as HTMLInputElement).value).toBe('go');
  });
});
