import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodName } from '../../../electron/shared/api-protocol.js';
import { channelNames } from '../../../electron/shared/contract.js';
import { IPC_EVENT } from '../../../electron/shared/ipc-names.js';
import { buildPreload, channelNamesFromContract } from '../../../scripts/electron-bundles.mjs';
import { projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

/**
 * Runs the real preload bundle the way a sandboxed preload runs: a bare context whose
 * `require` knows only 'electron' (faked here, at the Electron boundary).
 */
function runPreload(source: string) {
  const exposed = new Map<string, Record<string, unknown>>();
  const invoked: unknown[][] = [];
  const ipcListeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  const fakeElectron = {
    contextBridge: { exposeInMainWorld: (name: string, api: Record<string, unknown>) => { exposed.set(name, api); } },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => { invoked.push(args); return { ok: true, data: args[0] }; },
      on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => { ipcListeners.set(channel, listener); },
    },
  };
  const required: string[] = [];
  const module = { exports: {} };
  runInNewContext(source, {
    module, exports: module.exports, console,
    require: (name: string) => {
      required.push(name);
      if (name === 'electron') return fakeElectron;
      throw new Error(`A sandboxed preload cannot require '${name}'`);
    },
  });
  return { exposed, invoked, ipcListeners, required };
}

describe('preload bundle', () => {
  const temp = makeTempRoot('ontocat-preload');
  let source = '';
  let names: string[] = [];
  beforeAll(async () => {
    names = await channelNamesFromContract(projectRoot);
    const outfile = path.join(temp.root, 'preload.cjs');
    await buildPreload(projectRoot, outfile, names);
    source = readFileSync(outfile, 'utf8');
  });
  afterAll(() => temp.cleanup());

  it('is one small CommonJS file that requires nothing but electron and carries no zod', () => {
    const { required } = runPreload(source);
    expect(required).toEqual(['electron']);
    expect(source).not.toMatch(/ZodError|zod/i);
    expect(source.length).toBeLessThan(20_000);
    expect(names).toEqual(channelNames);
  });

  it('exposes window.ontocat with exactly one method per channel plus subscribe, the three desktop actions (reveal, save export, pick source) and remote sign-in (me, sign in, sign out)', async () => {
    const { exposed, invoked } = runPreload(source);
    expect([...exposed.keys()]).toEqual(['ontocat']);
    const api = exposed.get('ontocat')!;
    const expected = [...channelNames.map((channel) => methodName(channel)), 'subscribe', 'revealFile', 'saveExport', 'pickSource', 'authMe', 'authSignIn', 'authSignOut', 'authServer'].sort();
    expect(Object.keys(api).sort()).toEqual(expected);
    const call = api[methodName('versions:list')] as (input: unknown) => Promise<unknown>;
    expect(await call({ limit: 3 })).toEqual({ ok: true, data: 'versions:list' });
    expect(invoked).toEqual([['versions:list', { limit: 3 }]]);
  });

  it('delivers pushed events to subscribers until they unsubscribe, and refuses unknown events', () => {
    const { exposed, ipcListeners } = runPreload(source);
    const subscribe = exposed.get('ontocat')!.subscribe as (event: string, listener: (payload: unknown) => void) => () => void;
    const got: unknown[] = [];
    const off = subscribe('job:progress', (payload) => got.push(payload));
    const deliver = ipcListeners.get(IPC_EVENT)!;
    deliver({}, 'job:progress', { job_id: 'a', done: 1 });
    deliver({}, 'catalog:changed', { channel: 'latest:set' });
    off();
    deliver({}, 'job:progress', { job_id: 'a', done: 2 });
    expect(got).toEqual([{ job_id: 'a', done: 1 }]);
    expect(() => subscribe('process:exec', () => undefined)).toThrow(/Unknown event/);
  });
});
