import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Role, UserInfo } from '../../shared/contract/users.js';
import type { IngestConfinement } from '../../shared/ingest-confinement-policy.js';
import { OntocatError } from '../../shared/errors.js';
import { locateRendererDir } from '../../serve/locate-renderer.js';
import { intOption, stringOption, UsageError, type CliCommand, type ParsedArgs } from '../command-types.js';
import { formatTable } from '../output.js';
import { quickCliRunner } from '../quick-main.js';
import { countOf } from '../../shared/count-noun.js';

/** A repeatable string option as a list. */
function listOption(args: ParsedArgs, name: string): string[] {
  const value = args.options[name];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

/** The server's ingest confinement from its options; each ingest root must be an existing folder (kept by its real path). */
async function confinementOf(args: ParsedArgs): Promise<IngestConfinement> {
  const roots: string[] = [];
  for (const given of listOption(args, 'ingest-root')) {
    let real: string;
    try {
      real = await realpath(path.resolve(given));
    } catch {
      throw new UsageError(`--ingest-root ${given}: no such folder.`);
    }
    if (!(await stat(real)).isDirectory()) throw new UsageError(`--ingest-root ${given}: not a folder.`);
    roots.push(real);
  }
  return { roots, allowedHosts: listOption(args, 'allow-url-host').map((host) => host.toLowerCase()), allowPrivateNetwork: args.options['allow-private-urls'] === true };
}

const day = (iso: string | null): string => (iso ? iso.slice(0, 16).replace('T', ' ') : '-');

function roleOption(value: string | undefined): Role {
  if (value === 'viewer' || value === 'curator' || value === 'admin') return value;
  throw new UsageError(`--role must be viewer, curator or admin${value ? ` (got '${value}')` : ''}.`);
}

/**
 * Reads a password: the first line of stdin when it is piped (scripts), else asked twice
 * on the terminal without echo. Never an argument, which other users could see in `ps`.
 */
async function readPassword(stderr: (text: string) => void): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    const lines = createInterface({ input, crlfDelay: Infinity });
    for await (const line of lines) {
      lines.close();
      return line;
    }
    throw new UsageError('Pipe the password on stdin (one line), or run in a terminal to be asked.');
  }
  const ask = (prompt: string): Promise<string> => new Promise((resolve) => {
    const rl = createInterface({ input, output: process.stderr, terminal: true });
    // Echo nothing of what is typed (the prompt itself is written once).
    (rl as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = (text: string) => {
      if (text.startsWith(prompt)) process.stderr.write(prompt);
    };
    rl.question(prompt, (answer) => { rl.close(); process.stderr.write('\n'); resolve(answer); });
  });
  const first = await ask('Password: ');
  const second = await ask('Again: ');
  if (first !== second) {
    stderr('The two passwords differ.');
    throw new UsageError('The two passwords differ; nothing changed.');
  }
  return first;
}

function usersTable(users: readonly UserInfo[]): string {
  if (users.length === 0) return 'No users yet; add an admin with `ontocat users add NAME --role admin`.';
  return formatTable(users, [
    { header: 'USER', value: (u) => u.username },
    { header: 'ROLE', value: (u) => u.role },
    { header: 'CREATED (UTC)', value: (u) => day(u.created_at) },
    { header: 'LAST SIGN-IN (UTC)', value: (u) => day(u.last_login_at) },
  ]);
}

