/**
 * A file pair's term delta (parsed on demand, `delta:terms`) and the whole-version delta
 * (from the term index, `terms:version-delta`) give the same answer, change for change,
 * on real releases nobody here wrote: five EDAM releases (OBO) and vocabularies of
 * @zazuko/rdf-vocabularies 2019, 2020 and 2021 (N-Quads), each the only file of its
 * version. Before, a curator who opened one file from a version delta saying "redefined"
 * or "kind changed" found no such term in the file's delta. Every kind of change occurs
 * at least once, so agreement is never the agreement of two empty lists.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { versionTermDelta } from '../../../electron/catalog/term-index-queries.js';
import { ingestAndValidate } from '../../../electron/ingest/ingest-and-validate.js';
import { computeTermDelta } from '../../../electron/ingest/terms/term-delta.js';
import { termIdent } from '../../../electron/shared/curie.js';
import type { Page } from '../../../electron/shared/models.js';
import { TERM_DELTA_KINDS, type TermDeltaKind } from '../../../electron/shared/term-names.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const temp = makeTempRoot('ontocat-term-delta-agreement');
let catalog: Catalog;

interface Series {
  readonly service: string;
  readonly relpath: string;
  /** Versions in release order, each with the release file. */
  readonly versions: readonly (readonly [string, string])[];
}

const edam = path.join(projectRoot, 'test', 'fixtures', 'edam');
const vocabulary = (year: string, name: string): string => path.join(projectRoot, 'node_modules', `rdf-vocabularies-${year}`, 'ontologies', `${name}.nq`);
const VOCABULARIES = ['void', 'qudt', 'dcat', 'schema', 'skos', 'prov', 'org', 'sh', 'foaf', 'dcterms', 'hydra', 'sosa', 'ssn', 'time'];
const series: Series[] = [
  { service: 'edam', relpath: 'EDAM.obo', versions: ['beta08', 'beta10', '1.0', '1.1', '1.2'].map((v) => [v, path.join(edam, `EDAM_${v}.obo`)] as const) },
  ...VOCABULARIES.map((name) => ({
    // The years that ship it (SHACL is not in 2019).
    service: name, relpath: `${name}.nq`,
    versions: ['2019', '2020', '2021'].filter((year) => existsSync(vocabulary(year, name))).map((year) => [year, vocabulary(year, name)] as const),
  })),
];

beforeAll(async () => {
  catalog = await openCatalog({ root: path.join(temp.root, 'root') });
  for (const { service, relpath, versions } of series) {
    for (const [version, file] of versions) {
      const dir = path.join(temp.root, 'src', service, version);
      mkdirSync(dir, { recursive: true });
      copyFileSync(file, path.join(dir, relpath));
      await ingestAndValidate(catalog, dir, { service, version });
    }
  }
}, 600_000);
afterAll(async () => {
  await catalog?.close();
  temp.cleanup();
});

/** One change as both deltas can say it: the term by its index identity, the label shown, and what changed. */
interface Said {
  readonly change: TermDeltaKind;
  readonly term: string;
  readonly kind: string;
  readonly label: string | null;
  readonly before: string | null;
  readonly after: string | null;
}
/** Every item of a paged answer, page after page until its total. */
async function everyPage<T>(page: (offset: number) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  for (;;) {
    const next = await page(items.length);
    items.push(...next.items);
    if (next.items.length === 0 || items.length >= next.total) return items;
  }
}

const byTerm = (a: Said, b: Said): number => TERM_DELTA_KINDS.indexOf(a.change) - TERM_DELTA_KINDS.indexOf(b.change) || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0);

describe('a file pair’s term delta and the whole-version delta agree on real releases', () => {
  it('change for change, with the same label and the same before and after, over every kind', async () => {
    const seen = new Map<TermDeltaKind, number>(TERM_DELTA_KINDS.map((kind) => [kind, 0]));
    for (const { service, relpath, versions } of series) {
      for (let i = 1; i < versions.length; i += 1) {
        const a = { service, version: versions[i - 1]![0] };
        const b = { service, version: versions[i]![0] };
        const file = await computeTermDelta(catalog, { a, b, relpath, limit: 1 });
        const whole = await catalog.read((conn) => versionTermDelta(conn, a, b, { limit: 1 }));
        expect(whole.complete).toBe(true);
        const fromFile = (await everyPage(async (offset) => (await computeTermDelta(catalog, { a, b, relpath, offset, limit: 1000 })).changes))
          .map((c): Said => ({ change: c.change, term: termIdent(c.term), kind: c.term_kind, label: c.new_label ?? c.old_label, before: c.before, after: c.after }));
        const fromIndex = (await everyPage((offset) => catalog.read(async (conn) => (await versionTermDelta(conn, a, b, { offset, limit: 1000 })).changes)))
          .map((c): Said => ({ change: c.change, term: c.ident, kind: c.kind, label: c.label, before: c.before, after: c.after }));
        expect(fromFile.sort(byTerm), `${service} ${a.version} → ${b.version}`).toEqual(fromIndex.sort(byTerm));
        expect(file.summary, `${service} ${a.version} → ${b.version}`).toEqual(whole.summary);
        expect([file.old_terms, file.new_terms]).toEqual([whole.old_terms, whole.new_terms]);
        for (const kind of TERM_DELTA_KINDS) seen.set(kind, seen.get(kind)! + whole.summary[kind.toLowerCase() as keyof typeof whole.summary]);
      }
    }
    // Every kind happened somewhere in these releases (VoID's and QUDT's kind changes among them).
    // No release pair here changes a deprecated term's replacement (REPLACED):
    // term-deprecation-changes.test.ts holds both deltas and the history to it.
    for (const [kind, n] of seen) if (kind !== 'REPLACED') expect(n, kind).toBeGreaterThan(0);
  }, 600_000);
});
