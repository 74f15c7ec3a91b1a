/**
 * A `generate` call's Rollouts from an engine's samples (a backend's own sampler, llama.cpp, an
 * OpenAI-compatible server): token ids and the log-prob of each sampled token come from the engine,
 * the code is extracted here, and the whole call shares one policy version and one generation time.
 */
import type { FinishReason, Rollout } from '../contracts/rollout.js';
import type { GenerationResult } from '../contracts/generator.js';
import type { Task } from '../contracts/task.js';
import { extractCode } from '../util/extract-code.js';

/** One sample as an engine returned it. */
export interface EngineSample {
  /**
   * Completion token ids. With finishReason 'eos' the EOS id is the last one; with 'stop' they run up to
   * and including the token that completed the stop string (it may carry text past the stop string).
   */
  readonly tokenIds: number[];
  /**
   * Natural-log probability of each token under the distribution it was drawn from: after temperature,
   * top-k, top-p and min-p, renormalised; the untempered policy's when greedy.
   */
  readonly logprobs: number[];
  readonly finishReason: FinishReason;
  /** Decoded completion: the EOS token is not decoded; with a stop string the text ends right before it. */
  readonly text: string;
}

/** `samples[t][i]` (task t's i-th sample) as the GenerationResult of one `generate` call. */
export function engineRollouts(
  tasks: readonly Task[],
  prompts: readonly (readonly number[])[],
  samples: readonly (readonly EngineSample[])[],
  call: { readonly samplingTemperature: number; readonly policyVersion: number; readonly generationMs: number },
): GenerationResult {
  let completionTokens = 0;
  const groups = tasks.map((task, t) =>
    samples[t]!.map((sample, sampleIndex): Rollout => {
      completionTokens += sample.tokenIds.length;
      return {
        task,
        sampleIndex,
        text: sample.text,
        code: extractCode(sample.text, task.language),
        promptTokens: prompts[t]!,
        completionTokens: sample.tokenIds,
        behaviourLogprobs: sample.logprobs,
        finishReason: sample.finishReason,
        samplingTemperature: call.samplingTemperature,
        policyVersion: call.policyVersion,
        generationMs: call.generationMs,
      };
    }),
  );
  return { groups, completionTokens, seconds: call.generationMs / 1000 };
}
