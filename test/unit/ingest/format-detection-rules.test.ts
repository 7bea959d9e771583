/**
 * Ingest takes the sniffed format of content it meets again from the rows of a version
 * recorded under the same FORMAT_DETECTION_RULES instead of sniffing those bytes again, so
 * a change to sniffing that keeps the number would let old answers stand for new content.
 * This pins the number to the source it names: when detect-format.ts changes, bump
 * FORMAT_DETECTION_RULES if sniffFormat can answer otherwise for any bytes, then record
 * the file's new hash here.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMAT_DETECTION_RULES } from '../../../electron/ingest/detect-format.js';
import { projectRoot } from '../../helpers/run-cli.js';

const PINNED: Readonly<Record<number, string>> = {
  1: '8b321d4be01f884d4a5dc9618fb6b585bf6ca5fa1e0efb0fa8ad312077d1516d',
  2: '886db605829f7c91062b39ff0de500c22560f24b20c61c12fb35b79a8dcd408a',
  3: '6eed3ab57ccce8415c9a576d8017bd8b83739abc40e2f5964a22e948394e0b3c',
  4: '70c78d02e0413aecb7b5b58dc77859416e6fc17cde5abb496ae2492c51c3e791',
  5: '1478f3e3cdd96f05c9b98476bbfdffe7bc52d889eb55059ef37908974bb54dad',
  6: 'dc9f388ae512757abbffee31b0544e5a8233bbb16a7640696f2874f38d34be2a',
  7: 'dc49466b38017e891eca1af0483b25fc9297cbd016757c0b89ce86fb8f41256a',
  8: '137b3648b86a853d7accdec2ad03b058bd125cc84d3a71e3664f7abbe84cbc0b',
  9: '4aca939a71d53eaea29b478862a947aa2dbb400bed350303bf83ba0c65eb4281',
  10: '19d1235f1ef55d07f7834c7b4559751f3df0cbb425ff78c95366841b7bbab646',
};

describe('format detection rules', () => {
  it('detect-format.ts is the source its FORMAT_DETECTION_RULES was pinned to', () => {
    const text = readFileSync(path.join(projectRoot, 'electron', 'ingest', 'detect-format.ts'), 'utf8').replace(/\r\n/g, '\n');
    const sha256 = createHash('sha256').update(text).digest('hex');
    expect({ rules: FORMAT_DETECTION_RULES, sha256 }, 'detect-format.ts changed: bump FORMAT_DETECTION_RULES if sniffFormat can answer otherwise, then pin the new hash')
      .toEqual({ rules: FORMAT_DETECTION_RULES, sha256: PINNED[FORMAT_DETECTION_RULES] });
  });
});
