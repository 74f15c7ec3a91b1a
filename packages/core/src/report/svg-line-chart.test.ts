import { describe, expect, it } from 'vitest';
import { formatTick, niceTicks, renderLineChart } from './svg-line-chart.js';

describe('niceTicks', () => {
  it('covers the range with round steps', () => {
    expect(niceTicks(0.12, 0.87, 5)).toEqual({ min: 0, max: 1, step: 0.2, values: [0, 0.2, 0.4, 0.6, 0.8, 1] });
    expect(niceTicks(1, 24, 6)).toMatchObject({ min: 0, max: 25, step: 5 });
  });

  it('widens a flat range around its value', () => {
    const ticks = niceTicks(3, 3, 5);
    expect(ticks.min).toBeLessThan(3);
    expect(ticks.max).toBeGreaterThan(3);
    expect(niceTicks(0, 0, 5)).toMatchObject({ min: -1, max: 1 });
  });
});

describe('formatTick', () => {
  it('prints just enough decimals and k/M suffixes', () => {
    expect([formatTick(0.25, 0.25), formatTick(0.5, 0.1), formatTick(20, 5), formatTick(15000, 5000), formatTick(2_500_000, 500_000)]).toEqual([
      '0.25',
      '0.5',
      '20',
      '15k',
      '2.5M',
    ]);
  });
});

describe('renderLineChart', () => {
  const pathsOf = (svg: string) => [...svg.matchAll(/<path class="series-line" data-series="([^"]*)" d="([^"]*)"/g)].map((match) => ({ name: match[1], d: match[2]! }));

  it('draws one path per series with data, scaled into the plot area', () => {
    const svg = renderLineChart({
      title: 'Reward',
      width: 500,
      height: 300,
      series: [
        { name: 'a', points: [[1, 0], [2, 0.5], [3, 1]] },
        { name: 'b', points: [] },
      ],
    });
    const paths = pathsOf(svg);
    expect(paths).toHaveLength(1);
    const coordinates = paths[0]!.d.split(/[ML]/).filter(Boolean).map((pair) => pair.trim().split(' ').map(Number));
    expect(coordinates).toHaveLength(3);
    for (const [x, y] of coordinates) {
      expect(x).toBeGreaterThanOrEqual(60);
      expect(x).toBeLessThanOrEqual(484);
      expect(y).toBeGreaterThanOrEqual(30);
      expect(y).toBeLessThanOrEqual(244);
    }
    expect(coordinates[0]![1]).toBeGreaterThan(coordinates[2]![1]!); // larger values sit higher
    expect(svg).toContain('b (no data)');
  });

  it('shows a placeholder instead of axes when there is no data', () => {
    const svg = renderLineChart({ title: 'KL', series: [{ name: 'Train/KL', points: [] }] });
    expect(svg).toContain('class="chart-empty"');
    expect(pathsOf(svg)).toHaveLength(0);
  });

  it('escapes titles and series names', () => {
    const svg = renderLineChart({ title: '<b>&', series: [{ name: '"><script>', points: [[1, 1]] }] });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;b&gt;&amp;');
    expect(svg).toContain('&quot;&gt;&lt;script&gt;');
  });

  it('thins long series but keeps their spikes', () => {
    const points = Array.from({ length: 10_000 }, (_, i) => [i, i === 5_000 ? 100 : Math.sin(i / 50)] as const);
    const svg = renderLineChart({ title: 'long', width: 500, height: 300, series: [{ name: 's', points }] });
    const d = pathsOf(svg)[0]!.d;
    const ys = d.split(/[ML]/).filter(Boolean).map((pair) => Number(pair.trim().split(' ')[1]));
    expect(ys.length).toBeLessThanOrEqual(1200);
    expect(Math.min(...ys)).toBeLessThan(40); // the spike at 100 is still drawn near the top
  });
});
