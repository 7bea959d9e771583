// @vitest-environment jsdom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApplyResult, BackupInfo, DoctorPlan, PrunePlan, TrashEntry } from '../../../electron/shared/contract/housekeeping.js';
import { OntocatError } from '../../../electron/shared/errors.js';
import { explainKeep, RELEASE_ORDER_TEXT } from '../../../electron/shared/release-order.js';
import { fakeJob, fakeUuid } from '../../helpers/fake-bridge.js';
import { renderApp } from '../../helpers/render-app.js';

const JOB_ID = 'job-00000000-0000-4000-8000-000000000007';
const DOCTOR_PLAN_ID = 'doctor-20240301T100000Z-1a2b3c4d5e6f';
const PRUNE_PLAN_ID = 'prune-20240301T100000Z-1a2b3c4d5e6f';
const OLD_PLAN_ID = 'prune-20240302T000000Z-abcdef012345';

afterEach(cleanup);

const finding = (kind: DoctorPlan['findings'][number]['kind'], path: string, bytes: number, fix: DoctorPlan['findings'][number]['fix']) => ({
  kind, path, bytes, fix, detail: `${kind} at ${path}`, source: null, file_id: null,
});

const doctorPlan: DoctorPlan = {
  plan_id: DOCTOR_PLAN_ID, content_hash: 'a'.repeat(64), created_at: '2024-03-01T10:00:00.000Z', deep: true, scanned_files: 12, hashed_files: 12,
  findings: [
    finding('orphan', 'go/2024-03-01/data/stray.txt', 2000, 'trash'),
    finding('orphan', 'go/2024-03-01/data/stray2.txt', 1000, 'trash'),
    finding('latest_mismatch', 'go/LATEST.json', 0, 'rewrite_latest'),
  ],
  damaged_versions: [],
};

const applied = (planId: string, extra: Partial<ApplyResult> = {}): ApplyResult => ({
  plan_id: planId, applied_at: '2024-03-01T10:01:00.000Z', actions: { trash: 2, rewrite_latest: 1 }, files_moved: 2, bytes: 3000,
  trash: `.trash/${planId}`, ...extra,
});

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

