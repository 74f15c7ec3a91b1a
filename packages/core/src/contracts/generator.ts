import type { ExportRequest, LoraSpec, ModelSpec } from './backend.js';
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
 * What a Generator on another engine gets from the run once the backend has loaded the student: the
 * model it samples, the backend's own prompt token ids (token in: the Optimizer scores exactly
 * these), and the backend's export, through which it turns what `syncPolicy` is given into its
 * engine's format.
 */
export interface PolicyBinding {
  readonly model: ModelSpec;
  /** The adapters being trained; undefined = full fine-tuning (`syncPolicy` then gets whole model folders). */
  readonly lora: LoraSpec | undefined;
  /** Prompt token ids of `task`, formatted as the backend formats it for sampling and training. */
  promptTokens(task: Task): readonly number[];
  /** The backend's `experimental_export`; undefined when the backend has none. */
  readonly exportPolicy: ((request: ExportRequest) => Promise<{ readonly outputDir: string; readonly files: readonly string[] }>) | undefined;
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
  /**
   * Loads the policy as version `version` from what `Optimizer.save` wrote in `adapterDir`: adapter
   * weights in PEFT layout, or a whole model folder under full fine-tuning. Rollouts sampled after it
   * resolves carry `policyVersion: version`.
   */
  syncPolicy?(adapterDir: string, version: number): Promise<void>;
  /** Called once, after `setup` and before the first `syncPolicy`, when the generator is not the backend's own. */
  bindPolicy?(binding: PolicyBinding): Promise<void>;
}
