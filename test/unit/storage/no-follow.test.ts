import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isOntocatError } from '../../../electron/shared/errors.js';
import { linkOrCopyRelpath, moveRelpath, removeRelpath, statRelpath } from '../../../electron/storage/fs-ops.js';
import { readLatestFile, writeLatestFile } from '../../../electron/storage/latest-file.js';
import { findBlockedComponent, relationToRoot, resolveInsideRoot, RootFileProbe, tryResolveInsideRoot } from '../../../electron/storage/safe-path.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let base: string;
let cleanup: () => void;
let root: string;
let outside: string;

/** The error a call throws, for checking its code and words. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

beforeEach(() => {
  ({ root: base, cleanup } = makeTempRoot('ontocat-nofollow'));
  root = path.join(base, 'root');
  outside = path.join(base, 'outside');
  mkdirSync(path.join(root, 'svc/v1/data'), { recursive: true });
  writeFileSync(path.join(root, 'svc/v1/data/a.obo'), 'inside');
  mkdirSync(path.join(outside, 'data'), { recursive: true });
  writeFileSync(path.join(outside, 'data/a.obo'), 'outside');
  // svc/v2 is a symlink to a folder outside the root holding same-named files.
  symlinkSync(outside, path.join(root, 'svc/v2'));
});
afterEach(() => cleanup());

describe('resolveInsideRoot never follows a link', () => {
  it('resolves real and not-yet-existing paths', () => {
    expect(resolveInsideRoot(root, 'svc/v1/data/a.obo')).toBe(path.join(root, 'svc/v1/data/a.obo'));
    expect(resolveInsideRoot(root, 'svc/v9/data/new.obo')).toBe(path.join(root, 'svc/v9/data/new.obo'));
    expect(findBlockedComponent(root, 'svc/v1/data/a.obo')).toBeNull();
  });

  it('refuses a symlinked folder on the way, naming it', () => {
    const error = thrown(() => resolveInsideRoot(root, 'svc/v2/data/a.obo'));
    expect(isOntocatError(error, 'UNSAFE_PATH')).toBe(true);
    expect((error as Error).message).toMatch(/'svc\/v2' is a symbolic link inside the storage root/);
    expect(findBlockedComponent(root, 'svc/v2/data/a.obo')).toEqual({ relpath: 'svc/v2', reason: 'symlink' });
    expect(tryResolveInsideRoot(root, 'svc/v2/data/a.obo')).toBeNull();
  });

  it('refuses a link even when it points inside the root', () => {
    symlinkSync(path.join(root, 'svc/v1'), path.join(root, 'svc/v3'));
    expect(findBlockedComponent(root, 'svc/v3/data/a.obo')).toEqual({ relpath: 'svc/v3', reason: 'symlink' });
  });

  it('refuses a link as the last component unless asked to act on the link itself', () => {
    symlinkSync('/etc/passwd', path.join(root, 'svc/v1/data/passwd'));
    expect(thrown(() => resolveInsideRoot(root, 'svc/v1/data/passwd'))).toSatisfy((error) => isOntocatError(error, 'UNSAFE_PATH'));
    expect(resolveInsideRoot(root, 'svc/v1/data/passwd', { allowLastLink: true })).toBe(path.join(root, 'svc/v1/data/passwd'));
  });

  it('a folder swapped for a link right after a check is refused on the next call (the recent-folder memo checks the inode)', () => {
    expect(resolveInsideRoot(root, 'svc/v1/data/a.obo')).toBe(path.join(root, 'svc/v1/data/a.obo'));
    rmSync(path.join(root, 'svc/v1'), { recursive: true });
    symlinkSync(outside, path.join(root, 'svc/v1'));
    expect(() => resolveInsideRoot(root, 'svc/v1/data/a.obo')).toThrow(/'svc\/v1' is a symbolic link/);
    expect(statRelpath(root, 'svc/v1/data/a.obo')).toBeNull();
  });

  it('still refuses what the text alone rules out', () => {
    expect(() => tryResolveInsideRoot(root, '../outside/data/a.obo')).toThrow(/\.\./);
  });

  it('accepts a root that is itself a link (only what is inside is checked)', () => {
    const alias = path.join(base, 'alias');
    symlinkSync(root, alias);
    expect(resolveInsideRoot(alias, 'svc/v1/data/a.obo')).toBe(path.join(alias, 'svc/v1/data/a.obo'));
    expect(findBlockedComponent(alias, 'svc/v2/data/a.obo')?.reason).toBe('symlink');
  });

  it('refuses a mount point: a folder on another device than the root', () => {
    // `/` and `/proc` (or `/dev`) are different file systems on any Linux: a real mount point.
    const mounted = ['proc', 'dev', 'sys'].find((name) => existsSync(`/${name}`) && statSync(`/${name}`).dev !== statSync('/').dev);
    if (!mounted) return; // no mount point to try on this system
    expect(findBlockedComponent('/', `${mounted}/x`)).toEqual({ relpath: mounted, reason: 'mount' });
    expect(() => resolveInsideRoot('/', `${mounted}/x`)).toThrow(/mount point/);
  });
});

describe('fs-ops act only on the root\'s own tree', () => {
  it('statRelpath: behind a link counts as absent; a link itself is present', () => {
    expect(statRelpath(root, 'svc/v2/data/a.obo')).toBeNull();
    expect(statRelpath(root, 'svc/v2')).not.toBeNull();
    expect(statRelpath(root, 'svc/v1/data/a.obo')?.size).toBe(6);
  });

  it('moveRelpath refuses to move from or into a linked folder, and moves a link itself', () => {
    expect(() => moveRelpath(root, 'svc/v2/data/a.obo', '.trash/p/svc/v2/data/a.obo')).toThrow(/symbolic link/);
    expect(() => moveRelpath(root, 'svc/v1/data/a.obo', 'svc/v2/data/b.obo')).toThrow(/symbolic link/);
    expect(readFileSync(path.join(outside, 'data/a.obo'), 'utf8')).toBe('outside');
    expect(existsSync(path.join(outside, 'data/b.obo'))).toBe(false);
    expect(moveRelpath(root, 'svc/v2', '.trash/p/svc/v2')).toBe('moved');
    expect(lstatSync(path.join(root, '.trash/p/svc/v2')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(root, '.trash/p/svc/v2'))).toBe(outside);
    expect(readFileSync(path.join(outside, 'data/a.obo'), 'utf8')).toBe('outside');
  });

  it('removeRelpath never deletes through a link; it removes a link, not its target', () => {
    expect(() => removeRelpath(root, 'svc/v2/data/a.obo')).toThrow(/symbolic link/);
    expect(existsSync(path.join(outside, 'data/a.obo'))).toBe(true);
    symlinkSync(path.join(outside, 'data/a.obo'), path.join(root, 'svc/v1/data/link.obo'));
    removeRelpath(root, 'svc/v1/data/link.obo');
    expect(existsSync(path.join(root, 'svc/v1/data/link.obo'))).toBe(false);
    expect(readFileSync(path.join(outside, 'data/a.obo'), 'utf8')).toBe('outside');
  });

  it('linkOrCopyRelpath neither links from an object behind a link nor into a linked folder', () => {
    symlinkSync(path.join(outside, 'data/a.obo'), path.join(root, 'svc/v1/data/obj'));
    expect(() => linkOrCopyRelpath(root, 'svc/v1/data/obj', 'svc/v1/data/copy.obo')).toThrow(/symbolic link/);
    expect(() => linkOrCopyRelpath(root, 'svc/v1/data/a.obo', 'svc/v2/data/new.obo')).toThrow(/symbolic link/);
    expect(existsSync(path.join(root, 'svc/v1/data/copy.obo'))).toBe(false);
    expect(existsSync(path.join(outside, 'data/new.obo'))).toBe(false);
  });

  it('LATEST.json is neither written nor read through a symlinked service folder', () => {
    symlinkSync(outside, path.join(root, 'linked'));
    expect(() => writeLatestFile(root, { service: 'linked', version: 'v1', updated_at: '2026-01-01T00:00:00Z', by: 'test' })).toThrow(/symbolic link/);
    expect(existsSync(path.join(outside, 'LATEST.json'))).toBe(false);
    writeFileSync(path.join(outside, 'LATEST.json'), JSON.stringify({ service: 'linked', version: 'evil' }));
    expect(readLatestFile(root, 'linked')).toBeNull();
  });
});

describe('RootFileProbe checks each folder once, from its parent, and never follows a link', () => {
  it('gives a file\'s path and size; an absent file or folder is absent, not refused', () => {
    mkdirSync(path.join(root, 'svc/v1/data/deep/er'), { recursive: true });
    writeFileSync(path.join(root, 'svc/v1/data/deep/er/b.obo'), 'twelve bytes');
    const probe = new RootFileProbe(root);
    const found = probe.probe('svc/v1/data/deep/er/b.obo');
    expect(found.abs).toBe(path.join(root, 'svc/v1/data/deep/er/b.obo'));
    expect(found.stat?.size).toBe(12);
    expect(probe.probe('svc/v1/data/deep/er/gone.obo').stat).toBeUndefined();
    expect(probe.probe('svc/v1/data/no/such/folder/c.obo').stat).toBeUndefined();
  });

  it('refuses a file under a symlinked folder, naming the link, as resolveInsideRoot does', () => {
    mkdirSync(path.join(root, 'svc/v1/data/sub'), { recursive: true });
    symlinkSync(path.join(outside, 'data'), path.join(root, 'svc/v1/data/sub/linked'));
    const probe = new RootFileProbe(root);
    // A sibling folder checked first: the link is still caught below the checked parent.
    expect(probe.probe('svc/v1/data/a.obo').stat?.isFile()).toBe(true);
    const error = thrown(() => probe.probe('svc/v1/data/sub/linked/a.obo'));
    expect(isOntocatError(error) && error.code).toBe('UNSAFE_PATH');
    expect(isOntocatError(error) && error.details).toEqual({ blocked: 'svc/v1/data/sub/linked', reason: 'symlink' });
    expect(thrown(() => probe.probe('svc/v2/data/a.obo'))).toMatchObject({ code: 'UNSAFE_PATH', details: { blocked: 'svc/v2', reason: 'symlink' } });
    expect(() => resolveInsideRoot(root, 'svc/v1/data/sub/linked')).toThrow(/symbolic link/);
  });

  it('refuses a link as the file itself', () => {
    symlinkSync(path.join(outside, 'data/a.obo'), path.join(root, 'svc/v1/data/link.obo'));
    expect(thrown(() => new RootFileProbe(root).probe('svc/v1/data/link.obo'))).toMatchObject({ code: 'UNSAFE_PATH', details: { blocked: 'svc/v1/data/link.obo' } });
  });

  it('refuses a folder on another device than the root (a mount point)', () => {
    const mounted = ['proc', 'dev', 'sys'].find((name) => existsSync(`/${name}`) && statSync(`/${name}`).dev !== statSync('/').dev);
    if (!mounted) return; // no mount point to try on this system
    expect(thrown(() => new RootFileProbe('/').probe(`${mounted}/x/y`))).toMatchObject({ code: 'UNSAFE_PATH', details: { blocked: mounted, reason: 'mount' } });
  });
});

describe('relationToRoot compares real paths', () => {
  it('tells inside, containing and apart, through links too', () => {
    expect(relationToRoot(root, root)).toBe('inside');
    expect(relationToRoot(root, path.join(root, '.cas'))).toBe('inside');
    expect(relationToRoot(root, base)).toBe('contains');
    expect(relationToRoot(root, outside)).toBe('apart');
    expect(relationToRoot(root, `${root}-sibling`)).toBe('apart');
    const alias = path.join(outside, 'alias-of-root');
    symlinkSync(root, alias);
    expect(relationToRoot(root, alias)).toBe('inside');
    expect(relationToRoot(alias, base)).toBe('contains');
  });
});
