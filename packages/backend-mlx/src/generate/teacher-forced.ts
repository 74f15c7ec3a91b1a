import { core as mx } from '@frost-beta/mlx';
import type { CausalLM } from '../models/causal-lm.js';
import { logSoftmax } from './logits-filter.js';

/**
 * Log-probabilities [rows, T] of `targets` [rows, T] under `logits` [rows, T, vocab] at `temperature`
 * (1 = the policy itself). Differentiable: the training step can build its loss on it.
 */
export function tokenLogprobs(logits: mx.array, targets: mx.array, temperature = 1): mx.array {
  const scores = temperature === 1 ? logits : mx.divide(logits, temperature);
  const table = logSoftmax(scores);
  return mx.takeAlongAxis(table, mx.expandDims(targets, -1), -1).squeeze(-1);
}

/**
 * Teacher-forced log-prob of each completion token given the prompt, in one forward pass (token in,
 * token out: the ids are used as given, never re-tokenised).
 */
export function completionLogprobs(model: CausalLM, promptIds: readonly number[], completionIds: readonly number[], temperature = 1): number[] {
  if (completionIds.length === 0) return [];
  if (promptIds.length === 0) throw new Error('completionLogprobs needs at least one prompt token (e.g. BOS)');
  const sequence = [...promptIds, ...completionIds];
  const inputs = mx.array([sequence.slice(0, -1)], mx.int32);
  const logits = model.forward(inputs);
  const start = promptIds.length - 1;
  const completionLogits = logits.index(mx.Slice(), mx.Slice(start, start + completionIds.length));
  const result = tokenLogprobs(completionLogits, mx.array([[...completionIds]], mx.int32), temperature);
  mx.eval(result);
  return (result.tolist() as number[][])[0]!;
}
