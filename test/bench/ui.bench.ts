// The UI in Debian's Chromium against the real web host (`ontocat serve`), on a catalog with
// two 200,000-file versions at scale 1 (5% churn): Version page first rows, folder expand,
// Delta page, frame times while scrolling the virtualized tree, and the renderer's bundle
// size. Ratios against references measured in the same run: the raw HTTP round trip of the
// same API request from Node (the UI's own overhead), a blank-page navigation, and idle frames.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { openCatalog } from '../../electron/catalog/open-catalog.js';
import { replaceVersionFiles, upsertVersion } from '../../electron/catalog/write-records.js';
import { chromiumAvailable, CHROMIUM_PATH, launchChromium } from '../helpers/browser.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { fmt, percentile, scaled, timeRuns } from './bench-utils.js';
import { generatePair } from './delta-data.js';
import { PROBE_SCRIPT, type ExpandTiming, type FrameSample } from './ui-page-probe.js';
import { ensureRendererBuilt, RENDERER_DIR, startServe, type RunningServe } from '../helpers/web-host.js';

const SERVICE = 'bench';
const RUNS = 5;

const median = (values: readonly number[]): number => percentile(values, 50);
const ms = (value: number): string => `${fmt(value)} ms`;
const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');

/** One line of the report: label, figure, then whatever compares it. */
function line(label: string, figure: string, extra = ''): void {
  console.log(`${label.padEnd(40)} ${figure.padStart(12)}   ${extra}`);
}

/** Records versions a and b of the generated pair directly in a fresh catalog. */
async function buildCatalog(root: string, count: number): Promise<void> {
  let started = performance.now();
  const pair = generatePair(count);
  console.log(`generated 2 x ${count} files (${JSON.stringify(pair.expected)}) in ${(performance.now() - started).toFixed(0)} ms`);
  const catalog = await openCatalog({ root });
  started = performance.now();
  try {
    for (const [version, files] of [['a', pair.a], ['b', pair.b]] as const) {
      await catalog.write(async (tx) => {
        await upsertVersion(tx, { service: SERVICE, version });
        await replaceVersionFiles(tx, { service: SERVICE, version }, files);
      });
    }
  } finally {
    await catalog.close();
  }
  console.log(`recorded both versions in ${(performance.now() - started).toFixed(0)} ms`);
}

/** Median round trip of one `POST /api/<channel>` from Node, after one warm-up call. */
async function apiRoundTrip(serve: RunningServe, channel: string, input: unknown): Promise<number> {
  const call = async (): Promise<void> => {
    const res = await fetch(`${serve.origin}/api/${channel}`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-ontocat-token': serve.token }, body: JSON.stringify(input),
    });
    const body = (await res.json()) as { ok: boolean; message?: string };
    if (!body.ok) throw new Error(`${channel} failed: ${body.message}`);
  };
  return median(await timeRuns(call, RUNS, 1));
}

interface NavigationTiming {
  /** The first, unmeasured load (cold bundle cache). */
  readonly first: number;
  readonly median: number;
  /** Median DOMContentLoaded (the module scripts have run) after navigation start. */
  readonly dcl: number;
  /** Longest long task seen in any measured load. */
  readonly longestTask: number;
}

/**
 * A fresh navigation (leaving about:blank) until every selector is in the page, timed in the
 * page from navigation start to the frame after the last one appeared (so Playwright's own
 * polling does not count); one unmeasured warm-up load first.
 */
async function timeNavigation(page: Page, url: string, selectors: readonly string[]): Promise<NavigationTiming> {
  const once = async (): Promise<{ ms: number; dcl: number; longest: number }> => {
    await page.goto('about:blank');
    await page.goto(url, { waitUntil: 'commit' });
    for (const selector of selectors) await page.waitForSelector(selector, { state: 'visible', timeout: 60_000 });
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    const got = await page.evaluate(`(() => {
      const marks = ${JSON.stringify(selectors)}.map((s) => window.__uibench.marks[s]);
      return {
        ms: Math.max(...marks.map((m) => m ? m.frame : NaN)),
        dcl: (performance.getEntriesByType('navigation')[0] || {}).domContentLoadedEventEnd || 0,
        longest: Math.max(0, ...window.__uibench.longTasks.map((t) => t.duration)),
      };
    })()`) as { ms: number; dcl: number; longest: number };
    if (!Number.isFinite(got.ms)) throw new Error(`no in-page mark for ${selectors.join(', ')} on ${url}`);
    return got;
  };
  const first = (await once()).ms;
  const runs: { ms: number; dcl: number; longest: number }[] = [];
  for (let i = 0; i < RUNS; i += 1) runs.push(await once());
  return { first, median: median(runs.map((r) => r.ms)), dcl: median(runs.map((r) => r.dcl)), longestTask: Math.max(...runs.map((r) => r.longest)) };
}

