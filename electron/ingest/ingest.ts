import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, rename, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { artifactId as artifactIdOf, versionId } from '../catalog/ids.js';
import { hasLegacyCasRows, isLatestVersion, recordedSniffedFormats, versionFileDigests, type FileDigest } from '../catalog/ingest-queries.js';
import { setLatestInTx } from '../catalog/latest-boundary.js';
import type { Catalog } from '../catalog/open-catalog.js';
import { refreshReleaseDate } from '../catalog/release-order.js';
import { replaceVersionFiles, upsertArtifact, upsertVersion, type NewArtifact } from '../catalog/write-records.js';
import type { IngestSummary } from '../shared/contract/ingest.js';
import { isOntocatError, OntocatError } from '../shared/errors.js';
import type { FileFormat } from '../shared/formats.js';
import { fsFailureDetails } from '../shared/fs-error-words.js';
import type { WorkControl } from '../shared/progress.js';
import { assertNameSegment, type VersionRef } from '../shared/version-ref.js';
import { fsyncDir } from '../storage/atomic-write.js';
import { assertCasInsideRoot, casRootOf, removeQuietly, removeUnlinkedCasObjects } from '../storage/content-store.js';
import { crashPoint } from '../storage/crash-point.js';
import { foldersUnder, makeDurable } from '../storage/durable.js';
import { FileWorkerPool, forEachBatch } from '../storage/file-worker-pool.js';
import { TRASH_DIR, casRelpath, legacyCasRelpath, versionDir } from '../storage/layout.js';
import { compareWithRecord } from '../storage/recorded-bytes.js';
import { relationToRoot, resolveInsideRoot } from '../storage/safe-path.js';
import { lstatIfPresent } from '../storage/stat-if-present.js';
import { archiveKindOfBytes } from './archive-magic.js';
import { archiveKindOf, type ArchiveKind } from './archive-readers.js';
import { BucketUploader, type ContentToUpload } from './bucket-upload.js';
import { FORMAT_DETECTION_RULES, formatWithSniffed, sniffFormat } from './detect-format.js';
import { artifactRow, downloadArtifact, placeArtifact, type DownloadedArtifact, type Placement } from './fetch-artifact.js';
import { raiseHint, resolveLimits, type IngestLimits } from './limits.js';
import { readReleaseEvidence } from './release-evidence.js';
import { filesReplacingWouldLose } from './replaced-data-check.js';
import { assertStoredObjectsUnchanged } from './stored-object-check.js';
import { assertPathAllowed, assertUrlAllowed } from './ingest-confinement.js';
import { extractArchive } from './secure-extract.js';
import { entryRelpath, walkFolder } from './walk-folder.js';
import { makeWorkDir } from './work-dir.js';

export interface IngestOptions extends WorkControl {
  readonly service: string;
  readonly version: string;
  /** Make this version the latest of its service (same boundary as `latest:set`). */
  readonly setLatest?: boolean;
  readonly limits?: Partial<IngestLimits>;
  /** Who acts (recorded with the latest pointer); default `ontocat`. */
  readonly actor?: string;
  /**
   * Replace a version already in the catalog with different content. Without it such an
   * ingest is refused: a release's files never change behind a curator's back.
   */
  readonly replace?: boolean;
  /** Download tuning for URL sources. */
  readonly fetch?: { readonly timeoutMs?: number; readonly retries?: number; readonly backoffMs?: number };
  /**
   * The URL source already downloaded (by a source run, which needs the bytes to decide
   * the version name): files in a work folder under the root, moved into place by ingest.
   * Several make one version: a single file lands under its name, and an archive's files
   * under a folder named after it (`mappings.tar.gz` → `mappings/`), so two archives never
   * mix their trees; one artifact alone keeps the plain layout.
   */
  readonly prefetched?: readonly DownloadedArtifact[];
}

/** `<plan-id>/files/` of a trash entry (`prune-20261204T214919Z-9adc6855617a`), with room to spare. */
const TRASH_ENTRY_BYTES = 64;

/** The folder an archive's files go under when a version has several artifacts. */
export function artifactFolder(name: string): string {
  return name.replace(/\.(tar\.gz|tgz|tar\.xz|txz|tar|zip)$/i, '') || name;
}

/** One file ready to be catalogued: its bytes are in the content store. */
interface StagedFile {
  readonly relpath: string;
  readonly sha256: string;
  readonly size: number;
  readonly format: string;
  /** What the content looks like (null when inconclusive); see detectFormat. */
  readonly sniffed: string | null;
  /** Which downloaded artifact it came from (index into the downloads), if any. */
  readonly artifact?: number;
  /** The placed file's mtime, when it was placed in the new data tree while hashed. */
  readonly mtime?: number;
}

