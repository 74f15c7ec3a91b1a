/** Maps a validated config onto the contract specs that backends and generators receive. */
import type { LoraSpec, ModelSpec, OptimizationSpec } from '../contracts/backend.js';
import type { SamplingParams } from '../contracts/generator.js';
import type { RlaifConfig } from './schema.js';
import { evaluationChunkTasks, type EvaluationSettings } from '../validation/evaluate-policy.js';
import { planSteps, type StepPlan } from '../trainer/step-plan.js';

const QUANTIZE_BITS = { none: 0, '4bit': 4, '8bit': 8 } as const;

/** The student model as a ModelSpec (`model.quantization` becomes `quantizeBits`). */
export function toModelSpec(config: RlaifConfig): ModelSpec {
  const { model } = config;
  return {
    nameOrPath: model.name,
    revision: model.revision,
    dtype: model.dtype,
    quantizeBits: QUANTIZE_BITS[model.quantization],
    chatTemplate: model.chatTemplate,
    systemPrompt: model.systemPrompt,
    ...(model.maxLength === undefined ? {} : { maxLength: model.maxLength }),
  };
}

/** The LoRA adapter settings as a LoraSpec; undefined for full fine-tuning (`model.finetuning: 'full'`). */
export function toLoraSpec(config: RlaifConfig): LoraSpec | undefined {
  const { lora, finetuning } = config.model;
  if (finetuning === 'full') return undefined;
  return { rank: lora.rank, alpha: lora.alpha, dropout: lora.dropout, targetModules: [...lora.targetModules] };
}

/** The RL update settings; `totalSteps` (optimiser updates planned) drives the schedule. */
export function toOptimizationSpec(config: RlaifConfig, totalSteps: number): OptimizationSpec {
  const { training, rlaif } = config;
  return {
    learningRate: training.learningRate,
    supervisedLearningRate: training.sft.learningRate,
    weightDecay: training.weightDecay,
    adamBetas: [training.adamBetas[0], training.adamBetas[1]],
    adamEpsilon: training.adamEpsilon,
    maxGradNorm: training.maxGradNorm,
    schedule: training.schedule,
    warmupSteps: training.warmupSteps,
    totalSteps,
    klPenalty: rlaif.klPenalty,
    klEstimator: rlaif.klEstimator,
    aggregation: rlaif.aggregation,
    clipRange: rlaif.clipRange,
    ppoEpochs: rlaif.ppoEpochs,
    // The backend's own generator samples with the trainer's kernels: nothing to correct, so no extra pass.
    importanceSamplingCap: rlaif.importanceSamplingCap ?? (config.generator === undefined ? 0 : 2),
    microBatchSize: training.microBatchSize,
    gradientCheckpointing: training.gradientCheckpointing,
  };
}

/** RL batches per epoch: ceil(tasks / batchSize), capped by training.maxBatchesPerEpoch. */
export function batchesPerEpoch(config: RlaifConfig, trainTasks: number): number {
  const { training } = config;
  return Math.min(Math.ceil(trainTasks / training.batchSize), training.maxBatchesPerEpoch ?? Number.POSITIVE_INFINITY);
}

/** The run's one plan of RL batches and optimiser updates (see StepPlan). */
export function stepPlan(config: RlaifConfig, trainTasks: number): StepPlan {
  const { training } = config;
  return planSteps({ epochs: training.epochs, batchesPerEpoch: batchesPerEpoch(config, trainTasks), gradientAccumulationSteps: training.gradientAccumulationSteps });
}

/**
 * How evaluations sample and score: the run's held-out evaluations and `rlaif validate` both take
 * them from here, so the same weights give the same numbers. A chunk holds as many sequences as a
 * training batch (the first batch's tasks × numSamplesPerPrompt).
 */
export function evaluationSettings(
  config: RlaifConfig,
  trainTasks: number,
  overrides: { readonly samplesPerTask?: number | undefined; readonly temperature?: number | undefined } = {},
): EvaluationSettings {
  const { rlaif, training } = config;
  const samplesPerTask = overrides.samplesPerTask ?? rlaif.evalSamplesPerPrompt ?? rlaif.numSamplesPerPrompt;
  const firstBatch = Math.max(1, Math.min(training.batchSize, trainTasks));
  return {
    samplesPerTask,
    chunkTasks: evaluationChunkTasks(firstBatch, rlaif.numSamplesPerPrompt, samplesPerTask),
    sampling: { ...toSamplingParams(config), temperature: overrides.temperature ?? rlaif.evalTemperature ?? rlaif.temperature },
    teacherConcurrency: rlaif.teacherConcurrency,
  };
}

/** Sampling settings of the rollouts; `seed` is the stream of one generate call (default the run seed). */
export function toSamplingParams(config: RlaifConfig, seed: number = config.training.seed): SamplingParams {
  const { rlaif } = config;
  return {
    temperature: rlaif.temperature,
    topP: rlaif.topP,
    topK: rlaif.topK,
    minP: rlaif.minP,
    maxNewTokens: rlaif.maxNewTokens,
    stop: [...rlaif.stop],
    seed,
  };
}
