/**
 * The term-recording step of validation: which files' terms the index still needs, and
 * recording each one as soon as its parse comes back.
 *
 * The index is keyed by content, so a file whose sha256 is already indexed (in this or
 * another version) is not asked for again, and two files with one content in a version
 * are asked for once. Each content is committed in its own transaction while the other
 * files still parse; a cancelled run leaves what it recorded, which is correct as is.
 */
import type { Catalog } from '../../catalog/open-catalog.js';
import { indexedContents, recordContentTerms } from '../../catalog/term-index.js';
import { ONTOLOGY_FORMATS, type FileFormat } from '../../shared/formats.js';
import type { FileValidation } from '../validate/validate-file.js';

/** A file of a version as the recorder needs it. */
export interface RecordableFile {
  readonly relpath: string;
  readonly format: string;
  /** Null for a file that is not an ontology (it is never recorded). */
  readonly sha256: string | null;
}

/** A file the recorder asks terms for: an ontology file with its hash. */
type WantedFile = RecordableFile & { readonly sha256: string };

/** Plans and performs the term recording of one validation run. */
export class TermRecorder {
  private readonly pending = new Map<string, WantedFile>();
  private writes: Promise<unknown> = Promise.resolve();
  private failure: unknown = null;
  /** Contents recorded by this run. */
  recorded = 0;

  private constructor(private readonly catalog: Catalog, wanted: readonly WantedFile[]) {
    for (const file of wanted) this.pending.set(file.relpath, file);
  }

  /** The recorder for `files`: ontology files whose content is not indexed yet, one per content. */
  static async plan(catalog: Catalog, files: readonly RecordableFile[]): Promise<TermRecorder> {
    const ontology = files.filter((file): file is WantedFile => file.sha256 !== null && ONTOLOGY_FORMATS.has(file.format as FileFormat));
    const known = await catalog.read((conn) => indexedContents(conn, [...new Set(ontology.map((file) => file.sha256))]));
    const wanted: WantedFile[] = [];
    const seen = new Set<string>();
    for (const file of ontology) {
      if (known.has(file.sha256) || seen.has(file.sha256)) continue;
      seen.add(file.sha256);
      wanted.push(file);
    }
    return new TermRecorder(catalog, wanted);
  }

  /** True when the file's parse should hand its terms back. */
  wants(relpath: string): boolean {
    return this.pending.has(relpath);
  }

  /** Takes a file's result: records its terms (queued behind earlier writes) and drops them from the result. */
  take(result: FileValidation): void {
    const file = this.pending.get(result.relpath);
    const terms = result.index_terms;
    // The result stays in the pool's list until the run ends; the terms need not.
    result.index_terms = undefined;
    if (!file || !terms) return;
    this.pending.delete(result.relpath);
    this.writes = this.writes.then(async () => {
      if (this.failure) return;
      try {
        const added = await this.catalog.write((tx) => recordContentTerms(tx, { sha256: file.sha256, format: file.format, columns: terms }));
        if (added) this.recorded += 1;
      } catch (error) {
        this.failure = error;
      }
    });
  }

  /** Waits for every queued recording; throws the first failure. */
  async flush(): Promise<void> {
    await this.writes;
    if (this.failure) throw this.failure;
  }
}
