// Kill -9 at random moments of ingest, doctor apply, prune apply and trash restore, then
// recover with doctor and check that nothing was lost and the catalog still opens.
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runChild, sawFatal, type ChildRun } from './cli-child.js';
import { hashWalk, lostFiles } from './hash-walk.js';

export type TrialKind = 'ingest' | 'doctor-apply' | 'prune-apply' | 'trash-restore';
export const trialKinds: readonly TrialKind[] = ['ingest', 'doctor-apply', 'prune-apply', 'trash-restore'];

export interface TrialResult {
  readonly kind: TrialKind;
  readonly killed: boolean;
  readonly delay_ms: number;
  readonly lost: readonly string[];
  readonly catalog_opens: boolean;
  readonly fatals: number;
  readonly converged: boolean;
  readonly problem: string | null;
}

/** A small seeded random source, so that a failing run can be repeated with its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A source folder for one version: valid Turtle (work for the validators), CSV and text, some files new each time. */
function writeSource(dir: string, variant: number, files: number): void {
  rmSync(dir, { recursive: true, force: true });
  for (let i = 0; i < files; i += 1) {
    const sub = path.join(dir, `part${i % 5}`);
    mkdirSync(sub, { recursive: true });
    const changed = i % 7 === variant % 7;
    if (i % 3 === 0) {
      const lines = ['@prefix ex: <http://example.org/> .', '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .'];
      for (let t = 0; t < 40; t += 1) lines.push(`ex:t${i}_${t} rdfs:label "term ${t} of ${i}${changed ? ` v${variant}` : ''}" .`);
      writeFileSync(path.join(sub, `f${i}.ttl`), `${lines.join('\n')}\n`);
    } else if (i % 3 === 1) {
      writeFileSync(path.join(sub, `f${i}.csv`), `id,label\n${i},"row ${i}${changed ? ` v${variant}` : ''}"\n`);
    } else {
      writeFileSync(path.join(sub, `f${i}.txt`), `plain ${i}${changed ? ` v${variant}` : ''}\n`);
    }
  }
}

function json<T>(run: ChildRun): T | null {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    return null;
  }
}

/**
 * Runs doctor and applies its plan until a plan comes back empty (at most 3 rounds).
 * Returns whether it converged and every run's output (to look for FATALs).
 */
async function recover(root: string): Promise<{ converged: boolean; runs: ChildRun[]; problem: string | null }> {
  const runs: ChildRun[] = [];
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const plan = await runChild(root, ['doctor', '--json']);
    runs.push(plan);
    const body = json<{ plan_id: string; findings: unknown[] }>(plan);
    if (plan.code !== 0 || !body) return { converged: false, runs, problem: `doctor exited ${plan.code}: ${plan.stderr.trim().split('\n')[0]}` };
    if (body.findings.length === 0) return { converged: true, runs, problem: null };
    const apply = await runChild(root, ['doctor', '--apply', body.plan_id, '--json']);
    runs.push(apply);
    if (apply.code !== 0) return { converged: false, runs, problem: `doctor --apply exited ${apply.code}: ${apply.stderr.trim().split('\n')[0]}` };
  }
  return { converged: false, runs, problem: 'doctor still had findings after 3 rounds of apply' };
}

export interface TrialRoot {
  readonly root: string;
  readonly sources: string;
  readonly files: number;
  versions: number;
}

/** A root with two ingested versions, made through the real CLI. */
export async function makeTrialRoot(base: string, files: number): Promise<TrialRoot> {
  const root = path.join(base, 'root');
  const sources = path.join(base, 'sources');
  const state: TrialRoot = { root, sources, files, versions: 0 };
  for (let i = 0; i < 2; i += 1) await ingestVersion(state);
  return state;
}

async function ingestVersion(state: TrialRoot, killAfterMs?: number): Promise<ChildRun> {
  state.versions += 1;
  const dir = path.join(state.sources, `v${state.versions}`);
  writeSource(dir, state.versions, state.files);
  const run = await runChild(state.root, ['ingest', dir, '--service', 'soak', '--version', `v${state.versions}`, '--json'], killAfterMs);
  if (killAfterMs === undefined && run.code !== 0) throw new Error(`setting up: ingest failed: ${run.stderr}`);
  return run;
}

