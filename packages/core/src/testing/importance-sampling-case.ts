/**
 * A hand-computed case of the policy loss with truncated importance sampling (cap 2), one row of four
 * tokens, that every backend's loss test checks its engine against: the ratio is taken against π_old
 * (= the row's own log-probs in a first pass, so it is 1) and each token is weighted by
 * min(π_old / π_behaviour, cap).
 */
export const IMPORTANCE_SAMPLING_CASE = {
  logprobs: [-1, -0.5, -2, -0.1],
  /** The engine's log-probs of the same tokens: off by +0.3, −0.2, −1.5 (beyond log 2) and masked. */
  behaviourLogprobs: [-1.3, -0.3, -0.5, -5],
  advantages: [1, -1, 1, 1],
  mask: [1, 1, 1, 0],
  weights: [1 / 3, 1 / 3, 1 / 3, 0],
  cap: 2,
  /** Behaviour log-probs under which the third token's weight is capped (π_old / π_behaviour = e² > 2). */
  cappedBehaviourLogprobs: [-1.3, -0.3, -4, -5],
} as const;

/** What the case must give: the loss, the mismatch sum and max, and d loss / d logprobs per token. */
export function importanceSamplingExpectations(): { loss: number; mismatchSum: number; mismatchMax: number; gradient: number[] } {
  const c = IMPORTANCE_SAMPLING_CASE;
  const weight = (i: number) => Math.min(Math.exp(c.logprobs[i]! - c.behaviourLogprobs[i]!), c.cap);
  const gradient = c.logprobs.map((_, i) => (c.mask[i] ? -c.advantages[i]! * weight(i) * c.weights[i]! : 0));
  const gaps = c.logprobs.map((lp, i) => (c.mask[i] ? Math.abs(lp - c.behaviourLogprobs[i]!) : 0));
  return { loss: gradient.reduce((a, b) => a + b, 0), mismatchSum: gaps.reduce((a, b) => a + b, 0), mismatchMax: Math.max(...gaps), gradient };
}
