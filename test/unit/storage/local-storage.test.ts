import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStorage } from '../../../electron/storage/local-storage.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

describe('LocalStorage', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let storage: LocalStorage;
  beforeEach(() => {
    temp = makeTempRoot('ontocat-storage');
    storage = new LocalStorage(temp.root);
  });
  afterEach(() => temp.cleanup());

  it('writes bytes, streams and files atomically and reads back their stats', async () => {
    const a = await storage.putBytes('svc/v1/data/a.ttl', 'hello');
    expect(a).toMatchObject({ relpath: 'svc/v1/data/a.ttl', kind: 'file', size_bytes: 5, links: 1 });
    await storage.putFile('svc/v1/data/b.ttl', Readable.from([Buffer.from('stream')]));
    await storage.putFile('svc/v1/data/c.ttl', storage.resolve('svc/v1/data/a.ttl'));
    expect(readFileSync(storage.resolve('svc/v1/data/c.ttl'), 'utf8')).toBe('hello');
    // No temp file is left beside the targets.
    expect(readdirSync(path.join(temp.root, 'svc/v1/data')).sort()).toEqual(['a.ttl', 'b.ttl', 'c.ttl']);
    expect((await storage.list('svc', { recursive: true })).map((e) => e.relpath)).toEqual([
      'svc/v1', 'svc/v1/data', 'svc/v1/data/a.ttl', 'svc/v1/data/b.ttl', 'svc/v1/data/c.ttl',
    ]);
  });

  it('renames, deletes and reports existence', async () => {
    await storage.putBytes('x/a', '1');
    await storage.rename('x/a', 'y/b');
    expect(await storage.exists('x/a')).toBe(false);
    expect(await storage.exists('y/b')).toBe(true);
    await storage.delete('y');
    expect(await storage.stat('y/b')).toBeNull();
    await expect(storage.rename('nope', 'z')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it.each(['../escape', '/etc/passwd', 'a/../../b', 'C:/windows', 'a\\b', 'a\0b', ''])('refuses the unsafe path %j', async (bad) => {
    await expect(storage.putBytes(bad, 'x')).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
    expect(() => storage.resolve(bad)).toThrow(/path/i);
  });

  it('normalises harmless spellings', async () => {
    await storage.putBytes('./a//b/./c.txt', 'x');
    expect(await storage.exists('a/b/c.txt')).toBe(true);
  });
});
