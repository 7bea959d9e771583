import type { DoctorFinding, PrunePathAction, PruneVersion } from '../shared/contract/housekeeping.js';
import { OntocatError } from '../shared/errors.js';
import { trySha256File } from '../storage/file-hash.js';
import { filesUnder, isFolderRelpath, statRelpath } from '../storage/fs-ops.js';
import { PARQUET_DIR } from '../storage/layout.js';
import { resolveInsideRoot } from '../storage/safe-path.js';
import { adoptionTarget } from './adopt-stray.js';
import { inCompleteBackup } from './backup-manifest.js';
import { parquetFileInUse } from './parquet-publish.js';
import { dataFolderOf, folderProblems, versionDataFolder, type FolderIdentity } from './folder-identity.js';
import type { PathState } from './plans.js';
import type { SqlConnection } from './sql.js';

/**
 * Each action's own precondition, re-checked against the disk and the catalog right
 * before an apply acts.
 *
 * A plan's fingerprint (catalog digest, size and mtime of its paths) cannot see bytes
 * that were put back with the same size and mtime, so every action states what must
 * still hold for it to be right, and the first one that does not refuses the whole plan
 * before anything moves.
 */

/** Items shown in one refusal; the rest are counted. */
const SHOWN_ITEMS = 3;

/**
 * One refusal for every action that no longer holds, files a curator knows first
 * (content store objects last), the first few named with why.
 */
function staleRefusal(planId: string, stale: readonly { item: string; why: string }[]): OntocatError {
  const ordered = [...stale].sort((a, b) => Number(a.item.startsWith('.cas/')) - Number(b.item.startsWith('.cas/')));
  const shown = ordered.slice(0, SHOWN_ITEMS).map((entry) => `${entry.item} ${entry.why}`).join('; ');
  const more = ordered.length > SHOWN_ITEMS ? ` (and ${ordered.length - SHOWN_ITEMS} more)` : '';
  return new OntocatError('STALE_PLAN', `Plan ${planId} is stale: ${shown}${more}; make a new plan. Nothing was changed.`, {
    plan_id: planId, items: ordered.map((entry) => ({ item: entry.item, reason: entry.why })),
  });
}

/** Collects failed preconditions, then refuses once with all of them. */
class StaleItems {
  readonly found: { item: string; why: string }[] = [];
  constructor(private readonly planId: string) {}
  add(item: string, why: string): void {
    this.found.push({ item, why });
  }
  /** A problem that explains the others (a replaced folder): named first. */
  addFirst(item: string, why: string): void {
    this.found.unshift({ item, why });
  }
  throwIfAny(): void {
    if (this.found.length > 0) throw staleRefusal(this.planId, this.found);
  }
}

const casNamePattern = /([0-9a-f]{64})$/;

function joined(values: readonly string[]): string {
  return values.join('\0');
}

async function hashOf(root: string, relpath: string): Promise<string | null> {
  return trySha256File(resolveInsideRoot(root, relpath));
}

/** What the plan saw of a path: `unchanged` is false when its size or mtime moved since. */
function sameAsPlanned(root: string, planned: ReadonlyMap<string, PathState>, relpath: string): boolean {
  const state = planned.get(relpath);
  if (!state) return true;
  const stat = statRelpath(root, relpath);
  return stat === null ? state[1] === null : state[1] === stat.size && state[2] === stat.mtime_ms;
}

/** Whether any catalog row accounts for these paths (a version's file or an archive), by path. */
async function registeredPaths(conn: SqlConnection, paths: readonly string[]): Promise<Map<string, string>> {
  if (paths.length === 0) return new Map();
  const rows = await conn.all<{ path: string; owner: string }>(`
    WITH wanted AS (SELECT unnest(string_split($1, chr(0))) AS path)
    SELECT w.path, any_value(o.owner) AS owner FROM wanted w JOIN (
      SELECT root_relpath AS path, service || '/' || version AS owner FROM v_catalog_paths
      UNION ALL
      SELECT a.fs_relpath, v.service || '/' || v.version FROM artifacts a JOIN versions v USING (version_id) WHERE a.fs_relpath IS NOT NULL
    ) o USING (path) GROUP BY w.path`, [joined(paths)]);
  return new Map(rows.map((row) => [row.path, row.owner]));
}

