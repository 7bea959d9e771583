// The quick entry (quick-main.ts) runs a few commands without loading the full CLI. It must
// pick exactly the command the full CLI would for the same words, and hand every other
// command line back (null) so help, errors and every other command stay the full CLI's.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillCatalog } from '../../bench/cli-start.bench.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { runCli, type CliIo } from '../../../electron/cli/main.js';
import { commands } from '../../../electron/cli/command-registry.js';
import { QUICK_COMMAND_NAMES, quickCommands, runQuick } from '../../../electron/cli/quick-main.js';

function capture(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: { ONTOCAT_ROOT: '/nonexistent/ontocat-quick' } }, out, err };
}

describe('the quick CLI entry', () => {
  it('holds the same command objects as the full CLI, and no full command extends their names', () => {
    expect(quickCommands.map((c) => c.name)).toEqual([...QUICK_COMMAND_NAMES]);
    for (const quick of quickCommands) {
      expect(commands).toContain(quick);
      // The quick entry opens a read session only (it is bundled without the full one).
      expect(quick.access).toBe('read');
      // A longer command starting with a quick command's words would be taken by the full
      // CLI (two-word names first) and missed by the quick one.
      expect(commands.filter((c) => c !== quick && c.name.startsWith(`${quick.name} `))).toEqual([]);
      if (!quick.name.includes(' ')) expect(commands.filter((c) => c.name.split(' ')[0] === quick.name && c !== quick)).toEqual([]);
    }
  });

  it('is loaded by bin/ontocat.mjs for every command line that may name one of its commands', () => {
    // bin/ontocat.mjs skips the quick entry when no argument is one of these words.
    const bin = readFileSync(path.join(projectRoot, 'bin', 'ontocat.mjs'), 'utf8');
    const words = JSON.parse(/const QUICK_WORDS = (\[[^\]]*\]);/.exec(bin)![1]!.replaceAll("'", '"')) as string[];
    expect(new Set(words)).toEqual(new Set(QUICK_COMMAND_NAMES.map((name) => name.split(' ')[0])));
  });

  it('hands back every command line it does not run', async () => {
    for (const argv of [[], ['--help'], ['services'], ['latest'], ['latest', 'history', 'go'], ['latest', 'set', 'go/1'], ['nope'], ['ingest', 'x']]) {
      const { io, out, err } = capture();
      expect(await runQuick(argv, io)).toBeNull();
      expect([...out, ...err]).toEqual([]);
    }
  });

  it('answers help and usage errors exactly as the full CLI', async () => {
    for (const argv of [['info', '--help'], ['versions', '-h'], ['latest', 'get', '--help'], ['info', 'extra'], ['latest', 'get'], ['versions', '--bogus'], ['info', '--root', '/nonexistent/ontocat-quick/x']]) {
      const quick = capture();
      const full = capture();
      const quickCode = await runQuick(argv, quick.io);
      const fullCode = await runCli(argv, full.io);
      expect(quickCode).toBe(fullCode);
      expect(quick.out).toEqual(full.out);
      expect(quick.err).toEqual(full.err);
    }
  });
});

describe('the quick CLI entry on a real catalog', () => {
  const temp = makeTempRoot('ontocat-quick-entry');
  beforeAll(async () => {
    await fillCatalog(temp.root, 500);
  }, 120_000);
  afterAll(() => temp.cleanup());

  it('prints what the full CLI prints, with the same exit code', async () => {
    const cases = [
      ['info'], ['info', '--json'], ['versions'], ['versions', '--json'], ['versions', '--service', 'go', '--sort', 'files', '--desc', '--limit', '1'],
      ['versions', '--sort', 'bogus'], ['versions', '--limit', '0'], ['latest', 'get', 'uberon'], ['latest', 'get', 'uberon', '--json'],
      ['latest', 'get', 'nothing-here'], ['info', '--db', `${temp.root}/missing.duckdb`],
    ];
    for (const argv of cases) {
      const args = [...argv, '--root', temp.root];
      const quick = capture();
      const full = capture();
      const quickCode = await runQuick(args, { ...quick.io, processExiting: false });
      const fullCode = await runCli(args, { ...full.io, processExiting: false });
      expect({ argv, code: quickCode, out: quick.out, err: quick.err }).toEqual({ argv, code: fullCode, out: full.out, err: full.err });
    }
    const info = capture();
    expect(await runQuick(['info', '--json', '--root', temp.root], info.io)).toBe(0);
    expect(JSON.parse(info.out.join(''))).toMatchObject({ versions: 10, files: 500, read_only: true });
  }, 120_000);
});
