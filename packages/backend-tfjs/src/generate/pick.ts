import { tf } from '../engine/tf.js';

/**
 * table[i, ids[i]] for each row of `table` [rows, vocab], as one flat gather (never a one-hot over the
 * vocabulary). Differentiable with respect to `table`.
 */
export function pickPerRow(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor1D {
  const [rows, vocab] = table.shape;
  const flat = tf.add(tf.mul(tf.range(0, rows, 1, 'int32'), tf.scalar(vocab, 'int32')), tf.cast(ids, 'int32'));
  return tf.gather(tf.reshape(table, [-1]), flat) as tf.Tensor1D;
}