/** Content store objects that catalogued files use, with one version using each (kept ones only when `except` is given). */
async function objectUsers(conn: SqlConnection, objects: readonly string[], except: readonly string[] = []): Promise<Map<string, string>> {
  if (objects.length === 0) return new Map();
  const rows = await conn.all<{ path: string; owner: string }>(`
    SELECT c.cas_relpath AS path, any_value(c.service || '/' || c.version) AS owner FROM v_catalog_paths c
    WHERE c.cas_relpath IN (SELECT unnest(string_split($1, chr(0))))
      AND c.version_id::VARCHAR NOT IN (SELECT unnest(string_split($2, chr(0))))
    GROUP BY c.cas_relpath`, [joined(objects), joined(except)]);
  return new Map(rows.map((row) => [row.path, row.owner]));
}

/** Doctor fixes that move the finding's path into the plan's trash. */
export const DOCTOR_TRASHING_FIXES: ReadonlySet<string> = new Set(['trash', 'quarantine', 'restore_from_cas', 'restore_object']);

/** Whether applying the finding moves its path to the trash first (a damaged cache copy goes before the bucket's is downloaded). */
export function doctorTrashes(item: DoctorFinding): boolean {
  return DOCTOR_TRASHING_FIXES.has(item.fix) || (item.fix === 'download_object' && item.kind === 'cas_corrupt');
}

/**
 * Re-checks every action of a doctor plan; throws STALE_PLAN at the first that no longer holds.
 *
 * A quarantine or restore needs the file still to differ from the catalog's hash (it is
 * re-hashed), a relink or a damage mark needs the file still missing, a stray needs to be
 * still unregistered and unchanged, an object to trash or rebuild still corrupt or missing.
 */
