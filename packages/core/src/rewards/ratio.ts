import { defineRewardFn } from './define-reward-fn.js';
import { noReferenceWarning } from './needs-reference.js';

export interface RatioRewardOptions {
  /** Added to the teacher score so a zero reference score does not divide by zero. */
  readonly epsilon?: number;
  /** Clamp the ratio into [0, 1] (the reference system's behaviour). */
  readonly clamp?: boolean;
}

/**
 * The reference system's reward: student / (teacher + ε), clamped to [0, 1]; `null` for tasks
 * without a reference (said once per run).
 * Note: with group-normalised advantages (GRPO) the teacher score is constant within a task's group,
 * so dividing by it cancels out; it matters for `none`, RLOO, Dr.GRPO and batch-level baselines.
 * @example rewards: [{ fn: 'ratio', weight: 1 }]
 */
export function ratioReward(options: RatioRewardOptions = {}) {
  const epsilon = options.epsilon ?? 1e-6;
  const clamp = options.clamp ?? true;
  const warnNoReference = noReferenceWarning('ratio');
  return defineRewardFn({
    name: 'ratio',
    compute: (batch, context) => {
      warnNoReference(batch, context);
      return batch.map(({ score, reference, referenceScore }) => {
        if (!score || reference === null) return null;
        const teacher = referenceScore?.overall ?? 1;
        const ratio = score.overall / (teacher + epsilon);
        return clamp ? Math.min(1, Math.max(0, ratio)) : ratio;
      });
    },
  });
}
