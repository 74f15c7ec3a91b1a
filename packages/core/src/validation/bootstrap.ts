/** Percentile bootstrap intervals over tasks, seeded so a report is the same every time it is written. */
import { seededRandom } from '../teacher-kit/seeded-shuffle.js';

/** A mean and its 95 % interval. */
export interface Interval {
  readonly mean: number;
  readonly low: number;
  readonly high: number;
}

const RESAMPLES = 2000;

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * The mean of `values` (one per task) with a 95 % percentile-bootstrap interval: tasks resampled with
 * replacement. Undefined for fewer than two values.
 *
 * @example bootstrapMean([0.1, 0.4, 0.3]) // { mean: 0.2667, low: …, high: … }
 */
export function bootstrapMean(values: readonly number[], seed = 1): Interval | undefined {
  if (values.length < 2) return undefined;
  const random = seededRandom(seed);
  const means = new Float64Array(RESAMPLES);
  for (let r = 0; r < RESAMPLES; r++) {
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[Math.floor(random() * values.length)] as number;
    means[r] = sum / values.length;
  }
  means.sort();
  return { mean: mean(values), low: means[Math.floor(0.025 * (RESAMPLES - 1))] as number, high: means[Math.ceil(0.975 * (RESAMPLES - 1))] as number };
}
