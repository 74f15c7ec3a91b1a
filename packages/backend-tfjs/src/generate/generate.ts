import type { CompletionEnding, EngineSample, SamplingParams } from '@rlaif/core';
import { acceptStep, checkSamplingRequest, finishDrafts, startDrafts } from '@rlaif/core';
import type { Tokenizer } from '@rlaif/hf';
import { RandomStream } from '../engine/random-stream.js';
import { tf } from '../engine/tf.js';
import type { DecoderForCausalLM } from '../models/causal-lm.js';
import { MASKED } from '../models/layers.js';
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
  /** Cap on prompt + completion tokens (`model.maxLength`): each completion stops at `maxLength − prompt length` tokens. */
  readonly maxLength?: number | undefined;
}

/**
 * Samples `n` completions for each prompt (token ids). Prompts are left-padded into one batch (with a key
 * mask, so padding changes nothing) and prefilled once; each prompt's KV cache is repeated for its n
 * samples, and all samples decode together (finished ones leave the batch). Seeded: the same seed,
 * prompts, options and weights give the same samples. Every tensor it makes is disposed before it returns.
 */
export function generateSamples(model: DecoderForCausalLM, prompts: readonly (readonly number[])[], n: number, options: GenerateOptions): Sample[][] {
  checkSamplingRequest(prompts, n, options.sampling, options.maxLength);
  const random = new RandomStream(options.sampling.seed);
  const promptsPerBatch = Math.max(1, Math.floor((options.maxBatchRows ?? 64) / n));
  const groups: Sample[][] = [];
  // One stream per batch: a batch's draws do not depend on how many steps the batches before it took.
  const batchRandom = random.fork(Math.ceil(prompts.length / promptsPerBatch));
  for (let start = 0; start < prompts.length; start += promptsPerBatch) {
    groups.push(...generateBatch(model, prompts.slice(start, start + promptsPerBatch), n, options, batchRandom[start / promptsPerBatch]!));
  }
  return groups;
}

function generateBatch(model: DecoderForCausalLM, prompts: readonly (readonly number[])[], n: number, options: GenerateOptions, random: RandomStream): Sample[][] {
  const { sampling, tokenizer } = options;
  const ending: CompletionEnding = { eosTokenIds: new Set(options.eosTokenIds), stop: sampling.stop, tokenizer };
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
  const { drafts, budgets } = startDrafts(prompts, n, sampling.maxNewTokens, options.maxLength);
  // Batch row r decodes drafts[active[r]].
  let active = drafts.map((_, i) => i);
  try {
    for (let step = 0; step < sampling.maxNewTokens && active.length > 0; step += 1) {
      const choice = sampleStep(logits, sampling, random, { rows: active, samples: drafts.length });
      const keep = acceptStep(drafts, budgets, active, choice, ending, step, NON_FINITE_HINT);
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
  const samples = finishDrafts(drafts, ending);
  return prompts.map((_, p) => samples.slice(p * n, (p + 1) * n));
}

const NON_FINITE_HINT = 'the model computes NaN or infinite values: after training, resume from an earlier checkpoint with a lower learning rate';

// Left padding keeps every prompt's last token in the last column. RoPE depends only on relative
// positions, so shifting a prompt right by its padding leaves its attention scores unchanged.
function leftPad(prompts: readonly (readonly number[])[]): { tokens: number[][]; keyMask: number[][] | undefined } {
  const width = Math.max(...prompts.map((p) => p.length));
  const tokens = prompts.map((p) => [...new Array<number>(width - p.length).fill(p[0]!), ...p]);
  const ragged = prompts.some((p) => p.length !== width);
  const keyMask = ragged ? prompts.map((p) => Array.from({ length: width }, (_, j) => (j < width - p.length ? MASKED : 0))) : undefined;
  return { tokens, keyMask };
}

