// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { LatestPointer } from '../../../electron/shared/models.js';
import { ApiProvider, useQuery } from '../../../renderer/src/api/api-context.js';
import { createFakeBridge } from '../../helpers/fake-bridge.js';

afterEach(cleanup);

interface Frame { readonly version: string | null | undefined; readonly loading: boolean }

/**
 * Each render's answer, as a dialog would show it: a Confirm enabled only while the answer
 * it shows is settled.
 */
function LatestProbe({ frames, onRefetch }: { frames: Frame[]; onRefetch: (refetch: () => void) => void }): ReactNode {
  const latest = useQuery('latest:get', { service: 'go' }, ['go']);
  frames.push({ version: latest.data === undefined ? undefined : latest.data?.version ?? null, loading: latest.loading });
  onRefetch(latest.refetch);
  return <button type="button" disabled={latest.loading}>Confirm {latest.data?.version ?? ''}</button>;
}

function pointer(version: string): LatestPointer {
  return { slot: 'go', version_id: `id-${version}`, service: 'go', version, updated_at: '2024-01-01T00:00:00.000Z', by: 'test' };
}

describe('useQuery asked again', () => {
  // Each answer waits for the test to release it, so the renders between asking and answering are seen.
  function setup() {
    let answer = '2024-01-01';
    const waiting: Array<() => void> = [];
    const bridge = createFakeBridge({
      'latest:get': () => new Promise<LatestPointer>((resolve) => { const now = answer; waiting.push(() => resolve(pointer(now))); }),
    });
    const frames: Frame[] = [];
    let refetch: () => void = () => undefined;
    render(<ApiProvider bridge={bridge} channels={bridge.channels}><LatestProbe frames={frames} onRefetch={(r) => { refetch = r; }} /></ApiProvider>);
    const release = async () => { await act(async () => { for (const go of waiting.splice(0)) go(); }); };
    return { bridge, frames, refetch: () => refetch(), release, setAnswer: (v: string) => { answer = v; } };
  }

  it('never shows the last answer as settled once it is asked again (Preview again), until the new one comes', async () => {
    const probe = setup();
    await probe.release();
    expect(screen.getByRole('button').textContent).toBe('Confirm 2024-01-01');
    expect(probe.frames.at(-1)).toEqual({ version: '2024-01-01', loading: false });

    probe.setAnswer('2024-02-01');
    const before = probe.frames.length;
    act(() => probe.refetch());
    // Every render from the refetch until the new answer marks the old one as loading:
    // a Confirm enabled over it for one frame could be clicked.
    const asking = probe.frames.slice(before);
    expect(asking.length).toBeGreaterThan(0);
    expect(asking.filter((frame) => !frame.loading)).toEqual([]);
    expect((screen.getByRole('button') as HTMLButtonElement).disabled).toBe(true);

    await probe.release();
    expect(probe.frames.at(-1)).toEqual({ version: '2024-02-01', loading: false });
  });

  it('does the same when another client changes the catalog', async () => {
    const probe = setup();
    await probe.release();
    probe.setAnswer('2024-03-01');
    const before = probe.frames.length;
    act(() => probe.bridge.emit('catalog:changed', { channel: 'latest:set', at: '2024-01-01T00:00:01.000Z', by: 'cli' }));
    expect(probe.frames.slice(before).filter((frame) => !frame.loading)).toEqual([]);
    await probe.release();
    expect(probe.frames.at(-1)).toEqual({ version: '2024-03-01', loading: false });
  });
});
