/**
 * Ontology quality checks in the spirit of ROBOT `report`, on extracted terms.
 *
 * Rules and severities (ROBOT's default report profile where ROBOT has the rule, checked
 * against robot-core/src/main/resources/report_profile.txt in ontodev/robot):
 * - `duplicate-id`         ERROR  two or more OBO stanzas share an id; one finding per id,
 *                                 naming the line of every stanza (ROBOT cannot see this:
 *                                 the OWL translation merges them)
 * - `missing-label`        ERROR  a live term has no rdfs:label / skos:prefLabel (OBO `name`),
 *                                 or only empty ones; deprecated terms, IRIs the file only
 *                                 declares and OBO subset properties are exempt, as in
 *                                 ROBOT's missing_label (so are they from missing-definition)
 * - `duplicate-label`      ERROR  two terms share a label: the same literal, value and
 *                                 language, as ROBOT's report compares them ("animal"@en
 *                                 and "Animal"@en, or "animal"@fr, are other labels); two
 *                                 deprecated terms sharing one are not reported, as in ROBOT
 * - `multiple-labels`      ERROR  a live term has more than one label in the same language
 *                                 (deprecated terms exempt, as in ROBOT's multiple_labels;
 *                                 ROBOT also counts other languages, a multilingual
 *                                 vocabulary's normal state, so this rule does not)
 * - `missing-definition`   WARN   a live class or property has no IAO:0000115 /
 *                                 skos:definition / oboInOwl:hasDefinition (OBO `def`);
 *                                 individuals, deprecated terms and terms with an IAO:0000600
 *                                 elucidation are exempt, as in ROBOT's missing_definition,
 *                                 and so are annotation properties. ROBOT reads IAO:0000115
 *                                 only, and would report every term of EDAM's OWL releases,
 *                                 which define each one with oboInOwl:hasDefinition
 * - `deprecated-without-replacement` WARN  owl:deprecated true (OBO `is_obsolete`) with
 *                                 neither IAO:0100001 / `replaced_by` nor `consider`
 *                                 (ROBOT has no such rule; OBO guidance says to give one)
 * Terms of the built-in vocabularies (rdf:, rdfs:, owl:, xsd:) are never checked.
 */
import type { NewValidation } from '../../catalog/write-records.js';
import type { Severity } from '../../shared/models.js';
import type { DuplicateTerm, ExtractedTerm } from '../parsers/extract-terms.js';
import { BUILT_IN_NAMESPACES, SUBSET_PROPERTY } from '../parsers/vocabulary.js';

export const QUALITY_VALIDATOR = 'quality';

export const QUALITY_RULES = {
  'duplicate-id': 'ERROR',
  'missing-label': 'ERROR',
  'duplicate-label': 'ERROR',
  'multiple-labels': 'ERROR',
  'missing-definition': 'WARN',
  'deprecated-without-replacement': 'WARN',
} as const satisfies Readonly<Record<string, Severity>>;

export type QualityRule = keyof typeof QUALITY_RULES;

function isBuiltIn(id: string): boolean {
  return BUILT_IN_NAMESPACES.some((namespace) => id.startsWith(namespace));
}

const definitionExempt = new Set(['individual', 'annotation_property']);

/**
 * Entities ROBOT's missing_label and missing_definition pass over whatever their kind: an
 * IRI the file only declares (EDAM's OWL releases declare 17 oboInOwl and OBO properties
 * they use and describe nothing of), and an OBO subset's property.
 */
const undescribed = (term: ExtractedTerm): boolean => term.declared_only === true || term.parents.includes(SUBSET_PROPERTY);

/**
 * Runs every quality rule over the terms of one file (one per distinct id) and the ids
 * several OBO stanzas share; returns findings (all `passed: false`).
 */
export function qualityFindings(relpath: string, terms: readonly ExtractedTerm[], duplicates: readonly DuplicateTerm[] = []): NewValidation[] {
  const findings: NewValidation[] = [];
  for (const duplicate of duplicates) {
    const lines = duplicate.lines;
    const where = `${lines.slice(0, -1).join(', ')} and ${lines[lines.length - 1]}`;
    findings.push({
      relpath, validator: QUALITY_VALIDATOR, rule: 'duplicate-id', severity: QUALITY_RULES['duplicate-id'], passed: false,
      message: `${duplicate.id} is the id of ${lines.length} stanzas, at lines ${where}; only the first is used as the term.`,
      line: lines[0] ?? null, col: null, subject: duplicate.id, details: { kind: duplicate.kind, lines },
    });
  }
  const finding = (rule: QualityRule, term: ExtractedTerm, message: string, details: Record<string, unknown> = {}): void => {
    findings.push({
      relpath, validator: QUALITY_VALIDATOR, rule, severity: QUALITY_RULES[rule], passed: false, message,
      line: term.line, col: null, subject: term.id, details: { kind: term.kind, ...details },
    });
  };
  const checked = terms.filter((term) => !isBuiltIn(term.id));

  const byLabel = new Map<string, ExtractedTerm[]>();
  for (const term of checked) {
    // An empty label is no label (ROBOT: `str(?value) != ""`).
    if (!term.labels.some((label) => label.value !== '') && !term.deprecated && !undescribed(term)) finding('missing-label', term, `${term.id} has no label.`);
    const byLang = new Map<string, Set<string>>();
    // A label literal's identity: its value and its language (null for none).
    const keys = new Set<string>();
    for (const label of term.labels) {
      const lang = label.lang ?? '';
      const values = byLang.get(lang) ?? new Set<string>();
      values.add(label.value);
      byLang.set(lang, values);
      keys.add(`${label.lang ?? ''}\u0000${label.value}`);
    }
    for (const [lang, values] of byLang) {
      if (values.size > 1 && !term.deprecated) {
        const list = [...values];
        finding('multiple-labels', term, `${term.id} has ${list.length} labels${lang ? ` in language '${lang}'` : ' without a language'}: ${list.map((v) => `"${v}"`).join(', ')}.`, { lang: lang || null, labels: list });
      }
    }
    for (const key of keys) {
      const group = byLabel.get(key) ?? [];
      group.push(term);
      byLabel.set(key, group);
    }
    if (term.definitions.length === 0 && !term.deprecated && !term.elucidated && !definitionExempt.has(term.kind) && !undescribed(term)) {
      finding('missing-definition', term, `${term.id}${term.labels[0] ? ` ("${term.labels[0].value}")` : ''} has no definition.`);
    }
    if (term.deprecated && term.replaced_by.length === 0 && term.consider.length === 0) {
      finding('deprecated-without-replacement', term, `${term.id} is deprecated but names no replacement (term replaced by / replaced_by) and nothing to consider.`);
    }
  }
  for (const [key, group] of byLabel) {
    if (group.length < 2) continue;
    // A language tag has no NUL; the value may.
    const lang = key.slice(0, key.indexOf('\u0000'));
    const shown = key.slice(lang.length + 1);
    const literal = `"${shown}"${lang ? `@${lang}` : ''}`;
    for (const term of group) {
      // As ROBOT's duplicate_label.rq: a pair of two deprecated terms is no duplicate (an
      // obsolete term keeps its old label beside an obsolete twin); a live term's label is.
      const others = group.filter((other) => other !== term && !(other.deprecated && term.deprecated)).map((other) => other.id);
      if (others.length === 0) continue;
      finding('duplicate-label', term, `Label ${literal} of ${term.id} is also the label of ${others.slice(0, 5).join(', ')}${others.length > 5 ? ` and ${others.length - 5} more` : ''}.`,
        { label: shown, lang: lang || null, others });
    }
  }
  return findings;
}
