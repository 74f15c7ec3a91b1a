/** Optimisation settings shared by the training tests. */
import type { OptimizationSpec } from '@rlaif/core';

export const OPT: OptimizationSpec = {
  learningRate: 3e-2,
  supervisedLearningRate: 3e-2,
  weightDecay: 0,
  adamBetas: [0.9, 0.999],
  adamEpsilon: 1e-8,
  maxGradNorm: 1,
  schedule: 'constant',
  warmupSteps: 0,
  totalSteps: 100,
  klPenalty: 0.05,
  klEstimator: 'k3',
  aggregation: 'token',
  clipRange: 0.2,
  ppoEpochs: 1,
  microBatchSize: 4,
  gradientCheckpointing: false,
};
