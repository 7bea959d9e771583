/**
 * Two artifacts of one source whose file names differ only in case (GO.obo and go.obo): on a
 * case-insensitive disk (macOS, Windows) they are one file in the run's work folder and under
 * archives/, and one release overwrites the other. Python's ntpath.normcase (how Windows
 * compares names) and unicodedata.normalize (the NFC/NFD folding macOS also does) are the
 * reference for which names are the same file there.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { declaredArtifactName } from '../../../electron/shared/contract/sources.js';
import { sessionPerTest } from '../../helpers/sync-fixtures.js';

/** Whether Python says two names are one file on a case- and normalisation-insensitive disk. */
function sameOnDisk(a: string, b: string): boolean {
  const script = 'import sys, ntpath, unicodedata\nf = lambda s: ntpath.normcase(unicodedata.normalize("NFC", s))\nprint(f(sys.argv[1]) == f(sys.argv[2]))';
  return execFileSync('python3', ['-c', script, a, b], { encoding: 'utf8' }).trim() === 'True';
}

describe('sources: artifact names that are one file on a case-insensitive disk', () => {
  const live = sessionPerTest('ontocat-artifact-name-case');

  it('refuses GO.obo beside go.obo with BAD_INPUT naming both', async () => {
    expect(sameOnDisk('GO.obo', 'go.obo')).toBe(true);
    const save = live.session.call('sources:save', {
      spec: { id: 'go', service: 'go', artifacts: [{ type: 'url', url: 'http://127.0.0.1:9/a/go.obo' }, { type: 'url', url: 'http://127.0.0.1:9/b/GO.obo' }] },
    });
    await expect(save).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(save).rejects.toThrow(/GO\.obo.*go\.obo|go\.obo.*GO\.obo/);
    // Named explicitly the same way: refused too.
    await expect(live.session.call('sources:save', {
      spec: { id: 'go', service: 'go', artifacts: [{ type: 'url', url: 'http://127.0.0.1:9/a.obo', name: 'Go.obo' }, { type: 'url', url: 'http://127.0.0.1:9/b.obo', name: 'gO.obo' }] },
    })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect((await live.session.call('sources:list', {})).length).toBe(0);
  });

  it('names from URLs spelling é precomposed and decomposed never become one file', async () => {
    const nfc = 'http://127.0.0.1:9/a/caf%C3%A9.obo';
    const nfd = 'http://127.0.0.1:9/b/cafe%CC%81.obo';
    expect(sameOnDisk(decodeURIComponent('caf%C3%A9.obo'), decodeURIComponent('cafe%CC%81.obo'))).toBe(true);
    const names = [nfc, nfd].map((url) => declaredArtifactName({ type: 'url', url })!);
    // Either Ontocat refuses the pair, or the names it files them under are distinct files there.
    const saved = await live.session.call('sources:save', { spec: { id: 'cafe', service: 'cafe', artifacts: [{ type: 'url', url: nfc }, { type: 'url', url: nfd }] } })
      .then(() => true, (error: { code?: string }) => { expect(error.code).toBe('BAD_INPUT'); return false; });
    if (saved) expect(sameOnDisk(names[0]!, names[1]!)).toBe(false);
  });
});
