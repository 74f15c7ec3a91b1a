import { tf } from '../engine/tf.js';
import { pickPerRow } from '../generate/pick.js';

/** log softmax(logits)[target] at every position: [B, T, V] × [B, T] → [B, T]; a flat gather, never a one-hot. */
export function targetLogprobs(logits: tf.Tensor3D, targets: tf.Tensor2D): tf.Tensor2D {
  const [rows, length, vocab] = logits.shape;
  const flat = tf.reshape(logits, [rows * length, vocab]) as tf.Tensor2D;
  const picked = pickPerRow(flat, tf.reshape(targets, [-1]) as tf.Tensor1D);
  return tf.reshape(tf.sub(picked, tf.reshape(tf.logSumExp(flat, -1), [-1])), [rows, length]);
}

/** Entropy −Σ p·log p of each next-token distribution: [B, T, V] → [B, T] (for statistics). */
export function tokenEntropy(logits: tf.Tensor3D): tf.Tensor2D {
  const lse = tf.logSumExp(logits, -1, true);
  return tf.neg(tf.sum<tf.Tensor2D>(tf.mul(tf.exp(tf.sub(logits, lse)), tf.sub(logits, lse)), -1));
}
