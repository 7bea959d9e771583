/**
 * A line scan of RDF/XML as OWLAPI writes it (EDAM's OWL releases), the outside truth for
 * terms read from OWL files: nothing here shares code with the parsers. Each top-level
 * `<owl:X rdf:about="…">` element (four spaces in) is one entity; its one-line
 * `oboInOwl:hasDefinition` and `owl:deprecated` children (eight spaces in) are read.
 */

/** One top-level element: its `owl:` element name (Class, ObjectProperty, …), definitions (XML-unescaped) and deprecation. */
export interface OwlScannedTerm {
  readonly element: string;
  readonly definitions: string[];
  deprecated: boolean;
}

const unescapeXml = (text: string): string =>
  text.replace(/&apos;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** IRI → what its top-level element says, in file order. */
export function scanOwlXml(text: string): Map<string, OwlScannedTerm> {
  const terms = new Map<string, OwlScannedTerm>();
  let current: OwlScannedTerm | null = null;
  for (const line of text.split('\n')) {
    const start = /^ {4}<owl:(\w+) rdf:about="([^"]+)">$/.exec(line);
    if (start) {
      current = { element: start[1]!, definitions: [], deprecated: false };
      terms.set(start[2]!, current);
    } else if (/^ {4}<\/owl:/.test(line)) {
      current = null;
    } else if (current) {
      const definition = /^ {8}<oboInOwl:hasDefinition>(.*)<\/oboInOwl:hasDefinition>$/.exec(line);
      if (definition) current.definitions.push(unescapeXml(definition[1]!));
      if (/^ {8}<owl:deprecated( [^>]*)?>true<\/owl:deprecated>$/.test(line)) current.deprecated = true;
    }
  }
  return terms;
}
