import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import { create as createTar } from 'tar';
import yazl from 'yazl';

/** Writes a tree of files: `{ 'a/b.ttl': '...' }`. */
export function writeTree(dir: string, files: Readonly<Record<string, string | Buffer>>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, ...rel.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** Builds a zip with yazl; entries may carry a Unix mode (symlinks: 0o120777 with the target as content). */
export async function makeZip(file: string, entries: readonly { name: string; content: string | Buffer; mode?: number }[]): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    zip.addBuffer(Buffer.from(entry.content), entry.name, entry.mode ? { mode: entry.mode } : {});
  }
  zip.end();
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.pipe(createWriteStream(file)).on('close', resolve).on('error', reject);
  });
}

/** Builds a tar (or .tar.gz with `gzip`) of a folder with the tar package. */
export async function makeTar(file: string, folder: string, gzip = false): Promise<void> {
  await createTar({ file, cwd: folder, gzip, portable: true }, readdirSync(folder));
}

/** Builds a .tar.xz with the `xz` command; false when there is no `xz`. */
export async function makeTarXz(file: string, folder: string): Promise<boolean> {
  const tarFile = file.replace(/\.xz$/, '');
  await makeTar(tarFile, folder);
  const result = spawnSync('xz', ['-z', '-f', tarFile]);
  return result.status === 0 && statSync(file).isFile();
}

/** Gzips one file's content into `file` (a single-file .gz). */
export function makeGz(file: string, content: string | Buffer): void {
  writeFileSync(file, gzipSync(content));
}

/** `name` as text, or as raw bytes (a name an old tar wrote in Latin-1). */
export type RawTarEntry = { name: string | Buffer; type?: '0' | '1' | '2' | '3' | '4' | '5' | '6'; content?: string | Buffer; linkname?: string };

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/**
 * Builds a tar by hand, header by header: the only way to make the entries a tar tool
 * refuses to create (absolute names, `..`, character devices).
 */
export function makeRawTar(file: string, entries: readonly RawTarEntry[]): void {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.content ?? '');
    const header = Buffer.alloc(512, 0);
    if (typeof entry.name === 'string') header.write(entry.name, 0, 100, 'utf8');
    else entry.name.copy(header, 0, 0, 100);
    header.write(octal(0o644, 8), 100, 'ascii');
    header.write(octal(0, 8), 108, 'ascii');
    header.write(octal(0, 8), 116, 'ascii');
    header.write(octal(entry.type === '0' || entry.type === undefined ? body.length : 0, 12), 124, 'ascii');
    header.write(octal(Math.floor(Date.now() / 1000), 12), 136, 'ascii');
    header.write('        ', 148, 'ascii');
    header.write(entry.type ?? '0', 156, 'ascii');
    header.write(entry.linkname ?? '', 157, 100, 'utf8');
    header.write('ustar\0', 257, 'ascii');
    header.write('00', 263, 'ascii');
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
    blocks.push(header);
    if (entry.type === '0' || entry.type === undefined) {
      blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512, 0));
    }
  }
  blocks.push(Buffer.alloc(1024, 0));
  writeFileSync(file, Buffer.concat(blocks));
}

/** Every path under a folder, relative, sorted (to prove nothing was left behind). */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    let names: string[];
    try { names = readdirSync(path.join(dir, rel)); } catch { return; }
    for (const name of names) {
      const child = rel ? `${rel}/${name}` : name;
      out.push(child);
      if (statSync(path.join(dir, child), { throwIfNoEntry: false })?.isDirectory()) walk(child);
    }
  };
  walk('');
  return out.sort();
}

/**
 * Streams a .tar.gz of `count` empty files (`d123/f0000123`) to `file`, header by header
 * from one template, so even millions of entries take seconds and no memory.
 */
export async function makeEmptyFilesTarGz(file: string, count: number): Promise<void> {
  const template = Buffer.alloc(512, 0);
  template.write('0000644\0', 100, 'ascii');
  template.write('0000000\0', 108, 'ascii');
  template.write('0000000\0', 116, 'ascii');
  template.write('00000000000\0', 124, 'ascii');
  template.write('14000000000\0', 136, 'ascii');
  template.write('0', 156, 'ascii');
  template.write('ustar\0' + '00', 257, 'ascii');
  let base = 8 * 0x20;
  for (let i = 0; i < 512; i += 1) if (i < 148 || i >= 156) base += template[i]!;
  const digits = (n: number, width: number): string => String(n).padStart(width, '0');
  function* blocks(): Generator<Buffer> {
    const per = 4096;
    for (let start = 0; start < count; start += per) {
      const n = Math.min(per, count - start);
      const out = Buffer.alloc(n * 512);
      for (let j = 0; j < n; j += 1) {
        const at = j * 512;
        template.copy(out, at);
        const index = start + j;
        const name = `d${digits(index % 1000, 3)}/f${digits(index, 8)}`;
        out.write(name, at, 'ascii');
        let sum = base;
        for (let k = 0; k < name.length; k += 1) sum += name.charCodeAt(k);
        out.write(`${sum.toString(8).padStart(6, '0')}\0 `, at + 148, 'ascii');
      }
      yield out;
    }
    yield Buffer.alloc(1024, 0);
  }
  await pipeline(Readable.from(blocks()), createGzip({ level: 1, chunkSize: 1 << 20 }), createWriteStream(file));
}
