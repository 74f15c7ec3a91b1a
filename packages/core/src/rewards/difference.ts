import { defineRewardFn } from './define-reward-fn.js';

/**
 * student − teacher, in [−1, 1]: keeps rewarding samples that beat the reference, where the clamped
 * ratio saturates at 1 and gives all-equal groups (no gradient).
 * @example rewards: [{ fn: 'difference', weight: 1 }]
 */
export function differenceReward() {
  return defineRewardFn({
    name: 'difference',
    compute: (batch) =>
      batch.map(({ score, referenceScore }) => (score ? score.overall - (referenceScore?.overall ?? 0) : null)),
  });
}
