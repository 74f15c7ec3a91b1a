/**
 * @rlaif/core: the contracts every plugin implements, config, plugin resolution, the trainer and
 * the `rlaif` CLI. Plugins import types and helpers from here; only the CLI touches the DI container.
 */
export * from './contracts/index.js';
export * from './errors/index.js';
export type { Logger } from './observability/logger.js';
export { silentLogger } from './observability/logger.js';
export * from './io/index.js';
export { Random, type RandomState } from './util/random.js';
export { extractCode } from './util/extract-code.js';
export * from './data/index.js';
export * from './rewards/index.js';
export * from './algorithms/index.js';
export { consoleSink, noopSink, type ConsoleSinkOptions } from './observability/console-sink.js';
export * from './config/index.js';
export * from './plugins/index.js';
export * from './checkpoint/index.js';
export * from './dataset/index.js';
export { createLogger, type CreateLoggerOptions, type LogLevel } from './observability/create-logger.js';
export { formatSummary, summarise, type RunSummary } from './observability/run-stats.js';
export { learningRateAt, supervisedLearningRate, type ScheduleSpec } from './trainer/learning-rate.js';
export { planSteps, closesUpdate, type StepPlan } from './trainer/step-plan.js';
export { evaluatePolicy, evaluationChunkTasks, type EvaluationSettings, type EvaluatedChunk } from './validation/evaluate-policy.js';
export { bootstrapMean, type Interval } from './validation/bootstrap.js';
export { gainOverHalfWidth, heldOutIntervals, perTaskScores, type Estimate, type HeldOutEvaluation, type HeldOutIntervals, type HeldOutRow, type TaskScores } from './validation/held-out-intervals.js';
export { prepareRun, planRun, formatPlan, type PreparedRun, type RunPlan } from './runner/prepare-run.js';
export { runTraining, type RunTrainingOptions } from './runner/run-training.js';
export { main as runCli, exitCodeOf } from './cli/main.js';
export { EXIT_CODES, type CliCommand, type CliIO } from './cli/command.js';
export * from './report/index.js';
export * from './teacher-kit/index.js';
export * from './backend-kit/index.js';
export {
  relaunchWithAllocatorTuning,
  allocatorTuning,
  planAllocatorTuning,
  TENSOR_MALLOC_TUNABLES,
  ALLOCATOR_TUNING_VARIABLE,
  type AllocatorTuning,
} from './cli/allocator-tuning.js';
