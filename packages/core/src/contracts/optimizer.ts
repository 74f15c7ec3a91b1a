import type { PluginBase } from './plugin.js';
import type { Rollout } from './rollout.js';
import type { Task } from './task.js';

/** Rollouts to learn from, each with its advantage. */
export interface PolicyBatch {
  readonly rollouts: readonly Rollout[];
  /** One advantage per rollout (same order), applied to every completion token of it. */
  readonly advantages: readonly number[];
}

/**
 * A supervised example: learn to produce `completion` after the task's prompt, formatted exactly as
 * the Generator formats it for sampling (same chat template and system prompt).
 */
export interface SupervisedExample {
  readonly task: Task;
  readonly completion: string;
}

/** What one optimiser update did. Losses are per token (or per sequence, per `aggregation`). */
export interface StepStats {
  /** policyLoss + β·kl. */
  readonly loss: number;
  /** −mean(advantage · ratio · logπ) part of the loss. */
  readonly policyLoss: number;
  /** Mean per-token KL(π ‖ π_base) estimate (k1 or k3), in nats. */
  readonly kl: number;
  /** Mean per-token entropy of the policy on the completions, in nats; NaN when not computed. */
  readonly entropy: number;
  /** Fraction of tokens where PPO ratio clipping was active (0 without reuse). */
  readonly clipFraction: number;
  /** Global L2 norm of the gradient before clipping. */
  readonly gradNorm: number;
  /** Learning rate used for this update. */
  readonly learningRate: number;
  /** Completion tokens that contributed to the loss. */
  readonly tokens: number;
  /** Wall time of forward, backward and update, in seconds. */
  readonly seconds: number;
  /**
   * Updates of this step not applied because the gradient held NaN or ±Inf (parameters and optimiser
   * state stay as they were; `gradNorm` averages the applied updates only). Absent means 0.
   */
  readonly skippedUpdates?: number;
  /**
   * How far the sampling engine's log-probs were from the optimizer's for the same tokens (|log π_old −
   * log π_behaviour| per completion token), and the fraction of tokens whose importance weight hit
   * the cap. Absent when importance sampling is off.
   */
  readonly logprobMismatch?: { readonly meanAbs: number; readonly maxAbs: number; readonly cappedFraction: number };
}

/**
 * Owns the trainable parameters (LoRA adapters) and optimiser state.
 * One `step` call is one parameter update: gradients of all `batches` are accumulated first
 * (gradient accumulation), then clipped and applied.
 */
export interface Optimizer extends PluginBase {
  readonly specificationVersion: 'v1';
  readonly kind: 'optimizer';
  /** Policy-gradient update with KL to the base model (reference log-probs with adapters disabled). */
  step(batches: readonly PolicyBatch[]): Promise<StepStats>;
  /**
   * Supervised (cross-entropy on completion tokens) update; for the SFT warm-up. `learningRate` is
   * this update's rate (the warm-up's schedule; 0 leaves the weights as they are); default
   * `OptimizationSpec.supervisedLearningRate`. Reported back in `StepStats.learningRate`.
   */
  supervisedStep(batches: readonly (readonly SupervisedExample[])[], learningRate?: number): Promise<StepStats>;
  /** Number of updates applied so far (the policy version). */
  readonly version: number;
  /**
   * Forgets the optimiser's state (AdamW's moments and its step count, so bias correction starts
   * again), keeping the weights and `version`. The trainer calls it between the SFT warm-up and RL
   * when `training.sft.carryOptimizerState` is false; optional, and that setting then fails at start.
   */
  resetOptimizerState?(): void;
  /** Writes adapters (PEFT layout), optimiser and RNG state into `dir` (which exists and is empty). */
  save(dir: string): Promise<void>;
  /** Restores what `save` wrote. */
  load(dir: string): Promise<void>;
}
