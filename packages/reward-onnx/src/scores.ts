/** One output row of the classifier to the number the reward uses. */
import type { RewardScore } from './settings.js';

/** The chosen label's logit, or its probability: softmax over the labels, sigmoid for a single-label head. */
export function scoreOf(row: readonly number[], labelIndex: number, score: RewardScore): number {
  const logit = row[labelIndex]!;
  if (score === 'logit') return logit;
  if (row.length === 1) return 1 / (1 + Math.exp(-logit));
  const max = Math.max(...row);
  let sum = 0;
  for (const value of row) sum += Math.exp(value - max);
  return Math.exp(logit - max) / sum;
}
