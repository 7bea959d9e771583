/**
 * Which validator checks each format, without loading any parser.
 *
 * The catalog, the doctor and the pool's scheduling read this table; keeping it apart
 * from validate-file.ts lets them load without the parsers (n3, jsonld, saxes…), which
 * only a worker that actually parses needs.
 */
import type { FileFormat } from '../../shared/formats.js';

/** The validator name used for each format's syntax check (`other` has none). */
export const VALIDATOR_BY_FORMAT: Readonly<Partial<Record<FileFormat, string>>> = {
  turtle: 'turtle', ntriples: 'ntriples', nquads: 'nquads', trig: 'trig', rdfxml: 'rdfxml', owlxml: 'owlxml',
  jsonld: 'jsonld', obo: 'obo', xml: 'xml', csv: 'csv', tsv: 'tsv', json: 'json',
};

/**
 * The version of what validation produces for a given content: recorded in every syntax
 * row (`details.validator_version`), and results are reused by content hash only from
 * rows of this version. Bump it whenever a parser, a check or a dependency that changes
 * findings changes, so every file is parsed again.
 */
// 2: RDF/XML cut short before its closing tags is an error (it passed before).
// 3: duplicate-label compares label literals exactly, value and language, as ROBOT does
//    (it compared them case-insensitively and across languages); missing-label and
//    multiple-labels pass over deprecated terms, and missing-definition over terms with an
//    IAO:0000600 elucidation, as ROBOT does.
// 4: oboInOwl:hasDefinition is a definition (EDAM's OWL releases: 2,244 of EDAM 1.3's terms
//    were reported as missing one).
// 5: an OBO quoted text (def, synonym) holding quotes that are not escaped is read whole,
//    with an unescaped-quote WARN (EDAM 1.0 and 1.2: cut short at the first inner quote).
// 6: duplicate-label passes over a pair of two deprecated terms, as ROBOT's query does
//    (Debian's GO of 2013: 78 findings, 64 by ROBOT's rule).
// 7: missing-label and missing-definition pass over IRIs a file only declares and OBO
//    subset properties, and an empty label is no label, as ROBOT's queries have it
//    (@zazuko/rdf-vocabularies 2021: 12,193 findings, 11,949 by ROBOT's rules).
// 8: an OBO typedef's bare id is the id its xref or the header gives it (GO's part_of is
//    BFO:0000050, as findings on the OWL release name it), and a typedef marked
//    is_metadata_tag is an annotation property, which missing-definition passes over.
// 9: a bare typedef id neither rule maps is in the header's ontology (SO's adjacent_to is
//    …/obo/so#adjacent_to, as SO's OWL release names it), each alt_id (and oboInOwl:
//    hasAlternativeId) is a deprecated term replaced by its term, and an OBO header's subset
//    and synonym type names are annotation properties, as the OWL API reads them.
// 10: a file that is not UTF-8 (every format is read as UTF-8) gets an invalid-utf8 WARN
//     naming the first such byte; before, its text passed with U+FFFD in place of it.
// 11: XML (RDF/XML, OWL/XML, plain XML) is read in the encoding it declares, or by its
//     UTF-16 byte order mark (the W3C charmod test re-encoded to ISO-8859-1 had U+FFFD for
//     its ü); an encoding no decoder here reads is a syntax ERROR naming it. And a file whose
//     format its first statements decided (no registered extension) that fails as that
//     format is tried in the wider syntaxes (N-Triples: N-Quads, Turtle, TriG; Turtle: TriG),
//     with a format-widened WARN when one parses (valid files had a false syntax ERROR).
// 12: XML read as UTF-8 (no encoding declaration, or one naming UTF-8 or US-ASCII) whose
//     bytes are not in that encoding is a syntax ERROR at the first such byte, as XML 1.0
//     §4.3.3 has it and xmllint refuses it (a release re-saved in ISO-8859-1 passed with an
//     invalid-utf8 WARN, one declaring US-ASCII with UTF-8 letters passed clean).
// 13: an XML document's DOCTYPE declaration is checked for well-formedness (XML 1.0 §2.8):
//     saxes read only far enough to find its end, so 258 of 1,076 single-bit flips of EDAM
//     1.3's entity declarations passed as XML and RDF/XML where xmllint refuses them.
// 14: entities an XML document's DOCTYPE declares are expanded where it uses them (an OWL/XML
//     ontology's `&xsd;string` was an "undefined entity" ERROR, RDF/XML's `&a;` naming
//     another entity kept `&b;` in its IRI), and with an external DTD an entity nothing here
//     declares is kept as written, not an error, as xmllint and expat read them.
// 15: an RDF/XML rdf:parseType other than Resource, Collection, Literal or Triple is read as
//     Literal, as RDF/XML Syntax §7.2.20 has it (rdf:parseType="daml:collection" gave a triple
//     per item, other markup inside was refused as a relative IRI).
// 16: an RDF/XML property element holding a second node element, or one besides the object
//     rdf:resource, rdf:nodeID or property attributes give it, is a syntax ERROR at that node
//     element, as rapper and rdflib refuse it (it passed, each node another object).
// 17: an RDF syntax name as an attribute where the grammar does not put it (rdf:resource,
//     rdf:datatype, rdf:parseType on a node element; rdf:about on a property element;
//     rdf:li, rdf:Description, rdf:RDF on either) is a syntax ERROR, as rapper and rdflib
//     refuse it (it passed as a property: `<owl:Class rdf:resource="…">` gave a blank node).
// 18: an XML document in an encoding no decoder here reads gets its syntax ERROR naming the
//     encoding and no invalid-utf8 WARN beside it (its bytes were never read as UTF-8; the
//     WARN said they were, with U+FFFD).
// 19: RDF/XML's rdf:parseType="Triple" in a document that does not announce RDF 1.2
//     (rdf:version) is read as Literal, as any other value (the property and its object
//     were dropped: no triple at all).
// 20: N-Triples, N-Quads, Turtle, TriG, JSON and JSON-LD that are not UTF-8 fail their syntax
//     check at the first such byte (line and column), as their specifications fix UTF-8 and
//     rdflib, Python's json and rapper's N-Triples reader refuse them; they passed with an
//     invalid-utf8 WARN and U+FFFD in their labels. OBO, CSV and TSV keep the WARN.
export const VALIDATOR_VERSION = 20;
