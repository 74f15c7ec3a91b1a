import { tf } from '../engine/tf.js';

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

// Nucleus candidates examined before falling back to sorting the whole vocabulary.
const TOP_P_CANDIDATES = 1024;

/**
 * Turns raw logits [rows, vocab] into the logits of the sampling distribution: divide by temperature, then
 * keep the top-k, then the top-p nucleus, then tokens with probability ≥ minP × the top one (the order of
 * transformers' warpers). Removed tokens get −∞; ties at a threshold are all kept. Same rules as backend-mlx.
 */
export function samplingLogits(logits: tf.Tensor2D, params: DistributionParams): tf.Tensor2D {
  return tf.tidy(() => {
    let scores = params.temperature === 1 ? logits : tf.div<tf.Tensor2D>(logits, params.temperature);
    const vocab = scores.shape[1];
    if (params.topK > 0 && params.topK < vocab) scores = keepAtLeast(scores, scores, tf.min(tf.topk(scores, params.topK).values, -1, true));
    if (params.topP > 0 && params.topP < 1) scores = keepTopP(scores, params.topP);
    if (params.minP > 0) scores = keepAtLeast(scores, scores, tf.add(tf.max(scores, -1, true), Math.log(params.minP)));
    return scores;
  });
}

// scores where `values` ≥ threshold (per row), −∞ elsewhere.
function keepAtLeast(scores: tf.Tensor2D, values: tf.Tensor2D, threshold: tf.Tensor): tf.Tensor2D {
  return tf.where(tf.greaterEqual(values, threshold), scores, tf.fill(scores.shape, -Infinity));
}

// Like transformers' TopPLogitsWarper: drop the low tail whose total mass is ≤ 1 − topP; the top token always stays.
function keepTopP(scores: tf.Tensor2D, topP: number): tf.Tensor2D {
  const vocab = scores.shape[1];
  const probabilities = tf.softmax(scores, -1);
  const threshold = (count: number) => {
    // Ascending top candidates; every other token is smaller, so its mass sits below them in the cumulative sum.
    const ascending = tf.reverse(tf.topk(probabilities, count).values, -1);
    const outsideMass = tf.sub(1, tf.sum(ascending, -1, true));
    const removed = tf.sum(tf.cast(tf.lessEqual(tf.add(tf.cumsum(ascending, 1), outsideMass), 1 - topP), 'int32'), -1);
    return { ascending, removed: tf.minimum(removed, tf.scalar(count - 1, 'int32')) };
  };
  let { ascending, removed } = threshold(Math.min(vocab, TOP_P_CANDIDATES));
  // removed = 0 means the smallest candidate is kept, so tokens outside the candidates may be kept too.
  if (vocab > TOP_P_CANDIDATES && tf.min(removed).dataSync()[0] === 0) ({ ascending, removed } = threshold(vocab));
  const rows = scores.shape[0];
  const width = ascending.shape[1]!;
  const flat = tf.add(tf.mul(tf.range(0, rows, 1, 'int32'), tf.scalar(width, 'int32')), removed);
  const cut = tf.reshape(tf.gather(tf.reshape(ascending, [-1]), flat), [rows, 1]);
  return keepAtLeast(scores, probabilities, cut);
}

/** Log-softmax along the last axis. */
export function logSoftmax(scores: tf.Tensor2D): tf.Tensor2D {
  return tf.sub(scores, tf.logSumExp(scores, -1, true));
}
