import { join } from 'node:path';
import { readJsonLines } from './read-json-lines.js';
import type { JsonLinesStats } from './read-json-lines.js';

/** Which summaries file: one row per batch, per epoch, or per step of the SFT warm-up. */
export type SummaryKind = 'batch' | 'epoch' | 'sft';

/** File name of each kind inside `logs/json_summaries`. */
export const SUMMARY_FILES: Readonly<Record<SummaryKind, string>> = { batch: 'batches.jsonl', epoch: 'epochs.jsonl', sft: 'sft.jsonl' };

/** One summary record, normalised: identifying fields plus the numeric metrics by tag. */
export interface SummaryRow {
  readonly kind: SummaryKind;
  readonly epoch: number | undefined;
  readonly batch: number | undefined;
  readonly step: number | undefined;
  readonly timestamp: string | undefined;
  readonly elapsedSeconds: number | undefined;
  readonly metrics: Readonly<Record<string, number>>;
}

const IDENTITY_KEYS = new Set(['kind', 'epoch', 'batch', 'step', 'timestamp', 'elapsedSeconds', 'metrics']);

/** Reads `batches.jsonl` or `epochs.jsonl` from a json_summaries directory, tolerating a torn last line. */
export async function loadSummaryRows(dir: string, kind: SummaryKind): Promise<{ rows: SummaryRow[]; stats: JsonLinesStats; path: string }> {
  const path = join(dir, SUMMARY_FILES[kind]);
  const { rows, stats } = await readJsonLines(path);
  return { rows: rows.filter((row) => row.kind === undefined || row.kind === kind).map((row) => toSummaryRow(row, kind)), stats, path };
}

/** Normalises one parsed record; numeric top-level fields count as metrics too (flat writers). */
export function toSummaryRow(record: Readonly<Record<string, unknown>>, kind: SummaryKind): SummaryRow {
  const metrics: Record<string, number> = {};
  const nested = record.metrics;
  if (typeof nested === 'object' && nested !== null && !Array.isArray(nested)) {
    for (const [tag, value] of Object.entries(nested)) if (typeof value === 'number' && Number.isFinite(value)) metrics[tag] = value;
  }
  for (const [key, value] of Object.entries(record)) {
    if (!IDENTITY_KEYS.has(key) && typeof value === 'number' && Number.isFinite(value)) metrics[key] = value;
  }
  return {
    kind,
    epoch: finiteOrUndefined(record.epoch),
    batch: finiteOrUndefined(record.batch),
    step: finiteOrUndefined(record.step),
    timestamp: typeof record.timestamp === 'string' ? record.timestamp : undefined,
    elapsedSeconds: finiteOrUndefined(record.elapsedSeconds),
    metrics,
  };
}

/** Every metric tag in `rows`, in order of first appearance. */
export function metricTags(rows: readonly SummaryRow[]): string[] {
  const tags = new Set<string>();
  for (const row of rows) for (const tag of Object.keys(row.metrics)) tags.add(tag);
  return [...tags];
}

/** The points `(step, value)` of one metric, skipping rows without it; rows without a step use their index. */
export function metricSeries(rows: readonly SummaryRow[], tag: string): [number, number][] {
  const points: [number, number][] = [];
  rows.forEach((row, index) => {
    const value = row.metrics[tag];
    if (value !== undefined) points.push([row.step ?? index + 1, value]);
  });
  return points;
}

function finiteOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
