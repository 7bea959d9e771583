/**
 * The term-recording step of validation: which files' terms the index still needs, and
 * recording each one as soon as its parse comes back.
 *
 * The index is keyed by content, so a file whose sha256 is already indexed (in this or
 * another version) is not asked for again, and two files with one content and format in a
 * version are asked for once. Parsed contents are committed while the other files still parse,
 * in batches of at least MIN_BATCH_CONTENTS contents or MIN_BATCH_TERMS terms (the rest
 * when the parse ends, in the run's closing transaction: `settle`, then `writeRest`):
 * each recording statement scans the index's tables once per batch, not once per file. A
 * cancelled run leaves what it recorded (the contents still queued are parsed again by
 * the next run), which is correct as is.
 */
import type { Catalog, WriteTx } from '../../catalog/open-catalog.js';
import { concatColumns, type TermColumns } from '../../catalog/term-columns.js';
import {
  discardChunkedContent, finishChunkedContent, forgetUnparsableFormats, indexedContents, recordContentChunk, recordContentsTerms,
  recordUnparsableContents, unparsableFormats, type ContentTerms, type UnparsableContent,
} from '../../catalog/term-index.js';
import { ONTOLOGY_FORMATS, type FileFormat } from '../../shared/formats.js';
import { crashPoint } from '../../storage/crash-point.js';
import type { FileValidation } from '../validate/validate-file.js';
import { VALIDATOR_VERSION } from '../validate/validators.js';

/** A file of a version as the recorder needs it. */
export interface RecordableFile {
  readonly relpath: string;
  readonly format: string;
  /** Null for a file that is not an ontology (it is never recorded). */
  readonly sha256: string | null;
}

/** A file the recorder asks terms for: an ontology file with its hash. */
type WantedFile = RecordableFile & { readonly sha256: string };

/**
 * At most this many terms go into one transaction: the staged rows of a batch are held in
 * memory until it commits. A content with more is recorded alone.
 */
const BATCH_TERMS = 200_000;

/**
 * A batch is written once this many contents, or this many terms, wait (or when the parse
 * ends): each batch pays a dozen statements and a commit, a few milliseconds each while the
 * workers keep both cores busy, and contents that arrive faster than batches are written
 * (thousands of small files) made batches of a hundred or so.
 */
const MIN_BATCH_CONTENTS = 2_000;
const MIN_BATCH_TERMS = 50_000;

/**
 * Why a parse handed back no terms: `unparsable` when the parser read the file and found it
 * broken (or it needs a remote context), a verdict on its bytes that holds until the
 * parsers change; `unreadable` when the file could not be read, which may pass.
 */
export function indexFailure(result: FileValidation): { reason: 'unparsable' | 'unreadable'; message: string } {
  const verdict = result.rows.find((row) => (row.rule === 'syntax' || row.rule === 'remote-context') && !row.passed);
  if (verdict) return { reason: 'unparsable', message: verdict.message ?? 'The file did not parse cleanly.' };
  const unread = result.rows.find((row) => !row.passed);
  return { reason: 'unreadable', message: unread?.message ?? 'The file could not be read.' };
}

/** Catalogs whose rows left by a killed chunked recording were removed since they were opened (recordContentChunk's sweep). */
const swept = new WeakSet<Catalog>();

/** A content whose terms come in chunks: each write in turn, the chunks waiting for the next, its id once numbered. */
interface ChunkedContent {
  chain: Promise<void>;
  contentId: number | null;
  terms: number;
  readonly waiting: TermColumns[];
}

