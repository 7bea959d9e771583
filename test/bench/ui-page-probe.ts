/**
 * In-page probes for the UI benchmark, installed with `addInitScript` before the app runs.
 *
 * Plain JavaScript in a string on purpose: functions handed to `page.evaluate` are
 * serialized, and tsx's transform can add helpers (`__name`) that do not exist in the page.
 * `window.__uibench` offers: long tasks seen so far, a folder expand timer, a whole-tree
 * expander (to get many rows), and rAF frame-time collection while scrolling or idle.
 */

/** Times of an in-page action (a folder click, a hash change) until its result shows. */
export interface ExpandTiming {
  /** Action to the result being in the DOM (MutationObserver). */
  readonly dom: number;
  /** Click to the next animation frame after that (what a user sees, bar paint). */
  readonly frame: number;
}

export interface FrameSample {
  readonly deltas: number[];
  readonly longTasks: number[];
  readonly scrolledPx: number;
}

export const PROBE_SCRIPT = String.raw`
(() => {
  const longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { /* no long task support */ }
  // First appearance of the things a page load waits for, in ms since navigation start
  // (performance.timeOrigin). Watched until stopWatching(), so scrolling pays nothing.
  const watched = [
    '#blank', '[role="tree"] .tree-row:not(.tree-aux)', '[aria-label="Delta summary"]',
    'table[aria-label="Changed files"] tbody tr', 'table[aria-label="Versions"] tbody tr',
  ];
  const marks = {};
  const watcher = new MutationObserver(() => {
    for (const s of watched) {
      if (s in marks || !document.querySelector(s)) continue;
      const dom = performance.now();
      marks[s] = { dom, frame: dom };
      requestAnimationFrame(() => { marks[s] = { dom, frame: performance.now() }; });
    }
  });
  watcher.observe(document, { childList: true, subtree: true });
  const stopWatching = () => watcher.disconnect();

  const frame = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
  const frames = async (n) => { for (let i = 0; i < n; i += 1) await frame(); };
  const tree = () => document.querySelector('[role="tree"]');
  const loading = (t) => [...t.querySelectorAll('.tree-aux')].some((e) => (e.textContent || '').includes('Loading'));
  const settle = async (t) => { await frames(1); while (loading(t)) await frames(1); };
  const rowsOf = (t) => Math.round(parseFloat(t.firstElementChild.style.height || '0') / 26);

  /**
   * Runs act(); resolves with its timing once ready() holds for a mutation under root, or
   * rejects with failure after timeoutMs.
   */
  const actAndWait = (root, ready, act, timeoutMs, failure) => new Promise((resolve, reject) => {
    let started = 0;
    const timer = setTimeout(() => { obs.disconnect(); reject(new Error(failure)); }, timeoutMs);
    const obs = new MutationObserver(() => {
      if (!ready()) return;
      const dom = performance.now() - started;
      obs.disconnect();
      clearTimeout(timer);
      requestAnimationFrame(() => resolve({ dom, frame: performance.now() - started }));
    });
    obs.observe(root, { childList: true, subtree: true });
    started = performance.now();
    act();
  });

  /** Clicks the row with id folderId; resolves when a row whose id starts with childPrefix exists. */
  const expand = (folderId, childPrefix) => {
    const t = tree();
    const folder = document.getElementById(folderId);
    if (!t || !folder) return Promise.reject(new Error('no row ' + folderId));
    const found = () => t.querySelector('[id^="' + CSS.escape(childPrefix) + '"]');
    return actAndWait(t, found, () => folder.click(), 30000, 'children of ' + folderId + ' never appeared');
  };

  /** Sets location.hash (in-app navigation); resolves when every selector matches something. */
  const navigate = (hash, selectors) => actAndWait(document.body, () => selectors.every((s) => document.querySelector(s)),
    () => { location.hash = hash; }, 60000, 'never saw ' + selectors.join(', ') + ' after ' + hash);

  /** Opens folders top-down (scrolling as needed) until the tree has at least target rows. */
  const expandAll = async (target) => {
    const t = tree();
    let clicks = 0;
    while (rowsOf(t) < target) {
      const closed = t.querySelector('[role="treeitem"][aria-expanded="false"]');
      if (closed) { closed.click(); clicks += 1; await settle(t); continue; }
      if (t.scrollTop + t.clientHeight >= t.scrollHeight - 1) break;
      t.scrollTop += t.clientHeight;
      await frames(2);
      await settle(t);
    }
    t.scrollTop = 0;
    await frames(3);
    return { rows: rowsOf(t), clicks };
  };

  /** rAF deltas while scrolling the tree by stepPx per frame (0: idle), for n frames or until the end. */
  const sampleFrames = async (stepPx, n) => {
    const t = tree();
    if (stepPx > 0) { t.scrollTop = 0; await frames(5); }
    const startScroll = t.scrollTop;
    const t0 = performance.now();
    const deltas = [];
    await new Promise((resolve) => {
      let last;
      const tick = (ts) => {
        if (last !== undefined) deltas.push(ts - last);
        last = ts;
        const atEnd = t.scrollTop + t.clientHeight >= t.scrollHeight - 1;
        if (deltas.length >= n || (stepPx > 0 && atEnd)) { resolve(); return; }
        if (stepPx > 0) t.scrollTop += stepPx;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const t1 = performance.now();
    await frames(3);
    const tasks = longTasks.filter((x) => x.start >= t0 && x.start <= t1).map((x) => x.duration);
    return { deltas, longTasks: tasks, scrolledPx: t.scrollTop - startScroll };
  };

  window.__uibench = { marks, stopWatching, longTasks, expand, navigate, expandAll, sampleFrames, rows: () => rowsOf(tree()) };
})();
`;