/** Files per worker message: big enough to amortise messaging, small enough to spread. */
const BATCH = 256;
/** Bytes of each file the workers hand back for format sniffing. */
const HEAD_BYTES = 8192;

/** The declared and the sniffed format of a staged file: its name, its content's hash and size, and a way to its first bytes. */
type FormatOf = (relpath: string, sha256: string, size: number, head: () => Buffer) => Pick<StagedFile, 'format' | 'sniffed'>;

/**
 * Format detection for one ingest. The sniffed format depends on a file's first bytes
 * alone, so each distinct content is sniffed once here, and content the catalog recorded
 * under the same detection rules (`recorded`: contents of at most HEAD_BYTES, sniffed whole
 * wherever they were recorded) is not sniffed at all; the format still follows each file's
 * own name. Sniffing the unchanged files of a second version was most of its main thread's
 * time (2.7 s for 100,000 N-Triples files).
 */
function formatDetector(recorded: ReadonlyMap<string, FileFormat | null>): FormatOf {
  const sniffedHere = new Map<string, FileFormat | null>();
  return (relpath, sha256, size, head) => {
    const whole = size <= HEAD_BYTES;
    let sniffed = whole ? recorded.get(sha256) : undefined;
    // A longer content's sniff depends on how much of it was read (archives read 64 KiB).
    const bytes = sniffed === undefined ? head() : null;
    const key = whole ? sha256 : `${sha256}:${bytes?.length ?? 0}`;
    if (sniffed === undefined) sniffed = sniffedHere.get(key);
    if (sniffed === undefined) {
      sniffed = sniffFormat(bytes!);
      sniffedHere.set(key, sniffed);
    }
    const { format } = formatWithSniffed(relpath, sniffed);
    return { format, sniffed };
  };
}

type SourceKind = { kind: 'url' } | { kind: 'folder' } | { kind: 'archive'; archive: ArchiveKind };

async function classifySource(root: string, source: string): Promise<SourceKind> {
  if (/^https?:\/\//i.test(source)) {
    assertUrlAllowed(source);
    return { kind: 'url' };
  }
  await assertPathAllowed(source);
  assertSourceOutsideRoot(root, source);
  let info;
  try {
    info = await stat(source);
  } catch {
    throw new OntocatError('NOT_FOUND', `No such file or folder: ${source}.`);
  }
  if (info.isDirectory()) return { kind: 'folder' };
  const archive = archiveKindOf(source);
  if (!info.isFile() || !archive) {
    throw new OntocatError('BAD_INPUT', `Cannot ingest ${source}: expected a folder, a .zip, .tar, .tar.gz, .tgz, .tar.xz or .gz archive, or an http(s) URL.`);
  }
  return { kind: 'archive', archive };
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), hash);
  return hash.digest('hex');
}

/** True when the staged set equals what the catalog holds for the version (path, content). */
/** How many paths differ between what the catalog holds and what was staged (changed, added or removed). */
function differingFiles(existing: readonly { relpath: string; sha256: string }[], staged: readonly StagedFile[]): number {
  const byPath = new Map(existing.map((row) => [row.relpath, row.sha256]));
  let differing = 0;
  for (const file of staged) {
    const before = byPath.get(file.relpath);
    if (before !== file.sha256) differing += 1;
    byPath.delete(file.relpath);
  }
  return differing + byPath.size;
}

function sameContent(existing: readonly { relpath: string; sha256: string }[], staged: readonly StagedFile[]): boolean {
  if (existing.length !== staged.length) return false;
  const byPath = new Map(existing.map((row) => [row.relpath, row.sha256]));
  return staged.every((file) => byPath.get(file.relpath) === file.sha256);
}

/**
 * How many files of a catalogued version are not on disk as recorded: absent (or behind a
 * file in a folder's place), of another size, or written since with other bytes (only those
 * are hashed; see recorded-bytes.ts).
 */
async function filesNotAsRecorded(root: string, dataRelpath: string, rows: readonly FileDigest[]): Promise<number> {
  const base = path.join(path.resolve(root), ...dataRelpath.split('/'));
  let count = 0;
  for (const row of rows) {
    const abs = path.join(base, ...row.relpath.split('/'));
    if ((await compareWithRecord(abs, lstatIfPresent(abs), row)).state !== 'as-recorded') count += 1;
  }
  return count;
}

