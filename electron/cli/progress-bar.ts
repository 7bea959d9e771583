import { randomUUID } from 'node:crypto';
import { isOwnJobEvent } from '../shared/api-protocol.js';
import type { Channel, ChannelInput, ChannelOutput, EventMap } from '../shared/contract.js';
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
 * Makes one channel call with `progress` fed by the `job:progress` events of the jobs that
 * call starts, and only those: another client of the same owner may run jobs meanwhile.
 */
export async function callFollowingJobs<C extends Channel>(
  session: CommandSession, channel: C, input: ChannelInput<C>, progress: (event: EventMap['job:progress']) => void,
): Promise<ChannelOutput<C>> {
  const requestId = randomUUID();
  const off = session.on('job:progress', (event) => {
    if (isOwnJobEvent(event, requestId)) progress(event);
  });
  try {
    return await session.call(channel, input, { requestId });
  } finally {
    off();
  }
}

/**
 * Makes one channel call with a progress bar of the jobs it starts (see callFollowingJobs):
 * drawn on a TTY only, never with --json.
 */
export async function withJobProgress<C extends Channel>(session: CommandSession, args: ParsedArgs, label: string, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const bar = progressBar(label, { enabled: !args.json });
  try {
    return await callFollowingJobs(session, channel, input, (event) => {
      if (event.state === 'running') bar.onProgress({ done: event.done, total: event.total, bytes: event.bytes, current: event.current, phase: event.phase ?? undefined });
    });
  } finally {
    bar.done();
  }
}
