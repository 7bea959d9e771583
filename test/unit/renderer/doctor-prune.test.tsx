// @vitest-environment jsdom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { OntocatError } from '../../../electron/shared/errors.js';
import type { DoctorPlan, PrunePlan } from '../../../renderer/src/api/pending-channels.js';
import { fakeJob } from '../../helpers/fake-bridge.js';
import { renderApp } from '../../helpers/render-app.js';

const JOB_ID = 'job-00000000-0000-4000-8000-000000000007';

afterEach(cleanup);

const doctorPlan: DoctorPlan = {
  plan_id: 'plan-doc-1',
  findings: [
    { kind: 'orphan_file', path: 'go/2024-03-01/data/stray.txt', bytes: 2048, fix: 'move to trash' },
    { kind: 'orphan_file', path: 'go/2024-03-01/data/stray2.txt', bytes: 1024, fix: 'move to trash' },
    { kind: 'missing_file', path: 'hp/v1/data/hp.obo', bytes: 0, fix: 'drop the catalog row' },
  ],
};

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

describe('Doctor page', () => {
  it('is not available without doctor channels', async () => {
    renderApp('/doctor');
    expect(await screen.findByText('Doctor is not available in this build')).toBeTruthy();
  });

  it('scans with progress and cancel, groups findings, previews and applies only after confirming', async () => {
    const user = userEvent.setup();
    const scan = deferred<DoctorPlan>();
    const { bridge } = renderApp('/doctor', {
      'doctor:plan': () => scan.promise,
      'doctor:apply': (input) => ({ plan_id: input.plan_id, applied: 3, bytes: 3072 }),
      'jobs:cancel': (input) => fakeJob(input.job_id, 'doctor:scan', 'cancelled'),
    });
    await user.click(await screen.findByRole('checkbox', { name: /Deep scan/ }));
    await user.click(screen.getByRole('button', { name: 'Scan' }));
    expect(bridge.inputsOf('doctor:plan')).toEqual([{ deep: true }]);
    const group = await screen.findByRole('group', { name: 'Scan progress' });
    act(() => bridge.emit('job:progress', { job_id: JOB_ID, kind: 'doctor:scan', done: 40, total: 100, bytes: 4096, current: 'go/2024-03-01', eta_ms: null, state: 'running', message: null }));
    expect(within(group).getByText(/40 of 100/)).toBeTruthy();
    await user.click(within(group).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(bridge.inputsOf('jobs:cancel')).toEqual([{ job_id: JOB_ID }]));

    await act(async () => scan.resolve(doctorPlan));
    const details = await screen.findByText('orphan_file', { selector: 'summary' });
    expect(details.parentElement?.textContent).toContain('2 · 3 KB');
    expect(screen.getByRole('table', { name: 'missing_file findings' }).textContent).toContain('drop the catalog row');

    await user.click(screen.getByRole('button', { name: 'Apply 3 fixes…' }));
    const dialog = screen.getByRole('dialog', { name: 'Apply doctor repairs?' });
    expect(bridge.inputsOf('doctor:apply')).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(bridge.inputsOf('doctor:apply')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Apply 3 fixes…' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Apply repairs' }));
    await waitFor(() => expect(bridge.inputsOf('doctor:apply')).toEqual([{ plan_id: 'plan-doc-1' }]));
    expect((await screen.findByText('Repairs applied')).parentElement?.textContent).toContain('3 fixes, 3 KB');
  });

  it('reports a cancelled scan, and a stale plan refused at apply', async () => {
    const user = userEvent.setup();
    let scans = 0;
    renderApp('/doctor', {
      'doctor:plan': () => {
        scans += 1;
        if (scans === 1) throw new OntocatError('CANCELLED', 'Scan cancelled.');
        return doctorPlan;
      },
      'doctor:apply': () => { throw new OntocatError('STALE_PLAN', 'The disk changed since the scan.'); },
    });
    await user.click(await screen.findByRole('button', { name: 'Scan' }));
    expect(await screen.findByText('Scan cancelled.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Scan' }));
    await user.click(await screen.findByRole('button', { name: 'Apply 3 fixes…' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Apply repairs' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The disk changed since the scan.');
    expect(alert.textContent).toContain('STALE_PLAN');
  });
});