export async function checkDoctorActions(
  conn: SqlConnection, root: string, planId: string, findings: readonly DoctorFinding[], planned: readonly PathState[],
): Promise<void> {
  const plannedByPath = new Map(planned.map((state) => [state[0], state]));
  const ids = findings.map((item) => item.file_id).filter((id): id is string => id !== null);
  const catalogued = new Map((ids.length === 0 ? [] : await conn.all<{ file_id: string; sha256: string }>(
    `SELECT file_id::VARCHAR AS file_id, sha256 FROM extracted_files WHERE file_id::VARCHAR IN (SELECT unnest(string_split($1, chr(0))))`, [joined(ids)],
  )).map((row) => [row.file_id, row.sha256]));
  const strays = findings.filter((item) => (item.fix === 'trash' || item.fix === 'adopt') && item.kind === 'orphan').map((item) => item.path);
  const versionsNow = new Set((await conn.all<{ name: string }>("SELECT service || '/' || version AS name FROM versions")).map((row) => row.name));
  const registered = await registeredPaths(conn, strays);
  const unreferenced = findings.filter((item) => item.fix === 'trash' && item.kind === 'cas_unreferenced').map((item) => item.path);
  const used = await objectUsers(conn, unreferenced);
  const pointers = new Set((await conn.all<{ slot: string }>('SELECT slot FROM latest_pointer')).map((row) => row.slot));

  const present = (relpath: string): boolean => statRelpath(root, relpath) !== null;
  // A link the plan moves to the trash goes first: a file put back in its place finds it gone.
  const links = findings.filter((item) => item.kind === 'symlink').map((item) => item.path);
  const trashedLinks = new Set(links);
  const presentAfterLinks = (relpath: string): boolean => !trashedLinks.has(relpath) && present(relpath);
  // A folder in a file's place gives way only when the plan takes every file in it to the trash first.
  const trashed = new Set(findings.filter(doctorTrashes).map((item) => item.path));
  const keptInFolder = (relpath: string): string | null => (isFolderRelpath(root, relpath) ? filesUnder(root, relpath).find((file) => !trashed.has(file)) ?? null : null);
  // An object the plan itself puts back first (restore_object sorts before the relinks) is not gone.
  const restoredByPlan = new Set(findings.filter((item) => item.fix === 'restore_object' || item.fix === 'download_object').map((item) => item.path));
  const sourceGone = (item: DoctorFinding): boolean => item.source !== null && !present(item.source) && !restoredByPlan.has(item.source);
  const objectIntact = async (relpath: string): Promise<boolean> => (await hashOf(root, relpath)) === casNamePattern.exec(relpath)?.[1];

  /** The first precondition of an action that no longer holds, or null. */
  const problem = async (item: DoctorFinding): Promise<string | null> => {
    switch (item.fix) {
      case 'quarantine':
      case 'restore_from_cas': {
        const expected = item.file_id ? catalogued.get(item.file_id) : undefined;
        if (expected === undefined) return 'is no longer in the catalog';
        if (!present(item.path)) return 'is gone';
        if ((await hashOf(root, item.path)) === expected) return 'now matches the catalog (its bytes were put back)';
        if (item.fix === 'restore_from_cas' && sourceGone(item)) return `cannot be put back: its content store copy ${item.source} is gone`;
        return null;
      }
      case 'relink_from_cas':
      case 'mark_damaged': {
        if (presentAfterLinks(item.path)) return 'exists again';
        const kept = item.fix === 'relink_from_cas' ? keptInFolder(item.path) : null;
        if (kept) return `cannot be put back: a folder is in its place, holding ${kept}, which this plan does not move to the trash (move the folder away, or make a new plan that keeps that file in it)`;
        if (item.file_id && !catalogued.has(item.file_id)) return 'is no longer in the catalog';
        if (sourceGone(item)) return `cannot be put back: its content store copy ${item.source} is gone`;
        return null;
      }
      case 'restore_object':
        if (item.kind === 'cas_missing' && present(item.path)) return 'exists again';
        if (item.kind !== 'cas_missing' && present(item.path) && await objectIntact(item.path)) return 'now matches its hash (its bytes were put back)';
        if (sourceGone(item)) return `cannot be rebuilt: ${item.source} is gone`;
        // A copy in the trash is no catalogued file: its bytes are checked again here.
        if (item.source?.startsWith('.trash/') && (await hashOf(root, item.source)) !== casNamePattern.exec(item.path)?.[1]) return `cannot be rebuilt: ${item.source} no longer holds its content`;
        return null;
      case 'download_object':
        // The bucket's copy is checked by its hash as it downloads: a changed object fails the apply then.
        if (item.kind === 'cas_corrupt') {
          if (!present(item.path)) return null;
          if (await objectIntact(item.path)) return 'now matches its hash (its bytes were put back)';
          return sameAsPlanned(root, plannedByPath, item.path) ? null : 'changed since the plan was made (size or modification time)';
        }
        return present(item.path) ? 'exists again' : null;
      case 'restore_from_trash':
        if (present(item.path)) return 'exists again';
        if (sourceGone(item)) return `cannot be put back: ${item.source} is gone`;
        if (!item.sha256 || (await hashOf(root, item.source!)) !== item.sha256) return `cannot be put back: ${item.source} no longer holds its content`;
        return null;
      case 'trash':
        if (!present(item.path)) return 'is gone';
        if (item.kind === 'orphan' && registered.has(item.path)) return `is now registered in the catalog (a file of ${registered.get(item.path)})`;
        if (item.kind === 'cas_unreferenced' && used.has(item.path)) return `is now used by ${used.get(item.path)}`;
        if (item.kind === 'cas_corrupt' && await objectIntact(item.path)) return 'now matches its hash (its bytes were put back)';
        if (item.kind === 'latest_mismatch' && pointers.has(item.path.split('/')[0]!)) return 'now mirrors a latest pointer in the catalog';
        if (!sameAsPlanned(root, plannedByPath, item.path)) return 'changed since the plan was made (size or modification time)';
        return null;
      case 'remove':
        // A killed backup's leftover goes only while its folder still lacks a manifest.
        if (item.kind === 'temp_leftover' && inCompleteBackup(root, item.path)) return 'belongs to a backup that is complete now (its folder has a manifest.json)';
        if (item.kind === 'temp_leftover' && item.path.startsWith(`${PARQUET_DIR}/`)) return parquetFileInUse(root, item.path);
        return null;
      case 'forget_archive':
        return present(item.path) ? 'exists again' : null;
      case 'relink_copy': {
        // The copy goes only while it holds exactly the catalogued bytes and the object is intact.
        const expected = item.file_id ? catalogued.get(item.file_id) : undefined;
        if (expected === undefined) return 'is no longer in the catalog';
        const file = statRelpath(root, item.path);
        if (!file) return 'is gone';
        const object = item.source ? statRelpath(root, item.source) : null;
        if (!object) return `cannot be linked again: its content store copy ${item.source} is gone`;
        if (object.ino === file.ino) return 'is a hard link of its content store object again';
        if ((await hashOf(root, item.path)) !== expected) return 'changed since the plan was made (its hash no longer matches the catalog; a new plan keeps its bytes in the trash)';
        if (!(await objectIntact(item.source!))) return `cannot be linked again: its content store copy ${item.source} no longer matches its hash`;
        return null;
      }
      // The folder itself is compared with what the plan saw below, with every other folder.
      case 'record_folder':
        return null;
      case 'adopt': {
        // The stray must be exactly what the curator chose to adopt: unregistered, same size, mtime and hash.
        if (!present(item.path)) return 'is gone';
        if (registered.has(item.path)) return `is now registered in the catalog (a file of ${registered.get(item.path)})`;
        const target = adoptionTarget(item.path);
        if (!target || !versionsNow.has(`${target.service}/${target.version}`)) return 'has no version in the catalog to be adopted into';
        if (!sameAsPlanned(root, plannedByPath, item.path)) return 'changed since the plan was made (size or modification time)';
        if (!item.sha256 || (await hashOf(root, item.path)) !== item.sha256) return 'changed since it was chosen for adoption (its hash differs)';
        return null;
      }
      default:
        return null;
    }
  };

  const stale = new StaleItems(planId);
  for (const item of findings) {
    const why = await problem(item);
    if (why) stale.add(item.path, why);
  }
  // Every version data folder the plan acts in must still be the one recorded, or the one
  // the plan saw where it records it again (a folder swapped since is refused, naming it).
  const seen = new Map<string, FolderIdentity>();
  for (const item of findings) if (item.fix === 'record_folder' && item.identity) seen.set(item.path, item.identity);
  // A link the plan moves to the trash goes first: what lies behind it is then simply absent.
  const behindLink = (folder: string): boolean => links.some((link) => folder === link || folder.startsWith(`${link}/`));
  // So does a stray file where a data folder should be (checked above as any stray is): the plan makes the folder anew.
  const strayInPlace = new Set(strays);
  const folders = findings.flatMap((item) => {
    const folder = item.fix === 'record_folder' ? item.path : dataFolderOf(item.path);
    return folder && !behindLink(folder) && !strayInPlace.has(folder) ? [folder] : [];
  });
  for (const found of (await folderProblems(conn, root, folders, seen)).reverse()) stale.addFirst(found.item, found.why);
  stale.throwIfAny();
}