/** Plans and performs the term recording of one validation run. */
export class TermRecorder {
  private readonly pending = new Map<string, WantedFile>();
  /**
   * Every ontology file of the run whose content is indexed already: its parse (or the one
   * it reuses) still says whether the bytes read in its format, which the index, holding
   * the content as read in one format, does not (0036).
   */
  private readonly others = new Map<string, WantedFile>();
  /** Verdicts of `others` (`sha256 format`) kept as not parsing before the run. */
  private readonly refused: ReadonlySet<string>;
  /** Verdicts a parse of this run no longer bears out. */
  private readonly cleared: WantedFile[] = [];
  /** Parsed contents waiting for the next batch. */
  private readonly queued: ContentTerms[] = [];
  /** Contents that did not parse, written with the next batch (or the last write). */
  private readonly unparsable: UnparsableContent[] = [];
  /** The terms of the queued contents. */
  private queuedTerms = 0;
  /** Set once the parse has ended: every queued content is written, however few. */
  private flushing = false;
  /** Set by `settle`: no batch starts; what is queued waits for `writeRest`. */
  private settling = false;
  private writes: Promise<unknown> = Promise.resolve();
  private writing = false;
  private failure: unknown = null;
  /** Contents recorded by this run. */
  recorded = 0;
  /** Wanted files whose content the index has no record of, under any rules: their terms may come in chunks. */
  private readonly fresh: ReadonlySet<string>;
  /** Files whose terms come in chunks (`takeChunk`), until their result: each chunk's write, in turn, and the content's id. */
  private readonly chunked = new Map<string, ChunkedContent>();
  /** The last writes of contents recorded in chunks (discarded, or waiting in `finishing`). */
  private readonly closing: Promise<void>[] = [];
  /**
   * Contents whose chunks are all written and whose file gave the rest of its terms: each
   * is recorded (finishChunkedContent) in the run's closing transaction (`writeRest`), or
   * on its own by `flush`.
   */
  private readonly finishing: { readonly file: WantedFile; readonly contentId: number; readonly terms: number; readonly rest: TermColumns }[] = [];

  private constructor(
    private readonly catalog: Catalog, wanted: readonly WantedFile[], others: readonly WantedFile[], refused: ReadonlySet<string>, fresh: ReadonlySet<string>,
  ) {
    for (const file of wanted) this.pending.set(file.relpath, file);
    for (const file of others) this.others.set(file.relpath, file);
    this.refused = refused;
    this.fresh = fresh;
  }

  /**
   * The recorder for `files`: ontology files whose content is not indexed yet, one per
   * content and format (the same bytes may not parse as one format and parse as another:
   * DCAT's N-Quads in a `.nt` and a `.nq` file).
   */
  static async plan(catalog: Catalog, files: readonly RecordableFile[]): Promise<TermRecorder> {
    const ontology = files.filter((file): file is WantedFile => file.sha256 !== null && ONTOLOGY_FORMATS.has(file.format as FileFormat));
    const known = await catalog.read((conn) => indexedContents(conn, [...new Set(ontology.map((file) => file.sha256))]));
    const wanted: WantedFile[] = [];
    const others: WantedFile[] = [];
    const seen = new Set<string>();
    for (const file of ontology) {
      const key = `${file.sha256} ${file.format}`;
      if (known.has(file.sha256)) others.push(file);
      if (known.has(file.sha256) || seen.has(key)) continue;
      seen.add(key);
      wanted.push(file);
    }
    const refused = await catalog.read((conn) => unparsableFormats(conn, others));
    const recorded = await catalog.read((conn) => indexedContents(conn, wanted.map((file) => file.sha256), 0));
    const fresh = new Set(wanted.filter((file) => !recorded.has(file.sha256)).map((file) => file.relpath));
    return new TermRecorder(catalog, wanted, others, refused, fresh);
  }

  /**
   * The verdict of a parse (or a reused one) on a file whose content is indexed: bytes that
   * do not read in the file's format are kept as such, so the file holds none of the
   * content's terms; a verdict a clean parse no longer bears out goes.
   */
  private judgeOther(relpath: string, problem: string | null): void {
    const file = this.others.get(relpath);
    if (!file) return;
    this.others.delete(relpath);
    if (problem !== null) this.unparsable.push({ sha256: file.sha256, format: file.format, message: problem });
    else if (this.refused.has(`${file.sha256} ${file.format}`)) this.cleared.push(file);
  }

  /** True when the file's parse should hand its terms back. */
  wants(relpath: string): boolean {
    return this.pending.has(relpath);
  }

  /**
   * True when the file's parse may hand its terms back in chunks while it reads (a large
   * file: the worker sends a chunk per 10,000 final terms): its content has no record in
   * the index, so its rows can be written before it has one (term-index.ts).
   */
  streams(relpath: string): boolean {
    return this.pending.has(relpath) && this.fresh.has(relpath);
  }

