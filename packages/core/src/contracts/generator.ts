import type { PluginBase } from './plugin.js';
import type { Rollout } from './rollout.js';
import type { Task } from './task.js';

/** Sampling settings. Defaults come from config (`rlaif.*`). */
export interface SamplingParams {
  /** Softmax temperature; 0 means greedy (behaviour log-probs are then those of the untempered policy). */
  readonly temperature: number;
  /** Nucleus sampling mass in (0, 1]; 1 disables. */
  readonly topP: number;
  /** Keep the k most likely tokens; 0 disables. */
  readonly topK: number;
  /** Drop tokens whose probability is below minP × the top probability; 0 disables. */
  readonly minP: number;
  /** Upper bound on completion tokens, EOS included. */
  readonly maxNewTokens: number;
  /** Strings that end a completion; the text is cut before them. */
  readonly stop: readonly string[];
  /** Seed of this call's sampling stream; the same seed and policy give the same samples. */
  readonly seed: number;
}

/** Output of one `generate` call. */
export interface GenerationResult {
  /** One group per input task, in input order; each group has exactly `n` rollouts. */
  readonly groups: readonly (readonly Rollout[])[];
  /** Completion tokens generated in this call. */
  readonly completionTokens: number;
  /** Wall time of the call in seconds. */
  readonly seconds: number;
}

/**
 * Samples completions from the student. In-process backends share the policy with the Optimizer;
 * remote generators receive adapter weights through `syncPolicy`.
 */
export interface Generator extends PluginBase {
  readonly specificationVersion: 'v1';
  readonly kind: 'generator';
  /** Samples `n` completions for each task. */
  generate(tasks: readonly Task[], n: number, sampling: SamplingParams): Promise<GenerationResult>;
  /** Loads adapter weights (PEFT layout in `adapterDir`) as policy version `version`. */
  syncPolicy?(adapterDir: string, version: number): Promise<void>;
}
