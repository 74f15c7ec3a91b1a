import { core as mx } from '@frost-beta/mlx';
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
 */
export function sampleStep(logits: mx.array, params: DistributionParams, key: mx.array): StepChoice {
  let ids: mx.array;
  let logprobs: mx.array;
  if (params.temperature === 0) {
    ids = mx.argmax(logits, -1).astype(mx.int32);
    logprobs = pick(logSoftmax(logits), ids);
  } else {
    const scores = samplingLogits(logits, params);
    ids = mx.random.categorical(scores, -1, undefined, undefined, key).astype(mx.int32);
    logprobs = pick(logSoftmax(scores), ids);
  }
  mx.eval(ids, logprobs);
  return { tokenIds: ids.tolist() as number[], logprobs: logprobs.tolist() as number[] };
}

function pick(table: mx.array, ids: mx.array): mx.array {
  return mx.takeAlongAxis(table, ids.reshape(-1, 1), -1).flatten();
}
