import { core as mx } from '@frost-beta/mlx';
import type { CompletionEnding, EngineSample, SamplingParams } from '@rlaif/core';
import { acceptStep, checkSamplingRequest, finishDrafts, startDrafts } from '@rlaif/core';
import type { Tokenizer } from '@rlaif/hf';
import type { CausalLM } from '../models/causal-lm.js';
import { MASKED } from '../models/layers.js';
import { releaseMemory } from '../engine/memory.js';
import { RandomKeys } from '../engine/random-keys.js';
import { sampleStep } from './sample-step.js';

/** One sampled completion: core's EngineSample. */
export type Sample = EngineSample;

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
  checkSamplingRequest(prompts, n, options.sampling, options.maxLength);
  const keys = new RandomKeys(options.sampling.seed);
  const promptsPerBatch = Math.max(1, Math.floor((options.maxBatchRows ?? 64) / n));
  const groups: Sample[][] = [];
  // One stream per batch: a batch's draws do not depend on how many steps the batches before it took.
  const batchKeys = keys.fork(Math.ceil(prompts.length / promptsPerBatch));
  for (let start = 0; start < prompts.length; start += promptsPerBatch) {
    groups.push(...(await generateBatch(model, prompts.slice(start, start + promptsPerBatch), n, options, batchKeys[start / promptsPerBatch]!)));
    await releaseMemory();
  }
  return groups;
}

async function generateBatch(model: CausalLM, prompts: readonly (readonly number[])[], n: number, options: GenerateOptions, keys: RandomKeys): Promise<Sample[][]> {
  const { sampling, tokenizer } = options;
  const ending: CompletionEnding = { eosTokenIds: new Set(options.eosTokenIds), stop: sampling.stop, tokenizer };
  const releaseEvery = options.releaseEvery ?? 16;
  const cache = model.makeCache();
  const { tokens, keyMask: promptMask } = leftPad(prompts);
  const prefill = model.forward(tokens, cache, { lastOnly: true, keyMask: promptMask });
  // Rows are prompt-major: row p·n + s is sample s of prompt p.
  let logits = mx.repeat(prefill.index(mx.Slice(), -1), n, 0);
  for (const layer of cache) layer.repeatRows(n);
  let keyMask = promptMask ? mx.repeat(promptMask, n, 0) : undefined;
  const { drafts, budgets } = startDrafts(prompts, n, sampling.maxNewTokens, options.maxLength);
  // Batch row r decodes drafts[active[r]].
  let active = drafts.map((_, i) => i);
  for (let step = 0; step < sampling.maxNewTokens && active.length > 0; step += 1) {
    const choice = sampleStep(logits, sampling, keys.next(), { rows: active, samples: drafts.length });
    const keep = acceptStep(drafts, budgets, active, choice, ending, step, NON_FINITE_HINT);
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
  const samples = finishDrafts(drafts, ending);
  return prompts.map((_, p) => samples.slice(p * n, (p + 1) * n));
}

const NON_FINITE_HINT =
  'the model computes NaN or infinite values: with half-precision weights try dtype float32; after training, resume from an earlier checkpoint with a lower learning rate';

// Left padding keeps every prompt's last token in the last column. RoPE depends only on relative
// positions, so shifting a prompt right by its padding leaves its attention scores unchanged.
function leftPad(prompts: readonly (readonly number[])[]): { tokens: mx.array; keyMask: mx.array | undefined } {
  const width = Math.max(...prompts.map((p) => p.length));
  const padded = prompts.map((p) => [...new Array<number>(width - p.length).fill(p[0]!), ...p]);
  const ragged = prompts.some((p) => p.length !== width);
  const keyMask = ragged ? mx.array(prompts.map((p) => Array.from({ length: width }, (_, j) => (j < width - p.length ? MASKED : 0))), mx.float32) : undefined;
  return { tokens: mx.array(padded, mx.int32), keyMask };
}

