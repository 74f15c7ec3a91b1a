/** Per-token log-probabilities and entropies from logits, in float32. */
import { core as mx } from '@frost-beta/mlx';

/** log softmax(logits)[target] for every position: [B, T, V] × [B, T] → [B, T]. */
export function targetLogprobs(logits: mx.array, targets: mx.array): mx.array {
  const picked = mx.takeAlongAxis(logits, mx.expandDims(targets, -1), -1).squeeze(-1);
  return mx.subtract(picked, mx.logsumexp(logits, -1));
}

/** Entropy −Σ p·log p of the next-token distribution at every position: [B, T, V] → [B, T]. */
export function tokenEntropy(logits: mx.array): mx.array {
  const logp = mx.subtract(logits, mx.logsumexp(logits, -1, true));
  return mx.negative(mx.sum(mx.multiply(mx.exp(logp), logp), -1));
}