describe('Doctor page', () => {
  it('scans with progress and cancel, groups findings, previews each fix and applies only after confirming', async () => {
    const user = userEvent.setup();
    const scan = deferred<DoctorPlan>();
    const { bridge } = renderApp('/doctor', {
      'doctor:plan': () => scan.promise,
      'doctor:apply': (input) => applied(input.plan_id),
      'jobs:cancel': (input) => fakeJob(input.job_id, 'doctor-scan', 'cancelled'),
    });
    await user.click(await screen.findByRole('checkbox', { name: /Deep scan/ }));
    await user.click(screen.getByRole('button', { name: 'Scan' }));
    expect(bridge.inputsOf('doctor:plan')).toEqual([{ deep: true }]);
    const group = await screen.findByRole('group', { name: 'Scan progress' });
    // Another job's events are ignored; the scan's own job id is what Cancel sends.
    act(() => bridge.emit('job:progress', { job_id: 'job-other', kind: 'ingest', done: 1, total: 2, bytes: 0, current: null, eta_ms: null, state: 'running', message: null }));
    act(() => bridge.emit('job:progress', { job_id: JOB_ID, kind: 'doctor-scan', done: 40, total: 100, bytes: 4096, current: 'go/2024-03-01', eta_ms: null, state: 'running', message: null }));
    expect(within(group).getByText(/40 of 100/)).toBeTruthy();
    await user.click(within(group).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(bridge.inputsOf('jobs:cancel')).toEqual([{ job_id: JOB_ID }]));

    await act(async () => scan.resolve(doctorPlan));
    const summary = await screen.findByText('Stray files', { selector: 'summary' });
    expect(summary.textContent).toContain('2 · 3 KB');
    const orphans = screen.getByRole('table', { name: 'Stray files findings' });
    expect(orphans.textContent).toContain('go/2024-03-01/data/stray.txt');
    expect(orphans.textContent).toContain('2 KB');
    expect(screen.getByRole('table', { name: 'Latest pointer files out of date findings' }).textContent).toContain('rewrite it from the catalog');

    await user.click(screen.getByRole('button', { name: 'Apply 3 fixes…' }));
    const dialog = screen.getByRole('dialog', { name: 'Apply doctor repairs?' });
    expect(dialog.textContent).toContain(DOCTOR_PLAN_ID);
    expect(bridge.inputsOf('doctor:apply')).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(bridge.inputsOf('doctor:apply')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Apply 3 fixes…' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Apply repairs' }));
    await waitFor(() => expect(bridge.inputsOf('doctor:apply')).toEqual([{ plan_id: DOCTOR_PLAN_ID }]));
    const done = (await screen.findByText('Repairs applied')).parentElement!;
    expect(done.textContent).toContain('items moved to the trash: 2; LATEST.json files rewritten: 1');
    expect(done.textContent).toContain(`Moved 2 files (3 KB) to .trash/${DOCTOR_PLAN_ID}`);
  });

  it('follows its own scan, not one another client had running before Scan was pressed, and cancels only its own', async () => {
    // A scan started from the CLI beside the app was the first doctor-scan job heard after the
    // click: the bar showed its progress and Cancel stopped the other client's scan.
    const user = userEvent.setup();
    const scan = deferred<DoctorPlan>();
    const { bridge } = renderApp('/doctor', {
      'doctor:plan': () => scan.promise,
      'jobs:cancel': (input) => fakeJob(input.job_id, 'doctor-scan', 'cancelled'),
    });
    const theirs = (done: number) => ({ job_id: 'job-cli', kind: 'doctor-scan', done, total: 100, bytes: 0, current: 'hp/v1', eta_ms: null, state: 'running' as const, message: null });
    const button = await screen.findByRole('button', { name: 'Scan' });
    act(() => bridge.emit('job:progress', theirs(10)));
    await user.click(button);
    const group = await screen.findByRole('group', { name: 'Scan progress' });
    act(() => bridge.emit('job:progress', theirs(90)));
    expect(within(group).queryByText(/90 of 100/)).toBeNull();
    act(() => bridge.emit('job:progress', { job_id: JOB_ID, kind: 'doctor-scan', done: 5, total: 100, bytes: 0, current: 'go/2024-03-01', eta_ms: null, state: 'running', message: null }));
    expect(within(group).getByText(/5 of 100/)).toBeTruthy();
    await user.click(within(group).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(bridge.inputsOf('jobs:cancel')).toEqual([{ job_id: JOB_ID }]));
    await act(async () => scan.resolve(doctorPlan));
  });

  it('follows the scan its own call started when another client starts one at the same moment, and cancels only its own', async () => {
    // A scan another client (the CLI, another tab, a colleague on the team server) started
    // right after the click was the first doctor-scan job heard: the bar showed its progress
    // and its finish, and Cancel stopped that client's scan. The owner marks each job with
    // the request id of the call that started it; the page follows the id it sent.
    const user = userEvent.setup();
    const scan = deferred<DoctorPlan>();
    const { bridge } = renderApp('/doctor', {
      'doctor:plan': () => scan.promise,
      'jobs:cancel': (input) => fakeJob(input.job_id, 'doctor-scan', 'cancelled'),
    });
    await user.click(await screen.findByRole('button', { name: 'Scan' }));
    const group = await screen.findByRole('group', { name: 'Scan progress' });
    const [sent] = bridge.requestIdsOf('doctor:plan');
    const event = (job_id: string, request_id: string | null, done: number, state: 'running' | 'done' = 'running') => ({
      job_id, kind: 'doctor-scan', done, total: 100, bytes: 0, current: job_id === JOB_ID ? 'go/2024-03-01' : 'hp/v1', eta_ms: null, state, message: null, request_id,
    });
    act(() => bridge.emit('job:progress', event('job-cli', 'cli-request-0001', 90)));
    act(() => bridge.emit('job:progress', event('job-curl', null, 95)));
    act(() => bridge.emit('job:progress', event(JOB_ID, sent ?? 'page-request', 5)));
    act(() => bridge.emit('job:progress', event('job-cli', 'cli-request-0001', 100, 'done')));
    expect(within(group).getByText(/5 of 100/)).toBeTruthy();
    expect(within(group).queryByText(/(90|95|100) of 100/)).toBeNull();
    await user.click(within(group).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(bridge.inputsOf('jobs:cancel')).toEqual([{ job_id: JOB_ID }]));
    expect(typeof sent).toBe('string');
    await act(async () => scan.resolve(doctorPlan));
  });

  it('says when all is well', async () => {
    const user = userEvent.setup();
    renderApp('/doctor', { 'doctor:plan': () => ({ ...doctorPlan, findings: [] }) });
    await user.click(await screen.findByRole('button', { name: 'Scan' }));
    expect((await screen.findByText('No problems found')).parentElement?.textContent).toContain('12 files checked');
    expect(screen.queryByRole('button', { name: /Apply/ })).toBeNull();
  });

  it('keeps a huge group short: collapsed, the first rows listed and the rest counted', async () => {
    const user = userEvent.setup();
    const drift = Array.from({ length: 250 }, (_, i) => finding('mtime_drift', `go/2024-03-01/data/f${String(i).padStart(3, '0')}.obo`, 10, 'update_row'));
    renderApp('/doctor', { 'doctor:plan': () => ({ ...doctorPlan, findings: [...doctorPlan.findings, ...drift] }) });
    await user.click(await screen.findByRole('button', { name: 'Scan' }));
    const table = await screen.findByRole('table', { name: 'Timestamps changed, content intact findings', hidden: true });
    expect(table.closest('details')?.open).toBe(false);
    expect(screen.getByRole('table', { name: 'Stray files findings' }).closest('details')?.open).toBe(true);
    expect(within(table).getAllByRole('row', { hidden: true })).toHaveLength(201);
    expect(table.parentElement?.textContent).toContain('…and 50 more');
    expect(screen.getByRole('button', { name: 'Apply 253 fixes…' })).toBeTruthy();
  });

  it('reports a cancelled scan, and explains a stale plan with a rescan', async () => {
    const user = userEvent.setup();
    let scans = 0;
    const { bridge } = renderApp('/doctor', {
      'doctor:plan': () => {
        scans += 1;
        if (scans === 1) throw new OntocatError('CANCELLED', 'Scan cancelled.');
        return doctorPlan;
      },
      'doctor:apply': () => { throw new OntocatError('STALE_PLAN', `Plan ${DOCTOR_PLAN_ID} is stale: go/2024-03-01/data/stray.txt is gone; make a new plan. Nothing was changed.`); },
    });
    await user.click(await screen.findByRole('button', { name: 'Scan' }));
    expect(await screen.findByText('Scan cancelled.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Scan' }));
    await user.click(await screen.findByRole('button', { name: 'Apply 3 fixes…' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Apply repairs' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('This plan is out of date');
    // The server's sentence: which item no longer holds.
    expect(alert.textContent).toContain('go/2024-03-01/data/stray.txt is gone; make a new plan. Nothing was changed.');
    await user.click(within(alert).getByRole('button', { name: 'Scan again' }));
    await waitFor(() => expect(bridge.inputsOf('doctor:plan')).toHaveLength(3));
    await waitFor(() => expect(screen.queryByText('This plan is out of date')).toBeNull());
  });

  it('says when the catalog changed since the scan, and asks for a new scan before Apply', () => expectChangedSinceNotice({
    path: '/doctor', what: 'scan', plan: 'Scan', open: 'Apply 3 fixes…', dialog: 'Apply doctor repairs?', confirm: 'Apply repairs', redo: 'Scan again',
    planOnly: ['prune:plan', 'sources:save', 'users:set-role'], write: 'ingest:run', planChannel: 'doctor:plan', applyChannel: 'doctor:apply',
    handlers: { 'doctor:plan': () => doctorPlan, 'doctor:apply': (input) => applied(input.plan_id) },
  }));
});

