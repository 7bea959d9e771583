import { loadOrCreateToken } from '../handlers/access-token.js';
import { endpointPathFor } from '../handlers/catalog-owner.js';
import type { Session } from '../handlers/session.js';
import { startLocalEndpoint, type LocalCliRunner, type LocalEndpoint } from './local-endpoint.js';

/**
 * Makes this process the reachable owner of its session's root: listens on the root's
 * local endpoint (token required) and writes where into the lock file, with the web
 * host's origin when there is one, so other Ontocat processes run their commands here
 * (and `npm run demo` opens the running app) instead of being refused.
 *
 * With `runCli` it also runs the `bin/ontocat` launcher's quick read command lines here.
 *
 * An endpoint that cannot be opened (a root path too long for a socket, a read-only
 * root) is reported through `warn` and leaves the owner working as before, unreachable.
 */
export async function openOwnerEndpoint(session: Session, warn: (message: string) => void, web?: string, runCli?: LocalCliRunner): Promise<LocalEndpoint | null> {
  const root = session.root;
  let endpoint: LocalEndpoint | null = null;
  try {
    const token = loadOrCreateToken(root);
    endpoint = await startLocalEndpoint({ session, path: endpointPathFor(root), token, runCli });
    session.catalog.advertiseEndpoint(endpoint.path, web);
    return endpoint;
  } catch (error) {
    await endpoint?.close();
    const cause = error as NodeJS.ErrnoException;
    warn(`ontocat: other Ontocat commands cannot reach this process (${cause.code ?? cause.message}); they will be refused while it runs.`);
    return null;
  }
}
