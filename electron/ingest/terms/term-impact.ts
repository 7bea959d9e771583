import { computeDelta } from '../../catalog/delta-queries.js';
import type { Catalog } from '../../catalog/open-catalog.js';
import { isOntocatError } from '../../shared/errors.js';
import { ONTOLOGY_FORMATS, type FileFormat } from '../../shared/formats.js';
import type { TermDeltaSummary, TermImpact, TermImpactFile } from '../../shared/models.js';
import type { WorkControl } from '../../shared/progress.js';
import { formatVersionRef, type VersionRef } from '../../shared/version-ref.js';
import { computeTermDelta } from './term-delta.js';

const PAGE = 1000;

/** Modified and renamed files of the pair whose old or new format is an ontology format. */
async function changedOntologyFiles(catalog: Catalog, a: VersionRef, b: VersionRef): Promise<{ relpath: string; old_relpath: string }[]> {
  const pairs: { relpath: string; old_relpath: string }[] = [];
  for (const kind of ['modified', 'renamed'] as const) {
    for (let offset = 0; ; offset += PAGE) {
      const page = await catalog.read((conn) => computeDelta(conn, a, b, { kind, offset, limit: PAGE }));
      for (const change of page.changes.items) {
        const formats = [change.old_format, change.new_format, change.format] as (FileFormat | null)[];
        if (!formats.some((format) => format !== null && ONTOLOGY_FORMATS.has(format))) continue;
        pairs.push({ relpath: change.new_relpath ?? change.relpath, old_relpath: change.old_relpath ?? change.relpath });
      }
      if (offset + PAGE >= page.changes.total) break;
    }
  }
  return pairs.sort((x, y) => (x.relpath < y.relpath ? -1 : x.relpath > y.relpath ? 1 : 0));
}

/**
 * Term changes over every changed ontology file of two versions: what setting B as latest
 * in place of A does to the terms.
 *
 * No file is sampled or silently left out: each modified or renamed ontology file is
 * compared (once; the pair's result is cached in the catalog), and a file that cannot be
 * compared, for example because it does not parse, is listed with the reason.
 */
export async function computeTermImpact(catalog: Catalog, a: VersionRef, b: VersionRef, control: WorkControl = {}): Promise<TermImpact> {
  const pairs = await changedOntologyFiles(catalog, a, b);
  const files: TermImpactFile[] = [];
  const totals = { added: 0, removed: 0, relabelled: 0, deprecated: 0 };
  for (const [index, pair] of pairs.entries()) {
    control.onProgress?.({ done: index, total: pairs.length, bytes: 0, current: pair.relpath, phase: 'terms' });
    let summary: TermDeltaSummary | null = null;
    let error: string | null = null;
    try {
      const delta = await computeTermDelta(catalog, {
        a, b, relpath: pair.relpath, old_relpath: pair.old_relpath === pair.relpath ? undefined : pair.old_relpath, limit: 1,
      }, control.signal);
      summary = delta.summary;
      for (const key of Object.keys(totals) as (keyof TermDeltaSummary)[]) totals[key] += summary[key];
    } catch (failure) {
      if (isOntocatError(failure, 'CANCELLED') || control.signal?.aborted) throw failure;
      error = failure instanceof Error ? failure.message : String(failure);
    }
    files.push({ relpath: pair.relpath, old_relpath: pair.old_relpath, summary, error });
  }
  control.onProgress?.({ done: pairs.length, total: pairs.length, bytes: 0, current: null, phase: 'terms' });
  const failed = files.filter((file) => file.error !== null).length;
  return { from: formatVersionRef(a), to: formatVersionRef(b), files, compared: files.length - failed, failed, totals };
}
