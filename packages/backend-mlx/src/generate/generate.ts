import { core as mx } from '@frost-beta/mlx';
import type { FinishReason, SamplingParams } from '@rlaif/core';
import { BackendError, ConfigError } from '@rlaif/core';
import type { Tokenizer } from '@rlaif/hf';
import type { CausalLM } from '../models/causal-lm.js';
import { MASKED } from '../models/layers.js';
import { releaseMemory } from '../engine/memory.js';
import { RandomKeys } from '../engine/random-keys.js';
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
  /** Collect garbage every this many decode steps to give native memory back (default 16). */
  readonly releaseEvery?: number;
  /** Cap on prompt + completion tokens (`model.maxLength`): each completion stops at `maxLength − prompt length` tokens. */
  readonly maxLength?: number | undefined;
}

/**
 * Samples `n` completions for each prompt (token ids). Prompts are left-padded into one batch (with a key
 * mask, so padding changes nothing) and prefilled once; each prompt's KV cache is repeated for its n
 * samples, and all samples decode together (finished ones leave the batch). Seeded: the same seed,
 * prompts, options and weights give the same samples.
 */
export async function generateSamples(model: CausalLM, prompts: readonly (readonly number[])[], n: number, options: GenerateOptions): Promise<Sample[][]> {
  checkSampling(options.sampling, n);
  for (const prompt of prompts) {
    if (prompt.length === 0) throw new ConfigError('a prompt has no tokens', 'prompt', undefined, { hint: 'give every task a non-empty prompt' });
    if (options.maxLength !== undefined && prompt.length >= options.maxLength) {
      throw new ConfigError(`a prompt has ${prompt.length} tokens, which leaves no room for a completion within model.maxLength ${options.maxLength}`, 'model.maxLength', undefined, {
        hint: `raise model.maxLength above ${prompt.length} (prompt + completion tokens), or shorten the task's prompt`,
      });
    }
  }
  const keys = new RandomKeys(options.sampling.seed);
  const promptsPerBatch = Math.max(1, Math.floor((options.maxBatchRows ?? 64) / n));
  const groups: Sample[][] = [];
  for (let start = 0; start < prompts.length; start += promptsPerBatch) {
    groups.push(...(await generateBatch(model, prompts.slice(start, start + promptsPerBatch), n, options, keys)));
    await releaseMemory();
  }
  return groups;
}

interface Draft {
  readonly tokenIds: number[];
  readonly logprobs: number[];
  finishReason: FinishReason | undefined;
  text: string;
}

async function generateBatch(model: CausalLM, prompts: readonly (readonly number[])[], n: number, options: GenerateOptions, keys: RandomKeys): Promise<Sample[][]> {
  const { sampling, tokenizer } = options;
  const eos = new Set(options.eosTokenIds);
  const releaseEvery = options.releaseEvery ?? 16;
  const cache = model.makeCache();
  const { tokens, keyMask: promptMask } = leftPad(prompts);
  const prefill = model.forward(tokens, cache, { lastOnly: true, keyMask: promptMask });
  // Rows are prompt-major: row p·n + s is sample s of prompt p.
  let logits = mx.repeat(prefill.index(mx.Slice(), -1), n, 0);
  for (const layer of cache) layer.repeatRows(n);
  let keyMask = promptMask ? mx.repeat(promptMask, n, 0) : undefined;
  const drafts: Draft[] = Array.from({ length: prompts.length * n }, () => ({ tokenIds: [], logprobs: [], finishReason: undefined, text: '' }));
  // Batch row r decodes drafts[active[r]].
  let active = drafts.map((_, i) => i);
  // Completion tokens each draft may take: maxNewTokens, or less when prompt + completion would pass maxLength.
  const budget = drafts.map((_, i) => Math.min(sampling.maxNewTokens, options.maxLength === undefined ? Infinity : options.maxLength - prompts[Math.floor(i / n)]!.length));
  for (let step = 0; step < sampling.maxNewTokens && active.length > 0; step += 1) {
    const choice = sampleStep(logits, sampling, keys.next());
    checkFinite(choice.logprobs, step);
    const keep: number[] = [];
    active.forEach((draftIndex, row) => {
      const draft = drafts[draftIndex]!;
      const token = choice.tokenIds[row]!;
      draft.tokenIds.push(token);
      draft.logprobs.push(choice.logprobs[row]!);
      if (eos.has(token)) draft.finishReason = 'eos';
      else if (sampling.stop.length > 0) updateStop(draft, tokenizer, sampling.stop);
      if (!draft.finishReason && draft.tokenIds.length >= budget[draftIndex]!) draft.finishReason = 'length';
      if (!draft.finishReason) keep.push(row);
    });
    if (keep.length === 0) break;
    if (keep.length < active.length) {
      for (const layer of cache) layer.keepRows(keep);
      if (keyMask) keyMask = mx.take(keyMask, mx.array(keep, mx.int32), 0);
    }
    active = keep.map((row) => active[row]!);
    // The new token is never padding.
    if (keyMask) keyMask = mx.concatenate([keyMask, mx.zeros([keep.length, 1], mx.float32)], 1);
    const nextTokens = mx.array(keep.map((row) => [choice.tokenIds[row]!]), mx.int32);
    logits = model.forward(nextTokens, cache, { keyMask }).index(mx.Slice(), -1);
    if ((step + 1) % releaseEvery === 0) {
      mx.eval(logits, ...cache.flatMap((layer) => layer.state()));
      await releaseMemory();
    }
  }
  const samples = drafts.map((draft) => finish(draft, tokenizer, eos));
  return prompts.map((_, p) => samples.slice(p * n, (p + 1) * n));
}

// A NaN or ±Inf logit makes the chosen token's log-prob non-finite; stop rather than return a meaningless sample.
function checkFinite(logprobs: readonly number[], step: number): void {
  const row = logprobs.findIndex((value) => !Number.isFinite(value));
  if (row < 0) return;
  throw new BackendError(`decoding step ${step + 1}: the logits of batch row ${row} are not finite (the chosen token's log-prob is ${logprobs[row]})`, {
    hint: 'the model computes NaN or infinite values: with half-precision weights try dtype float32; after training, resume from an earlier checkpoint with a lower learning rate',
  });
}

// Left padding keeps every prompt's last token in the last column. RoPE depends only on relative
// positions, so shifting a prompt right by its padding leaves its attention scores unchanged.
function leftPad(prompts: readonly (readonly number[])[]): { tokens: mx.array; keyMask: mx.array | undefined } {
  const width = Math.max(...prompts.map((p) => p.length));
  const padded = prompts.map((p) => [...new Array<number>(width - p.length).fill(p[0]!), ...p]);
  const ragged = prompts.some((p) => p.length !== width);
  const keyMask = ragged ? mx.array(prompts.map((p) => Array.from({ length: width }, (_, j) => (j < width - p.length ? MASKED : 0))), mx.float32) : undefined;
  return { tokens: mx.array(padded, mx.int32), keyMask };
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
