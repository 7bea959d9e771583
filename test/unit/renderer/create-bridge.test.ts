// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { createBridge } from '../../../renderer/src/api/create-bridge.js';
import { invoke } from '../../../renderer/src/api/invoke.js';
import { createFakeBridge } from '../../helpers/fake-bridge.js';

describe('createBridge', () => {
  it('uses the Electron preload bridge when window.ontocat exists', () => {
    const preload = createFakeBridge();
    (window as unknown as { ontocat?: unknown }).ontocat = preload;
    try {
      expect(createBridge(window)).toBe(preload);
    } finally {
      delete (window as unknown as { ontocat?: unknown }).ontocat;
    }
  });

  it('falls back to HTTP otherwise', () => {
    const bridge = createBridge(window) as unknown as Record<string, unknown>;
    expect(typeof bridge.versionsList).toBe('function');
    expect(bridge).not.toHaveProperty('calls');
  });

  it('reports a channel the build lacks as a failed Result, not a crash', async () => {
    // An older main process (preload) may lack channels this renderer knows.
    const older = createFakeBridge() as unknown as Record<string, unknown>;
    delete older.prunePlan;
    const result = await invoke(older as unknown as ReturnType<typeof createFakeBridge>, 'prune:plan', {});
    expect(result).toEqual({ ok: false, code: 'NOT_AVAILABLE', message: "'prune:plan' is not available in this build." });
  });

  it('the fake refuses inputs the contract refuses', async () => {
    const result = await invoke(createFakeBridge(), 'versions:list', { limit: 5000 });
    expect(result).toMatchObject({ ok: false, code: 'BAD_INPUT' });
  });
});
