import { lastWebPort, loadOrCreateToken, rememberWebPort } from '../../handlers/access-token.js';
import { OntocatError } from '../../shared/errors.js';
import { locateRendererDir } from '../../serve/locate-renderer.js';
import { openBrowser } from '../../serve/open-browser.js';
import { intOption, stringOption, type CliCommand } from '../command-types.js';
import { quickCliRunner } from '../quick-main.js';

const loopback = new Set(['127.0.0.1', 'localhost', '::1']);

export const serveCommands: readonly CliCommand[] = [
  {
    name: 'serve',
    summary: 'Serve the app and its API on 127.0.0.1 for a browser (Ctrl-C stops)',
    args: '', minArgs: 0, maxArgs: 0, access: 'write', longRunning: true, actor: 'web',
    localOnly: 'it would be a second owner of the same catalog; open the running one instead',
    options: {
      port: { type: 'string', description: 'port to listen on (default: the one of the last run on this root if free, else a free one)' },
      host: { type: 'string', description: 'address to bind (default 127.0.0.1; others are reachable from the network)' },
      open: { type: 'boolean', description: 'open the URL in the default browser' },
    },
    async run(args, session, context) {
      const askedPort = intOption(args, 'port', 0, 65535);
      const host = stringOption(args, 'host') ?? '127.0.0.1';
      const rendererDir = locateRendererDir(context.env);
      // localOnly: serve never runs through another owner, so this is its own session.
      // The web host and the endpoint (with their schemas) load only for serve itself.
      const [{ Session }, { startWebHost }, { openOwnerEndpoint }] = await Promise.all([
        import('../../handlers/session.js'), import('../../serve/web-host.js'), import('../../serve/owner-endpoint.js'),
      ]);
      const own = session;
      if (!(own instanceof Session)) throw new OntocatError('INTERNAL', 'serve needs the catalog open in this process.');
      // The root's token survives restarts, so open tabs and bookmarks keep working.
      // The sources' schedules run while the web host is up, as in the app.
      own.runSchedules();
      const token = loadOrCreateToken(session.root);
      const previous = askedPort === undefined ? lastWebPort(session.root) : null;
      // The same port (and token) as last time, so tabs left open find the server again.
      const { downloadSourceFor } = await import('../../handlers/table-download.js');
      const downloads = downloadSourceFor(own);
      const server = await startWebHost({ session: own, rendererDir, host, port: previous ?? askedPort ?? 0, token, downloads })
        .catch((error: unknown) => {
          if (previous === null || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
          return startWebHost({ session: own, rendererDir, host, port: 0, token, downloads });
        });
      rememberWebPort(session.root, server.port);
      const endpoint = await openOwnerEndpoint(own, context.stderr, server.origin, quickCliRunner(own));
      if (!loopback.has(host)) {
        context.stderr(`ontocat serve: WARNING: listening on ${host}, not just this machine; anyone who can reach it and gets the URL (token) can change the catalog.`);
      }
      const started = { url: server.url, origin: server.origin, host: server.host, port: server.port, root: session.root, renderer_dir: rendererDir, endpoint: endpoint?.path ?? null };
      context.stdout(args.json
        ? JSON.stringify(started)
        : `Ontocat web host for ${session.root}\nOpen: ${server.url}\nPress Ctrl-C to stop.`);
      const opened = args.options.open === true ? openBrowser(server.url, context.stderr) : null;

      await new Promise<void>((resolve) => {
        if (context.signal.aborted) resolve();
        else context.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      opened?.();
      await endpoint?.close();
      await server.close();
      if (!args.json) context.stderr('Web host stopped; closing the catalog.');
      return { json: { ...started, stopped: true }, human: 'Stopped.', printed: true };
    },
  },
];
