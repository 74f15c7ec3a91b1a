import { escapeHtml } from './escape-html.js';

/** One line of a chart: `(x, y)` points in x order. */
export interface ChartSeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  /** Draw dashed, e.g. for per-epoch aggregates over per-batch values. */
  readonly dashed?: boolean;
}

/** What to draw and how big; sizes are in SVG user units (the SVG scales to its container). */
export interface LineChartOptions {
  readonly title: string;
  readonly series: readonly ChartSeries[];
  readonly xLabel?: string;
  readonly width?: number;
  readonly height?: number;
  /** Shown instead of lines when no series has a point. */
  readonly emptyText?: string;
}

/** Line colours, chosen to stay distinguishable for common colour-vision deficiencies. */
export const CHART_COLORS = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#dc2626', '#0891b2'] as const;

// Beyond this many points a line is thinned: the SVG stays small and the shape is kept.
const MAX_POINTS_PER_SERIES = 1200;
// Points get dots (with a hover title) only when there are few enough to tell apart.
const MAX_DOTTED_POINTS = 40;
const MARGIN = { left: 60, right: 16, top: 30, bottom: 56 };
const LEGEND_ROW_HEIGHT = 16;
// Rough width of one 11px legend character; labels are laid out without measuring text.
const LEGEND_CHAR_WIDTH = 6.2;

/** Renders a line chart as a standalone `<svg>` string with axes, grid, ticks and a legend. */
export function renderLineChart(options: LineChartOptions): string {
  const width = options.width ?? 560;
  const baseHeight = options.height ?? 280;
  const plot = { x0: MARGIN.left, x1: width - MARGIN.right, y0: MARGIN.top, y1: baseHeight - MARGIN.bottom };
  const series = options.series.map((entry) => ({ ...entry, points: entry.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)) }));
  // Extra legend rows grow the chart downwards; the plot area keeps its size.
  const legendRows = Math.max(1, ...legendLayout(series, plot.x0, plot.x1, baseHeight).map((item) => item.row + 1));
  const height = baseHeight + (legendRows - 1) * LEGEND_ROW_HEIGHT;
  const all = series.flatMap((entry) => entry.points);
  const parts: string[] = [
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(options.title)}">`,
    `<text class="chart-title" x="${plot.x0}" y="18" font-size="14" font-weight="600" fill="#111827">${escapeHtml(options.title)}</text>`,
  ];
  if (all.length === 0) {
    parts.push(
      `<rect x="${plot.x0}" y="${plot.y0}" width="${plot.x1 - plot.x0}" height="${plot.y1 - plot.y0}" fill="#f9fafb" stroke="#e5e7eb"/>`,
      `<text class="chart-empty" x="${(plot.x0 + plot.x1) / 2}" y="${(plot.y0 + plot.y1) / 2}" text-anchor="middle" font-size="13" fill="#6b7280">${escapeHtml(options.emptyText ?? 'no data yet')}</text>`,
      '</svg>',
    );
    return parts.join('');
  }

  const [xMin, xMax] = extent(all.map(([x]) => x));
  const [yMin, yMax] = extent(all.map(([, y]) => y));
  const xTicks = niceTicks(xMin, xMax, 6);
  const yTicks = niceTicks(yMin, yMax, 5);
  const sx = (x: number) => plot.x0 + ((x - xTicks.min) / (xTicks.max - xTicks.min)) * (plot.x1 - plot.x0);
  const sy = (y: number) => plot.y1 - ((y - yTicks.min) / (yTicks.max - yTicks.min)) * (plot.y1 - plot.y0);
  const round = (value: number) => Math.round(value * 10) / 10;

  for (const tick of yTicks.values) {
    parts.push(
      `<line x1="${plot.x0}" x2="${plot.x1}" y1="${round(sy(tick))}" y2="${round(sy(tick))}" stroke="#e5e7eb"/>`,
      `<text x="${plot.x0 - 6}" y="${round(sy(tick)) + 4}" text-anchor="end" font-size="11" fill="#4b5563">${escapeHtml(formatTick(tick, yTicks.step))}</text>`,
    );
  }
  for (const tick of xTicks.values) {
    parts.push(
      `<line x1="${round(sx(tick))}" x2="${round(sx(tick))}" y1="${plot.y1}" y2="${plot.y1 + 4}" stroke="#9ca3af"/>`,
      `<text x="${round(sx(tick))}" y="${plot.y1 + 16}" text-anchor="middle" font-size="11" fill="#4b5563">${escapeHtml(formatTick(tick, xTicks.step))}</text>`,
    );
  }
  parts.push(`<rect x="${plot.x0}" y="${plot.y0}" width="${plot.x1 - plot.x0}" height="${plot.y1 - plot.y0}" fill="none" stroke="#9ca3af"/>`);
  if (options.xLabel) {
    parts.push(`<text x="${(plot.x0 + plot.x1) / 2}" y="${plot.y1 + 32}" text-anchor="middle" font-size="11" fill="#4b5563">${escapeHtml(options.xLabel)}</text>`);
  }

  series.forEach((entry, index) => {
    if (entry.points.length === 0) return;
    const color = CHART_COLORS[index % CHART_COLORS.length]!;
    const points = thin(entry.points, MAX_POINTS_PER_SERIES);
    const d = points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${round(sx(x))} ${round(sy(y))}`).join(' ');
    const dash = entry.dashed ? ' stroke-dasharray="6 4"' : '';
    parts.push(
      `<path class="series-line" data-series="${escapeHtml(entry.name)}" d="${d}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"${dash}><title>${escapeHtml(entry.name)}</title></path>`,
    );
    if (points.length <= MAX_DOTTED_POINTS) {
      for (const [x, y] of points) {
        parts.push(
          `<circle cx="${round(sx(x))}" cy="${round(sy(y))}" r="2.5" fill="${color}"><title>${escapeHtml(`${entry.name} @ ${x}: ${formatTick(y, yTicks.step / 100)}`)}</title></circle>`,
        );
      }
    }
  });

  for (const item of legendLayout(series, plot.x0, plot.x1, baseHeight)) {
    parts.push(
      `<line x1="${item.x}" x2="${item.x + 16}" y1="${item.y - 4}" y2="${item.y - 4}" stroke="${item.color}" stroke-width="2"${item.dashed ? ' stroke-dasharray="4 3"' : ''}/>`,
      `<text class="legend" x="${item.x + 20}" y="${item.y}" font-size="11" fill="#374151">${escapeHtml(item.label)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

/** Evenly spaced round tick values covering [min, max]; a flat range is widened around its value. */
export function niceTicks(min: number, max: number, count: number): { min: number; max: number; step: number; values: number[] } {
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const rough = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= rough) ?? 10 * magnitude);
  const low = Math.floor(min / step) * step;
  const high = Math.ceil(max / step) * step;
  const values: number[] = [];
  // Integer tick indices avoid accumulating error; rounding drops float noise like 0.6000000000000001.
  for (let i = 0; low + i * step <= high + step / 1e6; i++) values.push(Number((low + i * step).toPrecision(12)));
  return { min: low, max: high, step, values };
}

/** A tick label with just enough decimals for the tick spacing; large values get k/M suffixes. */
export function formatTick(value: number, step: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6) return `${trimZeros((value / 1e6).toFixed(decimalsFor(step / 1e6)))}M`;
  if (magnitude >= 1e4) return `${trimZeros((value / 1e3).toFixed(decimalsFor(step / 1e3)))}k`;
  return trimZeros(value.toFixed(decimalsFor(step)));
}

