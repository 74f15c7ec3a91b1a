import type { Reference } from './teacher.js';
import type { Rollout } from './rollout.js';
import type { Score } from './score.js';

/** One rollout with everything known about it when rewards are computed. */
export interface RewardInput {
  readonly rollout: Rollout;
  /** The teacher's score of this rollout; `null` when it could not be scored. */
  readonly score: Score | null;
  /** `null` when the task has no reference and the teacher writes none (test-only tasks). */
  readonly reference: Reference | null;
  /** The teacher's score of the reference by the same rubric; `null` when unavailable. */
  readonly referenceScore: Score | null;
}

export interface RewardContext {
  /** Training step the batch belongs to. */
  readonly step: number;
  /** Records an extra scalar under `Rewards/Custom/<name>`, averaged over the batch; start `name` with the function's own name (`quality/LatencyMs`) so plugins stay apart. */
  logMetric(name: string, value: number): void;
  /** Reports an actionable problem (e.g. samples this function cannot reward) as a warning; say each once per run. */
  warn?(message: string): void;
}

/**
 * Turns scores into rewards. Pure and batched: `compute(batch)[i]` is the reward of `batch[i]`,
 * a finite number, or `null` when the function does not apply to that rollout.
 * Several RewardFns combine with weights (`null`s are left out of the weighted sum).
 */
export interface RewardFn {
  readonly specificationVersion: 'v1';
  readonly kind: 'reward';
  readonly name: string;
  compute(batch: readonly RewardInput[], context: RewardContext): readonly (number | null)[] | Promise<readonly (number | null)[]>;
}
