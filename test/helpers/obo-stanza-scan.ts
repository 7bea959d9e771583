/**
 * An OBO reading for term history tests that shares no code with the parser: per id (first
 * stanza only) its name, def text, synonym texts, obsolete flag, replaced_by, consider and
 * is_a targets, by plain line matching.
 */
import { readFileSync } from 'node:fs';

export interface ScannedTerm {
  readonly id: string;
  readonly name: string | null;
  readonly def: string | null;
  readonly synonyms: string[];
  readonly obsolete: boolean;
  readonly replacedBy: string[];
  readonly consider: string[];
  readonly isA: string[];
}

/** OBO's escapes (the 1.2 and 1.4 guides): `\n` newline, `\t` tab, `\W` space, any other `\c` the character c. */
const OBO_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', W: ' ' };
const unescape = (text: string): string => text.replace(/\\(.)/g, (_, c: string) => OBO_ESCAPES[c] ?? c);

/**
 * id → what the first stanza with that id says. A quoted text runs to the last quote before
 * what must follow it (a def's dbxref list, a synonym's scope), so a quote its writer did
 * not escape stays in it, as the text's author meant.
 *
 * A [Typedef]'s bare ids (its own, is_a, replaced_by, consider) are read as OBO 1.4 says:
 * one with an xref stands for that xref's id (the last RO or BFO xref, else the first),
 * then `default-relationship-id-prefix: P` gives the others the prefix P and
 * `idspace: P <iri>` makes `P:x` the IRI `<iri>x`.
 */
export function scanStanzas(file: string): Map<string, ScannedTerm> {
  type Scanning = { id: string; name: string | null; def: string | null; synonyms: string[]; obsolete: boolean; replacedBy: string[]; consider: string[]; isA: string[] };
  const terms = new Map<string, Scanning>();
  const typedefs = new Set<Scanning>();
  const shorthands = new Map<string, string>();
  let current: Scanning | null = null;
  let inStanza = false;
  let inHeader = true;
  let typedef = false;
  let relationPrefix: string | null = null;
  const idspaces = new Map<string, string>();
  // A trailing `! comment` and ` {modifiers}` block are not part of the value (OBO 1.4); a
  // brace right after a character is the value's own (ChEBI: `iminobis\{1-[…]ethanol\}`).
  const value = (line: string, tag: string): string => line.slice(tag.length + 1).replace(/\s!\s.*$/, '').replace(/\s+\{[^{}]*\}\s*$/, '').trim();
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    if (inHeader && /^default-relationship-id-prefix:/.test(line)) relationPrefix = value(line, 'default-relationship-id-prefix');
    else if (inHeader && /^idspace:/.test(line)) {
      const [space, iri] = value(line, 'idspace').split(/\s+/);
      if (space && iri && !idspaces.has(space)) idspaces.set(space, iri);
    }
    if (/^\[(Term|Typedef|Instance)\]/.test(line)) {
      inHeader = false;
      inStanza = true;
      typedef = line.startsWith('[Typedef]');
      current = null;
    } else if (/^\[/.test(line)) {
      inHeader = false;
      inStanza = false;
      current = null;
    } else if (inStanza && line.startsWith('id:')) {
      const id = line.slice(3).trim().split(/\s+/)[0]!;
      if (terms.has(id)) {
        current = null;
      } else {
        current = { id, name: null, def: null, synonyms: [], obsolete: false, replacedBy: [], consider: [], isA: [] };
        terms.set(id, current);
        if (typedef) typedefs.add(current);
      }
    } else if (current) {
      if (line.startsWith('name:') && current.name === null) current.name = unescape(value(line, 'name'));
      else if (line.startsWith('def:') && current.def === null) {
        const text = /^def:\s*"(.*)"\s*\[.*\]\s*(?:\{[^{}]*\})?\s*(?:!.*)?$/.exec(line)?.[1];
        current.def = text === undefined ? null : unescape(text);
      } else if (line.startsWith('synonym:')) {
        const text = /^synonym:\s*"(.*)"\s+(?:EXACT|BROAD|NARROW|RELATED)\b/.exec(line)?.[1];
        if (text !== undefined) current.synonyms.push(unescape(text));
      } else if (/^is_obsolete:\s*true\b/.test(line)) current.obsolete = true;
      else if (line.startsWith('replaced_by:')) current.replacedBy.push(value(line, 'replaced_by'));
      else if (line.startsWith('consider:')) current.consider.push(value(line, 'consider'));
      else if (line.startsWith('is_a:')) current.isA.push(value(line, 'is_a').split(/\s+/)[0]!);
      else if (typedef && line.startsWith('xref:') && !current.id.includes(':')) {
        const xref = value(line, 'xref').split(/\s+/)[0]!;
        if (xref.includes(':') && xref !== current.id && (!shorthands.has(current.id) || /^(RO|BFO):/.test(xref))) shorthands.set(current.id, xref);
      }
    }
  }
  const prefixIri = relationPrefix === null ? undefined : idspaces.get(relationPrefix);
  const relation = (id: string): string => (id.includes(':') ? id : shorthands.get(id) ?? (prefixIri === undefined ? id : prefixIri + id));
  const read = new Map<string, ScannedTerm>();
  for (const [id, term] of terms) {
    if (!typedefs.has(term)) {
      read.set(id, term);
      continue;
    }
    const mapped = { ...term, id: relation(id), replacedBy: term.replacedBy.map(relation), consider: term.consider.map(relation), isA: term.isA.map(relation) };
    read.set(mapped.id, mapped);
  }
  return read;
}
