/**
 * The clipped policy-gradient loss with a KL penalty to the base model, per completion token:
 *   ℓ_t = −min(r_t·A, clip(r_t, 1−ε, 1+ε)·A) + β·KL_t,   r_t = exp(logπ_t − logπ_behaviour,t)
 * summed with per-token weights that encode the aggregation (token mean or sequence mean).
 * With truncated importance sampling (cap c > 0) the ratio is taken against π_old, the optimizer's own
 * log-probs of the sampled tokens at the start of the update, and each token is weighted by
 * w_t = min(π_old,t / π_behaviour,t, c) (no gradient): the sampling engine's log-probs (other kernels,
 * quantisation, lag) then only enter through a bounded weight (TRL's and verl's correction for vLLM).
 */
import { core as mx } from '@frost-beta/mlx';
import type { OptimizationSpec } from '@rlaif/core';

/** Per-token inputs, all [B, T] and aligned with the packed targets. */
export interface PolicyLossInputs {
  /** log π(target) under the current parameters at the sampling temperature (differentiated); used in the ratio. */
  readonly logprobs: mx.array;
  /** log π(target) at temperature 1, for the KL to the base; defaults to `logprobs`. */
  readonly untemperedLogprobs?: mx.array;
  /** 1 on completion targets, 0 on prompt and padding. */
  readonly mask: mx.array;
  /** Loss weight of each token (0 off the mask); sums to 1 over the whole update. */
  readonly weights: mx.array;
  readonly advantages: mx.array;
  readonly behaviourLogprobs: mx.array;
  /**
   * log π_old(target) at the sampling temperature: the parameters at the start of the update, no
   * gradient. Undefined = this pass's own log-probs without gradient (right for the first pass).
   * Used only with `importanceSamplingCap` > 0.
   */
  readonly oldLogprobs?: mx.array | undefined;
  /** log π_base(target) with adapters disabled; undefined when β = 0. */
  readonly referenceLogprobs: mx.array | undefined;
}

type LossSettings = Pick<OptimizationSpec, 'klPenalty' | 'klEstimator' | 'clipRange' | 'importanceSamplingCap'>;

/** The loss and the sums its statistics are made of (divide by token counts outside). */
export interface PolicyLossTerms {
  /** Σ w·ℓ: the quantity differentiated. */
  readonly loss: mx.array;
  /** Σ w·(−min(r·A, clip(r)·A)). */
  readonly policyLoss: mx.array;
  /** Σ w·KL_t (the penalty before β). */
  readonly weightedKl: mx.array;
  /** Σ mask·KL_t, for the per-token mean. */
  readonly klSum: mx.array;
  /** Σ mask·[clipping active]. */
  readonly clippedCount: mx.array;
  /** Σ mask·|log π_old − log π_behaviour| (0 without importance sampling). */
  readonly mismatchSum: mx.array;
  /** max over the mask of |log π_old − log π_behaviour|. */
  readonly mismatchMax: mx.array;
  /** Σ mask·[π_old / π_behaviour > cap]: tokens whose importance weight was truncated. */
  readonly cappedCount: mx.array;
}

/** Per-token KL(π ‖ π_base) estimate from log-probs of the sampled tokens. */
export function klEstimate(logprobs: mx.array, referenceLogprobs: mx.array, estimator: 'k1' | 'k3', mask: mx.array): mx.array {
  const active = mx.greater(mask, 0);
  // log(π_base/π); zeroed off the mask so padding cannot overflow exp.
  const logRatio = mx.where(active, mx.subtract(referenceLogprobs, logprobs), 0);
  if (estimator === 'k1') return mx.negative(logRatio);
  return mx.subtract(mx.subtract(mx.exp(logRatio), logRatio), 1);
}

/** Builds the loss terms for one micro-batch. */
export function policyLoss(inputs: PolicyLossInputs, settings: LossSettings): PolicyLossTerms {
  const { logprobs, mask, weights, advantages } = inputs;
  const active = mx.greater(mask, 0);
  const cap = settings.importanceSamplingCap ?? 0;
  const proximal = cap > 0 ? (inputs.oldLogprobs ?? mx.stopGradient(logprobs)) : inputs.behaviourLogprobs;
  const logRatio = mx.where(active, mx.subtract(logprobs, proximal), 0);
  const ratio = mx.exp(logRatio);
  const eps = settings.clipRange;
  const unclipped = mx.multiply(ratio, advantages);
  const clipped = mx.multiply(mx.clip(ratio, 1 - eps, 1 + eps), advantages);
  const zero = mx.array(0, mx.float32);
  let surrogate = mx.negative(mx.minimum(unclipped, clipped));
  let mismatch = { mismatchSum: zero, mismatchMax: zero, cappedCount: zero };
  if (cap > 0) {
    // log(π_old / π_behaviour), zeroed off the mask.
    const drift = mx.stopGradient(mx.where(active, mx.subtract(proximal, inputs.behaviourLogprobs), 0));
    const weight = mx.minimum(mx.exp(drift), cap);
    surrogate = mx.multiply(surrogate, weight);
    const gap = mx.multiply(mx.abs(drift), mask);
    mismatch = { mismatchSum: mx.sum(gap), mismatchMax: mx.max(gap), cappedCount: mx.sum(mx.multiply(mx.greater(drift, Math.log(cap)).astype(mx.float32), mask)) };
  }
  const policy = mx.sum(mx.multiply(surrogate, weights));
  // Clipping is active where the clipped branch wins the min: the token then has no gradient.
  const highClip = mx.logicalAnd(mx.greater(advantages, 0), mx.greater(ratio, 1 + eps));
  const lowClip = mx.logicalAnd(mx.less(advantages, 0), mx.less(ratio, 1 - eps));
  const clippedCount = mx.sum(mx.multiply(mx.logicalOr(highClip, lowClip).astype(mx.float32), mask));
  if (!inputs.referenceLogprobs || settings.klPenalty === 0) {
    return { loss: policy, policyLoss: policy, weightedKl: zero, klSum: zero, clippedCount, ...mismatch };
  }
  const kl = klEstimate(inputs.untemperedLogprobs ?? logprobs, inputs.referenceLogprobs, settings.klEstimator, mask);
  const weightedKl = mx.sum(mx.multiply(kl, weights));
  return {
    loss: mx.add(policy, mx.multiply(weightedKl, settings.klPenalty)),
    policyLoss: policy,
    weightedKl,
    klSum: mx.sum(mx.multiply(kl, mask)),
    clippedCount,
    ...mismatch,
  };
}

/** Supervised loss: Σ w·(−log π(target)) over completion tokens. */
export function supervisedLoss(logprobs: mx.array, weights: mx.array): mx.array {
  return mx.negative(mx.sum(mx.multiply(logprobs, weights)));
}
