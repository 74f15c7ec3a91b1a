import { core as mx } from '@frost-beta/mlx';
import type { SampleRows } from '@rlaif/core';
import { logSoftmax, samplingLogits, type DistributionParams } from './logits-filter.js';

/** One decoding step's choice for each row. */
export interface StepChoice {
  readonly tokenIds: number[];
  /** Log-probability of each chosen token under the distribution it was drawn from. */
  readonly logprobs: number[];
}

/**
 * Chooses the next token of each row of `logits` [rows, vocab] (float32). temperature 0 is greedy and
 * reports the untempered policy's log-prob; otherwise a draw from `samplingLogits` with `key`, reporting
 * the log-prob under that filtered, renormalised distribution.
 *
 * A draw is the Gumbel-max trick: argmax(scores + g) with g ~ Gumbel(0, 1) i.i.d., which is
 * `mx.random.categorical`'s own method. With `sampleRows` the noise is drawn for every sample and row r
 * takes its sample's (see SampleRows).
 */
export function sampleStep(logits: mx.array, params: DistributionParams, key: mx.array, sampleRows?: SampleRows): StepChoice {
  let ids: mx.array;
  let logprobs: mx.array;
  if (params.temperature === 0) {
    ids = mx.argmax(logits, -1).astype(mx.int32);
    logprobs = pick(logSoftmax(logits), ids);
  } else {
    const scores = samplingLogits(logits, params);
    const [rows, vocab] = scores.shape as [number, number];
    let noise = mx.random.gumbel([sampleRows?.samples ?? rows, vocab], mx.float32, key);
    if (sampleRows && sampleRows.rows.length !== sampleRows.samples) noise = mx.take(noise, mx.array(sampleRows.rows as number[], mx.int32), 0);
    ids = mx.argmax(mx.add(scores, noise), -1).astype(mx.int32);
    logprobs = pick(logSoftmax(scores), ids);
  }
  mx.eval(ids, logprobs);
  return { tokenIds: ids.tolist() as number[], logprobs: logprobs.tolist() as number[] };
}

function pick(table: mx.array, ids: mx.array): mx.array {
  return mx.takeAlongAxis(table, ids.reshape(-1, 1), -1).flatten();
}
