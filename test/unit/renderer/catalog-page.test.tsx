// @vitest-environment jsdom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { OntocatError } from '../../../electron/shared/errors.js';
import type { VersionSummary } from '../../../electron/shared/models.js';
import { defaultHandlers, extraHandlers, fakeUuid, fakeVersions } from '../../helpers/fake-bridge.js';
import { renderApp } from '../../helpers/render-app.js';

afterEach(cleanup);

describe('Catalog page', () => {
  it('lists services and versions with size, parse rate and the latest badge', async () => {
    renderApp('/');
    const versions = await screen.findByRole('table', { name: 'Versions' });
    const row = await within(versions).findByRole('row', { name: 'go/2024-03-01' });
    expect(within(row).getByText('latest')).toBeTruthy();
    expect(within(row).getByText('5 MB')).toBeTruthy();
    // 4 of 5 checked files parse; the one that does not is an error, shown red. The WARN is not a failure.
    const health = within(row).getByLabelText('Validation of go/2024-03-01: 4 of 5 checked files parse (80%); findings: 1 error, 1 warning, 0 info');
    expect(health.textContent).toBe('80% parse · 1 file with errors');
    expect(health.className).toBe('bad');
    const unvalidated = await within(versions).findByRole('row', { name: 'hp/v1' });
    expect(within(unvalidated).getByLabelText('Validation of hp/v1: not validated (2 files not checked)').textContent).toBe('—');
    expect(within(screen.getByRole('table', { name: 'Services' })).getByText('hp')).toBeTruthy();
    expect(await screen.findByLabelText('Catalog path')).toHaveProperty('textContent', '/data/ontocat');
  });

  it('sorts and pages versions in the catalog, not in the browser', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/');
    await screen.findByRole('table', { name: 'Versions' });
    await user.click(screen.getByRole('button', { name: /^Size/ }));
    await waitFor(() => expect(bridge.inputsOf('versions:list')).toContainEqual({ service: undefined, sort: 'bytes', direction: 'asc', offset: 0, limit: 50 }));
  });

  it('says when the version asked for is not the newest release', async () => {
    const user = userEvent.setup();
    // go/2024-01-01 is the latest: 2024-02-01 is a step up that stops short of 2024-03-01.
    const go = fakeVersions.filter((v) => v.service === 'go');
    const oldest = go.find((v) => v.version === '2024-01-01')!;
    renderApp('/', {
      'latest:get': (input) => (input.service === 'go' ? { slot: 'go', version_id: oldest.version_id, service: 'go', version: oldest.version, updated_at: oldest.created_at, by: 'test' } : null),
    });
    await screen.findByRole('table', { name: 'Versions' });
    await user.click(await screen.findByRole('button', { name: 'Set as latest: go/2024-02-01' }));
    const dialog = await screen.findByRole('dialog', { name: 'Set go/2024-02-01 as latest?' });
    expect((await within(dialog).findByLabelText('Not the newest release')).textContent)
      .toMatch(/^2024-02-01 is not the newest release: 2024-03-01 is newer by release order \(.*\); latest would not follow to it\.$/);
  });

  it('asks before setting latest, shows the difference, and calls latest:set only after confirming', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/');
    await screen.findByRole('table', { name: 'Versions' });
    await user.click(await screen.findByRole('button', { name: 'Set as latest: go/2024-02-01' }));
    const dialog = await screen.findByRole('dialog', { name: 'Set go/2024-02-01 as latest?' });
    // Size and files versus the current latest (5 MB → 4 MB, 5 → 4 files), before anything is written.
    await waitFor(() => expect(within(dialog).getByLabelText('Changes versus the current latest').textContent).toContain('4 MB (−1 MB)'));
    expect(within(dialog).getByLabelText('Changes versus the current latest').textContent).toContain('4 (−1)');
    // From the delta channels: go/2024-03-01 → go/2024-02-01 adds one obo file and removes three.
    expect(await within(dialog).findByLabelText('Files added and removed')).toHaveProperty('textContent', '+1 / −3 (1 modified, 0 renamed)');
    expect(within(dialog).getByLabelText('Bytes added and removed').textContent).toBe('+250 KB / −505 KB');
    expect(within(dialog).getByLabelText('New errors').textContent).toMatch(/^0 /);
    // The whole-version term delta from the index, in one job.
    expect(within(dialog).getByLabelText('Terms added and removed').textContent)
      .toBe('+2 / −1 (1 relabelled, 0 deprecated, 0 redefined, 0 re-parented; from the term index over 1 → 1 files)');
    expect(bridge.inputsOf('delta:term-impact')).toEqual([{ from: 'go/2024-03-01', to: 'go/2024-02-01' }]);
    expect(bridge.inputsOf('delta:terms')).toEqual([]);
    expect(bridge.inputsOf('latest:set')).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(bridge.inputsOf('latest:set')).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Set as latest: go/2024-02-01' }));
    const again = await screen.findByRole('dialog');
    await user.click(within(again).getByRole('button', { name: 'Set as latest' }));
    // With the latest the preview compared with and both versions' stamps: the write refuses if
    // another client moved the pointer, or changed either version, since.
    const stamps = { to: 'stamp-go/2024-02-01', from: 'stamp-go/2024-03-01' };
    await waitFor(() => expect(bridge.inputsOf('latest:set')).toEqual([{ ref: 'go/2024-02-01', expected_latest: '2024-03-01', expected_stamps: stamps }]));
    // The toast offers Undo, which moves the pointer back to the version it replaced, as the
    // preview showed it: the same stamps, turned round.
    const toast = await screen.findByText('go: latest is now 2024-02-01 (was 2024-03-01).');
    await user.click(within(toast.parentElement!).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(bridge.inputsOf('latest:set').at(-1)).toEqual({
      ref: 'go/2024-03-01', expected_latest: '2024-02-01', expected_stamps: { to: 'stamp-go/2024-03-01', from: 'stamp-go/2024-02-01' },
    }));
    expect(await screen.findByText('Undone: latest go is 2024-03-01 again.')).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('shows a refusal because the catalog changed since the preview as the server words it, and Confirms only after Preview again', async () => {
    const user = userEvent.setup();
    let refuse = true;
    const sentence = "go/2024-02-01's release date changed since this preview was made (another client corrected, replaced or validated it); nothing was changed. Review the change again.";
    const { bridge } = renderApp('/', {
      'latest:set': (input) => {
        if (refuse) { refuse = false; throw new OntocatError('CONFLICT', sentence); }
        return { service: 'go', version: input.ref.split('/')[1]!, previous: '2024-03-01', changed: true };
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Set as latest: go/2024-02-01' }));
    const dialog = await screen.findByRole('dialog', { name: 'Set go/2024-02-01 as latest?' });
    const confirm = within(dialog).getByRole('button', { name: 'Set as latest' });
    await waitFor(() => expect(confirm).toHaveProperty('disabled', false));
    await user.click(confirm);
    expect((await within(dialog).findByText(sentence)).getAttribute('role')).toBe('alert');
    // The figures shown are stale: Confirm waits for them to be read again.
    expect(within(dialog).getByRole('button', { name: 'Set as latest' })).toHaveProperty('disabled', true);
    const statsAsked = bridge.inputsOf('versions:stats').length;
    await user.click(within(dialog).getByRole('button', { name: 'Preview again' }));
    expect(document.activeElement).toBe(dialog);
    await waitFor(() => expect(bridge.inputsOf('versions:stats').length).toBeGreaterThanOrEqual(statsAsked + 2));
    expect(within(dialog).queryByText(sentence)).toBeNull();
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Set as latest' })).toHaveProperty('disabled', false));
    await user.click(within(dialog).getByRole('button', { name: 'Set as latest' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(bridge.inputsOf('latest:set')).toHaveLength(2);
  });

  it('sends with Confirm the stamps read before the file delta it shows, so a write after that delta is refused', async () => {
    const user = userEvent.setup();
    // Another client replaces go/2024-02-01's files just after the dialog read the file delta,
    // while the stamped stats (a large version: slower) are still being read.
    let replaced = false;
    const stampOf = (ref: string): string => `stamp-${ref}${replaced && ref === 'go/2024-02-01' ? '-replaced' : ''}`;
    const core = defaultHandlers();
    const compute = extraHandlers()['delta:compute']!;
    const { bridge } = renderApp('/', {
      'versions:stats': async (input) => {
        if (input.stamp) await new Promise((resolve) => setTimeout(resolve, 50));
        const stats = await core['versions:stats'](input);
        return input.stamp ? { ...stats, stamp: stampOf(input.ref) } : stats;
      },
      'delta:compute': async (input) => {
        const delta = await compute(input);
        replaced = true;
        return delta;
      },
      'latest:set': (input) => {
        const changed = input.expected_stamps && input.expected_stamps.to !== stampOf(input.ref);
        if (changed) throw new OntocatError('CONFLICT', `${input.ref}'s files changed since this preview was made; nothing was changed. Review the change again.`);
        return { service: 'go', version: input.ref.split('/')[1]!, previous: '2024-03-01', changed: true };
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Set as latest: go/2024-02-01' }));
    const dialog = await screen.findByRole('dialog', { name: 'Set go/2024-02-01 as latest?' });
    // The delta shown is the one from before the replace.
    expect(await within(dialog).findByLabelText('Files added and removed')).toHaveProperty('textContent', '+1 / −3 (1 modified, 0 renamed)');
    const confirm = within(dialog).getByRole('button', { name: 'Set as latest' });
    await waitFor(() => expect(confirm).toHaveProperty('disabled', false));
    await user.click(confirm);
    // Confirm vouches for what was shown, the state before the replace, and the write refuses.
    expect(bridge.inputsOf('latest:set')).toEqual([expect.objectContaining({ expected_stamps: { to: 'stamp-go/2024-02-01', from: 'stamp-go/2024-03-01' } })]);
    expect((await within(dialog).findByText(/files changed since this preview was made/)).getAttribute('role')).toBe('alert');
    expect(screen.getByRole('dialog')).toBe(dialog);
  });

  it('explains how to ingest when the catalog is empty', async () => {
    renderApp('/', { 'services:list': () => [] });
    expect(await screen.findByText('No versions in this catalog yet')).toBeTruthy();
    expect(screen.getByText(/ontocat ingest/)).toBeTruthy();
  });

  it('shows an error state with the code when the catalog cannot be read', async () => {
    renderApp('/', { 'services:list': () => { throw new OntocatError('LOCKED', 'Catalog locked by pid 42.'); } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Catalog locked by pid 42.');
    expect(alert.textContent).toContain('LOCKED');
  });

  it('links to the ingest page for the selected service, and offers no ingest when the catalog is read-only', async () => {
    const user = userEvent.setup();
    renderApp('/');
    await screen.findByRole('table', { name: 'Versions' });
    expect((await screen.findByRole('link', { name: 'Ingest…' })).getAttribute('href')).toBe('/ingest');
    await user.click(within(screen.getByRole('table', { name: 'Services' })).getByText('hp'));
    await waitFor(() => expect(screen.getByRole('link', { name: 'Ingest…' }).getAttribute('href')).toBe('/ingest?service=hp'));
    cleanup();
    renderApp('/', {
      'catalog:info': () => ({ root: '/data/ontocat', db_path: '/data/ontocat/catalog.duckdb', read_only: true, schema_version: 2, migrations_pending: [], versions: 4, files: 6, time_zone: 'UTC' }),
    });
    await screen.findByRole('table', { name: 'Versions' });
    expect(await screen.findByText('read-only')).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Ingest…' })).toBeNull();
  });

  it('keeps Confirm disabled and shows no figure until the whole impact is known, and names files it cannot compare', async () => {
    const user = userEvent.setup();
    let finishTerms!: () => void;
    renderApp('/', {
      'delta:term-impact': (input) => new Promise((resolve) => {
        finishTerms = () => resolve({
          from: input.from, to: input.to, source: 'mixed', compared: 1, failed: 1, unchanged_unindexed: 0,
          totals: { added: 138, removed: 141, relabelled: 3, deprecated: 1, redefined: 2, reparented: 0, retyped: 0, undeprecated: 0, replaced: 0 },
          index: { summary: { added: 130, removed: 140, relabelled: 3, deprecated: 1, redefined: 2, reparented: 0, retyped: 0, undeprecated: 0, replaced: 0 }, old_terms: 900, new_terms: 890, files_from: 3, files_to: 3 },
          files: [
            { relpath: 'go.obo', old_relpath: 'go.obo', reason: 'not in the term index yet', summary: { added: 8, removed: 1, relabelled: 0, redefined: 0, reparented: 0, retyped: 0, deprecated: 0, undeprecated: 0, replaced: 0 }, error: null },
            { relpath: 'so.obo', old_relpath: 'so.obo', reason: 'not in the term index: it does not parse', summary: null, error: 'Line 12: unterminated quoted string' },
          ],
        });
      }),
    });
    await screen.findByRole('table', { name: 'Versions' });
    await user.click(await screen.findByRole('button', { name: 'Set as latest: go/2024-02-01' }));
    const dialog = await screen.findByRole('dialog', { name: 'Set go/2024-02-01 as latest?' });
    await within(dialog).findByText(/Comparing versions/);
    expect(within(dialog).getByRole('button', { name: 'Set as latest' })).toHaveProperty('disabled', true);
    // No number before it is computed: no "+0 / −0" that later becomes "+138 / −141".
    expect(within(dialog).queryByLabelText('Files added and removed')).toBeNull();
    expect(within(dialog).queryByLabelText('Terms added and removed')).toBeNull();
    act(() => finishTerms());
    expect((await within(dialog).findByLabelText('Terms added and removed')).textContent).toMatch(/^\+138 \/ −141/);
    expect(within(dialog).getByRole('button', { name: 'Set as latest' })).toHaveProperty('disabled', false);
    const unreadable = within(dialog).getByRole('list', { name: 'Ontology files that could not be compared' });
    expect(unreadable.textContent).toBe('so.obo: Line 12: unterminated quoted string');
    const byFile = within(dialog).getByRole('list', { name: 'Ontology files compared one by one' });
    expect(byFile.textContent).toMatch(/go\.obo: \+8 \/ −1 \(not in the term index yet\)/);
    expect(within(dialog).getByLabelText('Terms added and removed').textContent).toMatch(/from the term index over 3 → 3 files/);
  });

  it('opens the latest version from the Services table, and shows a service\'s latest history', async () => {
    const user = userEvent.setup();
    const { bridge } = renderApp('/');
    const services = await screen.findByRole('table', { name: 'Services' });
    await user.click(within(services).getByRole('link', { name: 'Open go/2024-03-01, the latest go' }));
    expect(await screen.findByRole('tree', { name: 'Files of go/2024-03-01' })).toBeTruthy();
    cleanup();
    renderApp('/?service=go', {}, bridge);
    const history = await screen.findByRole('table', { name: 'Latest history of go' });
    expect(within(history).getByRole('link', { name: '2024-03-01' })).toBeTruthy();
    expect(bridge.inputsOf('latest:history').at(-1)).toEqual({ service: 'go', offset: 0, limit: 10 });
  });

  it('warns before setting an older release as latest, and flags a service whose latest is not its newest', async () => {
    const user = userEvent.setup();
    renderApp('/', {
      'services:list': () => [{ service: 'go', versions: 3, latest: '2024-02-01', newest: '2024-03-01', bytes: 12_000_000 }],
      // The dialog asks the catalog for its latest itself.
      'latest:get': () => ({ slot: 'go', version_id: fakeUuid(9000), service: 'go', version: '2024-02-01', updated_at: '2024-03-01T00:00:00Z', by: 'test' }),
    });
    const services = await screen.findByRole('table', { name: 'Services' });
    expect(within(services).getByText('newer: 2024-03-01')).toBeTruthy();
    // go/2024-01-01 (rank 1) is older than the current latest go/2024-02-01 (rank 2).
    await user.click(await screen.findByRole('button', { name: 'Set as latest: go/2024-01-01' }));
    const dialog = await screen.findByRole('dialog', { name: 'Set go/2024-01-01 as latest?' });
    const warning = await within(dialog).findByRole('alert', { name: 'Older than the current latest' });
    expect(warning.textContent).toContain('2024-01-01 is older than 2024-02-01 by release order');
    // The warning says it all: no second note about the newest release.
    await within(dialog).findByLabelText('Changes versus the current latest');
    expect(within(dialog).queryByLabelText('Not the newest release')).toBeNull();
  });

  it('warns that a release is older than the current latest even when a third version is pruned between the two versions\' reads', async () => {
    const user = userEvent.setup();
    const stats = defaultHandlers()['versions:stats'];
    // go/2024-01-01 is pruned right after the target's figures are read: every later version
    // then has one place fewer, so go/2024-03-01 (the latest) is read at the rank 2 the
    // target had (seen failing before: no warning, and Confirm set the older release).
    let pruned = false;
    const calls: string[] = [];
    renderApp('/', {
      'versions:stats': async (input) => {
        const answer = await stats(input);
        calls.push(input.ref);
        const shifted = pruned ? { ...answer, release_rank: answer.release_rank - 1 } : answer;
        if (input.ref === 'go/2024-02-01') pruned = true;
        return shifted;
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Set as latest: go/2024-02-01' }));
    const dialog = await screen.findByRole('dialog', { name: 'Set go/2024-02-01 as latest?' });
    await within(dialog).findByLabelText('Changes versus the current latest');
    // The latest's figures were read after the prune.
    expect(calls.indexOf('go/2024-02-01')).toBeLessThan(calls.lastIndexOf('go/2024-03-01'));
    const warning = within(dialog).getByRole('alert', { name: 'Older than the current latest' });
    expect(warning.textContent).toContain('2024-02-01 is older than 2024-03-01 by release order');
  });

  describe('with more versions than one page', () => {
    // 58 versions of 'big' and 5 of 'edam': all versions take two pages, edam one.
    const many: VersionSummary[] = [
      ...Array.from({ length: 58 }, (_, i) => ({ ...fakeVersions[1]!, service: 'big', version: `v${i}`, version_id: fakeUuid(7000 + i), is_latest: false })),
      ...Array.from({ length: 5 }, (_, i) => ({ ...fakeVersions[1]!, service: 'edam', version: `beta${i}`, version_id: fakeUuid(8000 + i), is_latest: false })),
    ];
    const handlers = {
      'services:list': () => [
        { service: 'big', versions: 58, latest: null, newest: 'v0', bytes: 1 },
        { service: 'edam', versions: 5, latest: null, newest: 'beta0', bytes: 1 },
      ],
      'versions:list': (input: { service?: string; offset?: number; limit?: number }) => {
        const items = many.filter((v) => !input.service || v.service === input.service);
        const offset = input.offset ?? 0;
        return { items: items.slice(offset, offset + (input.limit ?? 50)), total: items.length, offset, limit: input.limit ?? 50 };
      },
    };

    it('starts a chosen service at its first page of versions, from a later page of all versions', async () => {
      const user = userEvent.setup();
      renderApp('/', handlers);
      const pager = await screen.findByRole('navigation', { name: 'Version pages' });
      await user.click(within(pager).getByRole('button', { name: 'Next' }));
      await waitFor(() => expect(pager.textContent).toMatch(/^51–63 of 63/));
      // A click on the row (not its link) sets the filter, as the row's link does.
      await user.click(within(screen.getByRole('table', { name: 'Services' })).getByText('5'));
      await waitFor(() => expect(screen.getByRole('navigation', { name: 'Version pages' }).textContent).toMatch(/^1–5 of 5/));
      expect(within(screen.getByRole('table', { name: 'Versions' })).getAllByRole('row')).toHaveLength(6);
      // The same from the service's link, after paging all versions again.
      await user.click(screen.getByRole('button', { name: 'Show all services' }));
      await user.click(within(await screen.findByRole('navigation', { name: 'Version pages' })).getByRole('button', { name: 'Next' }));
      await waitFor(() => expect(screen.getByRole('navigation', { name: 'Version pages' }).textContent).toMatch(/^51–63 of 63/));
      await user.click(within(screen.getByRole('table', { name: 'Services' })).getByRole('link', { name: 'edam' }));
      await waitFor(() => expect(screen.getByRole('navigation', { name: 'Version pages' }).textContent).toMatch(/^1–5 of 5/));
      expect(within(screen.getByRole('table', { name: 'Versions' })).getByRole('row', { name: 'edam/beta0' })).toBeTruthy();
    });
  });

  it('opens the validation of a version from its Validation link, not the version the row opens', async () => {
    const user = userEvent.setup();
    renderApp('/');
    const row = await within(await screen.findByRole('table', { name: 'Versions' })).findByRole('row', { name: 'go/2024-03-01' });
    await user.click(within(row).getByLabelText(/^Validation of go\/2024-03-01/));
    expect(await screen.findByRole('heading', { name: 'Validation' })).toBeTruthy();
    expect(screen.getByLabelText('Version')).toHaveProperty('value', 'go/2024-03-01');
    expect(screen.queryByRole('tree', { name: 'Files of go/2024-03-01' })).toBeNull();
  });

  it('shows release days as stored, whatever the time zone (not shifted to the evening before west of UTC)', async () => {
    const zone = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      expect(new Date('2024-03-01T00:00:00.000Z').getDate()).toBe(29);
      renderApp('/');
      const row = await within(await screen.findByRole('table', { name: 'Versions' })).findByRole('row', { name: 'go/2024-03-01' });
      expect(within(row).getByTitle('from the OBO header').textContent).toBe('2024-03-01');
    } finally {
      if (zone === undefined) delete process.env.TZ; else process.env.TZ = zone;
    }
  });

  it('reads the page again when the connection comes back, instead of keeping "Cannot reach the Ontocat server"', async () => {
    let down = true;
    const { bridge } = renderApp('/', {
      'services:list': () => {
        if (down) throw new OntocatError('IO_ERROR', 'Cannot reach the Ontocat server (Failed to fetch).');
        return [{ service: 'go', versions: 3, latest: '2024-03-01', newest: '2024-03-01', bytes: 12_000_000 }];
      },
    });
    expect((await screen.findByRole('alert')).textContent).toContain('Cannot reach the Ontocat server');
    act(() => bridge.setConnected(false));
    down = false;
    act(() => bridge.setConnected(true));
    expect(await screen.findByRole('table', { name: 'Services' })).toBeTruthy();
    expect(screen.queryByText(/Cannot reach the Ontocat server/)).toBeNull();
  });

  it('reads a page that had loaded again when the connection comes back: changes made meanwhile show', async () => {
    let latest = '2024-03-01';
    const { bridge } = renderApp('/', {
      'services:list': () => [{ service: 'go', versions: 3, latest, newest: '2024-03-01', bytes: 12_000_000 }],
    });
    const services = await screen.findByRole('table', { name: 'Services' });
    expect(within(services).getAllByText('2024-03-01').length).toBeGreaterThan(0);
    const asked = bridge.inputsOf('services:list').length;
    // The first open of the stream asks nothing again.
    act(() => bridge.setConnected(true));
    expect(bridge.inputsOf('services:list').length).toBe(asked);
    // Lost, a change is made elsewhere (its catalog:changed never arrives), then back.
    act(() => bridge.setConnected(false));
    latest = '2024-02-01';
    act(() => bridge.setConnected(true));
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Services' })).getAllByText('2024-02-01').length).toBeGreaterThan(0));
  });

  it('says a service in the link is not in the catalog, instead of an empty table', async () => {
    renderApp('/?service=nope');
    expect((await screen.findByText('No service nope in this catalog')).parentElement?.textContent).toContain('mistyped');
    expect(screen.queryByRole('table', { name: 'Versions' })).toBeNull();
    expect(screen.queryByRole('navigation', { name: 'Version pages' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Show all services' })).toBeTruthy();
  });
});
