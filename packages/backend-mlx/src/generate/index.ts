/** Batched, seeded sampling with a shared prompt KV cache, and teacher-forced log-probs. */
export { generateSamples } from './generate.js';
export type { Sample, GenerateOptions } from './generate.js';
export { sampleStep } from './sample-step.js';
export type { StepChoice } from './sample-step.js';
export { samplingLogits, logSoftmax } from './logits-filter.js';
export type { DistributionParams } from './logits-filter.js';
export { completionLogprobs, tokenLogprobs } from './teacher-forced.js';
export { findStopString } from '@rlaif/core';
