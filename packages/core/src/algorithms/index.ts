import type { AdvantageEstimator } from './advantage-estimator.js';
import { drGrpo } from './dr-grpo.js';
import { grpo } from './grpo.js';
import { reinforce } from './reinforce.js';
import { rloo } from './rloo.js';

export { mean, sampleStd, type AdvantageEstimator } from './advantage-estimator.js';
export { reinforce, rloo, grpo, drGrpo };

/** Advantage estimators by their config name (`rlaif.advantage`). */
export const ADVANTAGE_ESTIMATORS: Readonly<Record<'none' | 'rloo' | 'grpo' | 'dr_grpo', AdvantageEstimator>> = {
  none: reinforce,
  rloo,
  grpo,
  dr_grpo: drGrpo,
};
