// @vitest-environment jsdom
/**
 * The curator's choices in the UI against the typed fake api: leaving doctor fixes out and
 * adopting a stray (a new plan, previewed before apply), leaving a version out of a prune,
 * pinning with a reason, and damaged files shown as such in the tree and the file details.
 */
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { DoctorPlan, PrunePlan } from '../../../electron/shared/contract/housekeeping.js';
import { RELEASE_ORDER_TEXT } from '../../../electron/shared/release-order.js';
import { fakeUuid } from '../../helpers/fake-bridge.js';
import { renderApp } from '../../helpers/render-app.js';

afterEach(cleanup);

const PLAN = 'doctor-20240301T100000Z-1a2b3c4d5e6f';
const CHOSEN = 'doctor-20240301T100500Z-abcdefabcdef';
const base = { detail: 'd', source: null, file_id: null };
const doctorPlan: DoctorPlan = {
  plan_id: PLAN, content_hash: 'a'.repeat(64), created_at: '2024-03-01T10:00:00.000Z', deep: false, scanned_files: 12, hashed_files: 0,
  findings: [
    { ...base, kind: 'missing_file', path: 'go/v1/data/a.owl', bytes: 10, fix: 'relink_from_cas' },
    { ...base, kind: 'orphan', path: 'go/v1/data/keep.ttl', bytes: 20, fix: 'trash', alternatives: ['adopt'] },
    { ...base, kind: 'orphan', path: 'go/v1/data/junk.txt', bytes: 30, fix: 'trash', alternatives: ['adopt'] },
  ],
  damaged_versions: [],
};

describe('Doctor: per-item choice', () => {
  it('shows plain words, leaves a fix out and adopts a stray by making a new plan, and applies only the new plan', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/doctor', {
      'doctor:plan': () => doctorPlan,
      'doctor:choose': (input) => ({
        ...doctorPlan, plan_id: CHOSEN, derived_from: input.plan_id, left_out: [...(input.without ?? [])],
        findings: [{ ...doctorPlan.findings[1]!, fix: 'adopt', sha256: 'b'.repeat(64) }, doctorPlan.findings[2]!],
      }),
      'doctor:apply': (input) => ({ plan_id: input.plan_id, applied_at: 'x', actions: { adopt: 1, trash: 1 }, files_moved: 1, bytes: 30, trash: null }),
    });
    await user.click(await screen.findByRole('button', { name: 'Scan' }));
    const missing = await screen.findByRole('table', { name: 'Missing files findings' });
    expect(missing.textContent).toContain('restore it from the content store');
    expect(missing.textContent).not.toContain('relink');

    await user.click(within(missing).getByRole('checkbox', { name: 'Fix go/v1/data/a.owl' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Action for go/v1/data/keep.ttl' }), 'adopt');
    expect(screen.getByRole('button', { name: /^Apply 3 fixes…$/ })).toHaveProperty('disabled', true);
    await user.click(within(screen.getByRole('status', { name: 'Your choice' })).getByRole('button', { name: 'Make a new plan from my choice' }));
    await waitFor(() => expect(bridge.inputsOf('doctor:choose')).toEqual([{ plan_id: PLAN, without: ['go/v1/data/a.owl'], adopt: ['go/v1/data/keep.ttl'] }]));
    expect((await screen.findByText(CHOSEN, { selector: 'code' })).parentElement!.textContent).toContain(`made from ${PLAN}`);
    const strays = screen.getByRole('table', { name: 'Stray files findings' });
    expect(strays.textContent).toContain('adopt it into its version');
    await user.click(screen.getByRole('button', { name: 'Apply 2 fixes…' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Apply repairs' }));
    await waitFor(() => expect(bridge.inputsOf('doctor:apply')).toEqual([{ plan_id: CHOSEN }]));
  });
});

const pv = (name: string, n: number) => ({
  service: 'go', version: name, version_id: fakeUuid(2000 + n), created_at: `2024-0${n}-01T10:00:00.000Z`, files: 2, bytes: 1000,
  release_date: `2024-0${n}-01T00:00:00.000Z`, release_date_source: 'http-last-modified' as const,
});
const prunePlan: PrunePlan = {
  plan_id: 'prune-20240301T100000Z-1a2b3c4d5e6f', content_hash: 'c'.repeat(64), created_at: '2024-03-01T10:00:00.000Z',
  // The policy the page's form asks for by default (the plan records it; Prune follows only a preview of the form's policy).
  policy: { keep_last: 3, newer_than_days: null, service: null, orphans_only: false, allow_large: false },
  removals: [pv('v1', 1), pv('v2', 2)],
  files: [{ path: 'go/v1/data/a.owl', bytes: 1000, action: 'trash', what: 'data' }, { path: 'go/v2/data/b.owl', bytes: 1000, action: 'trash', what: 'data' }],
  kept: [{ ...pv('v3', 3), reasons: ['pinned'], why: ['pinned — cited in the paper'] }],
  order: RELEASE_ORDER_TEXT, bytes: 2000, reclaimed_bytes: 0, catalog_bytes: 5000, large: false, pin_reasons: { 'go/v3': 'cited in the paper' },
};

describe('Prune: per-item choice and pin reasons', () => {
  it('shows "pinned — reason" and leaves a version out through a new plan', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/prune', {
      'prune:plan': () => prunePlan,
      'prune:choose': (input) => ({ ...prunePlan, plan_id: 'prune-20240301T100500Z-abcdefabcdef', derived_from: input.plan_id,
        policy: { ...prunePlan.policy, keep_versions: input.without }, removals: [pv('v2', 2)], files: [prunePlan.files[1]!] }),
    });
    await user.click(await screen.findByRole('button', { name: 'Preview' }));
    expect((await screen.findByRole('table', { name: 'Versions kept' })).textContent).toContain('pinned — cited in the paper');
    await user.click(screen.getByRole('checkbox', { name: 'Remove go/v1' }));
    expect(screen.getByRole('button', { name: 'Prune 2 files…' })).toHaveProperty('disabled', true);
    await user.click(screen.getByRole('button', { name: 'Make a new plan without 1 version' }));
    await waitFor(() => expect(bridge.inputsOf('prune:choose')).toEqual([{ plan_id: prunePlan.plan_id, without: ['go/v1'] }]));
    expect(await screen.findByRole('button', { name: 'Prune 1 file…' })).toHaveProperty('disabled', false);
  });
});