/**
 * State of one ingest's filesystem step, so any failure can be rolled back: the work
 * folder, store objects this run added, the swapped data folder, a placed archive.
 */
class FsStep {
  readonly createdCas = new Set<string>();
  dataSwap: { target: string; aside: string | null } | null = null;
  readonly placements: Placement[] = [];

  constructor(readonly root: string, readonly workDir: string) {}

  async rollback(): Promise<void> {
    if (this.dataSwap) {
      const { target, aside } = this.dataSwap;
      await removeQuietly(target);
      if (aside) await rename(aside, target).catch(() => undefined);
      fsyncDir(path.dirname(target));
      // A version folder this run created and left empty goes too.
      await rmdir(path.dirname(target)).catch(() => undefined);
    }
    for (const placement of [...this.placements].reverse()) await placement.undo().catch(() => undefined);
    // The work folder first: its data tree holds links to objects this run created.
    await removeQuietly(this.workDir);
    await removeUnlinkedCasObjects(this.root, this.createdCas);
  }
}

/**
 * Ingests a folder, an archive or an http(s) URL as one version of a service.
 *
 * The extract boundary: files are staged (securely extracted, or copied) under `.tmp/`,
 * hashed while written, moved into the content store once per distinct content, hardlinked
 * into `<service>/<version>/data/`, made durable, and only then recorded in ONE catalog
 * transaction (version, artifact, files in bulk, events, optionally the latest pointer).
 * Re-ingesting identical content changes nothing but an `ingest.unchanged` event. Any
 * failure rolls the filesystem back and leaves the catalog untouched.
 */
