import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAppRequest } from '../../../electron/main/app-protocol.js';
import { CONTENT_SECURITY_POLICY } from '../../../electron/shared/content-security.js';
import { staticRelpath } from '../../../electron/shared/static-path.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

describe('app:// protocol', () => {
  const temp = makeTempRoot('ontocat-app-protocol');
  const dir = path.join(temp.root, 'renderer');
  beforeAll(() => {
    mkdirSync(path.join(dir, 'assets'), { recursive: true });
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Ontocat</title>');
    writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(path.join(temp.root, 'secret.txt'), 'TOP SECRET');
    symlinkSync(path.join(temp.root, 'secret.txt'), path.join(dir, 'assets', 'link.txt'));
  });
  afterAll(() => temp.cleanup());

  it('serves the index and assets with the CSP, nosniff and the right type', async () => {
    const index = await resolveAppRequest(dir, 'app://ontocat/');
    expect(index.status).toBe(200);
    expect(String(index.body)).toContain('<title>Ontocat</title>');
    expect(index.headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers['X-Content-Type-Options']).toBe('nosniff');
    const asset = await resolveAppRequest(dir, 'app://ontocat/assets/app.js?v=1');
    expect(asset.headers['Content-Type']).toMatch(/javascript/);
    const route = await resolveAppRequest(dir, 'app://ontocat/versions/go/2024-01-01');
    expect(String(route.body)).toContain('<title>Ontocat</title>');
  });

  it('refuses escapes, encoded escapes, backslashes, symlinks out and other hosts', async () => {
    for (const url of ['app://ontocat/../secret.txt', 'app://ontocat/%2e%2e/secret.txt', 'app://ontocat/assets/..%2f..%2fsecret.txt',
      'app://ontocat/assets/..%5c..%5csecret.txt', 'app://ontocat/assets/link.txt', 'app://evil/index.html', 'file:///etc/passwd',
      'app://ontocat/%00', 'app://ontocat/assets/missing.js', 'app://ontocat/C:%5cwindows']) {
      const answer = await resolveAppRequest(dir, url);
      expect(answer.status, url).toBe(404);
      expect(String(answer.body), url).not.toContain('TOP SECRET');
    }
  });

  it('shows how to build the renderer when it is missing', async () => {
    const answer = await resolveAppRequest(path.join(temp.root, 'nope'), 'app://ontocat/');
    expect(answer.status).toBe(200);
    expect(String(answer.body)).toContain('npm run build');
  });

  it('staticRelpath maps only safe request paths', () => {
    expect(staticRelpath('/')).toBe('index.html');
    expect(staticRelpath('/assets/a%20b.js')).toBe('assets/a b.js');
    expect(staticRelpath('/a/./b')).toBeNull();
    expect(staticRelpath('/%E0%A4%A')).toBeNull();
    expect(staticRelpath('relative')).toBeNull();
  });

  it('the CSP forbids eval, inline scripts, plugins and framing', () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'self'/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self'(;|$)/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/object-src 'none'/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/frame-ancestors 'none'/);
  });
});
