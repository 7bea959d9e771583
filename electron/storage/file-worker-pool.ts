import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { OntocatError } from '../shared/errors.js';
import { fsFailureDetails, upperFirst } from '../shared/fs-error-words.js';

/**
 * The body of each worker: synchronous filesystem work in batches, off the main thread.
 *
 * Plain JavaScript evaluated as a script so it runs the same from TypeScript sources
 * (tsx), from a bundle and inside Electron. Synchronous calls in a worker avoid the
 * per-call promise and thread-pool hop of `fs/promises`, which dominates for many small
 * files; several workers hash and copy in parallel.
 */
const workerSource = String.raw`
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const { createHash } = require('node:crypto');
// Large files go through in 4 MiB reads: a quarter of the syscalls of 1 MiB, same hashing.
const CHUNK = 4 << 20;
const buffer = Buffer.allocUnsafe(CHUNK);
const madeDirs = new Set();
// Contents (sha256) whose first bytes the caller does not need back: it knows their format.
let knownContent = new Set();
let heads = Buffer.allocUnsafe(1 << 20);
// A batch's heads are packed end to end in heads; grows it to hold one more at used.
function headRoom(used, headBytes) {
  if (heads.length >= used + headBytes) return;
  const grown = Buffer.allocUnsafe(Math.max(used + headBytes, heads.length * 2));
  heads.copy(grown, 0, 0, used);
  heads = grown;
}
// Copies fd to out in one read each chunk, hashing it and keeping its first headBytes in
// heads at offset (for format detection), so a file is read once however it is placed.
function copyHashingHead(fd, out, heads, offset, headBytes, flusher) {
  const hash = createHash('sha256');
  let size = 0;
  let headLength = 0;
  for (;;) {
    const n = fs.readSync(fd, buffer, 0, CHUNK, null);
    if (n === 0) break;
    const chunk = n === CHUNK ? buffer : buffer.subarray(0, n);
    hash.update(chunk);
    if (headLength < headBytes) {
      const take = Math.min(headBytes - headLength, n);
      buffer.copy(heads, offset + headLength, 0, take);
      headLength += take;
    }
    let written = 0;
    while (written < n) written += fs.writeSync(out, chunk, written, n - written);
    size += n;
    flusher.wrote(n);
  }
  return { hash, size, headLength };
}
// Early write-back of a large file: every FLUSH_STEP bytes written, and once more when it
// is complete, an fdatasync is handed to the thread pool while this worker goes on
// copying, so the disk writes while the CPU reads and hashes, instead of taking every byte
// in the one syncfs before the commit (which still runs, and is what makes the ingest
// durable: these flushes only start the disk sooner, and their errors are left to it).
// The file is closed once no flush uses its descriptor.
const FLUSH_STEP = 32 << 20;
// Files whose close waits for a flush, and the 'drain' requests waiting for them all.
let closingFiles = 0;
const drainWaiters = [];
function whenDrained(callback) {
  if (closingFiles === 0) callback();
  else drainWaiters.push(callback);
}
function earlyFlusher(out) {
  let unflushed = 0;
  let pending = 0;
  let flushed = false;
  let closing = false;
  const flush = () => {
    unflushed = 0;
    flushed = true;
    pending += 1;
    fs.fdatasync(out, () => {
      pending -= 1;
      if (closing && pending === 0) {
        fs.close(out, () => {
          closingFiles -= 1;
          if (closingFiles === 0) while (drainWaiters.length > 0) drainWaiters.shift()();
        });
      }
    });
  };
  return {
    wrote(n) {
      unflushed += n;
      if (unflushed >= FLUSH_STEP) flush();
    },
    // Hands the descriptor over: closed now, or once the flushes in flight are done.
    close(complete) {
      // A file under FLUSH_STEP is left to the syncfs: an fdatasync each would mean a journal commit each.
      if (complete && unflushed > 0 && flushed) flush();
      if (pending > 0) {
        closing = true;
        closingFiles += 1;
      } else {
        fs.closeSync(out);
      }
    },
  };
}
function ensureDir(dir) {
  if (madeDirs.has(dir)) return;
  fs.mkdirSync(dir, { recursive: true });
  madeDirs.add(dir);
}
// One level of fan-out (ab/<sha>), as git and restic; stores made earlier used two
// (ab/cd/<sha>) until migrate-store moves them, and are looked in too while any remain.
function casPath(casRoot, sha) { return casRoot + '/' + sha.slice(0, 2) + '/' + sha; }
function legacyCasPath(casRoot, sha) { return casRoot + '/' + sha.slice(0, 2) + '/' + sha.slice(2, 4) + '/' + sha; }
const WHOLE_FILE = 4 << 20;
let whole = Buffer.allocUnsafe(64 << 10);
/**
 * Refuses a stored object whose size is not its content's: it was changed on disk (a
 * version's file edited in place is the same inode as its object), and linking it would
 * give a new version other bytes than its source's.
 */
function refuseDamaged(where, sha, size, st) {
  if (size === undefined || st.size === size) return;
  throw Object.assign(new Error("the content store's copy of " + sha.slice(0, 12) + '… (' + where + ') holds ' + st.size + ' bytes, not the ' + size +
    " of its content: it was changed on disk (a version's file edited in place changes its stored copy too). Run 'ontocat doctor' to repair it, then ingest again"), { code: 'EDAMAGED' });
}
/** Where the store already holds this content (of size bytes, when given): 'flat', 'legacy' (only looked for when asked), or null. */
function stored(casRoot, sha, legacy, size) {
  const flat = casPath(casRoot, sha);
  let st = fs.statSync(flat, { throwIfNoEntry: false });
  if (st) { refuseDamaged(flat, sha, size, st); return 'flat'; }
  if (!legacy) return null;
  const old = legacyCasPath(casRoot, sha);
  st = fs.statSync(old, { throwIfNoEntry: false });
  if (st) { refuseDamaged(old, sha, size, st); return 'legacy'; }
  return null;
}
/** Stores content whose hash is known: skip it when present, else temp + rename (one new entry). */
function place(casRoot, tmp, sha, legacy) {
  const found = stored(casRoot, sha, legacy, fs.statSync(tmp).size);
  if (found) { fs.unlinkSync(tmp); return { created: false, legacy: found === 'legacy' }; }
  const target = casPath(casRoot, sha);
  ensureDir(path.dirname(target));
  fs.renameSync(tmp, target);
  return { created: true, legacy: false };
}
function stage(task, casRoot, headBytes, heads, offset, legacy) {
  const fd = fs.openSync(task.src, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW || 0) | (fs.constants.O_NONBLOCK || 0));
  let out = -1;
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw Object.assign(new Error('not a regular file: ' + task.src), { code: 'ENOTREG' });
    if (st.size <= WHOLE_FILE) {
      // Small files: read whole, hash, and write nothing at all when the store has them.
      if (whole.length < st.size + 1) whole = Buffer.allocUnsafe(Math.max(st.size + 1, whole.length * 2));
      let size = 0;
      for (;;) { const n = fs.readSync(fd, whole, size, whole.length - size, null); if (n === 0) break; size += n; if (size === whole.length) break; }
      if (size > st.size) throw Object.assign(new Error('file grew while being read: ' + task.src), { code: 'ECHANGED' });
      const data = whole.subarray(0, size);
      const sha256 = createHash('sha256').update(data).digest('hex');
      const head = Math.min(headBytes, size);
      data.copy(heads, offset, 0, head);
      // Content the store has is never written again (a second version's unchanged files).
      const found = stored(casRoot, sha256, legacy, size);
      if (found) return { sha256, size, mtime_ms: st.mtimeMs, created: false, legacy: found === 'legacy', head };
      out = fs.openSync(task.tmp, 'wx', 0o444);
      let written = 0;
      while (written < size) written += fs.writeSync(out, data, written, size - written);
      fs.closeSync(out); out = -1;
      return { sha256, size, mtime_ms: st.mtimeMs, ...place(casRoot, task.tmp, sha256, legacy), head };
    }
    out = fs.openSync(task.tmp, 'wx', 0o444);
    const { hash, size, headLength } = copyHashingHead(fd, out, heads, offset, headBytes);
    fs.closeSync(out); out = -1;
    const sha256 = hash.digest('hex');
    return { sha256, size, mtime_ms: st.mtimeMs, ...place(casRoot, task.tmp, sha256, legacy), head: headLength };
  } catch (error) {
    if (out >= 0) fs.closeSync(out);
    try { fs.unlinkSync(task.tmp); } catch {}
    throw error;
  } finally {
    fs.closeSync(fd);
  }
}
/** Reads a small file whole into the shared buffer: one read when it has not grown. */
function readWhole(fd, st, src) {
  if (whole.length < st.size + 1) whole = Buffer.allocUnsafe(Math.max(st.size + 1, whole.length * 2));
  let size = 0;
  // Asking for one byte more than fstat said tells growth apart from the end in one read.
  for (;;) {
    const n = fs.readSync(fd, whole, size, st.size + 1 - size, null);
    size += n;
    if (n === 0 || size >= st.size) break;
  }
  if (size > st.size) throw Object.assign(new Error('file grew while being read: ' + src), { code: 'ECHANGED' });
  return whole.subarray(0, size);
}
/** Where the store holds this content (of size bytes), with its mtime: null when it does not. */
function storedAt(casRoot, sha, legacy, size) {
  let where = casPath(casRoot, sha);
  let st = fs.statSync(where, { throwIfNoEntry: false });
  if (!st && legacy) { where = legacyCasPath(casRoot, sha); st = fs.statSync(where, { throwIfNoEntry: false }); }
  if (st) refuseDamaged(where, sha, size, st);
  return st ? { where, legacy: where !== casPath(casRoot, sha), mtime_ms: st.mtimeMs } : null;
}
/** Links a stored object to dest (a copy where links fail); the placed file's mtime. */
function linkFromStore(found, dest) {
  try { fs.linkSync(found.where, dest); return found.mtime_ms; } catch (error) {
    if (!['EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP'].includes(error.code)) throw error;
    fs.copyFileSync(found.where, dest, fs.constants.COPYFILE_EXCL);
    return fs.statSync(dest).mtimeMs;
  }
}
/**
 * Gives the store a new object from a complete file already written at dest: one link
 * (atomic; the object appears whole or not at all). Content another writer stored first
 * wins, and dest becomes a link to it; where links fail, the store gets a copy by temp +
 * rename. Whether this call created the object.
 */
function adoptFromVersion(casRoot, dest, sha, legacy, tmp, size) {
  const target = casPath(casRoot, sha);
  ensureDir(path.dirname(target));
  try { fs.linkSync(dest, target); return { created: true, legacy: false, mtime_ms: null }; } catch (error) {
    if (error.code === 'EEXIST') {
      const found = storedAt(casRoot, sha, legacy, size);
      if (!found) throw error;
      fs.unlinkSync(dest);
      return { created: false, legacy: found.legacy, mtime_ms: linkFromStore(found, dest) };
    }
    if (!['EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP'].includes(error.code)) throw error;
    fs.copyFileSync(dest, tmp, fs.constants.COPYFILE_EXCL);
    return { ...place(casRoot, tmp, sha, legacy), mtime_ms: null };
  }
}
/**
 * Hashes one source file and places it at dest, in the version folder being built: content
 * the store has is linked from it (nothing written); new content is written at dest once
 * and linked into the store. Per new file: open, fstat, read, close, stat, create, write,
 * fstat, close, link; per stored one: open, fstat, read, close, stat, link.
 */
function storeInto(task, casRoot, headBytes, heads, offset, legacy) {
  const fd = fs.openSync(task.src, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW || 0) | (fs.constants.O_NONBLOCK || 0));
  let out = -1;
  let placed = false;
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw Object.assign(new Error('not a regular file: ' + task.src), { code: 'ENOTREG' });
    // The walk made the folders of plain entries already (one mkdir a folder, not one a file a worker).
    if (!task.dirMade) ensureDir(path.dirname(task.dest));
    if (st.size <= WHOLE_FILE) {
      const data = readWhole(fd, st, task.src);
      const sha256 = createHash('sha256').update(data).digest('hex');
      const found = storedAt(casRoot, sha256, legacy, data.length);
      // Stored content whose format the caller knows already (knownContent) goes back without its head.
      const head = found && knownContent.has(sha256) ? 0 : Math.min(headBytes, data.length);
      data.copy(heads, offset, 0, head);
      if (found) return { sha256, size: data.length, created: false, legacy: found.legacy, mtime_ms: linkFromStore(found, task.dest), head };
      out = fs.openSync(task.dest, 'wx', 0o444);
      placed = true;
      let written = 0;
      while (written < data.length) written += fs.writeSync(out, data, written, data.length - written);
      const mtime = fs.fstatSync(out).mtimeMs;
      fs.closeSync(out); out = -1;
      const adopted = adoptFromVersion(casRoot, task.dest, sha256, legacy, task.tmp, data.length);
      return { sha256, size: data.length, created: adopted.created, legacy: adopted.legacy, mtime_ms: adopted.mtime_ms ?? mtime, head };
    }
    out = fs.openSync(task.dest, 'wx', 0o444);
    placed = true;
    const flusher = earlyFlusher(out);
    let copied;
    try {
      copied = copyHashingHead(fd, out, heads, offset, headBytes, flusher);
    } catch (error) {
      // The descriptor is the flusher's now: it closes it once no flush uses it.
      flusher.close(false); out = -1;
      throw error;
    }
    const { hash, size, headLength } = copied;
    const mtime = fs.fstatSync(out).mtimeMs;
    flusher.close(true); out = -1;
    const sha256 = hash.digest('hex');
    const found = storedAt(casRoot, sha256, legacy, size);
    if (found) {
      // A large file the store already has: the copy goes, a link to the object takes its place.
      fs.unlinkSync(task.dest);
      return { sha256, size, created: false, legacy: found.legacy, mtime_ms: linkFromStore(found, task.dest), head: headLength };
    }
    const adopted = adoptFromVersion(casRoot, task.dest, sha256, legacy, task.tmp, size);
    return { sha256, size, created: adopted.created, legacy: adopted.legacy, mtime_ms: adopted.mtime_ms ?? mtime, head: headLength };
  } catch (error) {
    if (out >= 0) fs.closeSync(out);
    // dest already there and not made by this call: two source names for one path.
    if (error.code === 'EEXIST' && !placed) error.code = 'EDUPLICATE';
    else if (placed) { try { fs.unlinkSync(task.dest); } catch {} }
    throw error;
  } finally {
    fs.closeSync(fd);
  }
}
/**
 * Lists every regular file under base (its real path), sorted by path, synchronously:
 * one readdir per folder without a thread-pool hop each. Links are followed only inside
 * base (links to folders are skipped); devices, FIFOs, sockets and links leaving base refuse.
 */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const CONTROL_NAME = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_NAMES = /[\u0000-\u001f\u007f-\u009f]/g;
// A name read from disk that is not UTF-8 (a Latin-1 'caf\xe9.txt') is decoded with U+FFFD in
// place of its bad bytes: another name, which no open finds. Such a name is refused, named
// by its bytes, rather than failing later as a missing file.
function checkName(dir, rel, name) {
  for (const raw of fs.readdirSync(dir, { encoding: 'buffer' })) {
    if (raw.toString('utf8') !== name) continue;
    try { strictUtf8.decode(raw); } catch {
      const shown = Array.from(raw, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '\\x' + b.toString(16).padStart(2, '0'))).join('');
      throw Object.assign(new Error("'" + rel + "' has a name that is not UTF-8 text ('" + shown + "'). Ontocat records paths as UTF-8: rename it (for example with convmv -f latin1 -t utf8) and ingest again."), { code: 'EBADNAME' });
    }
  }
}
function walk(base, maxFiles, only, mirror) {
  const files = [];
  let skipped = 0;
  // Folders with nothing in them (as find -type d -empty counts them): a version holds none.
  let empty = 0;
  // With mirror, each folder holding a file is made there once, as it is listed, so the
  // copy that follows never checks a folder per file (empty folders are not made).
  const made = new Set();
  const mirrorDir = (rel) => {
    if (!mirror || rel === '' || made.has(rel)) return;
    fs.mkdirSync(mirror + '/' + rel, { recursive: true });
    made.add(rel);
  };
  const unsafe = (message) => Object.assign(new Error(message), { code: 'EUNSAFE' });
  const visit = (dir, rel, names) => {
    let entries = fs.readdirSync(dir, { withFileTypes: true });
    // A share of the top level (the pool walks its folders in parallel).
    if (names) { const wanted = new Set(names); entries = entries.filter((entry) => wanted.has(entry.name)); }
    else if (entries.length === 0 && rel !== '') empty += 1;
    for (const entry of entries) {
      const childRel = rel === '' ? entry.name : rel + '/' + entry.name;
      if (entry.name.indexOf('\uFFFD') !== -1) checkName(dir, childRel, entry.name);
      // A newline or tab is legal in a Linux name, but a path is one line everywhere in Ontocat:
      // refused while listing, before anything is stored (a folder's name refuses it too).
      if (CONTROL_NAME.test(entry.name)) {
        throw unsafe("'" + childRel.replace(CONTROL_NAMES, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0')) + "' has a control character in its name; Ontocat records paths without control characters: rename it and ingest again.");
      }
      const child = dir + '/' + entry.name;
      if (entry.isDirectory()) { visit(child, childRel); continue; }
      let src = null;
      if (entry.isSymbolicLink()) {
        let target;
        try { target = fs.realpathSync(child); } catch { skipped += 1; continue; }
        if (target !== base && !target.startsWith(base + path.sep)) throw unsafe("'" + childRel + "' is a link pointing outside the folder.");
        const info = fs.statSync(target);
        if (info.isDirectory()) { skipped += 1; continue; }
        if (!info.isFile()) throw unsafe("'" + childRel + "' points at a device, FIFO or socket.");
        src = target;
      } else if (!entry.isFile()) {
        if (!fs.lstatSync(child).isFile()) throw unsafe("'" + childRel + "' is a device, FIFO or socket.");
      }
      mirrorDir(rel);
      files.push(src === null ? childRel : [childRel, src]);
      if (files.length > maxFiles) throw Object.assign(new Error('more than ' + maxFiles + ' files'), { code: 'ELIMIT' });
    }
  };
  visit(base, '', only);
  // A share of a split walk is sorted once, after the merge.
  if (!only) {
    const key = (file) => (typeof file === 'string' ? file : file[0]);
    files.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }
  return { files, skipped, empty };
}
function link(task) {
  ensureDir(path.dirname(task.dest));
  let copied = false;
  try { fs.linkSync(task.cas, task.dest); } catch (error) {
    if (!['EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP'].includes(error.code)) throw error;
    fs.copyFileSync(task.cas, task.dest, fs.constants.COPYFILE_EXCL);
    copied = true;
  }
  return { copied, mtime_ms: fs.statSync(task.dest).mtimeMs };
}
function hashFile(file) {
  let fd;
  // O_NOFOLLOW: a link in place of a stored file is never read through (ELOOP: not the file).
  // O_NONBLOCK: a FIFO in its place is not the file either, and must not block the worker.
  try { fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW || 0) | (fs.constants.O_NONBLOCK || 0)); } catch (error) { if (error.code === 'ENOENT' || error.code === 'ENOTDIR' || error.code === 'ELOOP') return { sha256: null, size: null }; throw error; }
  try {
    if (!fs.fstatSync(fd).isFile()) return { sha256: null, size: null };
    const hash = createHash('sha256');
    let size = 0;
    for (;;) { const n = fs.readSync(fd, buffer, 0, CHUNK, null); if (n === 0) break; hash.update(n === CHUNK ? buffer : buffer.subarray(0, n)); size += n; }
    return { sha256: hash.digest('hex'), size };
  } finally { fs.closeSync(fd); }
}
parentPort.on('message', (message) => {
  const { id, op, payload } = message;
  try {
    if (op === 'storeInto') {
      // Paths are built here from the batch's bases (the main thread sends each relpath
      // once), and results go back as a few transferred arrays rather than an object a file.
      const { casRoot, headBytes, legacy, srcBase, destBase, tmpBase, start, entries, dirsMade } = payload;
      const n = entries.length;
      const sizes = new Float64Array(n);
      const mtimes = new Float64Array(n);
      const flags = new Uint8Array(n);
      const headLengths = new Uint32Array(n);
      let shas = '';
      let used = 0;
      for (let i = 0; i < n; i += 1) {
        const entry = entries[i];
        const plain = typeof entry === 'string';
        const rel = plain ? entry : entry[0];
        const task = { src: plain ? srcBase + '/' + rel : entry[1], dest: destBase + '/' + rel, tmp: tmpBase + '/s' + (start + i), dirMade: dirsMade && plain };
        headRoom(used, headBytes);
        const result = storeInto(task, casRoot, headBytes, heads, used, legacy);
        used += result.head;
        shas += result.sha256;
        sizes[i] = result.size;
        mtimes[i] = result.mtime_ms;
        flags[i] = (result.created ? 1 : 0) | (result.legacy ? 2 : 0);
        headLengths[i] = result.head;
      }
      const packed = new ArrayBuffer(used);
      heads.copy(new Uint8Array(packed), 0, 0, used);
      parentPort.postMessage({ id, ok: true, result: { shas, sizes, mtimes, flags, headLengths, heads: packed } },
        [sizes.buffer, mtimes.buffer, flags.buffer, headLengths.buffer, packed]);
      return;
    }
    if (op === 'stage') {
      // Heads are packed end to end (each result says its length): small files' heads
      // are a few hundred bytes, and a fixed slot each made a batch's reply 2 MB.
      let used = 0;
      const results = payload.tasks.map((task) => {
        headRoom(used, payload.headBytes);
        const result = stage(task, payload.casRoot, payload.headBytes, heads, used, payload.legacy);
        used += result.head;
        return result;
      });
      const ab = new ArrayBuffer(used);
      heads.copy(new Uint8Array(ab), 0, 0, used);
      parentPort.postMessage({ id, ok: true, result: { results, heads: ab } }, [ab]);
      return;
    }
    if (op === 'known') {
      knownContent = new Set();
      for (let i = 0; i + 64 <= payload.shas.length; i += 64) knownContent.add(payload.shas.slice(i, i + 64));
      parentPort.postMessage({ id, ok: true, result: null });
      return;
    }
    if (op === 'drain') {
      whenDrained(() => parentPort.postMessage({ id, ok: true, result: null }));
      return;
    }
    let result;
    if (op === 'adopt') result = payload.tasks.map((task) => place(payload.casRoot, task.tmp, task.sha256, payload.legacy));
    else if (op === 'link') result = payload.tasks.map(link);
    else if (op === 'hash') result = payload.files.map(hashFile);
    else if (op === 'walk') result = walk(payload.base, payload.maxFiles, payload.only, payload.mirror);
    else throw new Error('unknown op ' + op);
    parentPort.postMessage({ id, ok: true, result });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: { message: String(error && error.message || error), code: error && error.code, path: error && error.path } });
  }
});
`;

