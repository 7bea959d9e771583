// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { BarsChart } from '../../../renderer/src/components/charts.js';

afterEach(cleanup);

const SERIES = [{ key: 'modified', name: 'Modified (net)', color: 'orange' }];

/** The value axis's tick labels, bottom to top, and the bars' rectangles. */
function axisOf(container: HTMLElement): { ticks: string[]; bars: { y: number; height: number }[]; zeroY: number | null } {
  const ticks = [...container.querySelectorAll('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value')].map((t) => t.textContent ?? '');
  const zero = [...container.querySelectorAll('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value')].find((t) => /^0( B)?$/.test(t.textContent ?? ''));
  const bars = [...container.querySelectorAll('.recharts-bar-rectangle path')].map((p) => ({ y: Number(p.getAttribute('y')), height: Number(p.getAttribute('height')) }));
  return { ticks, bars, zeroY: zero ? Number(zero.getAttribute('y')) : null };
}

describe('BarsChart value axis', () => {
  it('starts a shrink-only chart at zero: a −81 B bar reaches from 0 B, not from −79 B', () => {
    const { container } = render(<BarsChart label="Bytes changed by format" data={[{ format: 'OBO', modified: -81 }]} category="format" bytes series={SERIES} />);
    const { ticks, bars, zeroY } = axisOf(container);
    expect(ticks.length).toBeGreaterThan(1);
    expect(ticks).toContain('0 B');
    // The bar hangs from the zero line.
    expect(bars).toHaveLength(1);
    expect(Math.min(bars[0]!.y, bars[0]!.y + bars[0]!.height)).toBeCloseTo(zeroY!, 0);
    // Whole bytes only.
    for (const tick of ticks) expect(tick).toMatch(/^−?\d+ B$/);
  });

  it('does the same for growth only', () => {
    const { container } = render(<BarsChart label="Growth" data={[{ format: 'OBO', modified: 1000 }, { format: 'OWL', modified: 1200 }]} category="format" series={SERIES} />);
    const { ticks } = axisOf(container);
    expect(ticks[0]).toBe('0');
  });
});
