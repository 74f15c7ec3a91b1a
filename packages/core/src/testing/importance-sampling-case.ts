/**
 * A hand-computed case of the policy loss with truncated importance sampling (cap 2), one row of four
 * tokens, that every backend's loss checks itself against: the ratio is taken against π_old (= the
 * row's own log-probs in a first pass, so it is 1) and each token is weighted by min(π_old / π_behaviour, cap).
 */
import { expect, it } from 'vitest';

/** The case's rows (one row each, [1, 4]). */
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

/** An engine's policy loss on the case (klPenalty 0, clip range 0.2, the case's cap), read back as numbers. */
export interface ImportanceSamplingLossProbe {
  /** The loss terms with the given behaviour log-probs. */
  terms(behaviourLogprobs: readonly number[]): { loss: number; clippedCount: number; mismatchSum: number; mismatchMax: number; cappedCount: number };
  /** d loss / d logprobs of each token, with the case's behaviour log-probs. */
  gradient(): number[];
}

/** Registers the test of `probe` against the hand computation. */
export function itMatchesTheImportanceSamplingCase(probe: ImportanceSamplingLossProbe): void {
  it('takes the ratio against π_old, weights tokens by min(π_old/π_behaviour, cap) and reports the mismatch', () => {
    const c = IMPORTANCE_SAMPLING_CASE;
    const weight = (i: number) => Math.min(Math.exp(c.logprobs[i]! - c.behaviourLogprobs[i]!), c.cap);
    // −A·w·weight per token: the importance-weighted policy gradient (the weight itself has none).
    const gradient = c.logprobs.map((_, i) => (c.mask[i] ? -c.advantages[i]! * weight(i) * c.weights[i]! : 0));
    const gaps = c.logprobs.map((lp, i) => (c.mask[i] ? Math.abs(lp - c.behaviourLogprobs[i]!) : 0));
    const terms = probe.terms(c.behaviourLogprobs);
    expect(terms.loss).toBeCloseTo(gradient.reduce((a, b) => a + b, 0), 5);
    expect(terms.clippedCount).toBe(0);
    expect(terms.mismatchSum).toBeCloseTo(gaps.reduce((a, b) => a + b, 0), 5);
    expect(terms.mismatchMax).toBeCloseTo(Math.max(...gaps), 5);
    expect(terms.cappedCount).toBe(0);
    expect(probe.terms(c.cappedBehaviourLogprobs).cappedCount).toBe(1);
    probe.gradient().forEach((g, i) => expect(g).toBeCloseTo(gradient[i]!, 5));
  });
}
