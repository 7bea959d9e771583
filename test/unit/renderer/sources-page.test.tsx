// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunRecord, SourceSummary } from '../../../electron/shared/contract/sources.js';
import { renderApp } from '../../helpers/render-app.js';

afterEach(cleanup);

const source: SourceSummary = {
  id: 'go-release', service: 'go', enabled: true, spec: { id: 'go-release', service: 'go', artifacts: [{ type: 'url', url: 'https://example.org/go.owl' }], promotion: 'auto' },
  last_run: null, next_run: null, pending_candidates: 0, webhook_set: false, webhook_origin: null,
  health: { last_checked: null, last_changed: null, consecutive_failures: 0, cadence_days: null, next_release_due: null, overdue: false },
  created_at: '2024-03-01T10:00:00.000Z', updated_at: '2024-03-01T10:00:00.000Z',
};

function run(promotion: { promoted: boolean; reason: string } | null): RunRecord {
  return {
    run_id: 'run-1', source_id: 'go-release', trigger: 'manual', started_at: '2024-03-02T10:00:00.000Z', finished_at: '2024-03-02T10:00:05.000Z',
    status: 'changed', version: '2024-04-01', duration_ms: 5000, error_code: null, error_message: null, idempotency_key: null,
    manifest: {
      inputs: [],
      output: {
        outcome: 'created', reason: null, service: 'go', version: '2024-04-01', version_rule: null, artifacts: [], files: 3, bytes: 100, validation: null, promotion,
      },
    },
  };
}

describe('Sources page', () => {
  it('says a new version an auto source promoted is the latest, not that it awaits review', async () => {
    // "go-release: new version 2024-04-01, awaiting review." while the run had made it the latest.
    const user = userEvent.setup();
    let promotion: { promoted: boolean; reason: string } | null = { promoted: true, reason: 'no NEW ERROR finding against go/2024-03-01' };
    renderApp('/sources', {
      'sources:list': () => [source],
      'sources:sync': () => ({ runs: [run(promotion)], changed: 1, unchanged: 0, failed: 0, duration_ms: 5000 }),
      'sources:runs': () => ({ items: [], total: 0, offset: 0, limit: 20 }),
    });
    const row = (await screen.findByRole('rowheader', { name: 'go-release' })).closest('tr')!;
    await user.click(within(row).getByRole('button', { name: 'Check now' }));
    const notes = screen.getByRole('region', { name: 'Notifications' });
    expect((await within(notes).findByText(/^go-release:/)).textContent)
      .toBe('go-release: new version 2024-04-01 is now the latest go (no NEW ERROR finding against go/2024-03-01).');
    // Held back by the policy: awaiting review, with why.
    promotion = { promoted: false, reason: '2 NEW ERROR findings against go/2024-03-01; left for review' };
    await user.click(within(row).getByRole('button', { name: 'Check now' }));
    expect((await within(notes).findByText(/awaiting review/)).textContent)
      .toBe('go-release: new version 2024-04-01, awaiting review (2 NEW ERROR findings against go/2024-03-01; left for review).');
  });
});
