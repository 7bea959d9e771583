// Team server benchmark (issue #17). A catalog of 1,000,000 file rows (20 versions of 5
// services), N signed-in users reading pages of files, versions and folders over HTTP
// (cookie + CSRF, role check, JSON), idle and while a curator's ingest job writes; next to
// the same queries on DuckDB directly (the catalog's read pool, no HTTP) in the same run.
// Also: sign-ins per second (scrypt) and the server's memory. Figures, never assertions.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listDirectory, listFiles } from '../../electron/catalog/file-queries.js';
import { listVersions } from '../../electron/catalog/version-queries.js';
import { openSession } from '../../electron/handlers/session.js';
import { startTeamServer } from '../../electron/serve/team-server.js';
import { replaceVersionFiles, setLatestPointer, upsertVersion } from '../../electron/catalog/write-records.js';
import type { SignedInUser } from '../../electron/shared/api-protocol.js';
import { fmt, percentile, printTable, scaled } from './bench-utils.js';
import { versionFiles } from './catalog.bench.js';

const SERVICES = ['go', 'chebi', 'uberon', 'mondo', 'hp'];
const VERSIONS_PER_SERVICE = 4;
const PHASE_MS = Number(process.env.ONTOCAT_BENCH_PHASE_MS ?? 8000);

interface Client { readonly cookie: string; readonly csrf: string }

function post(agent: Agent, port: number, client: Client | null, pathname: string, body: unknown): Promise<{ status: number; text: string; cookie: string | null }> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = request({
      host: '127.0.0.1', port, method: 'POST', path: pathname, agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...(client ? { cookie: client.cookie, 'x-csrf-token': client.csrf } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), cookie: res.headers['set-cookie']?.[0]?.split(';')[0] ?? null }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(text);
  });
}

/** One read of the mix: a page of files (random offset), the versions list, or a folder. */
type Read = (i: number) => Promise<unknown>;

