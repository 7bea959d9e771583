import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRecentServers, normaliseServerUrl, rememberServer } from '../../../electron/main/remote-servers.js';

const dirs: string[] = [];
afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }); });

describe('the team servers the desktop app signs in to', () => {
  it('makes an address typed by a user into the server origin, https by default, and refuses what is not one', () => {
    expect(normaliseServerUrl('ontocat.example.org')).toBe('https://ontocat.example.org');
    expect(normaliseServerUrl('  https://Ontocat.Example.org/catalog/#/versions ')).toBe('https://ontocat.example.org');
    expect(normaliseServerUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(normaliseServerUrl('https://[::1]:8443/')).toBe('https://[::1]:8443');
    expect(() => normaliseServerUrl('')).toThrow(/Enter the team server's address/);
    expect(() => normaliseServerUrl('file:///etc/passwd')).toThrow(/https:\/\//);
    expect(() => normaliseServerUrl('https://ann:secret@ontocat.example.org')).toThrow(/Leave the user name and password out/);
    expect(() => normaliseServerUrl('http://')).toThrow(/not a server address|names no host/);
  });

  it('remembers the servers signed in to, most recent first, without duplicates, and survives a bad file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ontocat-remote-servers-'));
    dirs.push(dir);
    const file = path.join(dir, 'remote-servers.json');
    expect(loadRecentServers(file)).toEqual([]);
    rememberServer(file, 'https://a.example.org');
    rememberServer(file, 'https://b.example.org');
    expect(rememberServer(file, 'https://a.example.org')).toEqual(['https://a.example.org', 'https://b.example.org']);
    expect(loadRecentServers(file)).toEqual(['https://a.example.org', 'https://b.example.org']);
    expect(readFileSync(file, 'utf8')).not.toMatch(/password|cookie/i);
    writeFileSync(file, '{"servers": ["https://c.example.org/x", 42, "not a url at all ::"]}');
    expect(loadRecentServers(file)).toEqual(['https://c.example.org']);
    writeFileSync(file, '{ half');
    expect(loadRecentServers(file)).toEqual([]);
  });
});
