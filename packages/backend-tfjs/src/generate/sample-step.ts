import type { SampleRows } from '@rlaif/core';
import type { RandomStream } from '../engine/random-stream.js';
import { tf } from '../engine/tf.js';
import { logSoftmax, samplingLogits, type DistributionParams } from './logits-filter.js';
import { pickPerRow } from './pick.js';

/** One decoding step's choice for each row. */
export interface StepChoice {
  readonly tokenIds: number[];
  /** Log-probability of each chosen token under the distribution it was drawn from. */
  readonly logprobs: number[];
}

/**
 * Chooses the next token of each row of `logits` [rows, vocab]. temperature 0 is greedy and reports the
 * untempered policy's log-prob; otherwise a draw from `samplingLogits` by inverting its cumulative
 * distribution at one uniform number per row from `random`, reporting the log-prob under that filtered,
 * renormalised distribution. A token removed by a filter (probability 0) is never drawn. With
 * `sampleRows` a number is drawn for every sample and row r takes its sample's (see SampleRows).
 */
export function sampleStep(logits: tf.Tensor2D, params: DistributionParams, random: RandomStream, sampleRows?: SampleRows): StepChoice {
  const [ids, logprobs] = tf.tidy(() => {
    if (params.temperature === 0) {
      const greedy = tf.cast(tf.argMax(logits, -1), 'int32') as tf.Tensor1D;
      return [greedy, pickPerRow(logSoftmax(logits), greedy)];
    }
    const scores = samplingLogits(logits, params);
    const [rows, vocab] = scores.shape;
    const cumulative = tf.cumsum(tf.softmax(scores, -1), 1);
    // Scaled by each row's total so rounding in the sum can never point past the last kept token.
    const total = tf.slice(cumulative, [0, vocab - 1], [-1, 1]);
    const uniforms = Array.from({ length: sampleRows?.samples ?? rows }, () => random.uniform());
    const rowUniforms = sampleRows ? sampleRows.rows.map((sample) => uniforms[sample]!) : uniforms;
    const draws = tf.mul(tf.tensor2d(rowUniforms, [rows, 1]), total);
    const below = tf.sum(tf.cast(tf.less(cumulative, draws), 'int32'), -1);
    const drawn = tf.minimum(below, tf.scalar(vocab - 1, 'int32')) as tf.Tensor1D;
    return [drawn, pickPerRow(logSoftmax(scores), drawn)];
  });
  const result = { tokenIds: Array.from(ids.dataSync()), logprobs: Array.from(logprobs.dataSync()) };
  ids.dispose();
  logprobs.dispose();
  return result;
}