  /**
   * Records a chunk of a streaming file's terms (`streams`), behind the file's earlier
   * chunks; the chunks that arrive while one is written are written together next, so the
   * writes keep up with the parse and the last one, after it, is small.
   */
  takeChunk(relpath: string, columns: TermColumns): void {
    if (!this.streams(relpath)) return;
    let stream = this.chunked.get(relpath);
    if (!stream) {
      stream = { chain: Promise.resolve(), contentId: null, terms: 0, waiting: [] };
      this.chunked.set(relpath, stream);
    }
    const into = stream;
    into.terms += columns.count;
    into.waiting.push(columns);
    if (into.waiting.length > 1) return;
    into.chain = into.chain.then(async () => {
      const chunk = concatColumns(into.waiting.splice(0));
      if (this.failure) return;
      const sweep = !swept.has(this.catalog);
      into.contentId = await this.catalog.write((tx) => recordContentChunk(tx, into.contentId, chunk, { sweep }));
      swept.add(this.catalog);
      crashPoint('terms.after-chunk');
    }).catch((error: unknown) => {
      this.failure ??= error;
    });
  }

  /**
   * Ends a file's chunked recording: with the rest of its terms, once its chunks are written,
   * its content waits in `finishing` to be recorded with the run's results (its rows answer
   * from that commit on); without (the parse failed in the end, the run stopped or a write
   * failed), its rows go.
   */
  private closeChunked(relpath: string, file: WantedFile, rest: TermColumns | null): void {
    const stream = this.chunked.get(relpath);
    if (!stream) return;
    this.chunked.delete(relpath);
    this.closing.push(stream.chain.then(async () => {
      const contentId = stream.contentId;
      if (contentId === null) return;
      if (rest === null || this.failure) {
        await this.catalog.write((tx) => discardChunkedContent(tx, contentId));
        return;
      }
      this.finishing.push({ file, contentId, terms: stream.terms + rest.count, rest });
    }).catch((error: unknown) => {
      this.failure ??= error;
    }));
  }

  /** Waits for every chunked recording, discarding those whose file gave no result. */
  private async closeAllChunked(): Promise<void> {
    for (const relpath of [...this.chunked.keys()]) this.closeChunked(relpath, this.pending.get(relpath)!, null);
    await Promise.all(this.closing);
  }

  /** Records, in `tx`, each content whose chunks are all written (`finishing`). */
  private async finishChunked(tx: WriteTx): Promise<void> {
    for (const { file, contentId, terms, rest } of this.finishing.splice(0)) {
      if (await finishChunkedContent(tx, { sha256: file.sha256, format: file.format, contentId, terms, rest })) this.recorded += 1;
    }
  }

  /** After a failed or cancelled run: waits for the chunk writes under way and removes the rows of contents left unfinished. */
  async abandon(): Promise<void> {
    this.failure ??= new Error('The run stopped.');
    await this.writes;
    await this.closeAllChunked();
    for (const { contentId } of this.finishing.splice(0)) await this.catalog.write((tx) => discardChunkedContent(tx, contentId));
  }

  /** Asks no terms of the file: its bytes on disk are not the content recorded for it. */
  forgo(relpath: string): void {
    this.pending.delete(relpath);
    this.others.delete(relpath);
  }

  /** Takes a file's result: records its terms (queued behind earlier writes) and drops them from the result. */
  take(result: FileValidation): void {
    const file = this.pending.get(result.relpath);
    const terms = result.index_terms;
    // The result stays in the pool's list until the run ends; the terms need not.
    result.index_terms = undefined;
    if (file && this.chunked.has(result.relpath)) {
      this.closeChunked(result.relpath, file, terms ?? null);
      if (terms) {
        this.pending.delete(result.relpath);
        return;
      }
    }
    if (!file) {
      const verdict = result.rows.find((row) => (row.rule === 'syntax' || row.rule === 'remote-context') && !row.passed);
      const parsed = result.rows.some((row) => row.rule === 'syntax' && row.passed);
      if (verdict) this.judgeOther(result.relpath, verdict.message ?? 'The file did not parse cleanly.');
      else if (parsed) this.judgeOther(result.relpath, null);
      return;
    }
    if (!terms) {
      const failure = indexFailure(result);
      if (failure.reason === 'unparsable') {
        this.pending.delete(result.relpath);
        this.unparsable.push({ sha256: file.sha256, format: file.format, message: failure.message });
      }
      return;
    }
    this.pending.delete(result.relpath);
    this.queued.push({ sha256: file.sha256, format: file.format, columns: terms });
    this.queuedTerms += terms.count;
    if (this.ready()) this.startWriting();
  }