/** Makes damage for doctor to fix: stray files in one version, a few data files gone. */
function damage(root: string, random: () => number, trial: number): void {
  const service = path.join(root, 'soak');
  const versions = readdirSync(service, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  const version = versions[Math.floor(random() * versions.length)]!;
  const strays = path.join(service, version, 'data', `stray-${trial}`);
  mkdirSync(strays, { recursive: true });
  for (let i = 0; i < 60; i += 1) writeFileSync(path.join(strays, `s${i}.txt`), `stray ${trial} ${i}`);
  const part = path.join(service, version, 'data', 'part1');
  try {
    for (const name of readdirSync(part).slice(0, 5)) rmSync(path.join(part, name), { force: true });
  } catch { /* the version lost that folder already */ }
}

/** Runs one trial of `kind`: prepare, record, start the operation, SIGKILL it after `delayMs`, recover, check. */
export async function runTrial(state: TrialRoot, kind: TrialKind, delayMs: number, random: () => number, trial: number): Promise<TrialResult> {
  const root = state.root;
  let victim: () => Promise<ChildRun>;
  if (kind === 'ingest') {
    victim = () => ingestVersion(state, delayMs);
  } else if (kind === 'doctor-apply') {
    damage(root, random, trial);
    const plan = json<{ plan_id: string }>(await runChild(root, ['doctor', '--json']));
    if (!plan) throw new Error('setting up: doctor failed');
    victim = () => runChild(root, ['doctor', '--apply', plan.plan_id, '--json'], delayMs);
  } else if (kind === 'prune-apply') {
    // A version to remove: each trial's root is its kind's own, so no other trial adds one.
    await ingestVersion(state);
    const plan = json<{ plan_id: string }>(await runChild(root, ['prune', '--keep-last', '1', '--allow-large', '--json']));
    if (!plan) throw new Error('setting up: prune failed');
    victim = () => runChild(root, ['prune', '--apply', plan.plan_id, '--json'], delayMs);
  } else {
    let entries = prunesInTrash(root);
    if (entries.length === 0) {
      await ingestVersion(state);
      const plan = json<{ plan_id: string }>(await runChild(root, ['prune', '--keep-last', '1', '--allow-large', '--json']));
      if (plan) await runChild(root, ['prune', '--apply', plan.plan_id, '--json']);
      entries = prunesInTrash(root);
    }
    const entry = entries.at(-1);
    if (!entry) throw new Error('setting up: nothing in the trash to restore');
    victim = () => runChild(root, ['trash', 'restore', entry.plan_id, '--json'], delayMs);
  }

  const before = hashWalk(root);
  const run = await victim();
  const recovery = await recover(root);
  // The catalog opens when Ontocat's own open (migrations, trash recovery, writer lock) let
  // the last doctor run exit 0, and DuckDB alone opens the file read-only too. Only when
  // recovery failed is the CLI asked once more, for what it says.
  const last = recovery.runs.at(-1);
  let opens = last !== undefined && last.code === 0 && await duckdbOpens(root);
  const runs = [run, ...recovery.runs];
  let problem = recovery.problem;
  if (!opens) {
    const info = await runChild(root, ['info', '--json']);
    runs.push(info);
    opens = info.code === 0;
    if (!opens) problem ??= `info exited ${info.code}: ${info.stderr.trim().split('\n')[0]}`;
  }
  const after = hashWalk(root);
  return {
    kind,
    killed: run.killed,
    delay_ms: delayMs,
    lost: lostFiles(before, after),
    catalog_opens: opens,
    fatals: runs.filter(sawFatal).length,
    converged: recovery.converged,
    problem,
  };
}

/** Whether DuckDB alone opens the catalog file read-only and reads its versions (no Ontocat code involved). */
async function duckdbOpens(root: string): Promise<boolean> {
  try {
    const instance = await DuckDBInstance.create(path.join(root, 'catalog.duckdb'), { access_mode: 'READ_ONLY' });
    try {
      const conn = await instance.connect();
      await conn.run('SELECT count(*) FROM versions');
      conn.closeSync();
      return true;
    } finally {
      instance.closeSync();
    }
  } catch {
    return false;
  }
}

/** Applied prunes in the trash (read from their manifests on disk, not through a CLI run), oldest first. */
function prunesInTrash(root: string): { plan_id: string }[] {
  const trash = path.join(root, '.trash');
  if (!existsSync(trash)) return [];
  const found: { plan_id: string }[] = [];
  for (const name of readdirSync(trash).sort()) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(trash, name, 'manifest.json'), 'utf8')) as { kind: string; status: string };
      if (manifest.kind === 'prune' && manifest.status === 'trashed') found.push({ plan_id: name });
    } catch { /* not a finished entry */ }
  }
  return found;
}
