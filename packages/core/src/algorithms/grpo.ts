/**
 * `grpo`: Group Relative Policy Optimization (Shao et al., 2024, DeepSeekMath). Rewards are
 * normalised within the task's group,
 *
 *     Aᵢ = (rᵢ − mean(r)) / (std(r) + ε)        std with n − 1 in the denominator
 *
 * Scale-free: multiplying every reward of a group by a constant changes nothing. So the reference
 * system's ratio reward student/teacher loses its teacher term here (the teacher score is the same
 * for the whole group); use `difference` or another estimator if the teacher's score should matter.
 * A group whose rewards are all equal has zero advantage: no gradient (logged as FracRewardZeroStd).
 */
import { mean, sampleStd, type AdvantageEstimator } from './advantage-estimator.js';

const EPSILON = 1e-4;

export const grpo: AdvantageEstimator = {
  name: 'grpo',
  minGroupSize: 2,
  groupAdvantages(rewards) {
    const groupMean = mean(rewards);
    const groupStd = sampleStd(rewards);
    return rewards.map((reward) => (reward - groupMean) / (groupStd + EPSILON));
  },
};