export interface StageTask {
  /** The file to read (absolute). */
  readonly src: string;
  /** A fresh temp path under the root's `.tmp/` (same filesystem as the store). */
  readonly tmp: string;
}

export interface StageResult {
  readonly sha256: string;
  readonly size: number;
  readonly mtime_ms: number;
  /** True when this call added the content to the store; false when it was already there. */
  readonly created: boolean;
  /** True when the store held it in the two-level layout of older stores (`ab/cd/<sha>`). */
  readonly legacy: boolean;
  /** The first bytes of the file, for format detection. */
  readonly head: Buffer;
}

/**
 * One batch of a folder for `storeInto`: each entry a relpath (read at `srcBase/relpath`),
 * or [relpath, file to read] for a link inside the folder; each placed at `destBase/relpath`.
 */
export interface StoreIntoBatch {
  readonly srcBase: string;
  readonly destBase: string;
  /** A folder for the store's copies where hardlinks are impossible (`s<index>` in it). */
  readonly tmpBase: string;
  /** Index of the batch's first entry in the whole listing (names the temp files). */
  readonly start: number;
  readonly entries: readonly (string | readonly [string, string])[];
  /** True when the walk made every plain entry's folder under destBase already (`walk` with a mirror). */
  readonly dirsMade: boolean;
}

