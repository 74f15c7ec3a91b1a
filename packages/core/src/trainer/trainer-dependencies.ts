/** What the Trainer is given: its settings and the run's parts, as plain objects (the runner composes them). */
import type { AdvantageEstimator } from '../algorithms/advantage-estimator.js';
import type { EngineMemory } from '../contracts/engine-memory.js';
import type { Generator, SamplingParams } from '../contracts/generator.js';
import type { Optimizer } from '../contracts/optimizer.js';
import type { Task } from '../contracts/task.js';
import type { Teacher } from '../contracts/teacher.js';
import type { Logger } from '../observability/logger.js';
import type { Progress } from '../observability/progress.js';
import type { SystemMetrics } from '../observability/system-metrics.js';
import type { WeightedRewardFn } from '../rewards/combine.js';
import type { EvaluationSettings } from '../validation/evaluate-policy.js';
import type { CheckpointPort, DatasetPort, HealthLogPort } from './ports.js';
import type { SftSettings } from './sft-warmup.js';
import type { SinkFanout } from './sink-fanout.js';
import type { StepPlan } from './step-plan.js';

/** Serves the batches of each epoch (PromptSource). */
export interface BatchSource {
  readonly batchesPerEpoch: number;
  batch(epoch: number, index: number): readonly Task[];
  /** Every task, in the order epoch `epoch` serves them (SFT uses all tasks even when epochs are capped). */
  epochOrder(epoch: number): readonly Task[];
}

/** Plain settings of the loop; the runner maps the validated config onto them. */
export interface TrainerSettings {
  /** Epochs, batches and updates of the RL phase: the one plan the schedule and progress also use. */
  readonly plan: StepPlan;
  readonly seed: number;
  readonly numSamplesPerPrompt: number;
  /** How the baseline and held-out evaluations sample and score (shared with `rlaif validate`). */
  readonly evaluation: EvaluationSettings;
  readonly sampling: Omit<SamplingParams, 'seed'>;
  readonly klPenalty: number;
  readonly offPolicyLag: number;
  readonly teacherConcurrency: number;
  readonly dropZeroVarianceGroups: boolean;
  readonly baselineEvalBatches: number;
  /** Score the eval tasks before any training (the `before` row of the evaluation table). */
  readonly evalBeforeTraining?: boolean;
  readonly saveSteps: number;
  readonly saveEveryEpochs: number;
  readonly saveEveryBatches: number;
  readonly healthCheck: {
    readonly enabled: boolean;
    readonly intervalBatches: number;
    /** When to release the engine's cache; absent = never (report only). */
    readonly releaseCacheGrowthGB?: number;
    readonly releaseCacheAboveGB?: number;
  };
  readonly sampleTextEverySteps: number;
  /** Also sample `System/*` in the background every this many seconds; 0 = only per batch. */
  readonly systemMetricsIntervalSeconds?: number;
  readonly sft: SftSettings & { readonly enabled: boolean };
}

export interface TrainerDependencies {
  readonly settings: TrainerSettings;
  readonly generator: Generator;
  readonly optimizer: Optimizer;
  readonly teacher: Teacher;
  readonly rewards: readonly WeightedRewardFn[];
  readonly estimator: AdvantageEstimator;
  readonly train: BatchSource;
  readonly evalTasks: readonly Task[];
  readonly sinks: SinkFanout;
  readonly dataset: DatasetPort;
  readonly checkpoints: CheckpointPort;
  readonly healthLog: HealthLogPort;
  readonly logger: Logger;
  readonly systemMetrics: SystemMetrics;
  /** The engine's memory counters (`Policy.memory`), when it has them: `Batch/Metal/*` and cache release. */
  readonly engineMemory?: EngineMemory | undefined;
  readonly progress?: Progress;
  /** Aborted on Ctrl-C: the loop saves a checkpoint after the current step and stops. */
  readonly signal: AbortSignal;
  /** Wall clock in seconds (injectable for tests). */
  readonly now?: () => number;
}