async function drive(users: number, read: Read): Promise<{ rps: number; p50: number; p95: number; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + PHASE_MS;
  const started = performance.now();
  await Promise.all(Array.from({ length: users }, async (_, u) => {
    let i = u * 7919;
    while (performance.now() < until) {
      const t = performance.now();
      try { await read(i); } catch { errors += 1; }
      latencies.push(performance.now() - t);
      i += 1;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  return { rps: latencies.length / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), errors };
}

export async function main(): Promise<void> {
  const totalFiles = scaled(1_000_000, 2000);
  const versions = SERVICES.length * VERSIONS_PER_SERVICE;
  const perVersion = Math.floor(totalFiles / versions);
  const temp = mkdtempSync(path.join(tmpdir(), 'ontocat-bench-team-'));
  const root = path.join(temp, 'root');
  const session = await openSession({ actor: 'server', root });
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  try {
    console.log(`Generating ${(perVersion * versions).toLocaleString()} file rows over ${versions} versions…`);
    for (const [s, service] of SERVICES.entries()) {
      for (let v = 0; v < VERSIONS_PER_SERVICE; v += 1) {
        const version = `2024.${v + 1}`;
        await session.catalog.write(async (tx) => {
          await upsertVersion(tx, { service, version, created_at: new Date(Date.UTC(2024, v, 1 + s)) });
          await replaceVersionFiles(tx, { service, version }, [...versionFiles(service, v, perVersion)]);
          if (v === VERSIONS_PER_SERVICE - 1) await setLatestPointer(tx, { service, version }, 'bench');
        });
      }
    }
    const userCounts = [1, 4, 16];
    const maxUsers = Math.max(...userCounts);
    const hashStarted = performance.now();
    for (let u = 0; u < maxUsers; u += 1) await session.call('users:add', { username: `reader${u}`, role: 'viewer', password: `reader-password-${u}` });
    await session.call('users:add', { username: 'writer', role: 'curator', password: 'writer-password' });
    const addMs = (performance.now() - hashStarted) / (maxUsers + 1);
    // The writer's source folder (below) is inside the one ingest root the server allows.
    const server = await startTeamServer({
      session, rendererDir: path.join(temp, 'no-ui'), loginLimits: { perAddress: 10_000 },
      confinement: { roots: [realpathSync(temp)], allowedHosts: [], allowPrivateNetwork: false },
    });
    await server.accounts.settled();
    const port = server.port;

    const signIn = async (username: string, password: string): Promise<Client> => {
      const answer = await post(agent, port, null, '/api/auth/login', { username, password });
      if (answer.status !== 200 || !answer.cookie) throw new Error(`sign-in of ${username} failed: ${answer.text}`);
      return { cookie: answer.cookie, csrf: (JSON.parse(answer.text) as { data: SignedInUser }).data.csrf };
    };
    const loginStarted = performance.now();
    const readers: Client[] = [];
    for (let u = 0; u < maxUsers; u += 1) readers.push(await signIn(`reader${u}`, `reader-password-${u}`));
    const loginMs = (performance.now() - loginStarted) / maxUsers;
    const writer = await signIn('writer', 'writer-password');

    const refs = SERVICES.flatMap((service) => Array.from({ length: VERSIONS_PER_SERVICE }, (_, v) => ({ service, version: `2024.${v + 1}` })));
    const pages = Math.max(1, Math.floor(perVersion / 100));
    const overHttp = (users: number): Read => async (i) => {
      const client = readers[i % users]!;
      const ref = refs[i % refs.length]!;
      const kind = i % 4;
      const [channel, input] = kind === 0 ? ['versions:list', { limit: 50 }]
        : kind === 1 ? ['files:dir', { ref: `${ref.service}/${ref.version}`, dir: `part${i % 20}` }]
          : ['files:list', { ref: `${ref.service}/${ref.version}`, offset: ((i * 7) % pages) * 100, limit: 100 }];
      const answer = await post(agent, port, client, `/api/${channel}`, input);
      if (answer.status !== 200) throw new Error(answer.text);
    };
    const direct: Read = async (i) => {
      const ref = refs[i % refs.length]!;
      const kind = i % 4;
      await session.catalog.read(async (conn): Promise<unknown> => (kind === 0 ? listVersions(conn, { limit: 50 })
        : kind === 1 ? listDirectory(conn, ref, { dir: `part${i % 20}` })
          : listFiles(conn, ref, { offset: ((i * 7) % pages) * 100, limit: 100 })));
    };

    // The writer: a curator's ingest jobs of 2,000 small files each, one after another, over HTTP.
    const source = path.join(temp, 'source');
    for (let f = 0; f < 2000; f += 1) {
      mkdirSync(path.join(source, `d${f % 20}`), { recursive: true });
      writeFileSync(path.join(source, `d${f % 20}`, `f${f}.csv`), `id,label\n${f},term ${f}\n`);
    }
    let writing = false;
    let ingests = 0;
    const writerLoop = async (): Promise<void> => {
      let n = 0;
      while (writing) {
        // Each run changes one file, so every ingest writes a new version.
        writeFileSync(path.join(source, 'changing.csv'), `id,label\n${n},run ${n}\n`);
        const answer = await post(agent, port, writer, '/api/ingest:run', { source, service: 'bench-writer', version: `w${n}` });
        if (answer.status !== 200) throw new Error(`writer ingest failed: ${answer.text}`);
        ingests += 1;
        n += 1;
      }
    };

    const rows: Record<string, string | number>[] = [];
    for (const users of userCounts) {
      const base = await drive(users, direct);
      const idle = await drive(users, overHttp(users));
      writing = true;
      ingests = 0;
      const loop = writerLoop();
      const busyDirect = await drive(users, direct);
      const busy = await drive(users, overHttp(users));
      writing = false;
      await loop;
      rows.push({
        users,
        'duckdb req/s': base.rps.toFixed(0), 'server req/s': idle.rps.toFixed(0), 'server/duckdb': (idle.rps / base.rps).toFixed(2),
        'server p50/p95 ms': `${fmt(idle.p50)}/${fmt(idle.p95)}`,
        'duckdb req/s (writer)': busyDirect.rps.toFixed(0), 'server req/s (writer)': busy.rps.toFixed(0),
        'server p50/p95 ms (writer)': `${fmt(busy.p50)}/${fmt(busy.p95)}`, 'ingests during': ingests,
        errors: idle.errors + busy.errors + base.errors + busyDirect.errors,
      });
    }
    console.log(`\nReads over HTTP (versions:list, files:dir, files:list pages of 100) against ${(perVersion * versions).toLocaleString()} file rows; ${PHASE_MS / 1000} s per cell:`);
    printTable(rows);
    const rss = process.memoryUsage().rss / 2 ** 20;
    printTable([{
      'users:add (scrypt N=2^15) ms': addMs.toFixed(0), 'sign-in ms': loginMs.toFixed(0), 'sign-ins/s (one core)': (1000 / loginMs).toFixed(1),
      'server+DuckDB RSS MiB': rss.toFixed(0), 'catalog file rows': (perVersion * versions).toLocaleString(),
    }]);
    await server.close();
  } finally {
    agent.destroy();
    await session.close();
    rmSync(temp, { recursive: true, force: true });
  }
}
