/**
 * `none`: the reference system's estimator. No baseline: the advantage is the reward itself,
 *
 *     Aᵢ = rᵢ,        loss = −Σ rᵢ · log π(yᵢ)  (+ β·KL)
 *
 * Unbiased but high-variance; with rewards in [0, 1] every sample is pushed up, the good ones more.
 */
import type { AdvantageEstimator } from './advantage-estimator.js';

export const reinforce: AdvantageEstimator = {
  name: 'none',
  minGroupSize: 1,
  groupAdvantages: (rewards) => [...rewards],
};
