/**
 * A second launch of the desktop app naming another catalog (`--root DIR`, relative to
 * where it was started) or a server (`--remote URL`) is offered to the running window;
 * before, the window came forward and the request was dropped. A bare launch, or one for
 * what the window already shows, only brings it forward. Relative roots are checked
 * against GNU realpath run in the launch's folder.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchRequest, parseLaunchRequest, secondLaunchAction } from '../../../electron/main/second-instance.js';

const launchDir = mkdtempSync(path.join(tmpdir(), 'ontocat-launch-'));
afterAll(() => rmSync(launchDir, { recursive: true, force: true }));

/** Where GNU realpath, run in `cwd`, puts `target` (no part need exist). */
const realpathIn = (cwd: string, target: string): string =>
  spawnSync('realpath', ['-m', '-s', target], { cwd, encoding: 'utf8' }).stdout.trim();

describe('a second launch', () => {
  it('hands over its --root resolved where it was started, not where the running app was', () => {
    for (const argv of [['ontocat', '--root', 'catalogs/b'], ['ontocat', '--root=../b/./c'], ['ontocat', '--root', '/srv/ontocat']]) {
      const given = argv.at(-1)!.replace(/^--root=/, '');
      expect(launchRequest(argv, launchDir)).toEqual({ root: realpathIn(launchDir, given), remote: null });
    }
    expect(launchRequest(['ontocat'], launchDir)).toEqual({ root: null, remote: null });
    expect(launchRequest(['ontocat', '--remote', 'https://onto.example.org'], launchDir)).toEqual({ root: null, remote: 'https://onto.example.org' });
  });

  it('offers the running window another root or server, and only brings it forward otherwise', () => {
    const shown = { root: '/srv/a', remote: null };
    const other = parseLaunchRequest(launchRequest(['ontocat', '--root', '/srv/b'], '/'));
    expect(secondLaunchAction(shown, other)).toMatchObject({
      kind: 'offer-root', root: '/srv/b', message: 'Open the catalog at /srv/b?', detail: expect.stringContaining('This window shows /srv/a'),
    });
    expect(secondLaunchAction(shown, parseLaunchRequest(launchRequest(['ontocat', '--root', '/srv/a/'], '/')))).toEqual({ kind: 'focus' });
    expect(secondLaunchAction(shown, parseLaunchRequest(launchRequest(['ontocat'], '/')))).toEqual({ kind: 'focus' });
    expect(secondLaunchAction(shown, parseLaunchRequest({ remote: 'https://onto.example.org' }))).toMatchObject({ kind: 'offer-remote', url: 'https://onto.example.org' });
    // A window on a server, asked for a local root, offers it.
    expect(secondLaunchAction({ root: null, remote: 'https://onto.example.org' }, parseLaunchRequest({ root: '/srv/a' }))).toMatchObject({ kind: 'offer-root', root: '/srv/a' });
  });

  it('asks nothing of a malformed hand-over (a relative root, a wrong type, nothing)', () => {
    for (const data of [undefined, null, 'root', { root: 'relative/b' }, { root: 42 }, { remote: '' }, {}]) {
      expect(parseLaunchRequest(data), JSON.stringify(data)).toBeNull();
    }
  });
});
