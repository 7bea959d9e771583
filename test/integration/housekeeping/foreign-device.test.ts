// Issue 18, "compare device … ": a recursive delete must not descend into a mount point.
// A mount point cannot be made here (bind mounts need privileges), so these tests stand
// one in by injecting the lstat the device checks use; everything else is real files, a
// real catalog and the real trash code.
import { existsSync, mkdirSync, statSync, writeFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { emptyTrash } from '../../../electron/catalog/trash.js';
import { moveRelpath } from '../../../electron/storage/fs-ops.js';
import { deviceProbe, findForeignDevice } from '../../../electron/storage/safe-path.js';
import { trashRelpath, writeTrashManifest } from '../../../electron/storage/trash-store.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const planId = 'prune-20261201T000000Z-0123456789ab';
const realLstat = deviceProbe.lstat;

/** Makes `deviceProbe` report another device for `abs` and everything under it. */
function pretendMounted(abs: string): void {
  deviceProbe.lstat = (p: string): Stats | undefined => {
    const stat = realLstat(p);
    if (!stat || (p !== abs && !p.startsWith(`${abs}${path.sep}`))) return stat;
    return Object.assign(Object.create(Object.getPrototypeOf(stat) as object) as Stats, stat, { dev: stat.dev + 1 });
  };
}

describe('a mount point inside the root (simulated by an injected lstat: no bind mounts without privileges)', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let catalog: Catalog;
  beforeEach(async () => {
    temp = makeTempRoot('ontocat-foreign-device');
    catalog = await openCatalog({ root: temp.root, app: 'test', threads: 1 });
    const files = path.join(temp.root, trashRelpath(planId), 'files', 'svc', 'v1', 'data');
    mkdirSync(path.join(files, 'mnt'), { recursive: true });
    writeFileSync(path.join(files, 'a.txt'), 'trashed a\n');
    writeFileSync(path.join(files, 'mnt', 'precious.txt'), 'on another file system\n');
    writeTrashManifest(temp.root, {
      plan_id: planId, kind: 'prune', created_at: new Date(Date.now() - 86_400_000).toISOString(), status: 'trashed',
      files: [{ relpath: 'svc/v1/data/a.txt', bytes: 10 }, { relpath: 'svc/v1/data/mnt/precious.txt', bytes: 24 }], bytes: 34, rows: {},
    });
  });
  afterEach(async () => {
    deviceProbe.lstat = realLstat;
    await catalog.close();
    temp.cleanup();
  });

  it('trash empty refuses a trash folder holding a mount point, names it, and deletes nothing', async () => {
    const mount = path.join(temp.root, trashRelpath(planId), 'files', 'svc', 'v1', 'data', 'mnt');
    pretendMounted(mount);
    expect(findForeignDevice(temp.root, trashRelpath(planId))).toBe(`${trashRelpath(planId)}/files/svc/v1/data/mnt`);
    await expect(emptyTrash(catalog)).rejects.toMatchObject({
      code: 'UNSAFE_PATH',
      message: expect.stringMatching(/'\.trash\/prune-[^']+\/files\/svc\/v1\/data\/mnt' is a mount point \(another file system\) inside the storage root/),
    });
    expect(existsSync(path.join(mount, 'precious.txt'))).toBe(true);
    expect(existsSync(path.join(temp.root, trashRelpath(planId), 'files', 'svc', 'v1', 'data', 'a.txt'))).toBe(true);

    // Unmounted (the real lstat again), the same trash empties.
    deviceProbe.lstat = realLstat;
    expect(findForeignDevice(temp.root, trashRelpath(planId))).toBeNull();
    await expect(emptyTrash(catalog)).resolves.toMatchObject({ removed: [planId] });
    expect(existsSync(path.join(temp.root, trashRelpath(planId)))).toBe(false);
  });

  it('moving a file out of a folder on another device (what prune, doctor and restore do) is refused, naming the folder', () => {
    const data = path.join(temp.root, 'svc', 'v2', 'data');
    mkdirSync(data, { recursive: true });
    writeFileSync(path.join(data, 'b.txt'), 'b\n');
    pretendMounted(path.join(temp.root, 'svc', 'v2'));
    expect(() => moveRelpath(temp.root, 'svc/v2/data/b.txt', `${trashRelpath(planId)}/files/svc/v2/data/b.txt`))
      .toThrow(/Refused 'svc\/v2\/data\/b\.txt': 'svc\/v2' is a mount point \(another file system\)/);
    expect(statSync(path.join(data, 'b.txt')).isFile()).toBe(true);
  });
});