/**
 * In-app navigation: from the Catalog page, a hash change to `route` until every selector
 * matches (timed in the page); one unmeasured warm-up first (loads the route's chunk).
 */
async function timeInApp(page: Page, app: (route: string) => string, route: string, selectors: readonly string[]): Promise<ExpandTiming> {
  await page.goto('about:blank');
  await page.goto(app('/'));
  const times: ExpandTiming[] = [];
  for (let i = 0; i <= RUNS; i += 1) {
    await page.evaluate("location.hash = '/'");
    await page.waitForSelector('table[aria-label="Versions"] tbody tr');
    const t = await page.evaluate(`window.__uibench.navigate(${JSON.stringify(route)}, ${JSON.stringify(selectors)})`) as ExpandTiming;
    if (i > 0) times.push(t);
  }
  return { dom: median(times.map((t) => t.dom)), frame: median(times.map((t) => t.frame)) };
}

/** Sizes of the built renderer's JS: every chunk, and what index.html loads up front. */
function bundleSizes(): { rows: { file: string; raw: number; gzip: number }[]; initial: string[] } {
  const assets = path.join(RENDERER_DIR, 'assets');
  const rows = readdirSync(assets).filter((name) => name.endsWith('.js')).sort().map((file) => {
    const bytes = readFileSync(path.join(assets, file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes).length };
  });
  const html = readFileSync(path.join(RENDERER_DIR, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\.\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
  return { rows, initial };
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

export async function main(): Promise<void> {
  if (!chromiumAvailable()) {
    console.log(`skipped: no Chromium at ${CHROMIUM_PATH} (install Debian's chromium or set ONTOCAT_CHROMIUM).`);
    return;
  }
  const count = scaled(200_000, 1000);
  const temp = makeTempRoot('ontocat-bench-ui');
  let serve: RunningServe | undefined;
  let closeBrowser: (() => Promise<void>) | undefined;
  try {
    ensureRendererBuilt();
    const root = path.join(temp.root, 'catalog');
    await buildCatalog(root, count);
    let started = performance.now();
    serve = await startServe(root);
    console.log(`ontocat serve up in ${(performance.now() - started).toFixed(0)} ms`);

    const launched = await launchChromium();
    closeBrowser = launched.close;
    const context = await launched.browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
    await context.addInitScript({ content: PROBE_SCRIPT });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => { if (message.type() === 'error') problems.push(`console error: ${message.text()}`); });
    const app = (route: string): string => `${serve!.url}#${route}`;
    const a = `${SERVICE}/a`;
    const b = `${SERVICE}/b`;

    // References: blank navigation and the raw API calls the pages make.
    const blank = await timeNavigation(page, 'data:text/html,<p id="blank">blank</p>', ['#blank']);
    const apiDirRoot = await apiRoundTrip(serve, 'files:dir', { ref: a, dir: '', offset: 0, limit: 500 });
    const apiStats = await apiRoundTrip(serve, 'versions:stats', { ref: a });
    const apiDirPart = await apiRoundTrip(serve, 'files:dir', { ref: a, dir: 'part39', offset: 0, limit: 500 });
    const apiDirGroup = await apiRoundTrip(serve, 'files:dir', { ref: a, dir: 'part39/group24', offset: 0, limit: 500 });
    const apiDelta = await apiRoundTrip(serve, 'delta:compute', { from: a, to: b, kind: 'changed', offset: 0, limit: 50 });
    const apiDeltaTree = await apiRoundTrip(serve, 'delta:tree', { from: a, to: b });

    // Version page: first tree rows.
    const firstRowSelector = '[role="tree"] .tree-row:not(.tree-aux)';
    const version = await timeNavigation(page, app(`/versions/${a}`), [firstRowSelector]);
    const versionInApp = await timeInApp(page, app, `/versions/${a}`, [firstRowSelector]);

    // Folder expand, a different (never loaded) folder each run: a top folder with 25
    // sub-folders, then one of its sub-folders with count/1000 files. The top folders are
    // the first ones in name order (part0, part1, part10, …), so their children are within
    // the rendered window of the virtualized tree.
    const expandTop: ExpandTiming[] = [];
    const expandLeaf: ExpandTiming[] = [];
    const tops = ['part0', 'part1', 'part10', 'part11', 'part12', 'part13', 'part14'].slice(0, RUNS + 1);
    for (const [i, top] of tops.entries()) {
      if (i > 0) await page.evaluate(`document.getElementById(${JSON.stringify(`tree-${tops[i - 1]}`)}).click()`); // collapse (cached, no fetch)
      await page.waitForSelector(`[id="tree-${top}"][aria-expanded="false"]`);
      const t = await page.evaluate(`window.__uibench.expand(${JSON.stringify(`tree-${top}`)}, ${JSON.stringify(`tree-${top}/`)})`) as ExpandTiming;
      const l = await page.evaluate(`window.__uibench.expand(${JSON.stringify(`tree-${top}/group0`)}, ${JSON.stringify(`tree-${top}/group0/`)})`) as ExpandTiming;
      if (i > 0) { expandTop.push(t); expandLeaf.push(l); } // i = 0 warms the path
    }

    // Delta page between the two versions: summary cards and first change rows.
    const deltaRoute = `/delta?from=${encodeURIComponent(a)}&to=${encodeURIComponent(b)}`;
    const deltaSelectors = ['[aria-label="Delta summary"]', 'table[aria-label="Changed files"] tbody tr'];
    const delta = await timeNavigation(page, app(deltaRoute), deltaSelectors);
    const deltaInApp = await timeInApp(page, app, deltaRoute, deltaSelectors);

    // Scrolling: open folders until the tree has many rows, then scroll it frame by frame.
    await page.goto('about:blank');
    await page.goto(app(`/versions/${a}`));
    await page.waitForSelector(firstRowSelector);
    await page.evaluate('window.__uibench.stopWatching()');
    started = performance.now();
    const target = scaled(20_000, 2000);
    const opened = await page.evaluate(`window.__uibench.expandAll(${target})`) as { rows: number; clicks: number };
    console.log(`opened ${opened.clicks} folders for ${opened.rows} tree rows in ${(performance.now() - started).toFixed(0)} ms`);
    const idle = await page.evaluate('window.__uibench.sampleFrames(0, 120)') as FrameSample;
    const steady = await page.evaluate('window.__uibench.sampleFrames(60, 400)') as FrameSample;
    const jumps = await page.evaluate('window.__uibench.sampleFrames(800, 200)') as FrameSample;
    const loadTasks = await page.evaluate('window.__uibench.longTasks.map((t) => t.duration)') as number[];
    await context.close();

    const bundle = bundleSizes();
    const total = bundle.rows.reduce((sum, r) => ({ raw: sum.raw + r.raw, gzip: sum.gzip + r.gzip }), { raw: 0, gzip: 0 });
    const initial = bundle.rows.filter((r) => bundle.initial.includes(r.file)).reduce((sum, r) => ({ raw: sum.raw + r.raw, gzip: sum.gzip + r.gzip }), { raw: 0, gzip: 0 });

    if (problems.length > 0) console.log(`\nWARNING, the page reported errors:\n  ${problems.slice(0, 10).join('\n  ')}`);
    console.log(`\nmedians over ${RUNS} runs (first = the cold first load), ${count} files per version, 1400x900 viewport:`);
    console.log('\nreferences');
    line('blank page navigation (data: URL)', ms(blank.median));
    line('POST files:dir root (Node fetch)', ms(apiDirRoot));
    line('POST versions:stats (Node fetch)', ms(apiStats));
    line('POST files:dir part39 (Node fetch)', ms(apiDirPart));
    line('POST files:dir part39/group24', ms(apiDirGroup));
    line('POST delta:compute (Node fetch)', ms(apiDelta));
    line('POST delta:tree root (Node fetch)', ms(apiDeltaTree));

    const slowestApi = Math.max(apiDirRoot, apiStats);
    console.log('\nVersion page');
    line('deep link: first tree rows (in page)', ms(version.median),
      `target < 500 ms: ${verdict(version.median < 500)}; first ${ms(version.first)}; DOMContentLoaded ${ms(version.dcl)}; `
      + `${(version.median / slowestApi).toFixed(1)}x its slowest API call, ${(version.median / blank.median).toFixed(1)}x blank page; longest task ${ms(version.longestTask)}`);
    line('in-app (from Catalog): first tree rows', ms(versionInApp.frame),
      `target < 500 ms: ${verdict(versionInApp.frame < 500)}; in DOM ${ms(versionInApp.dom)}; ${(versionInApp.frame / slowestApi).toFixed(1)}x its slowest API call`);
    const top = median(expandTop.map((e) => e.frame));
    const leaf = median(expandLeaf.map((e) => e.frame));
    line('expand folder (25 sub-folders)', ms(top),
      `target < 100 ms: ${verdict(top < 100)}; in DOM ${ms(median(expandTop.map((e) => e.dom)))}; ${(top / apiDirPart).toFixed(1)}x raw files:dir`);
    line(`expand folder (${Math.round(count / 1000)} files)`, ms(leaf),
      `target < 100 ms: ${verdict(leaf < 100)}; in DOM ${ms(median(expandLeaf.map((e) => e.dom)))}; ${(leaf / apiDirGroup).toFixed(1)}x raw files:dir`);

    console.log('\nDelta page');
    const deltaApi = Math.max(apiDelta, apiDeltaTree);
    line('deep link: cards + change rows (in page)', ms(delta.median),
      `target < 1 s: ${verdict(delta.median < 1000)}; first ${ms(delta.first)}; DOMContentLoaded ${ms(delta.dcl)}; `
      + `${(delta.median / deltaApi).toFixed(1)}x its slowest API call (delta:compute ${ms(apiDelta)}, delta:tree ${ms(apiDeltaTree)}); longest task ${ms(delta.longestTask)}`);
    line('in-app: cards + first change rows', ms(deltaInApp.frame),
      `target < 1 s: ${verdict(deltaInApp.frame < 1000)}; in DOM ${ms(deltaInApp.dom)}; ${(deltaInApp.frame / deltaApi).toFixed(1)}x its slowest API call`);

    console.log(`\nScrolling the tree (${opened.rows} rows; rAF deltas, long tasks from PerformanceObserver)`);
    const frameLine = (label: string, s: FrameSample): void => {
      const longest = Math.max(0, ...s.longTasks);
      line(label, `p50 ${fmt(percentile(s.deltas, 50))}`,
        `p95 ${ms(percentile(s.deltas, 95))}, max ${ms(Math.max(...s.deltas))}, ${s.deltas.length} frames, ${Math.round(s.scrolledPx)} px; `
        + `long tasks ${s.longTasks.length}, longest ${ms(longest)} (target none > 100 ms: ${verdict(longest <= 100)})`);
    };
    frameLine('idle (reference, no scrolling)', idle);
    frameLine('scroll 60 px per frame', steady);
    frameLine('scroll 800 px per frame (jumps)', jumps);
    const idleP95 = percentile(idle.deltas, 95);
    console.log(`${''.padEnd(40)} p95 frame vs idle: steady ${(percentile(steady.deltas, 95) / idleP95).toFixed(2)}x, jumps ${(percentile(jumps.deltas, 95) / idleP95).toFixed(2)}x; `
      + `longest task on this page (load, opening folders, scrolling) ${ms(Math.max(0, ...loadTasks))}`);

    console.log('\nRenderer bundle (dist/renderer/assets/*.js, gzip level 6)');
    for (const r of bundle.rows) line(`  ${r.file}${bundle.initial.includes(r.file) ? ' (initial)' : ''}`, kb(r.raw), `gzip ${kb(r.gzip)}`);
    line('initial JS (index.html)', kb(initial.raw), `gzip ${kb(initial.gzip)}`);
    line('all JS chunks', kb(total.raw), `gzip ${kb(total.gzip)}`);
  } finally {
    await closeBrowser?.();
    await serve?.stop();
    temp.cleanup();
  }
}