const version = (name: string, n: number) => ({
  service: 'go', version: name, version_id: fakeUuid(1000 + n), created_at: `2024-0${n}-01T10:00:00.000Z`, files: 4, bytes: 3_000_000,
  release_date: `2024-0${n}-01T00:00:00.000Z`, release_date_source: 'http-last-modified' as const,
});
const keptBecause = (name: string, n: number, reasons: ('latest' | 'within_last_n')[]) => {
  const v = version(name, n);
  return { ...v, reasons, why: reasons.map((reason) => explainKeep(reason, v, { keep_last: 2, newer_than_days: null })) };
};

const prunePlan = (overrides: Partial<PrunePlan> = {}): PrunePlan => ({
  plan_id: PRUNE_PLAN_ID, content_hash: 'b'.repeat(64), created_at: '2024-03-01T10:00:00.000Z',
  policy: { keep_last: 2, newer_than_days: null, service: 'go', orphans_only: false, allow_large: false },
  removals: [version('2024-01-01', 1)],
  files: [
    { path: 'go/2024-01-01/data/go.owl', bytes: 2_900_000, action: 'trash', what: 'data' },
    { path: 'go/2024-01-01/data/README.txt', bytes: 100_000, action: 'trash', what: 'data' },
  ],
  kept: [keptBecause('2024-03-01', 3, ['latest', 'within_last_n']), keptBecause('2024-02-01', 2, ['within_last_n'])],
  order: RELEASE_ORDER_TEXT, bytes: 3_000_000, reclaimed_bytes: 2_900_000, catalog_bytes: 9_000_000, large: false, ...overrides,
});