describe('Version page: pin with a reason', () => {
  it('pins only with a typed reason, shows it, and unpins after confirming', async () => {
    const user = userEvent.setup();
    let pin = { ref: 'go/2024-03-01', pinned: false, reason: null as string | null, pinned_at: null as string | null };
    const { bridge } = renderApp('/versions/go/2024-03-01', {
      'pins:get': () => pin,
      'versions:pin': (input) => {
        pin = { ...pin, pinned: input.pinned, reason: input.pinned ? input.reason ?? null : null, pinned_at: input.pinned ? '2024-03-02T00:00:00Z' : null };
        return { ref: input.ref, pinned: input.pinned, reason: pin.reason };
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Pin…' }));
    const dialog = screen.getByRole('dialog', { name: 'Pin go/2024-03-01?' });
    expect(within(dialog).getByRole('button', { name: 'Pin' })).toHaveProperty('disabled', true);
    await user.type(within(dialog).getByLabelText('Reason'), 'used by the 2024 release');
    await user.click(within(dialog).getByRole('button', { name: 'Pin' }));
    await waitFor(() => expect(bridge.inputsOf('versions:pin')).toEqual([{ ref: 'go/2024-03-01', pinned: true, reason: 'used by the 2024 release' }]));
    expect((await screen.findByLabelText('Pin reason')).textContent).toBe('used by the 2024 release');
    await user.click(screen.getByRole('button', { name: 'Unpin…' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Unpin go/2024-03-01?' })).getByRole('button', { name: 'Unpin' }));
    await waitFor(() => expect(bridge.inputsOf('versions:pin').at(-1)).toEqual({ ref: 'go/2024-03-01', pinned: false }));
    expect(await screen.findByRole('button', { name: 'Pin…' })).toBeTruthy();
  });
});