/** A batch's results, one slot per entry in order; `sha256(i)` and `head(i)` read entry i. */
export interface StoreIntoResults {
  readonly count: number;
  readonly sizes: Float64Array;
  /** The placed file's mtime (the store object's, or the copy's where links fail). */
  readonly mtimes: Float64Array;
  /** Bit 1: this call added the content to the store; bit 2: found in the older two-level layout. */
  readonly flags: Uint8Array;
  sha256(index: number): string;
  head(index: number): Buffer;
}

export interface LinkTask {
  readonly cas: string;
  readonly dest: string;
}

interface WorkerReply {
  readonly id: number;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: { message: string; code?: string; path?: string };
}

/** Turns a worker's error back into an OntocatError a user can read. */
function workerError(error: NonNullable<WorkerReply['error']>): OntocatError {
  if (error.code === 'ECHANGED') return new OntocatError('CONFLICT', `A source file changed while it was read: ${error.message}`);
  if (error.code === 'ENOTREG') return new OntocatError('UNSAFE_PATH', `Refused ${error.message}.`);
  if (error.code === 'ELOOP') return new OntocatError('UNSAFE_PATH', `Refused a symbolic link: ${error.path ?? error.message}.`);
  if (error.code === 'EUNSAFE') return new OntocatError('UNSAFE_PATH', error.message);
  if (error.code === 'ELIMIT') return new OntocatError('LIMIT_EXCEEDED', error.message);
  if (error.code === 'EBADNAME') return new OntocatError('BAD_INPUT', error.message);
  if (error.code === 'EDAMAGED') return new OntocatError('CONFLICT', `Refused: ${error.message}.`);
  if (error.code === 'EDUPLICATE') return new OntocatError('BAD_INPUT', `Two source files map to one path: ${error.path ?? error.message}.`);
  const failure = fsFailureDetails(error);
  if (failure) return new OntocatError('IO_ERROR', `${upperFirst(failure.cause)}.`, { ...failure });
  return new OntocatError('IO_ERROR', `File operation failed: ${error.message}`);
}

