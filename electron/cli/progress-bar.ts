import type { Progress } from '../shared/progress.js';
import type { CommandSession, ParsedArgs } from './command-types.js';
import { formatBytes } from './output.js';

/**
 * A one-line progress bar on stderr, drawn only on a TTY (and never with --json).
 *
 * Returns the progress sink to hand to long work, and `done()` to clear the line.
 */
export function progressBar(label: string, options: { enabled?: boolean; stream?: NodeJS.WriteStream } = {}): {
  onProgress: (progress: Progress) => void;
  done: () => void;
} {
  const stream = options.stream ?? process.stderr;
  const enabled = (options.enabled ?? true) && stream.isTTY === true;
  const started = Date.now();
  let lastDraw = 0;
  let drawn = false;
  return {
    onProgress(progress) {
      if (!enabled) return;
      const now = Date.now();
      if (now - lastDraw < 80 && progress.done !== progress.total) return;
      lastDraw = now;
      const width = Math.max(10, Math.min(30, (stream.columns ?? 80) - 60));
      const ratio = progress.total ? Math.min(1, progress.done / progress.total) : null;
      const bar = ratio === null ? '' : `[${'#'.repeat(Math.round(ratio * width)).padEnd(width, '.')}] ${Math.round(ratio * 100)}% `;
      const rate = progress.bytes > 0 ? ` ${formatBytes(progress.bytes / Math.max(0.001, (now - started) / 1000))}/s` : '';
      const counts = `${progress.done}${progress.total ? `/${progress.total}` : ''}`;
      const current = progress.current ? ` ${progress.current}` : '';
      const line = `${label}${progress.phase ? ` ${progress.phase}` : ''} ${bar}${counts}${rate}${current}`;
      stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 120) - 1)}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}

/**
 * Runs `work` (a channel call) with a progress bar fed by the session's `job:progress`
 * events: drawn on a TTY only, never with --json.
 */
export async function withJobProgress<T>(session: CommandSession, args: ParsedArgs, label: string, work: () => Promise<T>): Promise<T> {
  const bar = progressBar(label, { enabled: !args.json });
  const off = session.on('job:progress', (event) => {
    if (event.state === 'running') bar.onProgress({ done: event.done, total: event.total, bytes: event.bytes, current: event.current, phase: event.phase ?? undefined });
  });
  try {
    return await work();
  } finally {
    off();
    bar.done();
  }
}