/**
 * Re-checks a prune plan: each version still unpinned, not latest and with the files the
 * plan lists; each object still used by no kept version; each stray still unregistered
 * and unchanged. Throws STALE_PLAN at the first that no longer holds.
 */
export async function checkPruneActions(
  conn: SqlConnection, root: string, planId: string, removals: readonly PruneVersion[], files: readonly PrunePathAction[], planned: readonly PathState[],
): Promise<void> {
  const plannedByPath = new Map(planned.map((state) => [state[0], state]));
  const victimIds = removals.map((row) => row.version_id);
  const now = new Map((victimIds.length === 0 ? [] : await conn.all<{ version_id: string; pinned: boolean; is_latest: boolean }>(`
    SELECT v.version_id::VARCHAR AS version_id, v.pinned, lp.slot IS NOT NULL AS is_latest
    FROM versions v LEFT JOIN latest_pointer lp ON lp.slot = v.service AND lp.version_id = v.version_id
    WHERE v.version_id::VARCHAR IN (SELECT unnest(string_split($1, chr(0))))`, [joined(victimIds)])).map((row) => [row.version_id, row]));
  const stale = new StaleItems(planId);
  for (const version of removals) {
    const name = `${version.service}/${version.version}`;
    const row = now.get(version.version_id);
    if (!row) stale.add(name, 'is no longer in the catalog');
    else if (row.pinned) stale.add(name, 'is now pinned');
    else if (row.is_latest) stale.add(name, `is now the latest ${version.service}`);
  }

  // The victims' catalogued files and archives, by path, against what the plan moves.
  const owned = new Map((victimIds.length === 0 ? [] : await conn.all<{ path: string; owner: string }>(`
    SELECT root_relpath AS path, service || '/' || version AS owner FROM v_catalog_paths WHERE version_id::VARCHAR IN (SELECT unnest(string_split($1, chr(0))))
    UNION ALL
    SELECT a.fs_relpath, v.service || '/' || v.version FROM artifacts a JOIN versions v USING (version_id)
    WHERE a.fs_relpath IS NOT NULL AND a.version_id::VARCHAR IN (SELECT unnest(string_split($1, chr(0))))`, [joined(victimIds)])).map((row) => [row.path, row.owner]));
  const listed = new Set(files.map((file) => file.path));
  for (const [relpath, owner] of owned) {
    if (!listed.has(relpath) && statRelpath(root, relpath) !== null) stale.add(relpath, `was added to ${owner} after the plan was made`);
  }
  const strays = files.filter((file) => file.what === 'orphan').map((file) => file.path);
  const registered = await registeredPaths(conn, strays);
  const objects = files.filter((file) => file.what === 'cas').map((file) => file.path);
  const users = await objectUsers(conn, objects, victimIds);
  const problem = (file: PrunePathAction): string | null => {
    if ((file.what === 'data' || file.what === 'archive') && !owned.has(file.path)) return 'is no longer a file of a version this plan removes';
    if (file.what === 'orphan' && registered.has(file.path)) return `is now registered in the catalog (a file of ${registered.get(file.path)})`;
    if (file.what === 'cas' && users.has(file.path)) return `is now used by ${users.get(file.path)}, which the plan keeps`;
    if (sameAsPlanned(root, plannedByPath, file.path)) return null;
    return statRelpath(root, file.path) === null ? 'is gone' : 'changed since the plan was made (size or modification time)';
  };
  for (const file of files) {
    const why = problem(file);
    if (why) stale.add(file.path, why);
  }
  // The folders it empties must still be the ones the catalog recorded (not swapped for another folder, a link or a mount).
  const folders = [
    ...removals.map((version) => versionDataFolder(version.service, version.version)),
    ...files.map((file) => dataFolderOf(file.path)).filter((folder): folder is string => folder !== null),
  ];
  for (const found of (await folderProblems(conn, root, folders)).reverse()) stale.addFirst(found.item, found.why);
  stale.throwIfAny();
}
