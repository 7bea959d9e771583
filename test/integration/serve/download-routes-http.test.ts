/**
 * The download routes of a real `ontocat serve` process, asked with curl and Python's
 * http.client, the bytes held to coreutils (sha256sum, stat) and the server's open files to
 * GNU find over /proc.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOntocat } from '../../helpers/run-cli.js';
import { expectCutFileFailsClient, expectLetGoAfterCuts } from '../../helpers/cut-requests.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { startServe, type RunningServe } from '../../helpers/web-host.js';

/** Debian's NCBI taxonomy names (88 MB): far more than a loopback connection buffers. */
const BIG_FILE = '/usr/share/EMBOSS/data/TAXONOMY/names.dmp';

describe('ontocat serve: GET /api/download/file', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let started: RunningServe;
  let token: string;
  let stored: string;

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-download-routes');
    const source = path.join(temp.root, 'taxonomy');
    mkdirSync(source);
    copyFileSync(BIG_FILE, path.join(source, 'names.dmp'));
    const root = path.join(temp.root, 'root');
    const ingest = runOntocat(['ingest', source, '--service', 'taxonomy', '--version', '2022'], { root });
    expect(ingest.code, ingest.stderr).toBe(0);
    started = await startServe(root);
    token = started.token;
    stored = path.join(started.root, 'taxonomy', '2022', 'data', 'names.dmp');
  }, 180_000);
  afterAll(async () => {
    await started?.stop();
    temp?.cleanup();
  });

  const url = (): string => `${started.origin}/api/download/file?ref=taxonomy/2022&relpath=names.dmp`;

  it('lets go of the stored file when the client goes away mid-download', async () => {
    await expectLetGoAfterCuts(started, url(), stored, BIG_FILE, path.join(temp.root, 'downloaded.dmp'));
  }, 60_000);

  /** curl's header fields of one answer (names lower-cased), the body saved to `out`. */
  const curlFields = (args: readonly string[], out = '/dev/null'): Map<string, string> => {
    const run = spawnSync('curl', ['-s', '-f', '-D', '-', '-o', out, '-H', `x-ontocat-token: ${token}`, ...args], { encoding: 'latin1' });
    expect(run.status, run.stderr).toBe(0);
    const fields = new Map<string, string>();
    for (const line of run.stdout.split('\r\n\r\n')[0]!.split('\r\n').slice(1)) {
      const colon = line.indexOf(':');
      fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    return fields;
  };

  it('says how long a download is (RFC 9110 §8.6), in GET and HEAD alike, as stat and Python\'s http.client read it', () => {
    const size = execFileSync('stat', ['-c', '%s', stored], { encoding: 'utf8' }).trim();
    const target = path.join(temp.root, 'sized.dmp');
    const got = curlFields([url()], target);
    // Before: chunked, no length, so a browser showed the download's size as unknown.
    expect(got.get('content-length')).toBe(size);
    expect(got.get('transfer-encoding')).toBeUndefined();
    expect(execFileSync('stat', ['-c', '%s', target], { encoding: 'utf8' }).trim()).toBe(size);
    const head = curlFields(['-I', url()]);
    expect(head.get('content-length')).toBe(size);
    // Python's reading: the declared length, and the body read up to it.
    const python = execFileSync('python3', ['-c', [
      'import http.client, sys, urllib.parse',
      'u = urllib.parse.urlsplit(sys.argv[1])',
      'c = http.client.HTTPConnection(u.hostname, u.port)',
      'c.request("GET", u.path + "?" + u.query, headers={"x-ontocat-token": sys.argv[2]})',
      'r = c.getresponse()',
      'print(r.status, r.getheader("Content-Length"), r.chunked, len(r.read()))',
    ].join('\n'), url(), token], { encoding: 'utf8' }).trim();
    expect(python).toBe(`200 ${size} False ${size}`);
  }, 60_000);

  it('says how long an export is, its bytes as received', () => {
    const input = encodeURIComponent(JSON.stringify({}));
    const exportUrl = `${started.origin}/api/download/export?table=report-latest&format=csv&input=${input}`;
    const target = path.join(temp.root, 'report.csv');
    const got = curlFields([exportUrl], target);
    expect(got.get('content-length')).toBe(execFileSync('stat', ['-c', '%s', target], { encoding: 'utf8' }).trim());
    expect(Number(got.get('content-length'))).toBeGreaterThan(0);
    const rows = Number(execFileSync('python3', ['-c', 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=""))) - 1)', target], { encoding: 'utf8' }));
    expect(got.get('x-ontocat-rows')).toBe(String(rows));
  });

  // Last: it cuts the stored file.
  it('breaks the connection when the stored file is cut while it is sent, so the client sees a partial file', async () => {
    await expectCutFileFailsClient(started, url(), stored, path.join(temp.root, 'cut.dmp'));
  }, 60_000);
});