const prunePlan = (overrides: Partial<PrunePlan> = {}): PrunePlan => ({
  plan_id: 'plan-prune-1',
  versions_removed: [{ service: 'go', version: '2024-01-01', files: 4, bytes: 3_000_000 }],
  files_removed: 4, bytes: 3_000_000,
  kept: [{ service: 'go', version: '2024-03-01', reasons: ['latest', 'within keep_last=2'] }],
  needs_allow_large: false, ...overrides,
});

describe('Prune page', () => {
  it('previews a policy, says why versions are kept, and applies only after confirming', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/prune', {
      'prune:plan': () => prunePlan(),
      'prune:apply': (input) => ({ plan_id: input.plan_id }),
      'trash:list': () => [],
      'trash:restore': (input) => ({ plan_id: input.plan_id }),
    });
    const keep = await screen.findByLabelText('Keep the last N versions');
    await user.clear(keep);
    await user.type(keep, '2');
    await user.selectOptions(screen.getByLabelText('Service'), 'go');
    await user.click(screen.getByRole('button', { name: 'Preview' }));
    expect(bridge.inputsOf('prune:plan')).toEqual([{ keep_last: 2, newer_than_days: undefined, service: 'go', orphans_only: undefined, allow_large: undefined }]);
    expect((await screen.findByRole('table', { name: 'Versions to remove' })).textContent).toContain('go/2024-01-01');
    expect(screen.getByRole('table', { name: 'Versions kept' }).textContent).toContain('latest; within keep_last=2');
    expect(screen.getByRole('group', { name: 'Space freed' }).textContent).toContain('2.86 MB');

    await user.click(screen.getByRole('button', { name: 'Prune 4 files…' }));
    expect(bridge.inputsOf('prune:apply')).toEqual([]);
    await user.click(within(screen.getByRole('dialog', { name: 'Prune these versions?' })).getByRole('button', { name: 'Move to trash' }));
    await waitFor(() => expect(bridge.inputsOf('prune:apply')).toEqual([{ plan_id: 'plan-prune-1' }]));
    expect(await screen.findByText('Moved 4 files (2.86 MB) to the trash.')).toBeTruthy();
  });

  it('blocks a large deletion until it is allowed and previewed again', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/prune', {
      'prune:plan': (input) => prunePlan({ needs_allow_large: !input.allow_large }),
      'prune:apply': (input) => ({ plan_id: input.plan_id }),
      'trash:list': () => [],
    });
    await user.click(await screen.findByRole('button', { name: 'Preview' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Large deletion');
    expect(screen.getByRole('button', { name: 'Prune 4 files…' })).toHaveProperty('disabled', true);
    await user.click(screen.getByRole('checkbox', { name: 'Allow a large deletion' }));
    await user.click(screen.getByRole('button', { name: 'Preview' }));
    await waitFor(() => expect(bridge.inputsOf('prune:plan').at(-1)).toMatchObject({ allow_large: true }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Prune 4 files…' })).toHaveProperty('disabled', false));
  });

  it('lists the trash and restores a plan', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/prune', {
      'prune:plan': () => prunePlan(),
      'prune:apply': (input) => ({ plan_id: input.plan_id }),
      'trash:list': () => [{ plan_id: 'plan-old', created_at: '2024-03-02T00:00:00Z', versions: [{ service: 'go', version: '2023-12-01' }], files: 9, bytes: 1024 }],
      'trash:restore': (input) => ({ plan_id: input.plan_id }),
    });
    const trash = await screen.findByRole('table', { name: 'Trash' });
    expect(trash.textContent).toContain('go/2023-12-01');
    await user.click(within(trash).getByRole('button', { name: 'Restore plan plan-old' }));
    await waitFor(() => expect(bridge.inputsOf('trash:restore')).toEqual([{ plan_id: 'plan-old' }]));
    expect(await screen.findByText('Restored from the trash.')).toBeTruthy();
  });
});
