import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_STATE, loadWindowState, MIN_WIDTH, saveWindowState } from '../../../electron/main/window-state.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];

describe('window state', () => {
  const temp = makeTempRoot('ontocat-window-state');
  afterAll(() => temp.cleanup());
  const file = path.join(temp.root, 'user-data', 'window-state.json');

  it('starts from defaults without a file, or with a damaged one', () => {
    expect(loadWindowState(file, screen)).toEqual(DEFAULT_WINDOW_STATE);
    saveWindowState(file, { x: 1, y: 2, width: 900, height: 700, maximized: false });
    writeFileSync(file, '{"width": 9');
    expect(loadWindowState(file, screen)).toEqual(DEFAULT_WINDOW_STATE);
    writeFileSync(file, 'null');
    expect(loadWindowState(file, screen)).toEqual(DEFAULT_WINDOW_STATE);
  });

  it('round-trips bounds and maximized through an atomic write that leaves no temp file', () => {
    saveWindowState(file, { x: 100, y: 80, width: 1000, height: 700, maximized: true });
    expect(loadWindowState(file, screen)).toEqual({ x: 100, y: 80, width: 1000, height: 700, maximized: true });
    expect(readdirSync(path.dirname(file))).toEqual(['window-state.json']);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ maximized: true });
  });

  it('drops a position no display shows any more and clamps silly sizes', () => {
    saveWindowState(file, { x: 5000, y: 3000, width: 50, height: 99_999, maximized: false });
    const state = loadWindowState(file, screen);
    expect(state.x).toBeUndefined();
    expect(state.width).toBe(MIN_WIDTH);
    expect(state.height).toBe(1080);
    saveWindowState(file, { x: 2000, y: 100, width: 800, height: 600, maximized: false });
    expect(loadWindowState(file, [...screen, { x: 1920, y: 0, width: 1280, height: 1024 }]).x).toBe(2000);
  });
});
