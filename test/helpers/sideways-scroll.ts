/**
 * Tables that make a curator scroll sideways: each table whose container scrolls, or that
 * ends past the window, and the page itself scrolling sideways. Empty when all fit.
 */
import type { Page } from 'playwright-core';

export async function sidewaysScroll(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const table of document.querySelectorAll('table')) {
      const box = table.parentElement!;
      if (box.scrollWidth > box.clientWidth + 1) {
        const cells = [...(table.querySelector('tbody tr')?.children ?? [])].map((cell) => `${cell.className || cell.tagName}=${Math.round(cell.getBoundingClientRect().width)}`);
        out.push(`${table.getAttribute('aria-label') ?? 'table'}: ${box.scrollWidth} > ${box.clientWidth} (${cells.join(' ')})`);
      }
      if (table.getBoundingClientRect().right > window.innerWidth + 1) out.push(`${table.getAttribute('aria-label') ?? 'table'} ends past the window`);
    }
    if (document.documentElement.scrollWidth > window.innerWidth) out.push(`page: ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
    return out;
  });
}