export const teamCommands: readonly CliCommand[] = [
  {
    name: 'server',
    summary: 'Serve the catalog to a team: accounts with roles, sign-in, live updates (Ctrl-C stops)',
    args: '', minArgs: 0, maxArgs: 0, access: 'write', longRunning: true, actor: 'server',
    localOnly: 'it would be a second owner of the same catalog',
    options: {
      port: { type: 'string', description: 'port to listen on (default 8443 with TLS, else 8080)' },
      host: { type: 'string', description: 'address to bind (default 127.0.0.1; 0.0.0.0 for the network, with --tls-cert)' },
      'tls-cert': { type: 'string', description: 'PEM certificate (chain) file: serve HTTPS' },
      'tls-key': { type: 'string', description: 'PEM private key file for --tls-cert' },
      'behind-proxy': { type: 'boolean', description: 'a TLS-terminating reverse proxy forwards to this server (trust X-Forwarded-*; Secure cookies)' },
      'public-url': { type: 'string', description: 'the URL people open (https://ontocat.example.org), accepted as Origin' },
      'session-hours': { type: 'string', description: 'how long a sign-in lasts (default 12)' },
      'ingest-root': { type: 'string', multiple: true, description: 'a folder users may ingest from (and check out into); repeat for several (default: none, URLs only)' },
      'allow-url-host': { type: 'string', multiple: true, description: 'a loopback, private or internal host users may fetch from (repeat for several)' },
      'allow-private-urls': { type: 'boolean', description: 'let users fetch from any loopback, private or internal address' },
    },
    async run(args, session, context) {
      const certFile = stringOption(args, 'tls-cert');
      const keyFile = stringOption(args, 'tls-key');
      if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError('Give both --tls-cert and --tls-key, or neither.');
      const host = stringOption(args, 'host') ?? '127.0.0.1';
      const port = intOption(args, 'port', 0, 65535) ?? (certFile ? 8443 : 8080);
      const hours = intOption(args, 'session-hours', 1, 24 * 90) ?? 12;
      const behindProxy = args.options['behind-proxy'] === true;
      const publicUrl = stringOption(args, 'public-url');
      const [{ Session }, { startTeamServer }, { openOwnerEndpoint }, { downloadSourceFor }] = await Promise.all([
        import('../../handlers/session.js'), import('../../serve/team-server.js'), import('../../serve/owner-endpoint.js'), import('../../handlers/table-download.js'),
      ]);
      if (!(session instanceof Session)) throw new OntocatError('INTERNAL', 'server needs the catalog open in this process.');
      const confinement = await confinementOf(args);
      session.runSchedules({ confinement });
      const server = await startTeamServer({
        confinement,
        session, rendererDir: locateRendererDir(context.env), host, port,
        tls: certFile && keyFile ? { certFile, keyFile } : undefined,
        trustProxy: behindProxy, publicOrigin: publicUrl ? new URL(publicUrl).origin : undefined,
        accounts: { sessionTtlMs: hours * 3600_000 }, downloads: downloadSourceFor(session),
      });
      // `ontocat users …` on this machine runs through the owner's endpoint while the server runs.
      const endpoint = await openOwnerEndpoint(session, context.stderr, server.origin, quickCliRunner(session));
      if (!certFile && !behindProxy && host !== '127.0.0.1' && host !== '::1' && host !== 'localhost') {
        context.stderr(`ontocat server: WARNING: plain HTTP on ${host}: passwords and session cookies cross the network unencrypted. Use --tls-cert/--tls-key or a TLS reverse proxy (--behind-proxy).`);
      }
      if (server.accounts.userCount === 0) context.stderr('No accounts yet: add one with `ontocat users add NAME --role admin` (it runs through this server).');
      const started = {
        url: publicUrl ?? server.origin, origin: server.origin, port: server.port, root: session.root, tls: Boolean(certFile), behind_proxy: behindProxy,
        endpoint: endpoint?.path ?? null, ingest_roots: confinement.roots, allowed_url_hosts: confinement.allowedHosts, private_urls: confinement.allowPrivateNetwork,
      };
      context.stdout(args.json ? JSON.stringify(started) : `Ontocat team server for ${session.root}\nOpen: ${started.url}\nPress Ctrl-C to stop.`);
      await new Promise<void>((resolve) => {
        if (context.signal.aborted) resolve();
        else context.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await endpoint?.close();
      await server.close();
      if (!args.json) context.stderr('Team server stopped; closing the catalog (running jobs are cancelled and wait).');
      return { json: { ...started, stopped: true }, human: 'Stopped.', printed: true };
    },
  },
  {
    name: 'users list',
    summary: 'List team-server accounts with role and last sign-in',
    args: '', minArgs: 0, maxArgs: 0, access: 'read',
    async run(_args, session) {
      const users = await session.call('users:list', {});
      return { json: users, human: usersTable(users) };
    },
  },
  {
    name: 'users add',
    summary: 'Add an account (password asked, or one line on stdin)',
    args: 'NAME', minArgs: 1, maxArgs: 1, access: 'write',
    options: { role: { type: 'string', description: 'viewer, curator or admin (default viewer)' } },
    async run(args, session, context) {
      const role = roleOption(stringOption(args, 'role') ?? 'viewer');
      const password = await readPassword(context.stderr);
      const user = await session.call('users:add', { username: args.positionals[0]!, role, password });
      return { json: user, human: `Added ${user.username} (${user.role}).` };
    },
  },
  {
    name: 'users role',
    summary: "Change an account's role (viewer, curator, admin)",
    args: 'NAME ROLE', minArgs: 2, maxArgs: 2, access: 'write',
    async run(args, session) {
      const user = await session.call('users:set-role', { username: args.positionals[0]!, role: roleOption(args.positionals[1]) });
      return { json: user, human: `${user.username} is now ${user.role === 'admin' ? 'an' : 'a'} ${user.role}.` };
    },
  },
  {
    name: 'users passwd',
    summary: "Set an account's password (asked, or one line on stdin); signs its sessions out",
    args: 'NAME', minArgs: 1, maxArgs: 1, access: 'write',
    async run(args, session, context) {
      const password = await readPassword(context.stderr);
      const user = await session.call('users:set-password', { username: args.positionals[0]!, password });
      return { json: user, human: `Password of ${user.username} changed; its sessions are signed out.` };
    },
  },
  {
    name: 'users remove',
    summary: 'Remove an account and end its sessions',
    args: 'NAME', minArgs: 1, maxArgs: 1, access: 'write',
    async run(args, session) {
      const result = await session.call('users:remove', { username: args.positionals[0]! });
      return { json: result, human: `Removed ${result.username}${result.sessions_ended ? ` (${countOf(result.sessions_ended, 'session')} ended)` : ''}.` };
    },
  },
];
