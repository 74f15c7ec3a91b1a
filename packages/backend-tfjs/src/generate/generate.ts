import type { FinishReason, SamplingParams } from '@rlaif/core';
import { BackendError, ConfigError } from '@rlaif/core';
import type { Tokenizer } from '@rlaif/hf';
import { RandomStream } from '../engine/random-stream.js';
import { tf } from '../engine/tf.js';
import type { DecoderForCausalLM } from '../models/causal-lm.js';
import { MASKED } from '../models/layers.js';
import { sampleStep } from './sample-step.js';
import { findStopString } from '@rlaif/core';

/** One sampled completion. */
export interface Sample {
  /**
   * Completion token ids. With finishReason 'eos' the EOS id is the last one; with 'stop' they run up to
   * and including the token that completed the stop string (it may carry text past the stop string).
   */
  readonly tokenIds: number[];
  /**
   * Natural-log probability of each token under the distribution it was drawn from: after temperature,
   * top-k, top-p and min-p, renormalised. At temperature 0 (greedy) it is the untempered policy's.
   */
  readonly logprobs: number[];
  readonly finishReason: FinishReason;
  /** Decoded completion: the EOS token is not decoded; with a stop string the text ends right before it. */
  readonly text: string;
}

/** Everything `generateSamples` needs besides the model. */
export interface GenerateOptions {
  readonly tokenizer: Tokenizer;
  /** Ids that end a sample (any of them). */
  readonly eosTokenIds: readonly number[];
  readonly sampling: SamplingParams;
  /** Most sequences decoded together (prompts × n); prompts beyond it wait for the next batch. Default 64. */
  readonly maxBatchRows?: number;
}

/**
 * Samples `n` completions for each prompt (token ids). Prompts are left-padded into one batch (with a key
 * mask, so padding changes nothing) and prefilled once; each prompt's KV cache is repeated for its n
 * samples, and all samples decode together (finished ones leave the batch). Seeded: the same seed,
 * prompts, options and weights give the same samples. Every tensor it makes is disposed before it returns.
 */
export function generateSamples(model: DecoderForCausalLM, prompts: readonly (readonly number[])[], n: number, options: GenerateOptions): Sample[][] {
  checkSampling(options.sampling, n);
  for (const prompt of prompts) {
    if (prompt.length === 0) throw new ConfigError('a prompt has no tokens', 'prompt', undefined, { hint: 'give every task a non-empty prompt' });
  }
  const random = new RandomStream(options.sampling.seed);
  const promptsPerBatch = Math.max(1, Math.floor((options.maxBatchRows ?? 64) / n));
  const groups: Sample[][] = [];
  for (let start = 0; start < prompts.length; start += promptsPerBatch) {
    groups.push(...generateBatch(model, prompts.slice(start, start + promptsPerBatch), n, options, random));
  }
  return groups;
}

interface Draft {
  readonly tokenIds: number[];
  readonly logprobs: number[];
  finishReason: FinishReason | undefined;
  text: string;
}

function generateBatch(model: DecoderForCausalLM, prompts: readonly (readonly number[])[], n: number, options: GenerateOptions, random: RandomStream): Sample[][] {
  const { sampling, tokenizer } = options;
  const eos = new Set(options.eosTokenIds);
  const cache = model.makeCache();
  // Rows are prompt-major: row p·n + s is sample s of prompt p.
  const repeat = Array.from({ length: prompts.length * n }, (_, i) => Math.floor(i / n));
  const { tokens, keyMask: promptMask } = leftPad(prompts);
  let logits = tf.tidy(() => {
    const prefill = model.forward(tf.tensor2d(tokens, undefined, 'int32'), cache, { lastOnly: true, keyMask: promptMask && tf.tensor2d(promptMask) });
    return tf.gather(tf.reshape(prefill, [prompts.length, -1]), repeat) as tf.Tensor2D;
  });
  for (const layer of cache) layer.repeatRows(n);
  let keyMask = promptMask ? repeat.map((p) => [...promptMask[p]!]) : undefined;
  const drafts: Draft[] = repeat.map(() => ({ tokenIds: [], logprobs: [], finishReason: undefined, text: '' }));
  // Batch row r decodes drafts[active[r]].
  let active = drafts.map((_, i) => i);
  try {
    for (let step = 0; step < sampling.maxNewTokens && active.length > 0; step += 1) {
      const choice = sampleStep(logits, sampling, random);
      checkFinite(choice.logprobs, step);
      const keep: number[] = [];
      active.forEach((draftIndex, row) => {
        const draft = drafts[draftIndex]!;
        const token = choice.tokenIds[row]!;
        draft.tokenIds.push(token);
        draft.logprobs.push(choice.logprobs[row]!);
        if (eos.has(token)) draft.finishReason = 'eos';
        else if (sampling.stop.length > 0) updateStop(draft, tokenizer, sampling.stop);
        if (!draft.finishReason && draft.tokenIds.length >= sampling.maxNewTokens) draft.finishReason = 'length';
        if (!draft.finishReason) keep.push(row);
      });
      if (keep.length === 0) break;
      if (keep.length < active.length) {
        for (const layer of cache) layer.keepRows(keep);
        if (keyMask) keyMask = keep.map((row) => keyMask![row]!);
      }
      active = keep.map((row) => active[row]!);
      // The new token is never padding.
      if (keyMask) keyMask = keyMask.map((row) => [...row, 0]);
      const mask = keyMask;
      const next = tf.tidy(() => {
        const input = tf.tensor2d(keep.map((row) => [choice.tokenIds[row]!]), undefined, 'int32');
        return tf.reshape(model.forward(input, cache, { keyMask: mask && tf.tensor2d(mask) }), [keep.length, -1]) as tf.Tensor2D;
      });
      logits.dispose();
      logits = next;
    }
  } finally {
    logits.dispose();
    for (const layer of cache) layer.dispose();
  }
  const samples = drafts.map((draft) => finish(draft, tokenizer, eos));
  return prompts.map((_, p) => samples.slice(p * n, (p + 1) * n));
}

