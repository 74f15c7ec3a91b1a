/**
 * `dr_grpo`: GRPO Done Right (Liu et al., 2025). Drops GRPO's division by the group's standard
 * deviation, which over-weights groups that are nearly solved or nearly failed,
 *
 *     Aᵢ = rᵢ − mean(r)
 *
 * The paper also drops per-sequence length normalisation: pair it with `rlaif.aggregation: 'token'`.
 */
import { mean, type AdvantageEstimator } from './advantage-estimator.js';

export const drGrpo: AdvantageEstimator = {
  name: 'dr_grpo',
  minGroupSize: 2,
  groupAdvantages(rewards) {
    const groupMean = mean(rewards);
    return rewards.map((reward) => reward - groupMean);
  },
};
