/** Optimisation settings shared by the training tests: the bench's, with a fast rate and a KL term. */
import { BENCH_OPTIMIZATION, type OptimizationSpec } from '@rlaif/core';

export const OPT: OptimizationSpec = { ...BENCH_OPTIMIZATION, learningRate: 3e-2, supervisedLearningRate: 3e-2, weightDecay: 0, klPenalty: 0.05, microBatchSize: 4 };
