/**
 * The event stream of a real `ontocat serve` across a reconnect, read with curl as an
 * EventSource reads it (WHATWG HTML §9.2): each event's `id:`, sent back as Last-Event-ID,
 * gets the events pushed while the client was away, each once, in order.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOntocat, runOntocatAsync } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { startServe, type RunningServe } from '../../helpers/web-host.js';

interface SseEvent { readonly id: string | null; readonly event: string; readonly data: string }

/** Splits an SSE body into its events (blocks with data), as the WHATWG parser does for these fields. */
function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of text.split('\n\n')) {
    let id: string | null = null;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length > 0) events.push({ id, event, data: data.join('\n') });
  }
  return events;
}

const changedChannels = (events: readonly SseEvent[]): string[] => events
  .filter((e) => e.event === 'catalog:changed')
  .map((e) => (JSON.parse(e.data) as { channel: string }).channel);

describe('ontocat serve: the event stream after a reconnect', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let started: RunningServe;
  let token: string;

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-event-reconnect');
    const source = path.join(temp.root, 'obo');
    mkdirSync(source);
    copyFileSync('/usr/share/EMBOSS/data/OBO/ro.obo', path.join(source, 'ro.obo'));
    const root = path.join(temp.root, 'root');
    const ingest = runOntocat(['ingest', source, '--service', 'ro', '--version', '1'], { root });
    expect(ingest.code, ingest.stderr).toBe(0);
    started = await startServe(root);
    token = started.token;
  }, 180_000);
  afterAll(async () => {
    await started?.stop();
    temp?.cleanup();
  });

  /** A CLI write, run through the serve process that owns the root. */
  const write = async (args: readonly string[]): Promise<void> => {
    const run = await runOntocatAsync(args, { root: started.root });
    expect(run.code, run.stderr).toBe(0);
  };

  /** curl's reading of the stream (-N: unbuffered) until `until` holds of what came, then it is cut. */
  const listen = async (headers: readonly string[], during: () => Promise<void>, until: (events: SseEvent[]) => boolean, waitMs = 10_000): Promise<SseEvent[]> => {
    const curl = spawn('curl', ['-s', '-N', '--max-time', '30', '-H', `x-ontocat-token: ${token}`, ...headers.flatMap((h) => ['-H', h]), `${started.origin}/api/events`]);
    let body = '';
    const connected = new Promise<void>((resolve) => {
      curl.stdout.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
        if (body.includes(': connected')) resolve();
      });
    });
    const exited = new Promise((resolve) => curl.once('exit', resolve));
    await connected;
    await during();
    for (let waited = 0; !until(parseSse(body)) && waited < waitMs; waited += 100) await new Promise((resolve) => { setTimeout(resolve, 100); });
    // A moment more: an event given twice would come now.
    await new Promise((resolve) => { setTimeout(resolve, 500); });
    curl.kill('SIGTERM');
    await exited;
    return parseSse(body);
  };

  it('gives a client that comes back with Last-Event-ID the writes it missed, each once, in order', async () => {
    const first = await listen([], () => write(['pin', 'ro/1']), (events) => changedChannels(events).length >= 1);
    expect(changedChannels(first)).toEqual(['versions:pin']);
    const lastId = first.at(-1)!.id;
    // Before: no event had an id, so a browser had nothing to send back and lost what follows.
    expect(lastId).toMatch(/\S/);
    // The client is away (a dropped connection, a laptop asleep) while two writes are made.
    await write(['pin', 'ro/1', '--off']);
    await write(['release-date', 'ro/1', '2021-03-01']);
    const back = await listen([`Last-Event-ID: ${lastId!}`], async () => {}, (events) => changedChannels(events).length >= 2);
    expect(changedChannels(back)).toEqual(['versions:pin', 'versions:set-release']);
    expect(new Set(back.map((e) => e.id)).size).toBe(back.length);
    // New writes follow the replayed ones on the same stream.
    const again = await listen([`Last-Event-ID: ${back.at(-1)!.id!}`], () => write(['pin', 'ro/1']), (events) => changedChannels(events).length >= 1);
    expect(changedChannels(again)).toEqual(['versions:pin']);
  }, 120_000);

  it('replays nothing for an id this server never gave (another run, junk)', async () => {
    for (const id of ['0a1b2c3d-1', 'junk', '']) {
      const events = await listen([`Last-Event-ID: ${id}`], async () => {}, () => false, 1000);
      expect(changedChannels(events), id).toEqual([]);
    }
    // Such a stream still carries what comes next.
    const next = await listen(['Last-Event-ID: junk'], () => write(['pin', 'ro/1', '--off']), (events) => changedChannels(events).length >= 1);
    expect(changedChannels(next)).toEqual(['versions:pin']);
  }, 60_000);
});
