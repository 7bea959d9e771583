/**
 * Resolvers: how a source finds the URL (and maybe the version) of its artifact.
 *
 * One small interface, one function per kind: a plain URL, an npm package (newest version
 * and tarball from the registry's package metadata), a URL template over the version
 * another resolver finds. Adding a kind is adding a case here and to the contract's union.
 */
import type { ArtifactSpec } from '../shared/contract/sources.js';
import { OntocatError } from '../shared/errors.js';
import { getJson, type JsonGetOptions } from './http-json.js';
import type { PublishedIntegrity } from './npm-integrity.js';

/** Where an artifact is now, what version it is (when the resolver knows) and how that was found. */
export interface ResolvedArtifact {
  readonly url: string;
  /** File name under archives/ (null: from the URL). */
  readonly name: string | null;
  readonly version: string | null;
  /** When the resolver knows the release was published (npm `time`). */
  readonly published: string | null;
  /** What the registry states the bytes hash to (npm `dist.integrity` / `shasum`); null when it states nothing. */
  readonly integrity: PublishedIntegrity | null;
  readonly evidence: Readonly<Record<string, unknown>>;
}

export type ResolveOptions = Pick<JsonGetOptions, 'signal' | 'timeoutMs' | 'retries' | 'backoffMs'>;

export const DEFAULT_NPM_REGISTRY = 'https://registry.npmjs.org';

/** The stable identity of an artifact within its source (validators and idempotency keys use it). */
export function artifactKey(spec: ArtifactSpec): string {
  switch (spec.type) {
    case 'url': return `url:${spec.url}`;
    case 'npm': return `npm:${spec.package}`;
    case 'template': return `template:${spec.template}`;
  }
}

interface NpmMetadata {
  readonly 'dist-tags'?: { readonly latest?: string };
  readonly versions?: Readonly<Record<string, { readonly dist?: { readonly tarball?: string; readonly shasum?: string; readonly integrity?: string } }>>;
  readonly time?: Readonly<Record<string, string>>;
}

/** The newest version (dist-tag latest) of an npm package and its tarball. */
export async function resolveNpm(spec: { package: string; registry?: string }, options: ResolveOptions = {}): Promise<ResolvedArtifact> {
  const registry = (spec.registry ?? DEFAULT_NPM_REGISTRY).replace(/\/+$/, '');
  const metadataUrl = `${registry}/${spec.package.replace('/', '%2f')}`;
  const meta = (await getJson(metadataUrl, options)) as NpmMetadata;
  const version = meta['dist-tags']?.latest;
  if (!version) throw new OntocatError('FETCH_FAILED', `${metadataUrl} names no latest version of ${spec.package}.`);
  const dist = meta.versions?.[version]?.dist;
  if (!dist?.tarball) throw new OntocatError('FETCH_FAILED', `${metadataUrl} has no tarball for ${spec.package}@${version}.`);
  const tarball = new URL(dist.tarball, metadataUrl).href;
  const published = meta.time?.[version] ?? null;
  const integrity = dist.integrity || dist.shasum ? { sri: dist.integrity ?? null, shasum: dist.shasum ?? null, label: `${spec.package}@${version}` } : null;
  return {
    url: tarball, name: null, version, published, integrity,
    evidence: { resolver: 'npm', registry, package: spec.package, dist_tag: 'latest', version, tarball, published, integrity: dist.integrity ?? dist.shasum ?? null },
  };
}

/** Where an artifact spec points now. */
export async function resolveArtifact(spec: ArtifactSpec, options: ResolveOptions = {}): Promise<ResolvedArtifact> {
  switch (spec.type) {
    case 'url':
      return { url: spec.url, name: spec.name ?? null, version: null, published: null, integrity: null, evidence: { resolver: 'url', url: spec.url } };
    case 'npm': {
      const found = await resolveNpm(spec, options);
      return { ...found, name: spec.name ?? null };
    }
    case 'template': {
      const inner = await resolveNpm(spec.version, options);
      const url = spec.template.replaceAll('{version}', encodeURIComponent(inner.version!));
      // The registry's integrity is the tarball's, not this URL's.
      return { url, name: spec.name ?? null, version: inner.version, published: inner.published, integrity: null, evidence: { resolver: 'template', template: spec.template, url, version_from: inner.evidence } };
    }
  }
}
