// A first word that only starts commands (`terms`, `trash`, `sources`) is no command of its
// own: with --help it lists its commands, as `ontocat --help` does for all of them.
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../../electron/cli/main.js';
import { commands } from '../../../electron/cli/command-registry.js';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: { ONTOCAT_ROOT: '/nonexistent/ontocat-families' } };
  const code = await runCli(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('command families', () => {
  it("'ontocat terms --help' lists every terms command with its summary, on stdout", async () => {
    const help = await run(['terms', '--help']);
    expect(help.code).toBe(0);
    expect(help.err).toBe('');
    const terms = commands.filter((c) => c.name.startsWith('terms '));
    expect(terms.length).toBeGreaterThan(3);
    for (const command of terms) expect(help.out).toMatch(new RegExp(`^  ontocat ${command.name}\\b.*  ${command.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    expect(help.out).toContain("Run 'ontocat terms COMMAND --help' for a command's options.");
    // Nothing of another family.
    expect(help.out).not.toContain('ontocat trash');
  });

  it("'ontocat trash' alone lists the trash commands as a usage error", async () => {
    const bare = await run(['trash']);
    expect(bare.code).toBe(2);
    expect(bare.out).toBe('');
    for (const name of ['trash list', 'trash restore', 'trash empty']) expect(bare.err).toContain(`ontocat ${name}`);
  });

  it('still refuses an unknown word of a family by name, with the family as suggestions', async () => {
    const wrong = await run(['trash', 'purge']);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toBe("ontocat: unknown command 'trash purge'. Did you mean 'trash list' or 'trash restore' or 'trash empty'?");
  });
});
