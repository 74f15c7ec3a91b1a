/** Maps a validated config onto the contract specs that backends and generators receive. */
import type { LoraSpec, ModelSpec, OptimizationSpec } from '../contracts/backend.js';
import type { SamplingParams } from '../contracts/generator.js';
import type { RlaifConfig } from './schema.js';

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
    microBatchSize: training.microBatchSize,
    gradientCheckpointing: training.gradientCheckpointing,
  };
}

/** RL batches per epoch: ceil(tasks / batchSize), capped by training.maxBatchesPerEpoch. */
export function batchesPerEpoch(config: RlaifConfig, trainTasks: number): number {
  const { training } = config;
  return Math.min(Math.ceil(trainTasks / training.batchSize), training.maxBatchesPerEpoch ?? Number.POSITIVE_INFINITY);
}

/** Optimiser updates of the RL phase: batchesPerEpoch steps per epoch, grouped by accumulation. */
export function plannedOptimizerSteps(config: RlaifConfig, trainTasks: number): number {
  const { training } = config;
  return Math.ceil((batchesPerEpoch(config, trainTasks) * training.epochs) / training.gradientAccumulationSteps);
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
