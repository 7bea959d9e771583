import type { SaxesTagNS } from 'saxes';

const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const XML = 'http://www.w3.org/XML/1998/namespace';

/** The rdf:parseType values RDF/XML gives a meaning of their own; Triple only where RDF 1.2 is announced (rdf:version). */
const PARSE_TYPES: ReadonlySet<string> = new Set(['Resource', 'Collection', 'Literal']);

/** RDF names that are syntax, not properties, as attributes (§7.2.2–7.2.5; version and annotations: RDF 1.2). */
const SYNTAX_ATTRIBUTES: ReadonlySet<string> = new Set(['RDF', 'ID', 'about', 'parseType', 'resource', 'nodeID', 'datatype', 'aboutEach', 'aboutEachPrefix', 'bagID', 'Description', 'li', 'version', 'annotation', 'annotationNodeID']);

/**
 * RDF names that may not stand as an attribute of a node element, or of a property element:
 * they are syntax, not properties (propertyAttributeURIs, §7.2.2–7.2.5), and not the syntax
 * the element takes (§7.2.11, §7.2.14–7.2.21).
 */
const NOT_ON_NODE: ReadonlySet<string> = new Set(['RDF', 'Description', 'li', 'resource', 'datatype', 'parseType']);
const NOT_ON_PROPERTY: ReadonlySet<string> = new Set(['RDF', 'Description', 'li', 'about']);

/** An open element in RDF/XML's grammar: the rdf:RDF list, a node, XML inside a literal, or a property and its objects. */
type Frame = { readonly versioned: boolean } & (
  | { readonly kind: 'nodes' | 'node' | 'literal' }
  | { readonly kind: 'property'; readonly name: string; readonly list: boolean; readonly givenBy: string | null; objects: number });

/**
 * Follows RDF/XML's alternation of node and property elements (RDF/XML Syntax §7.2) on the
 * start tags, before rdfxml-streaming-parser sees them, for what that parser gets wrong.
 *
 * An rdf:parseType other than Resource, Collection, Literal or Triple "is treated as
 * Literal" (§7.2.20); the parser read its content as node elements, so a DAML+OIL era
 * `rdf:parseType="daml:collection"` gave a triple per item (rdflib, per the text, one literal)
 * and markup inside another value was refused as a relative IRI. Such a value is rewritten
 * to Literal here; so is RDF 1.2's Triple in a document that does not announce RDF 1.2 with
 * rdf:version, where the parser dropped the property and its object without a word.
 *
 * A property element has one object: one node element inside it, or none when rdf:resource,
 * rdf:nodeID or property attributes give it (§7.2.15, §7.2.21); only a Collection holds a
 * list. The parser took a second node element (or one after rdf:resource) as another object
 * of the same property, where rapper and rdflib refuse the document: `open` names the problem.
 *
 * RDF's syntax names are attributes only where the grammar puts them: the parser took any
 * other (`<owl:Class rdf:resource="…">`, a slip for rdf:about) for a property and gave it a
 * triple, where rapper and rdflib refuse the document. `open` names that too.
 */
export class RdfXmlStructure {
  private readonly frames: Frame[] = [];

  /** A start tag, before the RDF/XML parser reads it (its rdf:parseType may be rewritten); the grammar's problem with it, or null. */
  open(tag: SaxesTagNS): string | null {
    const parent = this.frames.at(-1);
    const versioned = (parent?.versioned ?? false) || Object.values(tag.attributes).some((attribute) => attribute.uri === RDF && attribute.local === 'version');
    if (parent === undefined) {
      const list = tag.uri === RDF && tag.local === 'RDF';
      this.frames.push({ kind: list ? 'nodes' : 'node', versioned });
      return list ? null : misplacedAttribute(tag, NOT_ON_NODE, 'node');
    }
    if (parent.kind === 'literal') {
      this.frames.push({ kind: 'literal', versioned });
      return null;
    }
    if (parent.kind === 'node') {
      this.frames.push(this.propertyElement(tag, versioned));
      return misplacedAttribute(tag, NOT_ON_PROPERTY, 'property');
    }
    this.frames.push({ kind: 'node', versioned });
    if (parent.kind === 'property') {
      if (parent.givenBy !== null) return `The property element ${parent.name} has its object in ${parent.givenBy} and must be empty, but holds the node element ${tag.name}.`;
      parent.objects += 1;
      if (!parent.list && parent.objects > 1) return `The property element ${parent.name} holds a second node element, ${tag.name}: a property element has one object (use one property element for each, or rdf:parseType="Collection" for a list).`;
    }
    return misplacedAttribute(tag, NOT_ON_NODE, 'node');
  }

  /** An end tag. */
  close(): void {
    this.frames.pop();
  }

  /** A property element (its parent is a node): what its content is. */
  private propertyElement(tag: SaxesTagNS, versioned: boolean): Frame {
    let parseType: string | null = null;
    let givenBy: string | null = null;
    for (const attribute of Object.values(tag.attributes)) {
      if (attribute.uri === RDF && attribute.local === 'parseType') {
        if (!PARSE_TYPES.has(attribute.value) && !(versioned && attribute.value === 'Triple')) attribute.value = 'Literal';
        parseType = attribute.value;
      } else if (attribute.uri === RDF && (attribute.local === 'resource' || attribute.local === 'nodeID')) {
        givenBy ??= attribute.name;
      } else if (attribute.uri && attribute.uri !== XML && attribute.prefix !== 'xmlns' && !(attribute.uri === RDF && SYNTAX_ATTRIBUTES.has(attribute.local))) {
        givenBy ??= `its property attribute ${attribute.name}`;
      }
    }
    if (parseType === 'Literal') return { kind: 'literal', versioned };
    if (parseType === 'Resource') return { kind: 'node', versioned };
    return { kind: 'property', name: tag.name, list: parseType === 'Collection', givenBy, objects: 0, versioned };
  }
}

/** The first RDF syntax name among a tag's attributes that its kind of element may not have, as a problem; null when none. */
function misplacedAttribute(tag: SaxesTagNS, forbidden: ReadonlySet<string>, kind: 'node' | 'property'): string | null {
  for (const attribute of Object.values(tag.attributes)) {
    if (attribute.uri === RDF && forbidden.has(attribute.local)) {
      const hint = kind === 'node' && attribute.local === 'resource' ? ' (a node element names its subject with rdf:about)' : kind === 'property' && attribute.local === 'about' ? ' (a property element names its object with rdf:resource)' : '';
      return `${attribute.name} is not allowed on the ${kind} element ${tag.name}: it is RDF/XML syntax, not a property${hint}.`;
    }
  }
  return null;
}