/** Puts each result's head back: the heads come packed end to end, each result giving its length. */
function withHeads<R extends { head: number }>(results: readonly R[], packed: ArrayBuffer): (Omit<R, 'head'> & { head: Buffer })[] {
  const heads = Buffer.from(packed);
  let offset = 0;
  return results.map((result) => {
    const head = heads.subarray(offset, offset + result.head);
    offset += result.head;
    return { ...result, head };
  });
}

/** Longest a closing pool waits for a worker's early flushes (a disk that stalls longer is left to the OS). */
const DRAIN_LIMIT_MS = 60_000;

/** Workers per pool: the cores, between 1 and 4 (`ONTOCAT_FILE_WORKERS` overrides). */
export function defaultPoolSize(): number {
  const forced = Number(process.env.ONTOCAT_FILE_WORKERS);
  if (Number.isInteger(forced) && forced > 0) return Math.min(16, forced);
  return Math.max(1, Math.min(4, availableParallelism()));
}

/**
 * A few worker threads doing batched, synchronous file work: hash-and-store, link into
 * place, re-hash. Close it when done.
 */
export class FileWorkerPool {
  private readonly workers: Worker[] = [];
  /** Requests each worker has been sent and not yet answered. */
  private readonly load = new Map<Worker, number>();
  /** Requests waiting for a worker with fewer than `depth` requests in hand. */
  private readonly waiting: { depth: number; resolve: (worker: Worker) => void }[] = [];
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private closed = false;

