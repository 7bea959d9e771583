import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lastWebPort, loadOrCreateToken, readToken, rememberWebPort, TOKEN_FILE } from '../../../electron/handlers/access-token.js';
import { endpointPathFor } from '../../../electron/handlers/catalog-owner.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

describe('the root access token', () => {
  const temps: ReturnType<typeof makeTempRoot>[] = [];
  afterEach(() => { for (const temp of temps.splice(0)) temp.cleanup(); });
  const root = (): string => {
    const temp = makeTempRoot('ontocat-token');
    temps.push(temp);
    return temp.root;
  };

  it('is made once, owner-only, with no temp file left, and then kept', () => {
    const dir = root();
    expect(readToken(dir)).toBeNull();
    const token = loadOrCreateToken(dir);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(statSync(path.join(dir, TOKEN_FILE)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual([TOKEN_FILE]);
    expect(loadOrCreateToken(dir)).toBe(token);
    expect(readToken(dir)).toBe(token);
  });

  it('replaces a token others could read, or one of the wrong shape', () => {
    const dir = root();
    const leaked = loadOrCreateToken(dir);
    chmodSync(path.join(dir, TOKEN_FILE), 0o644);
    expect(readToken(dir)).toBeNull();
    const fresh = loadOrCreateToken(dir);
    expect(fresh).not.toBe(leaked);
    expect(statSync(path.join(dir, TOKEN_FILE)).mode & 0o777).toBe(0o600);

    writeFileSync(path.join(dir, TOKEN_FILE), 'short\n', { mode: 0o600 });
    expect(readToken(dir)).toBeNull();
    expect(loadOrCreateToken(dir)).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('remembers the web port, ignoring a damaged record', () => {
    const dir = root();
    expect(lastWebPort(dir)).toBeNull();
    rememberWebPort(dir, 43127);
    expect(lastWebPort(dir)).toBe(43127);
    writeFileSync(path.join(dir, '.ontocat.port'), '99999\n');
    expect(lastWebPort(dir)).toBeNull();
    expect(readFileSync(path.join(dir, '.ontocat.port'), 'utf8')).toBe('99999\n');
  });
});

describe('where the owner listens', () => {
  it('is a socket in the root on Unix and a per-root named pipe on Windows', () => {
    expect(endpointPathFor('/data/catalog', 'linux')).toBe(path.resolve('/data/catalog', '.ontocat.sock'));
    expect(endpointPathFor('/data/catalog', 'darwin')).toBe(path.resolve('/data/catalog', '.ontocat.sock'));
    const pipe = endpointPathFor('C:\\Data\\Catalog', 'win32');
    expect(pipe).toMatch(/^\\\\\.\\pipe\\ontocat-[0-9a-f]{24}$/);
    // Windows paths are case-insensitive: one root, one pipe; another root, another pipe.
    expect(endpointPathFor('c:\\data\\catalog', 'win32')).toBe(pipe);
    expect(endpointPathFor('C:\\Data\\Other', 'win32')).not.toBe(pipe);
  });
});
