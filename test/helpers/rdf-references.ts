import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { validateFile } from '../../electron/ingest/validate/validate-file.js';

/**
 * Two RDF parsers nobody here wrote, as references for validation verdicts and counts:
 * Raptor's `rapper` (Debian raptor2-utils) and Python's rdflib (Debian python3-rdflib).
 */

/** Formats both references read, by Ontocat's name: rapper's parser name and rdflib's format. */
const NAMES: Readonly<Record<string, { rapper: string; rdflib: string }>> = {
  turtle: { rapper: 'turtle', rdflib: 'turtle' },
  ntriples: { rapper: 'ntriples', rdflib: 'nt' },
  nquads: { rapper: 'nquads', rdflib: 'nquads' },
  trig: { rapper: 'trig', rdflib: 'trig' },
  rdfxml: { rapper: 'rdfxml', rdflib: 'xml' },
};

export const hasRapper = spawnSync('rapper', ['--version']).status === 0;
/**
 * The first Python that imports rdflib: the one on PATH, else Debian's own (python3-rdflib
 * installs for /usr/bin/python3, which a pyenv shim first on PATH hides).
 */
const rdflibPython = ['python3', '/usr/bin/python3'].find((python) => spawnSync(python, ['-c', 'import rdflib']).status === 0) ?? 'python3';
export const hasRdflib = spawnSync(rdflibPython, ['-c', 'import rdflib']).status === 0;

/** What a reference made of a file: whether it parsed, how many triples (statements for rapper) it read, the line it refused. */
export interface ReferenceVerdict {
  readonly ok: boolean;
  readonly triples: number | null;
  readonly message: string;
  readonly line: number | null;
}

const lineIn = (pattern: RegExp, text: string): number | null => {
  const line = pattern.exec(text)?.[1];
  return line === undefined ? null : Number(line);
};

/** rapper's verdict: an `Error` line refuses; its count is what it says it returned. */
export function rapperVerdict(file: string, format: string): ReferenceVerdict {
  const run = spawnSync('rapper', ['-i', NAMES[format]!.rapper, '-c', file, `file:///${file}`], { encoding: 'utf8' });
  const error = /Error[^\n]*/.exec(run.stderr)?.[0] ?? null;
  const count = /Parsing returned (\d+) triple/.exec(run.stderr)?.[1];
  return { ok: (run.status === 0 || run.status === 2) && error === null, triples: count === undefined ? null : Number(count), message: error ?? '', line: lineIn(/^Error - URI [^\n]*?:(\d+)/, error ?? '') };
}

/** rdflib's verdict: a parse that raises refuses; its count is the graph's triples. */
export function rdflibVerdict(file: string, format: string): ReferenceVerdict {
  const script = [
    'import sys, rdflib, logging',
    'logging.disable(logging.CRITICAL)',
    'g = rdflib.ConjunctiveGraph() if sys.argv[2] in ("nquads", "trig") else rdflib.Graph()',
    'try:',
    '    g.parse(sys.argv[1], format=sys.argv[2]); print("ok", len(g))',
    'except Exception as e:',
    '    print("error", str(e).splitlines()[0] if str(e) else type(e).__name__)',
  ].join('\n');
  const run = spawnSync(rdflibPython, ['-c', script, file, NAMES[format]!.rdflib], { encoding: 'utf8' });
  const [verdict, ...rest] = run.stdout.trim().split(' ');
  const message = verdict === 'ok' ? '' : rest.join(' ') || run.stderr;
  return { ok: verdict === 'ok', triples: verdict === 'ok' ? Number(rest[0]) : null, message, line: lineIn(/:(\d+):\d+: /, message) };
}

/**
 * Writes `text` as `name` in `dir` and reads it three ways as RDF/XML: Ontocat's syntax
 * finding and triple count, and both references' verdicts.
 */
export async function rdfxmlVerdicts(dir: string, name: string, text: string) {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const result = await validateFile({ absPath: file, relpath: name, format: 'rdfxml', size_bytes: Buffer.byteLength(text) });
  return { ontocat: result.rows.find((row) => row.rule === 'syntax')!, triples: result.triples, rapper: rapperVerdict(file, 'rdfxml'), rdflib: rdflibVerdict(file, 'rdfxml') };
}
