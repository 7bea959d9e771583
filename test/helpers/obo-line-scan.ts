/**
 * An OBO reading that shares no code with the parser: stanza headers and `id:`, `name:`
 * and `is_obsolete:` lines, for tests to check the parser's counts against.
 */
import { readFileSync } from 'node:fs';

/** What a plain line scan sees in an OBO file: stanzas by id, first name and obsolete flag of each id. */
export interface LineScan {
  readonly stanzas: number;
  /** id → the `[…]` line of every stanza with it. */
  readonly lines: Map<string, number[]>;
  readonly names: Map<string, string>;
  readonly obsolete: Set<string>;
}

/** Reads stanza headers and `id:`/`name:`/`is_obsolete:` lines without the OBO parser. */
export function scanLines(file: string): LineScan {
  const lines = new Map<string, number[]>();
  const names = new Map<string, string>();
  const obsolete = new Set<string>();
  let stanzas = 0;
  let header = 0;
  let id: string | null = null;
  let first = false;
  readFileSync(file, 'utf8').split(/\r?\n/).forEach((line, index) => {
    if (/^\[(Term|Typedef|Instance)\]/.test(line)) {
      stanzas += 1;
      header = index + 1;
      id = null;
    } else if (header > 0 && line.startsWith('id:')) {
      id = line.slice(3).trim().split(/\s+/)[0]!;
      first = !lines.has(id);
      lines.set(id, [...(lines.get(id) ?? []), header]);
    } else if (id !== null && first && line.startsWith('name:')) {
      names.set(id, line.slice(5).replace(/ !.*$/, '').trim());
    } else if (id !== null && first && /^is_obsolete:\s*true\b/.test(line)) {
      obsolete.add(id);
    }
  });
  return { stanzas, lines, names, obsolete };
}


/** The line scan's term changes from one OBO release to the next: what an index delta must equal. */
export function scannedTermDelta(beforeFile: string, afterFile: string): { added: number; removed: number; relabelled: number; deprecated: number } {
  const before = scanLines(beforeFile);
  const after = scanLines(afterFile);
  const common = [...after.lines.keys()].filter((id) => before.lines.has(id));
  return {
    added: after.lines.size - common.length,
    removed: before.lines.size - common.length,
    relabelled: common.filter((id) => before.names.get(id) !== after.names.get(id)).length,
    deprecated: common.filter((id) => after.obsolete.has(id) && !before.obsolete.has(id)).length,
  };
}
