/**
 * Scoring rollouts whose prompts repeat (GRPO's n samples per prompt) with each distinct prompt run
 * once: the prompts go through the model into a KV cache, its rows are repeated for their samples,
 * and only the completions run per sample, attending to the cache. Forward, backward and the
 * reference pass then cost prompts + samples × completion tokens instead of samples × (prompt +
 * completion); gradients reach the prompt positions through the cache, summed over the samples.
 */
import { core as mx } from '@frost-beta/mlx';
import type { KVCache } from '../models/kv-cache.js';
import type { ForwardOptions } from '../models/causal-lm.js';
import { MASKED } from '../models/layers.js';
import type { PackedBatch, ScoredSequence } from './sequence-batch.js';
import { packSequences } from './sequence-batch.js';

/** A model that can run a prefix into a KV cache and continue from it (every CausalLM here). */
export interface CachingModel {
  forward(tokens: mx.array, cache?: KVCache[], options?: ForwardOptions): mx.array;
  makeCache(): KVCache[];
}

/** A PackedBatch over completions only (column 0 predicts the first completion token), plus the shared prompts. */
export interface SharedPromptBatch extends PackedBatch {
  readonly prompts: {
    /** [U, W] int32: each distinct prompt without its last token, left-padded. */
    readonly tokens: mx.array;
    /** [U, W] additive mask of the left padding; undefined when every prompt has the same length. */
    readonly keyMask: mx.array | undefined;
    /** For each sequence, the row of its prompt in `tokens`. */
    readonly rows: readonly number[];
  };
}

/** True when sharing pays: some prompt repeats, and every prompt has a token left after its last one is moved to the completion side. */
export function sharesPrompts(sequences: readonly ScoredSequence[]): boolean {
  if (sequences.some((s) => s.promptTokens.length < 2)) return false;
  return new Set(sequences.map((s) => s.promptTokens.join(','))).size < sequences.length;
}

/**
 * Packs `sequences` for `forwardShared`: inputs [B, C] are each prompt's last token then the
 * completion but its last token (right-padded), targets the completion; mask, offsets and
 * alignToTargets work as for packSequences.
 */
export function packSharedPrompts(sequences: readonly ScoredSequence[]): SharedPromptBatch {
  const keys = new Map<string, number>();
  const distinct: (readonly number[])[] = [];
  const rows = sequences.map((s) => {
    const key = s.promptTokens.join(',');
    if (!keys.has(key)) {
      keys.set(key, distinct.length);
      distinct.push(s.promptTokens.slice(0, -1));
    }
    return keys.get(key)!;
  });
  const width = Math.max(...distinct.map((p) => p.length));
  const ragged = distinct.some((p) => p.length !== width);
  const length = Math.max(...sequences.map((s) => s.completionTokens.length));
  const pad = (row: readonly number[]) => [...row, ...new Array<number>(length - row.length).fill(0)];
  return {
    inputs: mx.array(sequences.map((s) => pad([s.promptTokens.at(-1)!, ...s.completionTokens.slice(0, -1)])), mx.int32),
    targets: mx.array(sequences.map((s) => pad(s.completionTokens)), mx.int32),
    mask: mx.array(sequences.map((s) => Array.from({ length }, (_, t) => (t < s.completionTokens.length ? 1 : 0))), mx.float32),
    completionLengths: sequences.map((s) => s.completionTokens.length),
    length,
    offsets: sequences.map(() => 0),
    prompts: {
      // Left padding repeats the prompt's first token; the key mask hides it.
      tokens: mx.array(distinct.map((p) => [...new Array<number>(width - p.length).fill(p[0]!), ...p]), mx.int32),
      keyMask: ragged ? mx.array(distinct.map((p) => Array.from({ length: width }, (_, j) => (j < width - p.length ? MASKED : 0))), mx.float32) : undefined,
      rows,
    },
  };
}

/** Logits [B, C, vocab] of `batch`'s completions: the distinct prompts run once, their cache rows repeated per sequence. */
export function forwardShared(model: CachingModel, batch: SharedPromptBatch): mx.array {
  const { prompts } = batch;
  const cache = model.makeCache();
  // Only the cache is used: lastOnly keeps the head's matmul to one position (and lazily it is never evaluated).
  model.forward(prompts.tokens, cache, { lastOnly: true, ...(prompts.keyMask ? { keyMask: prompts.keyMask } : {}) });
  for (const layer of cache) layer.keepRows(prompts.rows);
  if (!prompts.keyMask) return model.forward(batch.inputs, cache);
  const promptMask = mx.take(prompts.keyMask, mx.array([...prompts.rows], mx.int32), 0);
  const keyMask = mx.concatenate([promptMask, mx.zeros([prompts.rows.length, batch.length], mx.float32)], 1);
  return model.forward(batch.inputs, cache, { keyMask });
}

/** The packing that costs least for `model`: shared prompts when they repeat and the model has a KV cache. */
export function packForScoring(model: { forward(tokens: mx.array): mx.array }, sequences: readonly ScoredSequence[]): PackedBatch {
  return isCachingModel(model) && sharesPrompts(sequences) ? packSharedPrompts(sequences) : packSequences(sequences);
}

/** Logits [B, T, vocab] aligned with `packed.targets`, whichever packing made it. */
export function forwardPacked(model: { forward(tokens: mx.array): mx.array }, packed: PackedBatch): mx.array {
  return 'prompts' in packed && isCachingModel(model) ? forwardShared(model, packed as SharedPromptBatch) : model.forward(packed.inputs);
}

function isCachingModel(model: object): model is CachingModel {
  return typeof (model as Partial<CachingModel>).makeCache === 'function';
}
