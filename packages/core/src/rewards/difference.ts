import { defineRewardFn } from './define-reward-fn.js';
import { noReferenceWarning } from './needs-reference.js';

/**
 * student − teacher, in [−1, 1]: keeps rewarding samples that beat the reference, where the clamped
 * ratio saturates at 1 and gives all-equal groups (no gradient). `null` for tasks without a reference.
 * @example rewards: [{ fn: 'difference', weight: 1 }]
 */
export function differenceReward() {
  const warnNoReference = noReferenceWarning('difference');
  return defineRewardFn({
    name: 'difference',
    compute: (batch, context) => {
      warnNoReference(batch, context);
      return batch.map(({ score, reference, referenceScore }) => (score && reference ? score.overall - (referenceScore?.overall ?? 0) : null));
    },
  });
}
