/**
 * An OBO reading for term history tests that shares no code with the parser: per id (first
 * stanza only) its name, def text, synonym texts, obsolete flag, replaced_by, consider and
 * is_a targets, by plain line matching.
 */
import { readFileSync } from 'node:fs';
import { inOntologyIri } from './obo-line-scan.js';

export interface ScannedTerm {
  readonly id: string;
  readonly name: string | null;
  readonly def: string | null;
  readonly synonyms: string[];
  readonly obsolete: boolean;
  readonly replacedBy: string[];
  readonly consider: string[];
  readonly isA: string[];
  /**
   * Its kind, in OBO's words: its stanza (`Term`, `Typedef`, `Instance`), `Typedef metadata`
   * for a typedef marked `is_metadata_tag` and for a header's subset or synonym type name
   * (annotation properties, all of them), and an alt_id's the kind of the stanza giving it
   * (the OWL API makes a class of a term's alt_id).
   */
  readonly kind: string;
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
 * `idspace: P <iri>` makes `P:x` the IRI `<iri>x`, and under `ontology: o` (a plain name)
 * any other is `http://purl.obolibrary.org/obo/o#x`.
 *
 * As the OWL API translates OBO: each alt_id of a `[Term]`, or of a `[Typedef]` that is no
 * metadata tag, that is no stanza's id is a term of its own, obsolete and replaced by the
 * stanza's id (a bare alt_id of a `[Term]` under a plain `ontology:`, in its namespace,
 * and under an `ontology:` IRI, in that IRI's namespace as EDAM's OWL release of 1.2 has
 * it, by inOntologyIri); under a plain `ontology:`, each `subsetdef` name is a term under
 * oboInOwl:SubsetProperty and each `synonymtypedef` name one under
 * oboInOwl:SynonymTypeProperty, named by its description.
 */
