import type { DuckDBValue } from '@duckdb/node-api';
import type { ProfileName, ProfileResult, QueryProfile } from '../shared/contract/report.js';
import { OntocatError } from '../shared/errors.js';
import { parseVersionRef, type VersionRef } from '../shared/version-ref.js';
import { computeDelta, deltaTree } from './delta-queries.js';
import { listDirectory, listFiles } from './file-queries.js';
import { cadenceReport, growthReport, hotspotsReport, latestReport, validationReport } from './report-queries.js';
import { SqlConnection, type SqlParams, type SqlRow } from './sql.js';
import { storageUsage } from './usage-queries.js';
import { validationDelta } from './validation-delta-queries.js';
import { listVersions } from './version-queries.js';

/**
 * A connection that records every query it runs with DuckDB's EXPLAIN ANALYZE.
 *
 * Each SELECT runs once for its rows (timed) and once more under EXPLAIN ANALYZE for the
 * plan, so catalog functions are profiled exactly as they run, without copying their SQL.
 */
export class ProfilingConnection extends SqlConnection {
  readonly profiles: QueryProfile[] = [];

  constructor(inner: SqlConnection) {
    super(inner.raw);
  }

  override async all<T = SqlRow>(sql: string, params?: SqlParams): Promise<T[]> {
    const started = performance.now();
    const rows = await super.all<T>(sql, params);
    const ms = performance.now() - started;
    if (/^\s*(SELECT|WITH|FROM)\b/i.test(sql)) {
      const reader = await this.raw.runAndReadAll(`EXPLAIN ANALYZE ${sql}`, params as DuckDBValue[] | undefined);
      const plan = reader.getRowsJS().map((row) => String(row[1])).join('\n');
      this.profiles.push({ sql: sql.replace(/\s+/g, ' ').trim(), ms: Math.round(ms * 100) / 100, rows: rows.length, plan });
    }
    return rows;
  }

  override async scalar<T = unknown>(sql: string, params?: SqlParams): Promise<T | null> {
    const rows = await this.all<Record<string, unknown>>(sql, params);
    const first = rows[0];
    return first === undefined ? null : ((Object.values(first)[0] ?? null) as T | null);
  }
}

export interface ProfileArgs {
  readonly refs?: readonly string[];
  readonly service?: string;
  readonly prefix?: string;
  readonly dir?: string;
}

function refsOf(name: ProfileName, args: ProfileArgs, count: number): VersionRef[] {
  const refs = (args.refs ?? []).map(parseVersionRef);
  if (refs.length !== count) {
    throw new OntocatError('BAD_INPUT', `Profiling '${name}' needs ${count === 1 ? 'one version' : `${count} versions`} (SERVICE/VERSION), got ${refs.length}.`);
  }
  return refs;
}

/** Runs one named catalog query under the profiler. */
export async function profileQuery(conn: SqlConnection, name: ProfileName, args: ProfileArgs = {}): Promise<ProfileResult> {
  const profiler = new ProfilingConnection(conn);
  const started = performance.now();
  switch (name) {
    case 'versions-list': await listVersions(profiler, { service: args.service }); break;
    case 'files-list': await listFiles(profiler, refsOf(name, args, 1)[0]!, { prefix: args.prefix }); break;
    case 'dir-list': await listDirectory(profiler, refsOf(name, args, 1)[0]!, { dir: args.dir }); break;
    case 'usage': await storageUsage(profiler); break;
    case 'delta': { const [a, b] = refsOf(name, args, 2); await computeDelta(profiler, a!, b!, { prefix: args.prefix }); break; }
    case 'delta-tree': { const [a, b] = refsOf(name, args, 2); await deltaTree(profiler, a!, b!, { dir: args.dir }); break; }
    case 'validation-delta': { const [a, b] = refsOf(name, args, 2); await validationDelta(profiler, a!, b!, { prefix: args.prefix }); break; }
    case 'report-latest': await latestReport(profiler, { service: args.service }); break;
    case 'report-growth': {
      if (!args.service) throw new OntocatError('BAD_INPUT', "Profiling 'report-growth' needs a service.");
      await growthReport(profiler, { service: args.service });
      break;
    }
    case 'report-validation': await validationReport(profiler, { service: args.service }); break;
    case 'report-hotspots': await hotspotsReport(profiler, { service: args.service }); break;
    case 'report-cadence': await cadenceReport(profiler, { service: args.service }); break;
    default: throw new OntocatError('BAD_INPUT', `Unknown query '${String(name)}' to profile.`);
  }
  const total = performance.now() - started;
  const queries = profiler.profiles;
  // The main query is the one DuckDB spent longest executing (the plan's own total),
  // not the slowest wall time, which a busy machine can give to a trivial lookup.
  const executed = (plan: string): number => Number(/Total Time:\s*([0-9.]+)s/.exec(plan)?.[1] ?? 0);
  let main = 0;
  for (let i = 1; i < queries.length; i += 1) if (executed(queries[i]!.plan) > executed(queries[main]!.plan)) main = i;
  return { name, total_ms: Math.round(total * 100) / 100, main, queries };
}
