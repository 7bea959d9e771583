import { readFileSync } from 'node:fs';
import { writeAppFile } from '../handlers/app-files.js';

/** The window geometry remembered between runs. */
export interface WindowState {
  readonly x?: number;
  readonly y?: number;
  readonly width: number;
  readonly height: number;
  readonly maximized: boolean;
}

/** A display's usable area, as Electron's `screen.getAllDisplays()[i].workArea`. */
export interface Area {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 820, maximized: false };
export const MIN_WIDTH = 640;
export const MIN_HEIGHT = 420;
export const WINDOW_STATE_FILE = 'window-state.json';

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** Whether a window at these bounds would show at least a grabbable strip on some display. */
function visibleOnSomeDisplay(state: Required<Pick<WindowState, 'x' | 'y' | 'width' | 'height'>>, displays: readonly Area[]): boolean {
  return displays.some((area) => {
    const overlapX = Math.min(state.x + state.width, area.x + area.width) - Math.max(state.x, area.x);
    const overlapY = Math.min(state.y + 40, area.y + area.height) - Math.max(state.y, area.y);
    return overlapX >= 100 && overlapY > 0;
  });
}

/**
 * Reads the remembered window state, falling back to defaults for a missing or damaged
 * file, clamping the size, and dropping a position no display shows any more (a
 * monitor that was unplugged).
 */
export function loadWindowState(file: string, displays: readonly Area[]): WindowState {
  let raw: Partial<Record<keyof WindowState, unknown>>;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as typeof raw;
    if (raw === null || typeof raw !== 'object') return DEFAULT_WINDOW_STATE;
  } catch {
    return DEFAULT_WINDOW_STATE;
  }
  const largest = displays.reduce((best, area) => (area.width * area.height > best.width * best.height ? area : best), displays[0] ?? { x: 0, y: 0, width: 10_000, height: 10_000 });
  const width = Math.round(Math.min(Math.max(finite(raw.width) ? raw.width : DEFAULT_WINDOW_STATE.width, MIN_WIDTH), Math.max(largest.width, MIN_WIDTH)));
  const height = Math.round(Math.min(Math.max(finite(raw.height) ? raw.height : DEFAULT_WINDOW_STATE.height, MIN_HEIGHT), Math.max(largest.height, MIN_HEIGHT)));
  const maximized = raw.maximized === true;
  if (finite(raw.x) && finite(raw.y) && visibleOnSomeDisplay({ x: raw.x, y: raw.y, width, height }, displays)) {
    return { x: Math.round(raw.x), y: Math.round(raw.y), width, height, maximized };
  }
  return { width, height, maximized };
}

/** Writes the window state atomically (temp file, fsync, rename), so a crash never leaves half a file. */
export function saveWindowState(file: string, state: WindowState): void {
  writeAppFile(file, `${JSON.stringify(state, null, 2)}\n`);
}
