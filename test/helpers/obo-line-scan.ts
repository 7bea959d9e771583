/**
 * An OBO reading that shares no code with the parser: stanza headers and `id:`, `name:`,
 * `is_obsolete:`, `alt_id:` lines and the header's subset and synonym type names, for tests
 * to check the parser's counts against.
 */
import { readFileSync } from 'node:fs';

/** What a plain line scan sees in an OBO file: stanzas by id, first name and obsolete flag of each id. */
export interface LineScan {
  readonly stanzas: number;
  /** id → the `[…]` line of every stanza with it. */
  readonly lines: Map<string, number[]>;
  readonly names: Map<string, string>;
  readonly obsolete: Set<string>;
  /**
   * Every term id the file gives, as written: the stanzas' ids; each alt_id of a `[Term]` or
   * a `[Typedef]` that is no metadata tag, when it is no stanza's id (a deprecated term, in
   * `obsolete`); and, when the header's `ontology:` is a plain name, each `subsetdef` and
   * `synonymtypedef` name. A bare alt_id of a `[Term]` counts under such a header, and under
   * an `ontology:` IRI as the IRI's namespace holds it (inOntologyIri).
   */
  readonly terms: Set<string>;
}

/**
 * A bare alt_id under an `ontology:` IRI, as EDAM's OWL release of 1.2 writes those of its
 * OBO release (`topic_0197` under http://edamontology.org is
 * `hasAlternativeId http://edamontology.org/topic_0197`), named as EDAM's OBO releases name
 * that IRI (`EDAM_topic:0197`), so the same term compares across releases.
 */
export function inOntologyIri(ontologyIri: string, name: string): string {
  return edamOboId(`${ontologyIri.replace(/\/$/, '')}/${name}`);
}

/** An EDAM concept's IRI as EDAM's OBO releases write its id (`EDAM_topic:0197`); any other id as it is. */
export function edamOboId(id: string): string {
  return id.replace(/^http:\/\/edamontology\.org\/(data|operation|topic|format)_([0-9]+)$/, 'EDAM_$1:$2');
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
  let kind = '';
  let plainOntology = false;
  let ontologyIri: string | null = null;
  const headerNames: string[] = [];
  // Per stanza: its kind, whether it is a metadata tag, its alt_ids.
  const alts: { kind: string; metadata: boolean; ids: string[] }[] = [];
  readFileSync(file, 'utf8').split(/\r?\n/).forEach((line, index) => {
    if (/^\[(Term|Typedef|Instance)\]/.test(line)) {
      stanzas += 1;
      header = index + 1;
      id = null;
      kind = line.slice(1, line.indexOf(']'));
      alts.push({ kind, metadata: false, ids: [] });
    } else if (/^\[/.test(line)) {
      header = -1;
      id = null;
    } else if (header === 0 && /^ontology:/.test(line)) {
      plainOntology = /^ontology:\s*[A-Za-z0-9_.-]+\s*$/.test(line);
      ontologyIri = /^ontology:\s*(https?:\/\/\S+)\s*$/.exec(line)?.[1] ?? null;
    } else if (header === 0 && /^(subsetdef|synonymtypedef):/.test(line)) {
      headerNames.push(line.slice(line.indexOf(':') + 1).trim().split(/\s+/)[0]!);
    } else if (header > 0 && line.startsWith('alt_id:')) {
      alts[alts.length - 1]!.ids.push(line.slice(7).replace(/\s!.*$/, '').trim().split(/\s+/)[0]!);
    } else if (header > 0 && /^is_metadata_tag:\s*true\b/.test(line)) {
      alts[alts.length - 1]!.metadata = true;
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
  const terms = new Set(lines.keys());
  for (const stanza of alts) {
    if (stanza.kind === 'Instance' || stanza.metadata) continue;
    for (const written of stanza.ids) {
      const alt = stanza.kind === 'Term' && !written.includes(':') && ontologyIri !== null ? inOntologyIri(ontologyIri, written) : written;
      if (lines.has(alt) || (stanza.kind === 'Term' && !alt.includes(':') && !plainOntology)) continue;
      terms.add(alt);
      obsolete.add(alt);
    }
  }
  if (plainOntology) for (const name of headerNames) if (!lines.has(name)) terms.add(name);
  return { stanzas, lines, names, obsolete, terms };
}


/** The line scan's term changes from one OBO release to the next: what an index delta must equal. */
export function scannedTermDelta(beforeFile: string, afterFile: string): { added: number; removed: number; relabelled: number; deprecated: number } {
  const before = scanLines(beforeFile);
  const after = scanLines(afterFile);
  const common = [...after.terms].filter((id) => before.terms.has(id));
  return {
    added: after.terms.size - common.length,
    removed: before.terms.size - common.length,
    relabelled: common.filter((id) => before.names.get(id) !== after.names.get(id)).length,
    deprecated: common.filter((id) => after.obsolete.has(id) && !before.obsolete.has(id)).length,
  };
}