/** The policy a plan records for the input it was made from, as planPrune stores it. */
const asPlanned = (input: { keep_last?: number; newer_than_days?: number; service?: string; orphans_only?: boolean; allow_large?: boolean; rejected?: boolean }): PrunePlan['policy'] => ({
  keep_last: input.keep_last ?? null, newer_than_days: input.newer_than_days ?? null, service: input.service ?? null,
  orphans_only: input.orphans_only ?? false, allow_large: input.allow_large ?? false, ...(input.rejected ? { rejected: true } : {}),
});

const trashEntry: TrashEntry = {
  plan_id: OLD_PLAN_ID, kind: 'prune', created_at: '2024-03-02T00:00:00Z', status: 'trashed', files: 9, bytes: 1000, disk_bytes: 800, freed_bytes: 512, rows: { versions: 1, files: 9 }, versions: ['go/2024-01-01'],
};

describe('Prune page', () => {
  it('previews a policy with the files and bytes it removes, says why versions are kept, and applies only after confirming', async () => {
    const user = userEvent.setup();
    let trash: TrashEntry[] = [];
    const { bridge } = renderApp('/prune', {
      'prune:plan': () => prunePlan(),
      'prune:apply': (input) => {
        trash = [{ ...trashEntry, plan_id: input.plan_id }];
        return applied(input.plan_id, { actions: { versions: 1, files: 2 }, bytes: 3_000_000 });
      },
      'trash:list': () => trash,
    });
    const keep = await screen.findByLabelText('Keep the last N versions');
    await user.clear(keep);
    await user.type(keep, '2');
    await user.selectOptions(screen.getByLabelText('Service'), 'go');
    await user.click(screen.getByRole('button', { name: 'Preview' }));
    expect(bridge.inputsOf('prune:plan')).toEqual([{ keep_last: 2, service: 'go' }]);
    expect((await screen.findByRole('table', { name: 'Versions to remove' })).textContent).toContain('go/2024-01-01');
    const files = screen.getByRole('table', { name: 'Files to remove' });
    expect(files.textContent).toContain('go/2024-01-01/data/go.owl');
    expect(files.textContent).toContain('2.9 MB');
    expect(screen.getByRole('table', { name: 'Versions kept' }).textContent)
      .toContain('the latest of its service; within the last 2 by release date (2024-03-01, from HTTP Last-Modified)');
    expect(screen.getByText(/Newest first by release date/)).toBeTruthy();
    expect(screen.getByRole('table', { name: 'Versions to remove' }).textContent).toContain('2024-01-01, from HTTP Last-Modified');
    expect(screen.getByRole('group', { name: 'Freed when the trash is emptied' }).textContent).toContain('2.9 MB');
    expect(screen.getByRole('note').textContent).toContain('disk space is freed only when the trash is emptied');
    expect(screen.queryByText('Large deletion')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Prune 2 files…' }));
    expect(bridge.inputsOf('prune:apply')).toEqual([]);
    await user.click(within(screen.getByRole('dialog', { name: 'Prune these versions?' })).getByRole('button', { name: 'Move to trash' }));
    await waitFor(() => expect(bridge.inputsOf('prune:apply')).toEqual([{ plan_id: PRUNE_PLAN_ID }]));
    expect(await screen.findByText('Moved 2 files to the trash.')).toBeTruthy();
    expect((await screen.findByRole('link', { name: 'Open the Trash' })).getAttribute('href')).toContain('/trash');
  });

  it('warns about a large deletion and blocks it until allowed and previewed again', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/prune', {
      'prune:plan': (input) => prunePlan({ large: true, policy: asPlanned(input) }),
      'prune:apply': (input) => applied(input.plan_id),
    });
    await user.click(await screen.findByRole('button', { name: 'Preview' }));
    expect((await screen.findByRole('alert')).textContent).toContain('more than half of the catalog');
    expect(screen.getByRole('button', { name: 'Prune 2 files…' })).toHaveProperty('disabled', true);
    await user.click(screen.getByRole('checkbox', { name: 'Allow a large deletion' }));
    await user.click(screen.getByRole('button', { name: 'Preview' }));
    await waitFor(() => expect(bridge.inputsOf('prune:plan').at(-1)).toMatchObject({ allow_large: true }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Prune 2 files…' })).toHaveProperty('disabled', false));
    expect(screen.getByRole('alert').textContent).toContain('You allowed a large deletion.');
  });

  it('explains a stale plan and previews again', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/prune', {
      'prune:plan': (input) => prunePlan({ policy: asPlanned(input) }),
      'prune:apply': () => { throw new OntocatError('STALE_PLAN', 'The catalog changed since the plan.'); },
    });
    await user.click(await screen.findByRole('button', { name: 'Preview' }));
    await user.click(await screen.findByRole('button', { name: 'Prune 2 files…' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Move to trash' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('This plan is out of date');
    await user.click(within(alert).getByRole('button', { name: 'Preview again' }));
    await waitFor(() => expect(bridge.inputsOf('prune:plan')).toHaveLength(2));
  });

  it('says when the catalog changed since the preview, and asks for a new preview before Prune', () => expectChangedSinceNotice({
    path: '/prune', what: 'preview', plan: 'Preview', open: 'Prune 2 files…', dialog: 'Prune these versions?', confirm: 'Move to trash', redo: 'Preview again',
    planOnly: ['doctor:plan', 'sources:import', 'sources:set-enabled'], write: 'versions:pin', planChannel: 'prune:plan', applyChannel: 'prune:apply',
    handlers: { 'prune:plan': (input) => prunePlan({ policy: asPlanned(input) }), 'prune:apply': (input) => applied(input.plan_id) },
  }));

  it('does not prune by a preview made with another policy than the one shown', async () => {
    // Previewed for every service, then Service set to go: Prune still applied the plan of all
    // services (hp's versions too), under a form that named go.
    const user = userEvent.setup();
    const { bridge } = renderApp('/prune', {
      'prune:plan': (input) => prunePlan({ policy: asPlanned(input) }),
      'prune:apply': (input) => applied(input.plan_id),
    });
    await user.click(await screen.findByRole('button', { name: 'Preview' }));
    const prune = await screen.findByRole('button', { name: 'Prune 2 files…' });
    expect(prune).toHaveProperty('disabled', false);
    await user.selectOptions(screen.getByLabelText('Service'), 'go');
    expect(screen.getByRole('status', { name: 'Policy changed' }).textContent).toContain('changed since this preview');
    expect(screen.getByRole('button', { name: 'Prune 2 files…' })).toHaveProperty('disabled', true);
    await user.click(within(screen.getByRole('status', { name: 'Policy changed' })).getByRole('button', { name: 'Preview again' }));
    await waitFor(() => expect(bridge.inputsOf('prune:plan').at(-1)).toEqual({ keep_last: 3, service: 'go' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Prune 2 files…' })).toHaveProperty('disabled', false));
    expect(screen.queryByRole('status', { name: 'Policy changed' })).toBeNull();
    expect(bridge.inputsOf('prune:apply')).toEqual([]);
  });

  it('lists the trash, restores a plan, and empties the trash only after confirming', async () => {
    const user = userEvent.setup();
    let trash: TrashEntry[] = [trashEntry];
    const { bridge } = renderApp('/trash', {
      'trash:list': () => trash,
      'trash:restore': (input) => { trash = []; return { plan_id: input.plan_id, files: 9, bytes: 1000, already_stored: 0, rows: { versions: 1, files: 9 } }; },
      'trash:empty': () => { trash = []; return { removed: [OLD_PLAN_ID], bytes: 1000, freed_bytes: 512 }; },
    });
    const table = await screen.findByRole('table', { name: 'Trash' });
    expect(table.textContent).toContain('versions: 1, files: 9');
    expect(table.textContent).toContain('go/2024-01-01');
    expect(screen.getByLabelText('Trash totals').textContent).toContain('frees 512 B');
    await user.click(screen.getByRole('button', { name: 'Empty trash…' }));
    const dialog = screen.getByRole('dialog', { name: 'Empty the trash?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(bridge.inputsOf('trash:empty')).toEqual([]);

    await user.click(within(table).getByRole('button', { name: `Restore plan ${OLD_PLAN_ID}` }));
    expect(bridge.inputsOf('trash:restore')).toEqual([]);
    await user.click(within(screen.getByRole('dialog', { name: 'Restore this plan?' })).getByRole('button', { name: 'Restore' }));
    await waitFor(() => expect(bridge.inputsOf('trash:restore')).toEqual([{ plan_id: OLD_PLAN_ID }]));
    expect(await screen.findByText('Restored 9 files (1 KB) from the trash.')).toBeTruthy();
    expect(await screen.findByText('The trash is empty.')).toBeTruthy();

    trash = [trashEntry];
    cleanup();
    const again = renderApp('/trash', { 'trash:list': () => trash, 'trash:empty': () => { trash = []; return { removed: [OLD_PLAN_ID], bytes: 1000, freed_bytes: 512 }; } });
    await user.click(await screen.findByRole('button', { name: 'Empty trash…' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete for good' }));
    // The entries the dialog listed, by id: not whatever the trash holds when it is confirmed.
    await waitFor(() => expect(again.bridge.inputsOf('trash:empty')).toEqual([{ plan_ids: [OLD_PLAN_ID] }]));
    expect(await screen.findByText('The trash is empty.')).toBeTruthy();
  });
});

const backup = (timestamp: string, versions: number): BackupInfo => ({
  timestamp, path: `.backups/${timestamp}`, created_at: '2024-03-01T10:00:00.000Z', bytes: 4096, sha256: 'c'.repeat(64), schema_version: 3, versions, files: versions * 4,
  status: 'ok', problem: null,
});

describe('Backups on the Storage page', () => {
  it('creates a backup, restores one only after confirming, and compacts with the bytes reclaimed', async () => {
    const user = userEvent.setup();
    let backups = [backup('20240301T100000000Z', 3)];
    const { bridge } = renderApp('/storage', {
      'backup:list': () => backups,
      'backup:create': () => { const made = backup('20240302T100000000Z', 4); backups = [made, ...backups]; return made; },
      'backup:restore': (input) => ({
        timestamp: input.timestamp, safety_backup: '20240303T100000000Z', set_aside: null, before: { versions: 4, files: 16 }, after: { versions: 3, files: 12 },
        migrations_applied: 0, doctor: { plan_id: DOCTOR_PLAN_ID, findings: 2, kinds: { orphan: 2 } },
      }),
      'catalog:compact': () => ({ bytes_before: 3_000_000, bytes_after: 1_000_000, bytes_reclaimed: 2_000_000 }),
    });
    // The Storage page loads its chart chunk first; a busy machine needs more than the default second.
    const table = await screen.findByRole('table', { name: 'Backups' }, { timeout: 15_000 });
    await user.click(screen.getByRole('button', { name: 'Create backup' }));
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Backups' })).getAllByRole('row')).toHaveLength(3));
    expect(table.isConnected).toBe(true);

    await user.click(screen.getByRole('button', { name: 'Restore backup 20240301T100000000Z' }));
    const dialog = screen.getByRole('dialog', { name: 'Restore this backup?' });
    expect(dialog.textContent).toContain('The current catalog is backed up first');
    expect(bridge.inputsOf('backup:restore')).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Restore catalog' }));
    await waitFor(() => expect(bridge.inputsOf('backup:restore')).toEqual([{ timestamp: '20240301T100000000Z' }]));
    const restored = (await screen.findByText('Restored the catalog from 20240301T100000000Z')).parentElement!;
    expect(restored.textContent).toContain('Versions 4 → 3');
    expect(within(restored).getByRole('link', { name: 'Review them on the Doctor page' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Compact catalog' }));
    expect((await screen.findByText('Compacted the catalog')).parentElement?.textContent).toContain('3 MB → 1 MB: 2 MB reclaimed');
  });

  it('shows a backup that cannot be restored with its status instead of a restore button', async () => {
    const bad: BackupInfo = { ...backup('20240305T100000000Z', 0), status: 'unreadable_manifest', problem: 'The manifest of backup 20240305T100000000Z is malformed: its checksum list is empty.' };
    renderApp('/storage', { 'backup:list': () => [bad, backup('20240301T100000000Z', 3)] });
    const table = await screen.findByRole('table', { name: 'Backups' }, { timeout: 15_000 });
    const row = within(table).getByRole('row', { name: /20240305T100000000Z/ });
    expect(within(row).getByText('Unreadable manifest').getAttribute('title')).toMatch(/checksum list is empty/);
    expect(within(row).queryByRole('button')).toBeNull();
    expect(within(table).getByRole('button', { name: 'Restore backup 20240301T100000000Z' })).toBeTruthy();
  });

  it('says a backup whose copy was cut short cannot be restored, not that its manifest is unreadable', async () => {
    const cut: BackupInfo = {
      ...backup('20240306T100000000Z', 3), status: 'size_mismatch',
      problem: 'catalog.duckdb holds 4,096 bytes, not the 9,187,328 its manifest records (cut short or changed); this backup cannot be restored.',
    };
    renderApp('/storage', { 'backup:list': () => [cut] });
    const table = await screen.findByRole('table', { name: 'Backups' }, { timeout: 15_000 });
    const row = within(table).getByRole('row', { name: /20240306T100000000Z/ });
    expect(within(row).getByText('File cut short or changed').getAttribute('title')).toMatch(/holds 4,096 bytes/);
    expect(within(row).queryByRole('button')).toBeNull();
  });
});

/**
 * A housekeeping page (Doctor, Prune) with its plan shown: another client's plan-only write
 * says nothing; any other write, heard while the confirmation is open, disables it and says
 * so; after Cancel the page names the write and holds its apply button until a new plan.
 */
async function expectChangedSinceNotice(page: {
  path: string; what: 'scan' | 'preview'; plan: string; open: string; dialog: string; confirm: string; redo: string;
  planOnly: readonly ('doctor:plan' | 'prune:plan' | 'sources:save' | 'sources:import' | 'sources:set-enabled' | 'users:set-role')[]; write: 'ingest:run' | 'versions:pin'; planChannel: 'doctor:plan' | 'prune:plan'; applyChannel: 'doctor:apply' | 'prune:apply';
  handlers: Parameters<typeof renderApp>[1];
}): Promise<void> {
  const user = userEvent.setup();
  const { bridge } = renderApp(page.path, page.handlers);
  const noticeName = `Catalog changed since the ${page.what}`;
  await user.click(await screen.findByRole('button', { name: page.plan }));
  const open = await screen.findByRole('button', { name: page.open });
  // Another client's scan or preview only makes a plan, and a source's settings or an account
  // are nothing a plan is made of: nothing to say.
  for (const channel of page.planOnly) act(() => bridge.emit('catalog:changed', { channel, at: '2024-03-01T10:00:30.000Z', by: 'cli' }));
  expect(screen.queryByRole('alert', { name: noticeName })).toBeNull();
  await user.click(open);
  const dialog = screen.getByRole('dialog', { name: page.dialog });
  // Another client writes while the confirmation is open.
  act(() => bridge.emit('catalog:changed', { channel: page.write, at: '2024-03-01T10:01:00.000Z', by: 'cli' }));
  expect(within(dialog).getByRole('button', { name: page.confirm })).toHaveProperty('disabled', true);
  expect(within(dialog).getByRole('alert').textContent).toBe(`The catalog changed since this ${page.what}; cancel and ${page.what} again.`);
  await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
  const notice = screen.getByRole('alert', { name: noticeName });
  expect(notice.textContent).toContain(`A write was made since (${page.write} by cli), so this plan may no longer be`);
  expect(screen.getByRole('button', { name: page.open })).toHaveProperty('disabled', true);
  await user.click(within(notice).getByRole('button', { name: page.redo }));
  await waitFor(() => expect(bridge.inputsOf(page.planChannel)).toHaveLength(2));
  await waitFor(() => expect(screen.getByRole('button', { name: page.open })).toHaveProperty('disabled', false));
  expect(screen.queryByRole('alert', { name: noticeName })).toBeNull();
  expect(bridge.inputsOf(page.applyChannel)).toEqual([]);
}
