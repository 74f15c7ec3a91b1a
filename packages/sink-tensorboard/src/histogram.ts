import type { HistogramData } from './event-types.js';

/** Default bucket count; the same as TensorBoard's own histogram summaries. */
export const DEFAULT_HISTOGRAM_BUCKETS = 30;

/**
 * Summarises `values` as equal-width buckets between their min and max. Non-finite values are
 * dropped; returns undefined when nothing finite is left.
 */
export function buildHistogram(values: readonly number[], bucketCount = DEFAULT_HISTOGRAM_BUCKETS): HistogramData | undefined {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSquares = 0;
  for (const value of finite) {
    min = Math.min(min, value);
    max = Math.max(max, value);
    sum += value;
    sumSquares += value * value;
  }
  const count = min === max ? 1 : Math.max(1, Math.floor(bucketCount));
  const width = (max - min) / count;
  const bucketLimits = Array.from({ length: count }, (_, i) => (i === count - 1 ? max : min + width * (i + 1)));
  const buckets = new Array<number>(count).fill(0);
  for (const value of finite) {
    // Right-closed buckets: a value equal to a limit belongs to the bucket that limit ends.
    const index = width === 0 ? 0 : Math.min(count - 1, Math.max(0, Math.ceil((value - min) / width) - 1));
    buckets[index]! += 1;
  }
  return { min, max, num: finite.length, sum, sumSquares, bucketLimits, buckets };
}
