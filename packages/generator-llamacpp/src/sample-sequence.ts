/**
 * One completion on one llama.cpp context sequence, token in and token out: the prompt goes in as
 * rlaif's token ids, each sampled id comes back with its probability under the distribution it was
 * drawn from (temperature, top-k, top-p, min-p applied and renormalised; untempered when greedy),
 * exactly what `Rollout.behaviourLogprobs` holds. A sequence that already holds the prompt keeps its
 * KV cache for it: only the previous completion is erased.
 */
import { findStopString } from '@rlaif/core';
import type { FinishReason, SamplingParams } from '@rlaif/core';
import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';

/** What one sample produced. */
export interface SequenceSample {
  readonly tokenIds: number[];
  readonly logprobs: number[];
  readonly finishReason: FinishReason;
  /** Decoded completion: end-of-generation tokens are not decoded; with a stop string the text ends right before it. */
  readonly text: string;
}

/** Leaves the prompt's KV cache in `sequence` when it is already there; returns the tokens still to evaluate. */
async function reusePrompt(sequence: LlamaContextSequence, prompt: readonly number[]): Promise<Token[]> {
  const held = sequence.contextTokens;
  let common = 0;
  while (common < held.length && common < prompt.length && held[common] === prompt[common]) common++;
  // The last prompt token is always evaluated again: its logits give the first completion token.
  const keep = Math.min(common, prompt.length - 1);
  if (keep < sequence.nextTokenIndex) await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
  return prompt.slice(keep) as Token[];
}

/** Samples one completion of `prompt` on `sequence` with `seed`, of at most `maxTokens` tokens. */
export async function sampleSequence(
  model: LlamaModel,
  sequence: LlamaContextSequence,
  prompt: readonly number[],
  sampling: SamplingParams,
  seed: number,
  maxTokens: number,
): Promise<SequenceSample> {
  const input = await reusePrompt(sequence, prompt);
  const tokenIds: number[] = [];
  const logprobs: number[] = [];
  let finishReason: FinishReason = 'length';
  let text = '';
  const options = {
    temperature: sampling.temperature,
    topK: sampling.topK,
    topP: sampling.topP,
    minP: sampling.minP,
    seed,
  };
  const steps = sequence.evaluateWithMetadata(input, { confidence: true }, options);
  for await (const { token, confidence } of steps) {
    tokenIds.push(token);
    logprobs.push(Math.log(confidence));
    if (model.isEogToken(token)) {
      finishReason = 'eos';
      break;
    }
    if (sampling.stop.length > 0) {
      const before = text.length;
      text = model.detokenize(tokenIds as Token[]);
      const at = findStopString(text, sampling.stop, before);
      if (at >= 0) {
        text = text.slice(0, at);
        finishReason = 'stop';
        break;
      }
    }
    if (tokenIds.length >= maxTokens) break;
  }
  if (finishReason !== 'stop') text = model.detokenize((finishReason === 'eos' ? tokenIds.slice(0, -1) : tokenIds) as Token[]);
  return { tokenIds, logprobs, finishReason, text };
}
