/**
 * `rloo`: REINFORCE Leave-One-Out (Ahmadian et al., 2024). Each sample's baseline is the mean
 * reward of the other samples of its group,
 *
 *     Aᵢ = rᵢ − 1/(n−1) · Σ_{j≠i} rⱼ  =  n/(n−1) · (rᵢ − r̄)
 *
 * An unbiased baseline (it does not depend on sample i) that needs no value network.
 */
import { mean, type AdvantageEstimator } from './advantage-estimator.js';

export const rloo: AdvantageEstimator = {
  name: 'rloo',
  minGroupSize: 2,
  groupAdvantages(rewards) {
    const n = rewards.length;
    if (n < 2) return rewards.map(() => 0);
    const groupMean = mean(rewards);
    return rewards.map((reward) => (n / (n - 1)) * (reward - groupMean));
  },
};
