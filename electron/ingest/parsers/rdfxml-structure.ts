import type { SaxesTagNS } from 'saxes';

const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';

/** The rdf:parseType values RDF/XML gives a meaning of their own (Triple: RDF 1.2). */
const PARSE_TYPES: ReadonlySet<string> = new Set(['Resource', 'Collection', 'Literal', 'Triple']);

/** What an open element is in RDF/XML's grammar: the rdf:RDF list, a node, a property, or XML inside a literal. */
type Frame = 'nodes' | 'node' | 'property' | 'literal';

/**
 * Follows RDF/XML's alternation of node and property elements (RDF/XML Syntax §7.2) on the
 * start tags, before rdfxml-streaming-parser sees them, for what that parser gets wrong.
 *
 * An rdf:parseType other than Resource, Collection, Literal or Triple "is treated as
 * Literal" (§7.2.20); the parser read its content as node elements, so a DAML+OIL era
 * `rdf:parseType="daml:collection"` gave a triple per item (rdflib, per the text, one literal)
 * and markup inside another value was refused as a relative IRI. Such a value is rewritten
 * to Literal here.
 */
export class RdfXmlStructure {
  private readonly frames: Frame[] = [];

  /** A start tag, before the RDF/XML parser reads it (its rdf:parseType may be rewritten). */
  open(tag: SaxesTagNS): void {
    const parent = this.frames.at(-1);
    if (parent === 'literal') this.frames.push('literal');
    else if (parent === undefined) this.frames.push(tag.uri === RDF && tag.local === 'RDF' ? 'nodes' : 'node');
    else if (parent === 'nodes' || parent === 'property') this.frames.push('node');
    else this.frames.push(this.propertyElement(tag));
  }

  /** An end tag. */
  close(): void {
    this.frames.pop();
  }

  /** A property element (its parent is a node): what its content is. */
  private propertyElement(tag: SaxesTagNS): Frame {
    let parseType: string | null = null;
    for (const attribute of Object.values(tag.attributes)) {
      if (attribute.uri !== RDF || attribute.local !== 'parseType') continue;
      if (!PARSE_TYPES.has(attribute.value)) attribute.value = 'Literal';
      parseType = attribute.value;
    }
    return parseType === 'Literal' ? 'literal' : parseType === 'Resource' ? 'node' : 'property';
  }
}
