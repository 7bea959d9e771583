// Issue 18 item 4 as a soak: rounds of "lose a version's data folder, gain stray files,
// doctor, apply" through the real CLI, watching for FATALs and the catalog file's growth.
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openSession } from '../../electron/handlers/session.js';
import { addVersion } from '../helpers/housekeeping-fixtures.js';
import { runChild, sawFatal } from './cli-child.js';

export interface RoundsResult {
  readonly rounds: number;
  readonly failed_rounds: number;
  readonly fatals: number;
  /** Catalog file bytes after each round. */
  readonly sizes: readonly number[];
  readonly problems: readonly string[];
}

/** Seeds three versions of `files` files each, then runs `rounds` doctor rounds with `strays` stray files each. */
export async function doctorRounds(base: string, options: { files: number; strays: number; rounds: number; log: (line: string) => void }): Promise<RoundsResult> {
  const root = path.join(base, 'rounds');
  const session = await openSession({ actor: 'soak', root });
  try {
    for (const version of ['v1', 'v2', 'v3']) {
      const files = Object.fromEntries(Array.from({ length: options.files }, (_, i) => [`d${i % 50}/f${i}.txt`, `${version} file ${i}`]));
      await addVersion(session.catalog, { service: 'svc', version, files });
    }
  } finally {
    await session.close();
  }
  const sizes: number[] = [];
  const problems: string[] = [];
  let fatals = 0;
  let failed = 0;
  for (let round = 1; round <= options.rounds; round += 1) {
    const versions = ['v1', 'v2', 'v3'];
    rmSync(path.join(root, 'svc', versions[round % 3]!, 'data'), { recursive: true, force: true });
    const strays = path.join(root, 'svc', versions[(round + 1) % 3]!, 'data', `stray${round}`);
    mkdirSync(strays, { recursive: true });
    for (let i = 0; i < options.strays; i += 1) writeFileSync(path.join(strays, `s${i}.txt`), `stray ${round} ${i}`);
    const plan = await runChild(root, ['doctor', '--json']);
    let ok = plan.code === 0;
    if (sawFatal(plan)) fatals += 1;
    if (ok) {
      const body = JSON.parse(plan.stdout) as { plan_id: string; findings: unknown[] };
      const apply = await runChild(root, ['doctor', '--apply', body.plan_id, '--json']);
      if (sawFatal(apply)) fatals += 1;
      ok = apply.code === 0;
      if (!ok) problems.push(`round ${round}: apply exited ${apply.code}: ${apply.stderr.trim().split('\n')[0]}`);
    } else {
      problems.push(`round ${round}: doctor exited ${plan.code}: ${plan.stderr.trim().split('\n')[0]}`);
    }
    if (!ok) failed += 1;
    sizes.push(statSync(path.join(root, 'catalog.duckdb')).size);
    options.log(`  round ${round}: ${ok ? 'ok' : 'FAILED'}, catalog ${(sizes.at(-1)! / 1e6).toFixed(2)} MB`);
  }
  return { rounds: options.rounds, failed_rounds: failed, fatals, sizes, problems };
}
