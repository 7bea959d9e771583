import { locateRendererDir } from '../../serve/locate-renderer.js';
import { openBrowser } from '../../serve/open-browser.js';
import { startWebHost } from '../../serve/web-host.js';
import { intOption, stringOption, type CliCommand } from '../command-types.js';

const loopback = new Set(['127.0.0.1', 'localhost', '::1']);

export const serveCommands: readonly CliCommand[] = [
  {
    name: 'serve',
    summary: 'Serve the app and its API on 127.0.0.1 for a browser (Ctrl-C stops)',
    args: '', minArgs: 0, maxArgs: 0, access: 'write', longRunning: true, actor: 'web',
    options: {
      port: { type: 'string', description: 'port to listen on (default: a free one)' },
      host: { type: 'string', description: 'address to bind (default 127.0.0.1; others are reachable from the network)' },
      open: { type: 'boolean', description: 'open the URL in the default browser' },
    },
    async run(args, session, context) {
      const port = intOption(args, 'port', 0, 65535) ?? 0;
      const host = stringOption(args, 'host') ?? '127.0.0.1';
      const rendererDir = locateRendererDir(context.env);
      const server = await startWebHost({ session, rendererDir, host, port });
      if (!loopback.has(host)) {
        context.stderr(`ontocat serve: WARNING: listening on ${host}, not just this machine; anyone who can reach it and gets the URL (token) can change the catalog.`);
      }
      const started = { url: server.url, origin: server.origin, host: server.host, port: server.port, root: session.catalog.root, renderer_dir: rendererDir };
      context.stdout(args.json
        ? JSON.stringify(started)
        : `Ontocat web host for ${session.catalog.root}\nOpen: ${server.url}\nPress Ctrl-C to stop.`);
      if (args.options.open === true) openBrowser(server.url, context.stderr);

      await new Promise<void>((resolve) => {
        if (context.signal.aborted) resolve();
        else context.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await server.close();
      if (!args.json) context.stderr('Web host stopped; closing the catalog.');
      return { json: { ...started, stopped: true }, human: 'Stopped.', printed: true };
    },
  },
];
