import type { EngineMemory } from './engine-memory.js';
import type { Generator, SamplingParams } from './generator.js';
import type { FinishReason } from './rollout.js';
import type { Optimizer } from './optimizer.js';
import type { PluginContext } from './plugin.js';
import type { Task } from './task.js';

/** The student model to load. */
export interface ModelSpec {
  /** A local folder in Hugging Face layout, or a hub id (`Qwen/Qwen2.5-Coder-0.5B-Instruct`). */
  readonly nameOrPath: string;
  /** Hub revision (branch, tag or commit) for hub ids. */
  readonly revision: string;
  /** Storage dtype of the base weights; compute falls back to float32 where the device lacks it. */
  readonly dtype: 'float32' | 'bfloat16' | 'float16';
  /** Quantise frozen base weights to this many bits (QLoRA-style); 0 = off. */
  readonly quantizeBits: 0 | 4 | 8;
  /** Apply the tokenizer's chat template to prompts (instruct models). */
  readonly chatTemplate: boolean;
  /** System prompt placed before each task when the chat template is used; empty = none. */
  readonly systemPrompt: string;
  /** Cap on prompt + completion tokens: a completion gets at most `maxLength − prompt tokens`; absent = no cap. */
  readonly maxLength?: number;
}

export interface LoraSpec {
  readonly rank: number;
  /** Scaling numerator: the update is (alpha / rank) · B·A. */
  readonly alpha: number;
  readonly dropout: number;
  /** Module names to adapt (`q_proj`, …); empty = all linear projections of the blocks. */
  readonly targetModules: readonly string[];
}

/** How the policy-gradient and SFT updates are made. */
export interface OptimizationSpec {
  /** Peak learning rate of the policy-gradient updates (follows `schedule`). */
  readonly learningRate: number;
  /** Learning rate of supervised (SFT warm-up) updates unless a call passes its own; they do not advance `schedule`. */
  readonly supervisedLearningRate: number;
  readonly weightDecay: number;
  readonly adamBetas: readonly [number, number];
  readonly adamEpsilon: number;
  /** Clip the global gradient norm to this; 0 disables. */
  readonly maxGradNorm: number;
  readonly schedule: 'constant' | 'linear' | 'cosine';
  readonly warmupSteps: number;
  /**
   * `Optimizer.step` calls planned for the RL phase (StepPlan.policyUpdates): the length of
   * `schedule`. The schedule advances once per `step` call; its PPO passes share one rate.
   */
  readonly totalSteps: number;
  /** β of the KL penalty to the base model; 0 disables (and skips the reference forward pass). */
  readonly klPenalty: number;
  /** k1 = log(π/π_base); k3 = (π_base/π) − log(π_base/π) − 1 (unbiased, non-negative). */
  readonly klEstimator: 'k1' | 'k3';
  /** Mean over all tokens of the batch (`token`), or over tokens per sequence then sequences (`sequence`). */
  readonly aggregation: 'token' | 'sequence';
  /** PPO ratio clip ε; ratios π/π_behaviour outside [1−ε, 1+ε] are clipped. */
  readonly clipRange: number;
  /** How many gradient passes over each batch (>1 = reuse, where clipping matters). */
  readonly ppoEpochs: number;
  /**
   * Truncated importance sampling cap: the optimizer recomputes the sampled tokens' log-probs under
   * the policy at the start of the update (π_old), takes the PPO ratio against them, and weights each
   * token by min(π_old / π_behaviour, cap) to correct for the sampling engine (other kernels,
   * quantisation, lag); 0 or absent = off (the ratio is then taken against the behaviour log-probs).
   */
  readonly importanceSamplingCap?: number;
  /** Rollouts per forward/backward pass; batches are split into micro-batches of this size. */
  readonly microBatchSize: number;
  /** Recompute activations in the backward pass to save memory, where the engine allows it. */
  readonly gradientCheckpointing: boolean;
}

/** Everything a backend needs to build the student. */
export interface BackendOptions {
  readonly model: ModelSpec;
  /**
   * Adapters to train on a frozen base; undefined = full fine-tuning (every weight trains, a
   * checkpoint is a whole model folder, and the KL reference is a snapshot taken at the first
   * policy-gradient step).
   */
  readonly lora: LoraSpec | undefined;
  readonly optimization: OptimizationSpec;
  readonly context: PluginContext;
}

/** Facts about the loaded student, for logs and reports. */
export interface PolicyInfo {
  readonly architecture: string;
  readonly parameters: number;
  readonly trainableParameters: number;
  readonly device: string;
  readonly dtype: string;
  /** Bytes of the loaded weights in their storage dtype, when the backend knows them. */
  readonly weightBytes?: number;
}

/** One loaded student: a Generator and an Optimizer over the same weights. */
export interface Policy {
  readonly generator: Generator;
  readonly optimizer: Optimizer;
  readonly info: PolicyInfo;
  /** Optional: the engine's memory counters (`Batch/Metal/*`, health-check cache release). */
  readonly memory?: EngineMemory;
  /** Prompt token ids of a task as this policy samples and trains on it; lets a Generator on another engine use the same tokens. */
  promptTokens?(task: Task): readonly number[];
  close(): Promise<void>;
}

/** `rlaif export`: a checkpoint's adapter as PEFT files, merged HF weights or a GGUF file. */
export interface ExportRequest {
  /** A checkpoint folder (holds adapter_config.json and adapter_model.safetensors). */
  readonly checkpointDir: string;
  /** The base model; default the adapter's `base_model_name_or_path`. */
  readonly baseModel?: string;
  /** `gguf-lora`: the adapter alone as a llama.cpp GGUF adapter (for the base's `gguf` export). */
  readonly format: 'peft' | 'merged' | 'gguf' | 'gguf-lora';
  /** Created when missing. */
  readonly outputDir: string;
}

/** `rlaif generate`: one completion of a raw prompt, for checking a model or a checkpoint. */
export interface GenerateTextRequest {
  readonly model: ModelSpec;
  /** A checkpoint or adapter folder in PEFT layout to apply on top of the model. */
  readonly adapterDir?: string;
  /** Used verbatim, or as the user turn of the chat template when `model.chatTemplate` is on. */
  readonly prompt: string;
  readonly sampling: SamplingParams;
}

export interface GenerateTextResult {
  readonly text: string;
  readonly promptTokens: readonly number[];
  readonly completionTokens: readonly number[];
  /** Natural-log sampling probability of each completion token. */
  readonly logprobs: readonly number[];
  readonly finishReason: FinishReason;
  readonly seconds: number;
}

/** An engine plugin (`mlx()`, `tfjs()`): builds a Policy from a model folder or hub id. */
export interface Backend {
  readonly specificationVersion: 'v1';
  readonly kind: 'backend';
  readonly name: string;
  load(options: BackendOptions): Promise<Policy>;
  /** Optional: export a checkpoint (`rlaif export`); resolves to the files written. */
  experimental_export?(request: ExportRequest): Promise<{ readonly outputDir: string; readonly files: readonly string[] }>;
  /** Optional: generate from a raw prompt (`rlaif generate`). */
  experimental_generateText?(request: GenerateTextRequest): Promise<GenerateTextResult>;
}