  constructor(size = defaultPoolSize()) {
    for (let i = 0; i < size; i += 1) {
      const worker = new Worker(workerSource, { eval: true });
      worker.on('message', (reply: WorkerReply) => {
        const entry = this.pending.get(reply.id);
        if (!entry) return;
        this.pending.delete(reply.id);
        this.release(worker);
        if (reply.ok) entry.resolve(reply.result);
        else entry.reject(workerError(reply.error!));
      });
      worker.on('error', (error) => {
        for (const entry of this.pending.values()) entry.reject(new OntocatError('INTERNAL', `A file worker failed: ${error.message}`));
        this.pending.clear();
      });
      this.workers.push(worker);
      this.load.set(worker, 0);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** The least loaded worker holding fewer than `depth` requests, or null. */
  private leastLoaded(depth: number): Worker | null {
    let best: Worker | null = null;
    let bestLoad = depth;
    for (const worker of this.workers) {
      const load = this.load.get(worker)!;
      if (load < bestLoad) {
        best = worker;
        bestLoad = load;
      }
    }
    return best;
  }

  /** One request of `worker` answered: its room goes to the requests waiting, in order. */
  private release(worker: Worker): void {
    this.load.set(worker, this.load.get(worker)! - 1);
    while (this.waiting.length > 0) {
      const next = this.leastLoaded(this.waiting[0]!.depth);
      if (!next) break;
      this.load.set(next, this.load.get(next)! + 1);
      this.waiting.shift()!.resolve(next);
    }
  }

  /**
   * A worker for one request: one holding fewer than `depth` (a request queued behind
   * another starts as soon as the other ends, without a round trip to this thread).
   */
  private acquire(depth: number): Promise<Worker> {
    const worker = this.leastLoaded(depth);
    if (worker) {
      this.load.set(worker, this.load.get(worker)! + 1);
      return Promise.resolve(worker);
    }
    return new Promise((resolve) => this.waiting.push({ depth, resolve }));
  }

  private async run<T>(op: string, payload: unknown, depth = 1): Promise<T> {
    if (this.closed) throw new OntocatError('INTERNAL', 'The file worker pool is closed.');
    return this.post<T>(await this.acquire(depth), op, payload);
  }

  /** Sends one request to `worker`, counted in its load until answered. */
  private post<T>(worker: Worker, op: string, payload: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, op, payload });
    });
  }

  /**
   * Hashes and copies files into the content store at `casRoot` (absolute `.cas/sha256`).
   *
   * With `legacy`, content already stored in the older two-level layout counts as stored.
   */
  async stage(casRoot: string, tasks: readonly StageTask[], headBytes: number, legacy = false): Promise<StageResult[]> {
    const reply = await this.run<{ results: (Omit<StageResult, 'head'> & { head: number })[]; heads: ArrayBuffer }>('stage', { casRoot, tasks, headBytes, legacy });
    return withHeads(reply.results, reply.heads);
  }

  /**
   * Hashes source files and places each at its `dest` in a version folder being built,
   * linked to the store object of its content (new content is written once, at dest, and
   * linked into the store). One pass per file instead of stage + link. With `depth` 2 a
   * batch may wait in a busy worker behind one other, so the worker goes on to it without
   * waiting for this thread to take the first one's results (batches of many small files).
   */
  async storeInto(casRoot: string, batch: StoreIntoBatch, headBytes: number, legacy = false, depth = 1): Promise<StoreIntoResults> {
    const reply = await this.run<{ shas: string; sizes: Float64Array; mtimes: Float64Array; flags: Uint8Array; headLengths: Uint32Array; heads: ArrayBuffer }>(
      'storeInto', { casRoot, headBytes, legacy, ...batch }, depth);
    const offsets = new Uint32Array(reply.headLengths.length + 1);
    reply.headLengths.forEach((length, i) => { offsets[i + 1] = offsets[i]! + length; });
    const heads = Buffer.from(reply.heads);
    return {
      count: reply.sizes.length, sizes: reply.sizes, mtimes: reply.mtimes, flags: reply.flags,
      sha256: (index) => reply.shas.slice(index * 64, index * 64 + 64),
      head: (index) => heads.subarray(offsets[index]!, offsets[index + 1]!),
    };
  }

  /**
   * Tells every worker which contents (sha256) the caller knows the format of: `storeInto`
   * hands back no head for a small file whose content is stored and one of these.
   */
  async knowContent(shas: Iterable<string>): Promise<void> {
    const joined = [...shas].join('');
    await Promise.all(this.workers.map((worker) => {
      this.load.set(worker, this.load.get(worker)! + 1);
      return this.post<null>(worker, 'known', { shas: joined });
    }));
  }

  /**
   * Lists the regular files under `base` (a real path) in one worker, sorted (with
   * `only`, just those top-level entries and what is under them, unsorted): a relpath,
   * or [relpath, target] for a link inside base. With `mirror`, every folder holding a
   * file is also made under that folder. Refusals come back as UNSAFE_PATH or
   * LIMIT_EXCEEDED with the offending name.
   */
  walk(base: string, maxFiles: number, only?: readonly string[], mirror?: string): Promise<{ files: (string | [string, string])[]; skipped: number; empty: number }> {
    return this.run('walk', { base, maxFiles, only, mirror });
  }

  /** Moves already-hashed temp files into the store: which were newly stored, which found in the older layout. */
  adopt(casRoot: string, tasks: readonly { tmp: string; sha256: string }[], legacy = false): Promise<{ created: boolean; legacy: boolean }[]> {
    return this.run('adopt', { casRoot, tasks, legacy });
  }

  /**
   * Hardlinks store objects into place (copies where links fail).
   *
   * Each result carries the placed file's mtime, which the catalog records so doctor can
   * compare it with the disk; reading it here saves a second pass of stats.
   */
  link(tasks: readonly LinkTask[]): Promise<{ copied: boolean; mtime_ms: number }[]> {
    return this.run('link', { tasks });
  }

  /** Re-hashes files; a missing file gives nulls. */
  hash(files: readonly string[]): Promise<{ sha256: string | null; size: number | null }[]> {
    return this.run('hash', { files });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A large file's early flushes close it when they finish: wait for them, so no file
    // descriptor outlives its worker (the process is long-lived in the desktop app).
    await Promise.all(this.workers.map((worker) => this.drain(worker)));
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  /** Resolves when `worker` has closed every file it flushes, or after DRAIN_LIMIT_MS. */
  private drain(worker: Worker): Promise<void> {
    const id = this.nextId++;
    this.load.set(worker, this.load.get(worker)! + 1);
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, DRAIN_LIMIT_MS);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.pending.set(id, { resolve: done, reject: done });
      worker.postMessage({ id, op: 'drain' });
    });
  }
}

/** Runs `batches` through `work` with at most `parallel` in flight, in order of completion. */
export async function forEachBatch<T>(
  items: readonly T[],
  batchSize: number,
  parallel: number,
  work: (batch: readonly T[], start: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  let failed = false;
  const runners: Promise<void>[] = [];
  for (let r = 0; r < Math.max(1, parallel); r += 1) {
    runners.push((async () => {
      while (next < items.length && !failed) {
        if (signal?.aborted) throw new OntocatError('CANCELLED', 'Cancelled.');
        const start = next;
        next += batchSize;
        try {
          await work(items.slice(start, start + batchSize), start);
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    })());
  }
  // Wait for every runner so nothing is still writing when the caller cleans up.
  const outcomes = await Promise.allSettled(runners);
  const rejected = outcomes.find((outcome) => outcome.status === 'rejected');
  if (rejected) throw (rejected as PromiseRejectedResult).reason;
}
