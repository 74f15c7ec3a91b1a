import { core as mx } from '@frost-beta/mlx';

/** The knobs that shape the sampling distribution (the SamplingParams fields that touch logits). */
export interface DistributionParams {
  /** > 0; 0 (greedy) is handled by the caller, not here. */
  readonly temperature: number;
  /** 0 disables. */
  readonly topK: number;
  /** 1 disables. */
  readonly topP: number;
  /** 0 disables. */
  readonly minP: number;
}

const NEG_INF = -Infinity;

/**
 * Turns raw logits [rows, vocab] into the logits of the sampling distribution: divide by temperature, then
 * keep the top-k, then the top-p nucleus, then tokens with probability ≥ minP × the top one (the order of
 * transformers' warpers). Removed tokens get −∞; ties at a threshold are all kept.
 */
export function samplingLogits(logits: mx.array, params: DistributionParams): mx.array {
  let scores = params.temperature === 1 ? logits : mx.divide(logits, params.temperature);
  const vocab = scores.shape[scores.ndim - 1]!;
  if (params.topK > 0 && params.topK < vocab) scores = keepTopK(scores, params.topK);
  if (params.topP > 0 && params.topP < 1) scores = keepTopP(scores, params.topP);
  if (params.minP > 0) scores = keepMinP(scores, params.minP);
  return scores;
}

// A full sort of a 150k vocabulary costs ~10× a top-k selection, so thresholds come from mx.topk.
function keepTopK(scores: mx.array, k: number): mx.array {
  const threshold = mx.min(mx.topk(scores, k, -1), -1, true);
  return mx.where(mx.greaterEqual(scores, threshold), scores, mx.array(NEG_INF));
}

// Nucleus candidates examined before falling back to sorting the whole vocabulary.
const TOP_P_CANDIDATES = 1024;

// Like transformers' TopPLogitsWarper: drop the low tail whose total mass is ≤ 1 − topP; the top token always stays.
function keepTopP(scores: mx.array, topP: number): mx.array {
  const vocab = scores.shape[scores.ndim - 1]!;
  const probabilities = mx.softmax(scores, -1, true);
  const count = Math.min(vocab, TOP_P_CANDIDATES);
  // Ascending top candidates; every other token is smaller, so its mass sits below them in the cumulative sum.
  // The copy matters: sorting topk's strided output directly corrupts the heap in node-mlx 0.0.7.
  const candidates = mx.sort(mx.add(mx.topk(probabilities, count, -1), 0), -1);
  const outsideMass = mx.subtract(1, mx.sum(candidates, -1, true));
  const cumulative = mx.add(cumsumAlong(candidates, -1), outsideMass);
  const removed = mx.sum(mx.lessEqual(cumulative, 1 - topP), -1, true).astype(mx.int32);
  // removed = 0 means the smallest candidate is kept, so tokens outside the candidates may be kept too.
  if (count < vocab && (mx.min(removed).item() as number) === 0) return keepTopPFullSort(scores, probabilities, topP);
  const threshold = mx.takeAlongAxis(candidates, mx.minimum(removed, mx.array(count - 1, mx.int32)), -1);
  return mx.where(mx.greaterEqual(probabilities, threshold), scores, mx.array(NEG_INF));
}

function keepTopPFullSort(scores: mx.array, probabilities: mx.array, topP: number): mx.array {
  const vocab = scores.shape[scores.ndim - 1]!;
  const ascending = mx.sort(probabilities, -1);
  const removed = mx.sum(mx.lessEqual(cumsumAlong(ascending, -1), 1 - topP), -1, true).astype(mx.int32);
  const threshold = mx.takeAlongAxis(ascending, mx.minimum(removed, mx.array(vocab - 1, mx.int32)), -1);
  return mx.where(mx.greaterEqual(probabilities, threshold), scores, mx.array(NEG_INF));
}

function keepMinP(scores: mx.array, minP: number): mx.array {
  const threshold = mx.add(mx.max(scores, -1, true), Math.log(minP));
  return mx.where(mx.greaterEqual(scores, threshold), scores, mx.array(NEG_INF));
}

// node-mlx's cumsum takes (array, axis) at run time though its .d.ts declares only a stream.
const cumsumAlong = mx.cumsum as unknown as (array: mx.array, axis: number) => mx.array;

/** Log-softmax along the last axis. */
export function logSoftmax(scores: mx.array): mx.array {
  return mx.subtract(scores, mx.logsumexp(scores, -1, true));
}
