// The layer rule of DESIGN.md: a file imports only from its own layer and the layers below.
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));

/** Which project layers each layer may import. */
const allowedLayers = {
  shared: ['shared'],
  catalog: ['shared', 'catalog', 'storage', 'ingest', 'jobs'],
  storage: ['shared', 'catalog', 'storage', 'ingest', 'jobs'],
  ingest: ['shared', 'catalog', 'storage', 'ingest', 'jobs'],
  jobs: ['shared', 'catalog', 'storage', 'ingest', 'jobs'],
  // Sources, resolvers, scheduler and runs drive ingest; handlers compose them.
  sources: ['shared', 'catalog', 'storage', 'ingest', 'jobs', 'sources'],
  handlers: ['shared', 'catalog', 'storage', 'ingest', 'jobs', 'sources', 'handlers'],
  // The desktop app owns its catalog like `ontocat serve` and takes CLI calls on the same
  // local endpoint (serve/local-endpoint.ts), so main may use serve too.
  main: ['shared', 'handlers', 'main', 'serve'],
  // `ontocat serve` is a CLI command that starts the web host, so cli may use serve.
  cli: ['shared', 'handlers', 'cli', 'serve'],
  serve: ['shared', 'handlers', 'serve'],
  preload: ['shared', 'preload'],
  renderer: ['shared', 'renderer'],
};

/** Layers that run without Node (no `node:` builtins, no Node-only packages). */
const browserLayers = new Set(['shared', 'renderer', 'preload']);
const electronLayers = new Set(['main', 'preload']);
const nodeBuiltin = /^(node:|fs$|fs\/|path$|os$|child_process$|crypto$|worker_threads$|net$|http$|https$|stream$|url$|util$)/;

/** @param {string} file */
function layerOf(file) {
  const rel = path.relative(root, file).split(path.sep);
  if (rel[0] === 'electron' && rel[1] && rel[1] in allowedLayers) return rel[1];
  if (rel[0] === 'renderer') return 'renderer';
  return null;
}

/** @type {import('eslint').Rule.RuleModule} */
export const layerImportsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the layer imports of DESIGN.md' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const layer = layerOf(file);
    if (!layer) return {};
    /** @param {any} node @param {string} source */
    function check(node, source) {
      if (source === 'electron' || source.startsWith('electron/')) {
        if (!electronLayers.has(layer)) {
          context.report({ node, message: `Layer '${layer}' must not import electron; only main/ and preload/ do.` });
        }
        return;
      }
      if (browserLayers.has(layer) && nodeBuiltin.test(source)) {
        context.report({ node, message: `Layer '${layer}' runs without Node and must not import '${source}'.` });
        return;
      }
      if (!source.startsWith('.')) return;
      const target = layerOf(path.resolve(path.dirname(file), source));
      if (target === null) {
        context.report({ node, message: `Layer '${layer}' imports '${source}', which is outside every layer.` });
      } else if (!allowedLayers[layer].includes(target)) {
        context.report({ node, message: `Layer '${layer}' must not import from '${target}' (${source}); see DESIGN.md layers.` });
      }
    }
    return {
      ImportDeclaration(node) { check(node, String(node.source.value)); },
      ExportNamedDeclaration(node) { if (node.source) check(node, String(node.source.value)); },
      ExportAllDeclaration(node) { check(node, String(node.source.value)); },
      ImportExpression(node) { if (node.source.type === 'Literal') check(node, String(node.source.value)); },
    };
  },
};
