import { tf } from '../engine/tf.js';
import type { DecoderForCausalLM } from '../models/causal-lm.js';
import { logSoftmax } from './logits-filter.js';
import { pickPerRow } from './pick.js';

/**
 * Log-probabilities [rows, T] of `targets` [rows, T] under `logits` [rows, T, vocab] at `temperature`
 * (1 = the policy itself). Differentiable: the training step builds its loss on it.
 */
export function tokenLogprobs(logits: tf.Tensor3D, targets: tf.Tensor2D, temperature = 1): tf.Tensor2D {
  return tf.tidy(() => {
    const [rows, length, vocab] = logits.shape;
    const flat = tf.reshape(logits, [rows * length, vocab]) as tf.Tensor2D;
    const scores = temperature === 1 ? flat : tf.div<tf.Tensor2D>(flat, temperature);
    return tf.reshape(pickPerRow(logSoftmax(scores), tf.reshape(targets, [-1]) as tf.Tensor1D), [rows, length]);
  });
}

/**
 * Teacher-forced log-prob of each completion token given the prompt, in one forward pass (token in,
 * token out: the ids are used as given, never re-tokenised).
 */
export function completionLogprobs(model: DecoderForCausalLM, promptIds: readonly number[], completionIds: readonly number[], temperature = 1): number[] {
  if (completionIds.length === 0) return [];
  if (promptIds.length === 0) throw new Error('completionLogprobs needs at least one prompt token (e.g. BOS)');
  const sequence = [...promptIds, ...completionIds];
  return tf.tidy(() => {
    const logits = model.forward(tf.tensor2d([sequence.slice(0, -1)], undefined, 'int32'));
    const start = promptIds.length - 1;
    const completion = tf.slice(logits, [0, start, 0], [1, completionIds.length, -1]);
    return Array.from(tokenLogprobs(completion, tf.tensor2d([[...completionIds]], undefined, 'int32'), temperature).dataSync());
  });
}
