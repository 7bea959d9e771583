import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Catalog } from '../catalog/open-catalog.js';
import type { DemoResult, IngestResult } from '../shared/contract/ingest.js';
import { OntocatError } from '../shared/errors.js';
import type { WorkControl } from '../shared/progress.js';
import { ingestAndValidate } from './ingest-and-validate.js';

/** The demo's service and the packages (installed as dev dependencies) its versions come from. */
export const DEMO_SERVICE = 'rdf-vocabularies';
export const DEMO_VERSIONS: readonly { readonly version: string; readonly pkg: string }[] = [
  { version: '2019.6.27', pkg: 'rdf-vocabularies-2019' },
  { version: '2020.6.17', pkg: 'rdf-vocabularies-2020' },
  { version: '2021.9.22', pkg: 'rdf-vocabularies-2021' },
];

/**
 * Finds an installed package's `ontologies/` folder through Node's own resolution.
 *
 * Newer releases restrict `exports`, so the package's entry point is resolved and its
 * folder found by walking up to the `package.json` that names the package.
 */
export function demoOntologiesDir(pkg: string): string {
  const require = createRequire(typeof import.meta.url === 'string' ? import.meta.url : path.join(process.cwd(), 'index.js'));
  let dir = path.dirname(require.resolve(pkg));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'ontologies'))) return path.join(dir, 'ontologies');
    const parent = path.dirname(dir);
    if (parent === dir) throw new OntocatError('NOT_FOUND', `The demo package ${pkg} has no ontologies/ folder; is it installed?`);
    dir = parent;
  }
}

/**
 * Builds a demo catalog from real vocabularies: three releases of @zazuko/rdf-vocabularies
 * (their `ontologies/*.nq` files) as versions of one service, the newest set as latest.
 * Unchanged files between releases share storage through the content store.
 */
export async function buildDemoCatalog(catalog: Catalog, control: WorkControl & { actor?: string } = {}): Promise<DemoResult> {
  const versions: IngestResult[] = [];
  for (const [index, demo] of DEMO_VERSIONS.entries()) {
    const summary = await ingestAndValidate(catalog, demoOntologiesDir(demo.pkg), {
      service: DEMO_SERVICE,
      version: demo.version,
      setLatest: index === DEMO_VERSIONS.length - 1,
      actor: control.actor,
      signal: control.signal,
      onProgress: control.onProgress
        ? (progress) => control.onProgress!({ ...progress, current: `${demo.version}${progress.current ? ` ${progress.current}` : ''}` })
        : undefined,
    });
    versions.push(summary);
  }
  return { service: DEMO_SERVICE, versions, latest: DEMO_VERSIONS.at(-1)!.version };
}
