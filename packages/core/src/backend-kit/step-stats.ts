/**
 * A policy-gradient `step`'s StepStats from the running sums of its passes (one pass per PPO epoch),
 * the same for every engine: means over passes, per-token means over the tokens that took part.
 */
import type { StepStats } from '../contracts/optimizer.js';

/** Running sums of one pass over a step's micro-batches. */
export interface PassTotals {
  loss: number;
  policyLoss: number;
  klSum: number;
  entropySum: number;
  clipped: number;
  /** Importance sampling: Σ|log π_old − log π_behaviour|, its max, and the tokens whose weight hit the cap. */
  mismatchSum: number;
  mismatchMax: number;
  capped: number;
}

/** Zeroed totals for a new pass. */
export function emptyPassTotals(): PassTotals {
  return { loss: 0, policyLoss: 0, klSum: 0, entropySum: 0, clipped: 0, mismatchSum: 0, mismatchMax: 0, capped: 0 };
}

/** What the step knew besides its passes. */
export interface StepFacts {
  /** Completion tokens of every rollout (the mean's denominator). */
  readonly tokens: number;
  /** Completion tokens that went through the model (zero-advantage rollouts skip it without a KL term). */
  readonly activeTokens: number;
  readonly learningRate: number;
  /** Gradient norms of the applied updates (skipped ones excluded). */
  readonly gradNorms: readonly number[];
  readonly skippedUpdates: number;
  /** performance.now() when the step began. */
  readonly started: number;
  /** Whether truncated importance sampling was on (then the log-prob mismatch is reported). */
  readonly importance: boolean;
}

/** The StepStats of a step made of `passes`. */
export function policyStepStats(passes: readonly PassTotals[], facts: StepFacts): StepStats {
  const mean = (f: (t: PassTotals) => number) => passes.reduce((s, t) => s + f(t), 0) / passes.length;
  const { activeTokens, gradNorms } = facts;
  return {
    loss: mean((t) => t.loss),
    policyLoss: mean((t) => t.policyLoss),
    kl: mean((t) => t.klSum) / activeTokens,
    entropy: mean((t) => t.entropySum) / activeTokens,
    clipFraction: mean((t) => t.clipped) / activeTokens,
    gradNorm: gradNorms.length === 0 ? Number.NaN : gradNorms.reduce((a, b) => a + b, 0) / gradNorms.length,
    learningRate: facts.learningRate,
    tokens: facts.tokens,
    seconds: (performance.now() - facts.started) / 1000,
    skippedUpdates: facts.skippedUpdates,
    ...(facts.importance
      ? {
          logprobMismatch: {
            meanAbs: mean((t) => t.mismatchSum) / activeTokens,
            maxAbs: Math.max(...passes.map((t) => t.mismatchMax)),
            cappedFraction: mean((t) => t.capped) / activeTokens,
          },
        }
      : {}),
  };
}

/** The stats of a step (or SFT step) that had no tokens to learn from. */
export function emptyStepStats(learningRate: number, started: number): StepStats {
  return { loss: 0, policyLoss: 0, kl: 0, entropy: Number.NaN, clipFraction: 0, gradNorm: 0, learningRate, tokens: 0, seconds: (performance.now() - started) / 1000, skippedUpdates: 0 };
}
