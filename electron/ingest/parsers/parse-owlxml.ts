import type { SaxesTagNS } from 'saxes';
import { streamXml, XmlProblem } from './xml-stream.js';
import type { ParseControl, ParseOutcome, RdfTermLike, TripleSink } from './parse-types.js';
import { OWL, RDF_TYPE, XSD } from './vocabulary.js';
import { countOf } from '../../shared/count-noun.js';

const OWL_NS = OWL;
const entityElements = new Set(['Class', 'ObjectProperty', 'DataProperty', 'AnnotationProperty', 'NamedIndividual', 'Datatype']);
const entityTypes: Readonly<Record<string, string>> = {
  Class: `${OWL}Class`,
  ObjectProperty: `${OWL}ObjectProperty`,
  DataProperty: `${OWL}DatatypeProperty`,
  AnnotationProperty: `${OWL}AnnotationProperty`,
  NamedIndividual: `${OWL}NamedIndividual`,
  Datatype: 'http://www.w3.org/2000/01/rdf-schema#Datatype',
};
const notAxioms = new Set(['Prefix', 'Import', 'Annotation']);

/**
 * Streams an OWL/XML ontology: checks it is well-formed XML with an `owl:Ontology` root,
 * that declarations name one entity by IRI and that abbreviated IRIs use declared
 * prefixes. Declarations and annotation assertions are passed to `sink` as the triples
 * they mean in RDF, so the same term extraction works for every ontology format.
 * `triples` counts axioms (children of the ontology other than prefixes, imports and
 * ontology annotations).
 */
export async function parseOwlXmlFile(filePath: string, sink: TripleSink, control: ParseControl = {}): Promise<ParseOutcome> {
  const prefixes = new Map<string, string>([
    ['owl', OWL], ['rdf', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#'], ['rdfs', 'http://www.w3.org/2000/01/rdf-schema#'],
    ['xsd', XSD], ['xml', 'http://www.w3.org/XML/1998/namespace'],
  ]);
  let axioms = 0;
  let declarations = 0;
  let base: string | null = null;
  // The axiom being read (depth 2) and what it collected.
  let axiom: string | null = null;
  let parts: RdfTermLike[] = [];
  let partTag: { local: string; lang?: string; datatype?: string } | null = null;
  let text = '';

  const { problem, elements } = await streamXml(filePath, (position) => {
    const fail = (message: string): never => {
      const { line, col } = position();
      throw new XmlProblem(message, line, col);
    };
    const expand = (abbreviated: string): string => {
      const colon = abbreviated.indexOf(':');
      const prefix = colon >= 0 ? abbreviated.slice(0, colon) : '';
      const namespace = prefixes.get(prefix);
      if (namespace === undefined) fail(`Undeclared prefix '${prefix}' in abbreviated IRI '${abbreviated}'.`);
      return namespace + abbreviated.slice(colon + 1);
    };
    const resolve = (iri: string): string => {
      if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(iri) || base === null) return iri;
      try { return new URL(iri, base).href; } catch { return iri; }
    };
    const iriOf = (tag: SaxesTagNS): string | null => {
      const iri = tag.attributes.IRI?.value;
      if (iri !== undefined) return resolve(iri);
      const abbreviated = tag.attributes.abbreviatedIRI?.value;
      return abbreviated !== undefined ? expand(abbreviated) : null;
    };
    return {
      onOpen(tag, depth) {
        if (depth === 1) {
          if (tag.local !== 'Ontology' || tag.uri !== OWL_NS) fail(`The root element must be Ontology in the OWL namespace (${OWL_NS}); found '${tag.name}'.`);
          base = tag.attributes['xml:base']?.value ?? control.baseIri ?? null;
          return;
        }
        if (tag.uri !== OWL_NS) return;
        if (depth === 2) {
          axiom = tag.local;
          parts = [];
          if (tag.local === 'Prefix') {
            const name = tag.attributes.name?.value;
            const iri = tag.attributes.IRI?.value;
            if (name === undefined || iri === undefined) fail("A Prefix needs 'name' and 'IRI' attributes.");
            prefixes.set(name!, iri!);
          } else if (!notAxioms.has(tag.local)) {
            axioms += 1;
          }
          return;
        }
        if (depth === 3 && axiom === 'Declaration') {
          if (!entityElements.has(tag.local)) fail(`A Declaration must hold an entity (Class, ObjectProperty, …), found '${tag.local}'.`);
          const iri = iriOf(tag);
          if (iri === null) fail(`The ${tag.local} in a Declaration needs an IRI or abbreviatedIRI attribute.`);
          declarations += 1;
          sink({ termType: 'NamedNode', value: iri! }, { termType: 'NamedNode', value: RDF_TYPE }, { termType: 'NamedNode', value: entityTypes[tag.local]! });
          return;
        }
        if (depth === 3 && axiom === 'AnnotationAssertion') {
          if (tag.local === 'Annotation') return;
          if (tag.local === 'AnnotationProperty') {
            const iri = iriOf(tag);
            if (iri === null) fail('An AnnotationProperty needs an IRI or abbreviatedIRI attribute.');
            parts.push({ termType: 'NamedNode', value: iri! });
            return;
          }
          partTag = {
            local: tag.local,
            lang: tag.attributes['xml:lang']?.value,
            datatype: tag.attributes.datatypeIRI?.value,
          };
          if (tag.local === 'AnonymousIndividual') parts.push({ termType: 'BlankNode', value: tag.attributes.nodeID?.value ?? '' });
          text = '';
        }
      },
      onText(value) {
        if (partTag) text += value;
      },
      onClose(tag, depth) {
        if (depth === 3 && partTag && tag.local === partTag.local) {
          const value = text.trim();
          if (partTag.local === 'IRI') parts.push({ termType: 'NamedNode', value: resolve(value) });
          else if (partTag.local === 'AbbreviatedIRI') parts.push({ termType: 'NamedNode', value: expand(value) });
          else if (partTag.local === 'Literal') {
            parts.push({ termType: 'Literal', value: text, language: partTag.lang ?? '', datatype: { value: partTag.datatype ?? `${XSD}string` } });
          }
          partTag = null;
          return;
        }
        if (depth === 2 && axiom === 'AnnotationAssertion') {
          if (parts.length !== 3) fail(`An AnnotationAssertion needs a property, a subject and a value; found ${countOf(parts.length, 'part')}.`);
          sink(parts[1]!, parts[0]!, parts[2]!);
        }
        if (depth === 2) axiom = null;
      },
    };
  }, control);
  return { problem, triples: axioms, counts: { axioms, declarations, elements }, notices: [] };
}