export function scanStanzas(file: string): Map<string, ScannedTerm> {
  type Scanning = { id: string; name: string | null; def: string | null; synonyms: string[]; obsolete: boolean; replacedBy: string[]; consider: string[]; isA: string[]; kind: string };
  const terms = new Map<string, Scanning>();
  const typedefs = new Set<Scanning>();
  const shorthands = new Map<string, string>();
  let current: Scanning | null = null;
  let inStanza = false;
  let inHeader = true;
  let typedef = false;
  let stanza = '';
  let relationPrefix: string | null = null;
  let ontology: string | null = null;
  let ontologyIri: string | null = null;
  const headerNames: { name: string; description: string | null; synonymType: boolean }[] = [];
  const altIds = new Map<Scanning, { ids: string[]; metadata: boolean }>();
  const idspaces = new Map<string, string>();
  // A trailing `! comment` and ` {modifiers}` block are not part of the value (OBO 1.4); a
  // brace right after a character is the value's own (ChEBI: `iminobis\{1-[…]ethanol\}`).
  const value = (line: string, tag: string): string => line.slice(tag.length + 1).replace(/\s!\s.*$/, '').replace(/\s+\{[^{}]*\}\s*$/, '').trim();
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    if (inHeader && /^ontology:/.test(line)) ontology = /^ontology:\s*([A-Za-z0-9_.-]+)\s*$/.exec(line)?.[1] ?? null;
    if (inHeader && /^ontology:/.test(line)) ontologyIri = /^ontology:\s*(https?:\/\/\S+)\s*$/.exec(line)?.[1] ?? null;
    else if (inHeader && /^(subsetdef|synonymtypedef):/.test(line)) {
      const tag = line.slice(0, line.indexOf(':'));
      const [, name, description] = /^\S+:\s*(\S+)(?:\s+"((?:[^"\\]|\\.)*)")?/.exec(line) ?? [];
      if (name) headerNames.push({ name, description: description === undefined ? null : unescape(description), synonymType: tag === 'synonymtypedef' });
    }
    if (inHeader && /^default-relationship-id-prefix:/.test(line)) relationPrefix = value(line, 'default-relationship-id-prefix');
    else if (inHeader && /^idspace:/.test(line)) {
      const [space, iri] = value(line, 'idspace').split(/\s+/);
      if (space && iri && !idspaces.has(space)) idspaces.set(space, iri);
    }
    if (/^\[(Term|Typedef|Instance)\]/.test(line)) {
      inHeader = false;
      inStanza = true;
      typedef = line.startsWith('[Typedef]');
      stanza = /^\[(\w+)\]/.exec(line)![1]!;
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
        current = { id, name: null, def: null, synonyms: [], obsolete: false, replacedBy: [], consider: [], isA: [], kind: stanza };
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
      else if (line.startsWith('alt_id:')) {
        const entry = altIds.get(current) ?? { ids: [], metadata: false };
        // An id is one token; EDAM 1.1 follows one with `!{since=beta13}`.
        entry.ids.push(value(line, 'alt_id').split(/\s+/)[0]!);
        altIds.set(current, entry);
      } else if (/^is_metadata_tag:\s*true\b/.test(line)) {
        const entry = altIds.get(current) ?? { ids: [], metadata: false };
        entry.metadata = true;
        altIds.set(current, entry);
        if (typedef) current.kind = 'Typedef metadata';
      }
      else if (typedef && line.startsWith('xref:') && !current.id.includes(':')) {
        const xref = value(line, 'xref').split(/\s+/)[0]!;
        if (xref.includes(':') && xref !== current.id && (!shorthands.has(current.id) || /^(RO|BFO):/.test(xref))) shorthands.set(current.id, xref);
      }
    }
  }
  const prefixIri = relationPrefix === null ? undefined : idspaces.get(relationPrefix);
  const inOntology = (id: string): string | null => (ontology === null ? null : `http://purl.obolibrary.org/obo/${ontology}#${encodeURIComponent(id)}`);
  const relation = (id: string): string => (id.includes(':') ? id : shorthands.get(id) ?? (prefixIri === undefined ? inOntology(id) ?? id : prefixIri + id));
  const read = new Map<string, ScannedTerm>();
  for (const { name, description, synonymType } of ontology === null ? [] : headerNames) {
    const id = name.includes(':') ? name : inOntology(name)!;
    if (terms.has(id) || read.has(id)) continue;
    const parent = `http://www.geneontology.org/formats/oboInOwl#${synonymType ? 'SynonymTypeProperty' : 'SubsetProperty'}`;
    read.set(id, { id, name: synonymType ? description : null, def: null, synonyms: [], obsolete: false, replacedBy: [], consider: [], isA: [parent], kind: 'Typedef metadata' });
  }
  const alts: [string, ScannedTerm][] = [];
  for (const [id, term] of terms) {
    const typedef = typedefs.has(term);
    const mapped = typedef ? { ...term, id: relation(id), replacedBy: term.replacedBy.map(relation), consider: term.consider.map(relation), isA: term.isA.map(relation) } : term;
    read.set(mapped.id, mapped);
    const alt = altIds.get(term);
    if (!alt || alt.metadata) continue;
    for (const written of alt.ids) {
      const altId = typedef ? relation(written) : written.includes(':') ? written : ontologyIri !== null ? inOntologyIri(ontologyIri, written) : inOntology(written);
      if (altId !== null) alts.push([altId, { id: altId, name: null, def: null, synonyms: [], obsolete: true, replacedBy: [mapped.id], consider: [], isA: [], kind: term.kind }]);
    }
  }
  for (const [id, alt] of alts) {
    const seen = read.get(id);
    if (!seen) read.set(id, alt);
    else if (seen.obsolete && seen.name === null && !terms.has(id)) seen.replacedBy.push(...alt.replacedBy.filter((by) => !seen.replacedBy.includes(by)));
  }
  return read;
}