  /**
   * Takes a file whose results were copied from another version's parse of the same content
   * instead of a parse (validation reuse parses again only a content with terms to record):
   * that parse's verdict is this content's, recorded as its own parse would have been, as
   * not parsing or as holding no terms.
   */
  takeReused(relpath: string, source: { readonly terms: number | null; readonly problem: string | null }): void {
    const file = this.pending.get(relpath);
    if (!file) {
      this.judgeOther(relpath, source.problem);
      return;
    }
    if (source.problem !== null) {
      this.pending.delete(relpath);
      this.unparsable.push({ sha256: file.sha256, format: file.format, message: source.problem });
    } else if (source.terms === 0) {
      this.pending.delete(relpath);
      this.queued.push({ sha256: file.sha256, format: file.format, terms: [] });
      if (this.ready()) this.startWriting();
    }
  }

  /** Starts writing the queue, unless a write is under way (it takes what is queued meanwhile). */
  private startWriting(): void {
    if (this.writing || this.settling || !this.hasWork()) return;
    this.writing = true;
    this.writes = this.writeQueued();
  }

  /** Writes batches while a batch's worth waits, or until the queue is empty once flushing (contents taken meanwhile join the next batch). */
  private async writeQueued(): Promise<void> {
    try {
      while (this.hasWork() && !this.failure && !this.settling && (this.flushing || this.ready())) {
        const batch = this.queued.length > 0 ? this.nextBatch() : [];
        const unparsable = this.unparsable.splice(0);
        try {
          const cleared = this.cleared.splice(0);
          const added = await this.catalog.write(async (tx) => {
            await recordUnparsableContents(tx, unparsable, VALIDATOR_VERSION);
            await forgetUnparsableFormats(tx, cleared);
            return batch.length > 0 ? recordContentsTerms(tx, batch) : [];
          });
          this.recorded += added.length;
        } catch (error) {
          this.failure = error;
        }
      }
    } finally {
      // After a failure nothing more is written; otherwise what is left waits for the next batch.
      if (this.failure) {
        this.queued.length = 0;
        this.queuedTerms = 0;
        this.unparsable.length = 0;
        this.cleared.length = 0;
      }
      this.writing = false;
    }
  }

  /** Whether anything waits to be written. */
  private hasWork(): boolean {
    return this.queued.length > 0 || this.unparsable.length > 0 || this.cleared.length > 0;
  }

  /** Whether enough is queued for a batch. */
  private ready(): boolean {
    return this.queued.length >= MIN_BATCH_CONTENTS || this.queuedTerms >= MIN_BATCH_TERMS;
  }

  /** Takes queued contents up to BATCH_TERMS terms (at least one). */
  private nextBatch(): ContentTerms[] {
    let terms = 0;
    let count = 0;
    for (const content of this.queued) {
      const size = 'columns' in content ? content.columns.count : content.terms.length;
      if (count > 0 && terms + size > BATCH_TERMS) break;
      terms += size;
      count += 1;
    }
    this.queuedTerms -= terms;
    return this.queued.splice(0, count);
  }

  /**
   * Waits for the batch under way, if any, and starts no other; throws the first failure.
   * What is still queued is left for `writeRest`.
   */
  async settle(): Promise<void> {
    this.settling = true;
    await this.writes;
    await this.closeAllChunked();
    if (this.failure) throw this.failure;
  }

  /**
   * Records every content still queued in `tx`, after `settle`: the run's closing
   * transaction, so its last terms commit with its results, in one commit (and one WAL
   * sync) instead of two. A version of many small files sends most of its terms in that
   * last batch.
   */
  async writeRest(tx: WriteTx): Promise<void> {
    await this.finishChunked(tx);
    await recordUnparsableContents(tx, this.unparsable.splice(0), VALIDATOR_VERSION);
    await forgetUnparsableFormats(tx, this.cleared.splice(0));
    while (this.queued.length > 0) {
      const batch = this.nextBatch();
      this.recorded += (await recordContentsTerms(tx, batch)).length;
    }
  }

  /** Writes what is still queued and waits for every recording; throws the first failure. */
  async flush(): Promise<void> {
    this.flushing = true;
    await this.writes;
    this.startWriting();
    await this.writes;
    await this.closeAllChunked();
    if (this.failure) throw this.failure;
    if (this.finishing.length > 0) await this.catalog.write((tx) => this.finishChunked(tx));
  }
}
