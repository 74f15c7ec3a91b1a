/** Engine-neutral helpers for Backend implementations (what every Optimizer does before its engine's work). */
export { chunk, collectItems, tokenWeights, type ScoredSequence, type TrainItem } from './train-items.js';
export { engineRollouts, type EngineSample } from './engine-rollouts.js';
export { BENCH_OPTIMIZATION, BENCH_SHAPES, benchArg } from './bench-settings.js';
export { findStopString } from './stop-strings.js';
export {
  adamWMoments,
  momentKeys,
  OPTIMIZER_JSON_FILE,
  OPTIMIZER_RESUME_HINT,
  OPTIMIZER_TENSORS_FILE,
  readAdamWJson,
  writeAdamWJson,
  type AdamWStateJson,
} from './adamw-state-format.js';
export {
  acceptStep,
  checkSamplingRequest,
  completionBudget,
  finishDrafts,
  startDrafts,
  type CompletionDraft,
  type CompletionEnding,
  type SampleRows,
  type TokenDecoder,
} from './completion-drafts.js';
export { emptyPassTotals, emptyStepStats, policyStepStats, type PassTotals, type StepFacts } from './step-stats.js';