// One decimal more than the spacing's magnitude, so steps like 0.25 print in full.
function decimalsFor(step: number): number {
  return Math.min(8, Math.max(0, 1 - Math.floor(Math.log10(step))));
}

interface LegendItem {
  readonly label: string;
  readonly color: string;
  readonly dashed: boolean;
  readonly x: number;
  readonly y: number;
  readonly row: number;
}

/** Places legend entries left to right below the plot, wrapping to a new row when one is full. */
function legendLayout(series: readonly ChartSeries[], left: number, right: number, baseHeight: number): LegendItem[] {
  const items: LegendItem[] = [];
  let x = left;
  let row = 0;
  series.forEach((entry, index) => {
    const label = entry.points.length === 0 ? `${entry.name} (no data)` : entry.name;
    const itemWidth = 28 + label.length * LEGEND_CHAR_WIDTH;
    if (x > left && x + itemWidth - 8 > right) {
      row += 1;
      x = left;
    }
    items.push({ label, color: CHART_COLORS[index % CHART_COLORS.length]!, dashed: entry.dashed === true, x, y: baseHeight - 10 + row * LEGEND_ROW_HEIGHT, row });
    x += itemWidth;
  });
  return items;
}

/** Smallest and largest value; a loop, since spreading a long series into Math.min can overflow the stack. */
export function extent(values: readonly number[]): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const value of values) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  return [low, high];
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

function thin(points: readonly (readonly [number, number])[], limit: number): (readonly [number, number])[] {
  if (points.length <= limit) return [...points];
  // Keep the extremes of each bucket so spikes survive the thinning.
  const buckets = Math.floor(limit / 2);
  const size = points.length / buckets;
  const kept: (readonly [number, number])[] = [];
  for (let b = 0; b < buckets; b++) {
    const slice = points.slice(Math.floor(b * size), Math.floor((b + 1) * size));
    if (slice.length === 0) continue;
    let low = slice[0]!;
    let high = slice[0]!;
    for (const point of slice) {
      if (point[1] < low[1]) low = point;
      if (point[1] > high[1]) high = point;
    }
    kept.push(...(low[0] <= high[0] ? [low, high] : [high, low]));
  }
  return kept;
}
