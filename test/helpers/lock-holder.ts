// A real second process that opens a catalog for writing and holds it until stdin closes.
// Used by lock tests: `node --import tsx test/helpers/lock-holder.ts ROOT`.
import { openCatalog } from '../../electron/catalog/open-catalog.js';

const root = process.argv[2];
if (!root) throw new Error('usage: lock-holder ROOT');
const catalog = await openCatalog({ root, app: 'lock-holder-test' });
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => {
  void catalog.close().then(() => process.exit(0));
});
