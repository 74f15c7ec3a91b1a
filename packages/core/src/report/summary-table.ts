import type { SummaryKind, SummaryRow } from './summary-rows.js';
import { metricTags } from './summary-rows.js';

/** One column of the summaries table: a key (the CSV header), a short header and a cell getter. */
export interface SummaryColumn {
  readonly key: string;
  readonly header: string;
  value(row: SummaryRow): number | string | undefined;
}

/** Metrics shown when `--metrics` is not given, in this order, when present in the data. */
export const DEFAULT_SUMMARY_METRICS: Readonly<Record<SummaryKind, readonly string[]>> = {
  batch: [
    'Train/Loss',
    'Train/AvgReward',
    'Train/RewardStd',
    'Train/KL',
    'Train/FracRewardZeroStd',
    'Performance/Generation_TokensPerSec',
    'Performance/Backprop_TokensPerSec',
    'Teacher/CostUSD',
  ],
  epoch: ['Epoch/AvgReward', 'Epoch/AvgLoss', 'Epoch/RewardVariance', 'Epoch/RewardTrend', 'Epoch/LossTrend', 'Epoch/APITokens', 'Epoch/NumSamples'],
  sft: ['SFT/Loss', 'SFT/GradNorm', 'SFT/LearningRate', 'SFT/TokensPerSec'],
};

// When none of the defaults are present, show this many of the metrics found instead.
const FALLBACK_METRIC_COUNT = 6;

const IDENTITY_COLUMNS: Record<SummaryKind, SummaryColumn[]> = {
  batch: [
    { key: 'epoch', header: 'epoch', value: (row) => row.epoch },
    { key: 'batch', header: 'batch', value: (row) => row.batch },
    { key: 'step', header: 'step', value: (row) => row.step },
    { key: 'elapsedSeconds', header: 'elapsed', value: (row) => row.elapsedSeconds },
  ],
  epoch: [
    { key: 'epoch', header: 'epoch', value: (row) => row.epoch },
    { key: 'step', header: 'step', value: (row) => row.step },
    { key: 'elapsedSeconds', header: 'elapsed', value: (row) => row.elapsedSeconds },
  ],
  sft: [
    { key: 'epoch', header: 'epoch', value: (row) => row.epoch },
    { key: 'step', header: 'step', value: (row) => row.step },
  ],
};

/**
 * Matches requested metric names against the tags present: exact tag, then case-insensitive tag,
 * then a unique case-insensitive match of the part after the last `/` (`loss` → `Train/Loss`).
 */
export function resolveMetricNames(requested: readonly string[], available: readonly string[]): { tags: string[]; unknown: string[] } {
  const tags: string[] = [];
  const unknown: string[] = [];
  const leaf = (tag: string) => tag.slice(tag.lastIndexOf('/') + 1).toLowerCase();
  for (const name of requested) {
    const lower = name.toLowerCase();
    const match =
      available.find((tag) => tag === name) ??
      available.find((tag) => tag.toLowerCase() === lower) ??
      (() => {
        const byLeaf = available.filter((tag) => leaf(tag) === lower);
        return byLeaf.length === 1 ? byLeaf[0] : undefined;
      })();
    if (match === undefined) unknown.push(name);
    else if (!tags.includes(match)) tags.push(match);
  }
  return { tags, unknown };
}

/** The table's columns: identity columns, then the given metric tags or the defaults found in `rows`. */
export function summaryColumns(kind: SummaryKind, rows: readonly SummaryRow[], metrics?: readonly string[]): SummaryColumn[] {
  const present = metricTags(rows);
  let chosen = metrics ? [...metrics] : DEFAULT_SUMMARY_METRICS[kind].filter((tag) => present.includes(tag));
  if (chosen.length === 0 && !metrics) chosen = present.slice(0, FALLBACK_METRIC_COUNT);
  const identity = IDENTITY_COLUMNS[kind].filter((column) => rows.some((row) => column.value(row) !== undefined));
  return [...identity, ...chosen.map((tag) => metricColumn(tag, chosen))];
}

function metricColumn(tag: string, all: readonly string[]): SummaryColumn {
  const leaf = tag.slice(tag.lastIndexOf('/') + 1);
  // Short headers keep the table narrow; the full tag is kept where the leaf alone is ambiguous.
  const unique = all.filter((other) => other.slice(other.lastIndexOf('/') + 1) === leaf).length === 1;
  return { key: tag, header: unique ? leaf : tag, value: (row) => row.metrics[tag] };
}

/** A cell as text: integers as they are, other numbers rounded for reading, missing as `-`. */
export function formatCell(value: number | string | undefined): string {
  if (value === undefined) return '-';
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-3) return value.toExponential(3);
  return value.toFixed(magnitude >= 100 ? 2 : 4);
}

/** Renders rows as an aligned plain-text table: a header, a rule, then right-aligned cells. */
export function formatSummaryTable(rows: readonly SummaryRow[], columns: readonly SummaryColumn[]): string {
  const columnCells = columns.map((column) => {
    const values = rows.map((row) => column.value(row));
    const format = columnFormat(values);
    return values.map(format);
  });
  const widths = columns.map((column, i) => Math.max(column.header.length, ...columnCells[i]!.map((cell) => cell.length)));
  const render = (line: readonly string[]) => line.map((cell, i) => cell.padStart(widths[i]!)).join('  ');
  const lines = rows.map((_, r) => render(columnCells.map((cells) => cells[r]!)));
  return [render(columns.map((column) => column.header)), widths.map((width) => '-'.repeat(width)).join('  '), ...lines].join('\n');
}

/** One format per column, so decimals line up: integers stay whole, others get decimals by magnitude. */
function columnFormat(values: readonly (number | string | undefined)[]): (value: number | string | undefined) => string {
  const numbers = values.filter((value): value is number => typeof value === 'number');
  if (numbers.every((value) => Number.isInteger(value))) return formatCell;
  const largest = numbers.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
  if (largest >= 1e6 || largest < 1e-3) return formatCell;
  const decimals = largest >= 1000 ? 1 : largest >= 100 ? 2 : 4;
  return (value) => (typeof value === 'number' ? value.toFixed(decimals) : formatCell(value));
}

/** Renders rows as CSV (RFC 4180 quoting) with full metric tags as headers and unrounded values. */
export function formatSummaryCsv(rows: readonly SummaryRow[], columns: readonly SummaryColumn[]): string {
  const quote = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const lines = [columns.map((column) => quote(column.key)).join(',')];
  for (const row of rows) lines.push(columns.map((column) => quote(String(column.value(row) ?? ''))).join(','));
  return `${lines.join('\n')}\n`;
}