export async function ingest(catalog: Catalog, source: string, options: IngestOptions): Promise<IngestSummary> {
  const started = Date.now();
  const ref: VersionRef = { service: assertNameSegment('service', options.service), version: assertNameSegment('version', options.version) };
  const limits = resolveLimits(options.limits);
  const root = catalog.root;
  const control: WorkControl = { signal: options.signal, onProgress: options.onProgress };
  control.onProgress?.({ done: 0, total: null, bytes: 0, current: source, phase: 'check' });
  const sourceKind = await classifySource(root, source);
  // Refuse a linked service/version/data folder or content store before anything is written.
  const dataRelpath = `${versionDir(ref.service, ref.version)}/data`;
  resolveInsideRoot(root, dataRelpath);
  // A store not yet migrated to one level of fan-out: its objects are found where they are.
  const legacyStore = await catalog.read((conn) => hasLegacyCasRows(conn));
  const foundInLegacy = new Set<string>();
  assertCasInsideRoot(root, legacyStore);
  const step = new FsStep(root, await makeWorkDir(root, 'ingest'));
  const casRoot = casRootOf(root);
  const pool = new FileWorkerPool();
  // A bucket root uploads each new content object while the rest are still being staged.
  const uploader = BucketUploader.forRoot(catalog, control);
  const localCopy = (sha256: string, legacy: boolean): string => path.join(path.resolve(root), ...(legacy ? legacyCasRelpath(sha256) : casRelpath(sha256)).split('/'));
  const offer = (items: readonly ContentToUpload[]): void => { uploader?.offer(items); };
  let objectsChecked: Promise<void> | null = null;
  // Set once the version's rows are committed: a failure after that must not say nothing was recorded.
  let committed = false;
  try {
    // What the catalog says earlier content looks like, read while the files are listed.
    const recordedFormats = catalog.read((conn) => recordedSniffedFormats(conn, ref.service, FORMAT_DETECTION_RULES, HEAD_BYTES));
    recordedFormats.catch(() => undefined);
    // 1. Acquire: download and/or extract or copy, hashing everything.
    let downloads: readonly DownloadedArtifact[] = [];
    let localArtifact: NewArtifact | null = null;
    let archivePath: string | null = null;
    let archiveKind: ArchiveKind | null = null;
    if (sourceKind.kind === 'url') {
      downloads = options.prefetched && options.prefetched.length > 0
        ? options.prefetched
        : [await downloadArtifact(catalog, source, { ...options, ...options.fetch }, step.workDir)];
    } else if (sourceKind.kind === 'archive') {
      archivePath = path.resolve(source);
      archiveKind = archiveKindOfBytes(archivePath, sourceKind.archive);
      const size = (await stat(archivePath)).size;
      control.onProgress?.({ done: 0, total: size, bytes: 0, current: path.basename(archivePath), phase: 'hash' });
      localArtifact = {
        service: ref.service, version: ref.version, name: path.basename(archivePath).replace(/[^A-Za-z0-9._+-]/g, '_'),
        source_url: null, size_bytes: size, sha256: await sha256OfFile(archivePath), fs_relpath: null, status: 'fresh',
      };
    }

    let staged: StagedFile[];
    // The data tree is built here and swapped in whole.
    const newData = path.join(step.workDir, 'data');
    // True when the files were placed in newData as they were hashed (a folder source).
    let placed = false;
    let skipped = 0;
    let emptyFolders: number | null = 0;
    let bytesDeduplicated = 0;
    let caseOnly: { count: number; examples: readonly string[] } | null = null;
    if (sourceKind.kind === 'folder') {
      // The walk makes the new data tree's folders as it lists them.
      await mkdir(newData, { recursive: true });
      control.onProgress?.({ done: 0, total: null, bytes: 0, current: source, phase: 'list' });
      const walked = await walkFolder(source, limits, pool, options.signal, newData);
      skipped = walked.skipped;
      emptyFolders = walked.empty;
      const recorded = await recordedFormats;
      const formatOf = formatDetector(recorded);
      // The workers need not hand back the first bytes of those contents (each worker takes
      // the list before the batches sent after it: no need to wait for its answer here).
      const told = recorded.size > 0 ? pool.knowContent(recorded.keys()) : null;
      told?.catch(() => undefined);
      control.onProgress?.({ done: 0, total: walked.files.length, bytes: 0, current: null, phase: 'copy' });
      const results: StagedFile[] = new Array(walked.files.length);
      placed = true;
      let done = 0;
      let bytes = 0;
      // One pass a file: hashed, then linked from the store into the new data tree, or
      // written there once and linked into the store (no temp file, no rename, no second
      // pass to link). The tree is swapped in only after every file is in place.
      // Batches small enough that every worker gets some when there are few files (a few
      // large files are then copied and hashed side by side, one a core), and on a bucket
      // root that uploads start early.
      const batchSize = Math.max(1, Math.min(BATCH, Math.ceil(walked.files.length / (pool.size * 8))));
      await forEachBatch(walked.files, batchSize, pool.size * 2, async (batch, start) => {
        const out = await pool.storeInto(casRoot, {
          srcBase: walked.base, destBase: newData, tmpBase: step.workDir, start, entries: batch, dirsMade: true,
        }, HEAD_BYTES, legacyStore, batchSize > 1 ? 2 : 1);
        const uploads: ContentToUpload[] = [];
        for (let i = 0; i < out.count; i += 1) {
          const relpath = entryRelpath(batch[i]!);
          const sha256 = out.sha256(i);
          const size = out.sizes[i]!;
          const flags = out.flags[i]!;
          if (flags & 1) step.createdCas.add(sha256);
          if (flags & 2) foundInLegacy.add(sha256);
          results[start + i] = { relpath, sha256, size, ...formatOf(relpath, sha256, size, () => out.head(i)), mtime: out.mtimes[i]! };
          bytes += size;
          if (uploader) uploads.push({ sha256, size, file: localCopy(sha256, (flags & 2) !== 0) });
        }
        if (bytes > limits.maxBytes) throw new OntocatError('LIMIT_EXCEEDED', `Refused ${source}: more than ${limits.maxBytes} bytes (limit maxBytes).`);
        offer(uploads);
        done += batch.length;
        control.onProgress?.({ done, total: walked.files.length, bytes, current: entryRelpath(batch.at(-1)!), phase: 'copy' });
      }, options.signal);
      staged = results;
    } else {
      // One local archive, or the downloads in order (each an archive or a single file).
      const parts: { file: string; name: string; kind: ArchiveKind | null; artifact?: number }[] = sourceKind.kind === 'archive'
        ? [{ file: archivePath!, name: path.basename(archivePath!), kind: archiveKind }]
        : downloads.map((download, index) => {
          const named = archiveKindOf(download.name);
          return { file: download.file, name: download.name, kind: named && archiveKindOfBytes(download.file, named), artifact: index };
        });
      const several = parts.length > 1;
      // Linux's PATH_MAX bounds a whole path: an entry must fit under the longest folder it is
      // written in (the work folder, the version's data/, a trash entry's, an artifact's folder).
      const pathPrefixBytes = Math.max(
        Buffer.byteLength(path.join(step.workDir, 'data') + path.sep),
        Buffer.byteLength(path.join(root, TRASH_DIR) + path.sep) + TRASH_ENTRY_BYTES + Buffer.byteLength(`${ref.service}/${ref.version}/data/`),
      ) + (several ? 129 : 0);
      const formatOf = formatDetector(await recordedFormats);
      staged = [];
      for (const [index, part] of parts.entries()) {
        if (!part.kind) {
          // A download that is not an archive is a single data file, under its own name.
          const out = await pool.stage(casRoot, [{ src: part.file, tmp: path.join(step.workDir, `single${index}`) }], HEAD_BYTES, legacyStore);
          const result = out[0]!;
          if (result.created) step.createdCas.add(result.sha256);
          if (result.legacy) foundInLegacy.add(result.sha256);
          offer([{ sha256: result.sha256, size: result.size, file: localCopy(result.sha256, result.legacy) }]);
          staged.push({ relpath: part.name, sha256: result.sha256, size: result.size, ...formatOf(part.name, result.sha256, result.size, () => result.head), artifact: part.artifact });
          continue;
        }
        const into = several ? path.join(step.workDir, `x${index}`) : step.workDir;
        await mkdir(into, { recursive: true });
        const extracted = await extractArchive(part.file, part.kind, into, { ...limits, pathPrefixBytes }, control);
        skipped += extracted.skipped;
        emptyFolders = emptyFolders === null || extracted.emptyFolders === null ? null : emptyFolders + extracted.emptyFolders;
        if (extracted.caseOnlyDuplicates > 0) {
          const before: { count: number; examples: readonly string[] } = caseOnly ?? { count: 0, examples: [] };
          caseOnly = { count: before.count + extracted.caseOnlyDuplicates, examples: [...before.examples, ...extracted.caseExamples].slice(0, 10) };
        }
        const blobs = extracted.files.filter((file) => file.blob !== null);
        let stored = 0;
        control.onProgress?.({ done: 0, total: blobs.length, bytes: 0, current: null, phase: 'store' });
        await forEachBatch(blobs, BATCH, pool.size, async (batch) => {
          const placed = await pool.adopt(casRoot, batch.map((file) => ({ tmp: file.blob!, sha256: file.sha256 })), legacyStore);
          placed.forEach((result, i) => {
            if (result.created) step.createdCas.add(batch[i]!.sha256);
            if (result.legacy) foundInLegacy.add(batch[i]!.sha256);
          });
          offer(batch.map((file, i) => ({ sha256: file.sha256, size: file.size, file: localCopy(file.sha256, placed[i]!.legacy) })));
          stored += batch.length;
          control.onProgress?.({ done: stored, total: blobs.length, bytes: 0, current: batch.at(-1)?.relpath ?? null, phase: 'store' });
        }, options.signal);
        // A single-file .gz is one file already named after it; an archive's tree gets its own folder.
        const prefix = several && part.kind !== 'gz' ? `${artifactFolder(part.name)}/` : '';
        for (const file of extracted.files) {
          const relpath = `${prefix}${file.relpath}`;
          staged.push({ relpath, sha256: file.sha256, size: file.size, ...formatOf(relpath, file.sha256, file.size, () => file.head), artifact: part.artifact });
        }
      }
      if (several) assertWithinTotals(staged, limits, source);
    }
    // A folder's listing is sorted and its paths unique, none both a file and a folder.
    if (sourceKind.kind !== 'folder') {
      staged.sort((a, b) => (a.relpath < b.relpath ? -1 : a.relpath > b.relpath ? 1 : 0));
      assertNoPathClash(staged);
    }

    const bytes = staged.reduce((sum, file) => sum + file.size, 0);
    // Content stored by an earlier run, or repeated inside this one, costs no new bytes.
    const storedNow = new Set<string>();
    for (const file of staged) {
      if (step.createdCas.has(file.sha256) && !storedNow.has(file.sha256)) storedNow.add(file.sha256);
      else bytesDeduplicated += file.size;
    }
    const artifacts = downloads.length + (localArtifact ? 1 : 0);

    // 2. Unchanged? Then only an event (and the pointer, if asked and not already there),
    // unless files of the version are not on disk as recorded (deleted, cut short, a file in
    // the data folder's place): ingesting the same source again is how a curator puts them
    // back, so the data tree is built and swapped in as for any ingest.
    const existing = await catalog.read((conn) => versionFileDigests(conn, ref));
    const same = existing !== null && sameContent(existing, staged);
    const restoredOnDisk = same ? await filesNotAsRecorded(root, dataRelpath, existing) : 0;
    if (same && restoredOnDisk === 0) {
      control.onProgress?.({ done: 0, total: null, bytes, current: `${ref.service}/${ref.version}`, phase: 'record' });
      const latestAlready = options.setLatest ? await catalog.read((conn) => isLatestVersion(conn, ref)) : true;
      await catalog.write(async (tx) => {
        await tx.event('ingest.unchanged', { service: ref.service, version: ref.version, source, files: staged.length, bytes });
        if (options.setLatest && !latestAlready) await setLatestInTx(tx, root, ref, options.actor ?? 'ontocat');
      });
      committed = true;
      // Nothing new to keep: drops what this run put in the bucket, the work folder and any objects it added.
      await uploader?.discard();
      await step.rollback();
      return {
        service: ref.service, version: ref.version, status: 'unchanged', files: staged.length, bytes, bytes_deduplicated: bytes,
        artifacts, skipped, empty_folders: emptyFolders, set_latest: options.setLatest === true, duration_ms: Date.now() - started,
      };
    }

    if (existing && !same && !options.replace) {
      const differing = differingFiles(existing, staged);
      // The catch below rolls the staged files back and records the refusal.
      throw new OntocatError('CONFLICT', `${ref.service}/${ref.version} is already in the catalog with different content ` +
        `(${differing} of its files differ, added or removed); nothing was changed. Ingest it as a new version, or pass --replace to replace it.`);
    }

    // 3. Build the data tree beside the real one (a folder source's is built already), then swap it in.
    const storedAt = (sha256: string): string => (foundInLegacy.has(sha256) ? legacyCasRelpath(sha256) : casRelpath(sha256));
    let linked = 0;
    // Record each file's mtime as stored (the store's object, or the copy where links are
    // impossible), not the source's: doctor compares the catalog with the disk.
    const storedMtimes = placed ? staged.map((file) => file.mtime!) : new Array<number>(staged.length);
    if (!placed) await forEachBatch(staged, BATCH, pool.size, async (batch, start) => {
      const placed = await pool.link(batch.map((file) => ({ cas: path.join(path.resolve(root), ...storedAt(file.sha256).split('/')), dest: path.join(newData, ...file.relpath.split('/')) })));
      placed.forEach((result, i) => { storedMtimes[start + i] = result.mtime_ms; });
      linked += batch.length;
      control.onProgress?.({ done: linked, total: staged.length, bytes: 0, current: batch.at(-1)?.relpath ?? null, phase: 'link' });
    }, options.signal);
    // Objects this run did not write were linked as they are on disk: still the content recorded?
    const reused = new Map<string, number>();
    staged.forEach((file, i) => { if (!step.createdCas.has(file.sha256)) reused.set(storedAt(file.sha256), storedMtimes[i]!); });
    // Checked beside the folder swap, the flush and the row load (a join over every file row
    // of the catalog: 0.1-0.3 s for 100,000 objects); the commit waits for it.
    objectsChecked = assertStoredObjectsUnchanged(catalog, [...reused].map(([cas_relpath, mtime_ms]) => ({ cas_relpath, mtime_ms })));
    objectsChecked.catch(() => undefined);
    await mkdir(newData, { recursive: true });
    const target = resolveInsideRoot(root, dataRelpath);
    // The folder being replaced goes with the work folder: refused while it holds bytes the
    // catalog does not (a curator's own file, one a prune left behind, an edited file).
    const incoming = staged.map((file) => ({ relpath: file.relpath, sha256: file.sha256, size_bytes: file.size }));
    // A file (not a folder) where the data folder should be is nobody's version data: a curator's, kept.
    if ((await lstat(target).catch(() => null))?.isDirectory() === false) {
      throw new OntocatError('CONFLICT', `${dataRelpath} is not a folder but a file the catalog does not know (put there by hand?); ` +
        `ingesting ${ref.service}/${ref.version} would replace it and lose it. Move it elsewhere, or let 'ontocat doctor' move it to the trash and put the version's files back, then ingest again. Nothing was changed.`);
    }
    const wouldLose = await filesReplacingWouldLose(target, existing, incoming, (sha256) => path.join(path.resolve(root), ...storedAt(sha256).split('/')));
    if (wouldLose.length > 0) {
      const shown = wouldLose.slice(0, 5).map((relpath) => `'${relpath}'`).join(', ') + (wouldLose.length > 5 ? ` and ${wouldLose.length - 5} more` : '');
      throw new OntocatError('CONFLICT', `${dataRelpath} holds ${wouldLose.length === 1 ? 'a file' : `${wouldLose.length} files`} the catalog does not ` +
        `(${shown}: added or changed by hand, or left by a prune); ingesting ${ref.service}/${ref.version} would replace the folder and lose them. ` +
        "Move them elsewhere, or let 'ontocat doctor' adopt or trash them, then ingest again. Nothing was changed.");
    }
    await mkdir(path.dirname(target), { recursive: true });
    let aside: string | null = path.join(step.workDir, 'previous-data');
    try {
      await rename(target, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      aside = null;
    }
    step.dataSwap = { target, aside };
    await rename(newData, target);
    for (const download of downloads) step.placements.push(await placeArtifact(root, ref, download, step.workDir));
    crashPoint('ingest:after-fs-before-sync');
    control.onProgress?.({ done: 0, total: null, bytes, current: null, phase: 'sync' });
    // The disk flushes while DuckDB loads the rows (one waits on the disk, the other works
    // on the cores); the transaction commits only once the files are durable, so no row
    // ever names a file a crash could lose.
    const durable = makeDurable(root, async () => {
      // New content objects (the data tree's files are hardlinks to them), the folders that
      // gained entries (every folder of the new data tree, the objects' fan-out folders),
      // and the placed artifacts.
      const objects = [...step.createdCas].map((sha256) => localCopy(sha256, false));
      const artifacts = step.placements.map((placement) => path.join(path.resolve(root), ...placement.fs_relpath.split('/')));
      return {
        files: [...objects, ...artifacts],
        dirs: [...await foldersUnder(target), path.dirname(target), ...objects.map((object) => path.dirname(object)), casRoot, ...artifacts.map((file) => path.dirname(file))],
      };
    });
    // Awaited inside the transaction; a failure before then must not go unhandled.
    durable.catch(() => undefined);

    // The file workers are done; their heaps should not add to the commit's peak memory.
    await pool.close();
    const evidence = await readReleaseEvidence(target, staged);

    // 4. One transaction: version, artifact, files in bulk, events, latest pointer.
    control.onProgress?.({ done: 0, total: staged.length, bytes, current: `${ref.service}/${ref.version}`, phase: 'record' });
    const vid = versionId(ref.service, ref.version);
    const artifactRows: NewArtifact[] = downloads.length > 0
      ? downloads.map((download, index) => artifactRow(ref, download, step.placements[index]!.fs_relpath))
      : localArtifact ? [localArtifact] : [];
    const artifactIds = artifactRows.map((row) => artifactIdOf(vid, row.name));
    // A file's artifact: the download it came from (a folder ingest has none).
    const artifactOf = (file: StagedFile): string | null => artifactIds[file.artifact ?? 0] ?? null;
    await catalog.write(async (tx) => {
      await upsertVersion(tx, ref);
      for (const row of artifactRows) await upsertArtifact(tx, row);
      await refreshReleaseDate(tx, ref, evidence);
      // Rows are produced as they are staged, not as a second array of every file.
      await replaceVersionFiles(tx, ref, (function* rows() {
        for (const [i, file] of staged.entries()) {
          yield {
            relpath: file.relpath, format: file.format, sniffed_format: file.sniffed, size_bytes: file.size, sha256: file.sha256,
            mtime: Math.round(storedMtimes[i]!), cas_relpath: storedAt(file.sha256), artifact_id: artifactOf(file),
          };
        }
      })(), undefined, FORMAT_DETECTION_RULES);
      // Every row is loaded and none committed: a crash here must leave no version behind.
      crashPoint('ingest:rows-loaded-before-durable');
      // No row links an object changed on disk since it was recorded.
      await objectsChecked;
      // Nothing below (the latest pointer's file, the commit) happens before the files are durable.
      await durable;
      // A bucket root: every new content object is complete in the bucket before any row references it.
      // (Most were uploaded while staging; this waits for the rest and offers any not yet offered.)
      await uploader?.finish(staged.map((file) => ({ sha256: file.sha256, size: file.size, file: localCopy(file.sha256, foundInLegacy.has(file.sha256)) })));
      crashPoint('ingest:after-fs-before-commit');
      await tx.event('ingest.completed', {
        service: ref.service, version: ref.version, source, files: staged.length, bytes, bytes_deduplicated: bytesDeduplicated, skipped,
        empty_folders: emptyFolders, replaced: existing !== null, ...(same ? { restored_on_disk: restoredOnDisk } : {}),
        // Fine here, but they clash when the version is copied to macOS or Windows.
        ...(caseOnly ? { case_only_duplicates: caseOnly.count, case_only_examples: caseOnly.examples } : {}),
      });
      if (options.setLatest) await setLatestInTx(tx, root, ref, options.actor ?? 'ontocat');
    });
    committed = true;
    crashPoint('ingest:after-commit');
    uploader?.release();
    control.onProgress?.({ done: staged.length, total: staged.length, bytes, current: `${ref.service}/${ref.version}`, phase: 'record' });
    for (const placement of step.placements) await placement.finish();
    await removeQuietly(step.workDir);
    return {
      service: ref.service, version: ref.version, status: 'ingested', files: staged.length, bytes, bytes_deduplicated: bytesDeduplicated,
      artifacts, skipped, empty_folders: emptyFolders, set_latest: options.setLatest === true, duration_ms: Date.now() - started,
      ...(same ? { restored_on_disk: restoredOnDisk } : {}),
    };
  } catch (error) {
    // The stored-object check may still be reading: nothing outlives the ingest.
    await objectsChecked?.catch(() => undefined);
    // What this run put in the bucket goes again (never an object that was there before or that a row references).
    let bucketCleanup: Record<string, unknown> = {};
    if (uploader) {
      try {
        const discarded = await uploader.discard();
        bucketCleanup = { bucket_objects_removed: discarded.removed };
      } catch (cleanupError) {
        // The ingest's own error is what the user needs; what is left is unreferenced and `bucket prune` collects it.
        bucketCleanup = { bucket_cleanup_failed: (cleanupError as Error).message };
      }
    }
    await step.rollback();
    await catalog.write((tx) => tx.event('ingest.failed', {
      service: ref.service, version: ref.version, source, code: (error as OntocatError).code ?? 'INTERNAL', message: (error as Error).message,
      ...bucketCleanup,
    }, 'error')).catch(() => undefined);
    // A full disk, a folder without write permission: plain words, the errno, and what was not changed.
    const failure = committed ? null : fsFailureDetails(error);
    // A refused commit says so itself, with DuckDB's text: kept whole.
    if (failure && isOntocatError(error) && error.details?.catalog_unchanged === true) {
      throw new OntocatError('IO_ERROR', `Could not ingest ${ref.service}/${ref.version}: ${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}`, error.details);
    }
    if (failure) throw new OntocatError('IO_ERROR', `Could not ingest ${ref.service}/${ref.version}: ${failure.cause}. Nothing was recorded in the catalog.`, { ...failure });
    throw error;
  } finally {
    await pool.close();
  }
}

/**
 * Refuses a local source that is the storage root, lies inside it, or contains it (by real
 * paths): ingesting it would store the live catalog, its lock and the store as data.
 */
function assertSourceOutsideRoot(root: string, source: string): void {
  const relation = relationToRoot(root, source);
  if (relation === 'inside') throw new OntocatError('BAD_INPUT', `Refused ${source}: it is inside the storage root ${root}; ingest from a folder or archive outside the root.`);
  if (relation === 'contains') throw new OntocatError('BAD_INPUT', `Refused ${source}: it contains the storage root ${root}; ingest from a folder or archive outside the root.`);
}

/** Refuses artifacts that together pass the totals each one alone stays within. */
function assertWithinTotals(files: readonly StagedFile[], limits: IngestLimits, source: string): void {
  if (files.length > limits.maxFiles) {
    throw new OntocatError('LIMIT_EXCEEDED', `Refused ${source}: its artifacts hold ${files.length} files together, more than ${limits.maxFiles} (${raiseHint('maxFiles')}).`);
  }
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  if (bytes > limits.maxBytes) {
    throw new OntocatError('LIMIT_EXCEEDED', `Refused ${source}: its artifacts hold ${bytes} bytes together, more than ${limits.maxBytes} (${raiseHint('maxBytes')}).`);
  }
}

/** Refuses a set where one path is both a file and a folder (`a` and `a/b`), or two files share a path. */
function assertNoPathClash(files: readonly StagedFile[]): void {
  const paths = new Set<string>();
  for (const file of files) {
    if (paths.has(file.relpath)) {
      throw new OntocatError('BAD_INPUT', `Two artifacts of this version both hold '${file.relpath}'; name one of them differently in the source.`);
    }
    paths.add(file.relpath);
  }
  for (const file of files) {
    let slash = file.relpath.indexOf('/');
    while (slash > 0) {
      const parent = file.relpath.slice(0, slash);
      if (paths.has(parent)) throw new OntocatError('BAD_INPUT', `'${parent}' is both a file and a folder in this source.`);
      slash = file.relpath.indexOf('/', slash + 1);
    }
  }
}
