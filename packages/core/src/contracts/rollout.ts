import type { Task } from './task.js';

/** Why generation of one sample ended. */
export type FinishReason = 'eos' | 'stop' | 'length';

/**
 * One sampled completion of a task by the student.
 * Invariants: `completionTokens.length === behaviourLogprobs.length`; the log-probabilities are of
 * exactly these token ids under the sampling policy (token in, token out: never re-tokenised).
 */
export interface Rollout {
  readonly task: Task;
  /** Index of this sample within its task's group, 0..n-1. */
  readonly sampleIndex: number;
  /** The decoded completion, stop string excluded. */
  readonly text: string;
  /** The code extracted from `text` (fenced block if any, else the whole text). */
  readonly code: string;
  /** Token ids of the formatted prompt (chat template applied). */
  readonly promptTokens: readonly number[];
  /** Token ids of the completion, including a final EOS token when `finishReason === 'eos'`. */
  readonly completionTokens: readonly number[];
  /** Natural-log probability of each completion token under the policy that sampled it (after temperature/top-p). */
  readonly behaviourLogprobs: readonly number[];
  readonly finishReason: FinishReason;
  /**
   * Softmax temperature `behaviourLogprobs` were computed at, so an optimizer can form the
   * importance ratio against the same tempered distribution; absent or 0 (greedy) means untempered.
   */
  readonly samplingTemperature?: number;
  /** Optimizer step count of the policy that produced this rollout (0 = base model). */
  readonly policyVersion: number;
  /** Wall time of the generate call that produced this rollout, in milliseconds (shared by its rollouts). */
  readonly generationMs: number;
}