// A NaN or ±Inf logit makes the chosen token's log-prob non-finite; stop rather than return a meaningless sample.
function checkFinite(logprobs: readonly number[], step: number): void {
  const row = logprobs.findIndex((value) => !Number.isFinite(value));
  if (row < 0) return;
  throw new BackendError(`decoding step ${step + 1}: the logits of batch row ${row} are not finite (the chosen token's log-prob is ${logprobs[row]})`, {
    hint: 'the model computes NaN or infinite values: after training, resume from an earlier checkpoint with a lower learning rate',
  });
}

// Left padding keeps every prompt's last token in the last column. RoPE depends only on relative
// positions, so shifting a prompt right by its padding leaves its attention scores unchanged.
function leftPad(prompts: readonly (readonly number[])[]): { tokens: number[][]; keyMask: number[][] | undefined } {
  const width = Math.max(...prompts.map((p) => p.length));
  const tokens = prompts.map((p) => [...new Array<number>(width - p.length).fill(p[0]!), ...p]);
  const ragged = prompts.some((p) => p.length !== width);
  const keyMask = ragged ? prompts.map((p) => Array.from({ length: width }, (_, j) => (j < width - p.length ? MASKED : 0))) : undefined;
  return { tokens, keyMask };
}

// Decodes the whole completion so far: byte-level tokens may split characters, so pieces cannot be decoded alone.
function updateStop(draft: Draft, tokenizer: Tokenizer, stops: readonly string[]): void {
  const previousLength = draft.text.length;
  draft.text = tokenizer.decode(draft.tokenIds);
  const at = findStopString(draft.text, stops, previousLength);
  if (at >= 0) {
    draft.text = draft.text.slice(0, at);
    draft.finishReason = 'stop';
  }
}

function finish(draft: Draft, tokenizer: Tokenizer, eos: ReadonlySet<number>): Sample {
  const finishReason = draft.finishReason ?? 'length';
  let text = draft.text;
  if (finishReason !== 'stop') {
    const last = draft.tokenIds.at(-1);
    const decoded = finishReason === 'eos' && last !== undefined && eos.has(last) ? draft.tokenIds.slice(0, -1) : draft.tokenIds;
    text = tokenizer.decode(decoded);
  }
  return { tokenIds: draft.tokenIds, logprobs: draft.logprobs, finishReason, text };
}

function checkSampling(sampling: SamplingParams, n: number): void {
  const fail = (key: string, message: string, hint: string) => new ConfigError(message, `rlaif.${key}`, undefined, { hint });
  if (!Number.isInteger(n) || n < 1) throw fail('numSamplesPerPrompt', `must be a positive integer, got ${n}`, 'set rlaif.numSamplesPerPrompt to 1 or more');
  if (!(sampling.temperature >= 0) || !Number.isFinite(sampling.temperature)) throw fail('temperature', `must be ≥ 0, got ${sampling.temperature}`, 'use 0 for greedy, ~0.7–1.0 to sample');
  if (!(sampling.topP > 0 && sampling.topP <= 1)) throw fail('topP', `must be in (0, 1], got ${sampling.topP}`, 'use 1 to disable nucleus sampling');
  if (!(Number.isInteger(sampling.topK) && sampling.topK >= 0)) throw fail('topK', `must be an integer ≥ 0, got ${sampling.topK}`, 'use 0 to disable top-k');
  if (!(sampling.minP >= 0 && sampling.minP < 1)) throw fail('minP', `must be in [0, 1), got ${sampling.minP}`, 'use 0 to disable min-p');
  if (!(Number.isInteger(sampling.maxNewTokens) && sampling.maxNewTokens >= 1)) throw fail('maxNewTokens', `must be a positive integer, got ${sampling.maxNewTokens}`, 'set rlaif.maxNewTokens to e.g. 512');
}
