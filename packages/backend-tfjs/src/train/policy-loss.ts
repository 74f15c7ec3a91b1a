/**
 * The clipped policy-gradient loss with a KL penalty to the reference model, per completion token:
 *   ℓ_t = −min(r_t·A, clip(r_t, 1−ε, 1+ε)·A) + β·KL_t,   r_t = exp(logπ_t − logπ_behaviour,t)
 * summed with per-token weights that encode the aggregation (token mean or sequence mean).
 * With truncated importance sampling (cap c > 0) the ratio is taken against π_old, the optimizer's own
 * log-probs of the sampled tokens at the start of the update, and each token is weighted by
 * w_t = min(π_old,t / π_behaviour,t, c) (no gradient). The same terms as backend-mlx's
 * train/policy-loss.ts, in TensorFlow.js ops.
 */
import type { OptimizationSpec } from '@rlaif/core';
import { tf } from '../engine/tf.js';

/** Per-token inputs, all [B, T] and aligned with the packed targets. */
export interface PolicyLossInputs {
  /** log π(target) under the current parameters at the sampling temperature (differentiated); used in the ratio. */
  readonly logprobs: tf.Tensor2D;
  /** log π(target) at temperature 1, for the KL to the reference; defaults to `logprobs`. */
  readonly untemperedLogprobs?: tf.Tensor2D;
  /** 1 on completion targets, 0 on prompt and padding. */
  readonly mask: tf.Tensor2D;
  /** Loss weight of each token (0 off the mask); sums to 1 over the whole update. */
  readonly weights: tf.Tensor2D;
  readonly advantages: tf.Tensor2D;
  readonly behaviourLogprobs: tf.Tensor2D;
  /**
   * log π_old(target) at the sampling temperature: the parameters at the start of the update, no
   * gradient. Undefined = this pass's own log-probs without gradient (right for the first pass).
   * Used only with `importanceSamplingCap` > 0.
   */
  readonly oldLogprobs?: tf.Tensor2D | undefined;
  /** log π_ref(target); undefined when β = 0. */
  readonly referenceLogprobs: tf.Tensor2D | undefined;
}

type LossSettings = Pick<OptimizationSpec, 'klPenalty' | 'klEstimator' | 'clipRange' | 'importanceSamplingCap'>;

/** The loss and the sums its statistics are made of (scalars; divide by token counts outside). */
export interface PolicyLossTerms {
  /** Σ w·ℓ: the quantity differentiated. */
  readonly loss: tf.Scalar;
  /** Σ w·(−min(r·A, clip(r)·A)). */
  readonly policyLoss: tf.Scalar;
  /** Σ mask·KL_t, for the per-token mean. */
  readonly klSum: tf.Scalar;
  /** Σ mask·[clipping active]. */
  readonly clippedCount: tf.Scalar;
  /** Σ mask·|log π_old − log π_behaviour| (0 without importance sampling). */
  readonly mismatchSum: tf.Scalar;
  /** max over the mask of |log π_old − log π_behaviour|. */
  readonly mismatchMax: tf.Scalar;
  /** Σ mask·[π_old / π_behaviour > cap]: tokens whose importance weight was truncated. */
  readonly cappedCount: tf.Scalar;
}

/** `x` as a value without gradient (tfjs has no stop_gradient op). */
export const stopGradient = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => ({
  value: (inputs[0] as tf.Tensor).clone(),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as <T extends tf.Tensor>(x: T) => T;

/** Per-token KL(π ‖ π_ref) estimate from log-probs of the sampled tokens (k1 or k3). */
export function klEstimate(logprobs: tf.Tensor2D, referenceLogprobs: tf.Tensor2D, estimator: 'k1' | 'k3', mask: tf.Tensor2D): tf.Tensor2D {
  // log(π_ref/π), zeroed off the mask (by multiplication: a where on a differentiated value has no gradient here).
  const logRatio = tf.mul<tf.Tensor2D>(tf.sub(referenceLogprobs, logprobs), mask);
  if (estimator === 'k1') return tf.neg(logRatio);
  return tf.sub<tf.Tensor2D>(tf.sub(tf.exp(logRatio), logRatio), 1);
}

/** Builds the loss terms for one micro-batch. */
export function policyLoss(inputs: PolicyLossInputs, settings: LossSettings): PolicyLossTerms {
  const { logprobs, mask, weights, advantages } = inputs;
  const cap = settings.importanceSamplingCap ?? 0;
  const proximal = cap > 0 ? (inputs.oldLogprobs ?? stopGradient(logprobs)) : inputs.behaviourLogprobs;
  const ratio = tf.exp(tf.mul(tf.sub(logprobs, proximal), mask));
  const eps = settings.clipRange;
  const unclipped = tf.mul(ratio, advantages);
  const clipped = tf.mul(tf.clipByValue(ratio, 1 - eps, 1 + eps), advantages);
  let surrogate: tf.Tensor = tf.neg(tf.minimum(unclipped, clipped));
  let mismatch = { mismatchSum: tf.scalar(0), mismatchMax: tf.scalar(0), cappedCount: tf.scalar(0) };
  if (cap > 0) {
    // log(π_old / π_behaviour), zeroed off the mask.
    const drift = stopGradient(tf.mul(tf.sub(proximal, inputs.behaviourLogprobs), mask));
    surrogate = tf.mul(surrogate, tf.minimum(tf.exp(drift), cap));
    const gap = tf.mul(tf.abs(drift), mask);
    mismatch = {
      mismatchSum: tf.sum(gap) as tf.Scalar,
      mismatchMax: tf.max(gap) as tf.Scalar,
      cappedCount: tf.sum(tf.mul(tf.cast(tf.greater(drift, Math.log(cap)), 'float32'), mask)) as tf.Scalar,
    };
  }
  const policy = tf.sum(tf.mul(surrogate, weights)) as tf.Scalar;
  // Clipping is active where the clipped branch wins the min: the token then has no gradient.
  const highClip = tf.logicalAnd(tf.greater(advantages, 0), tf.greater(ratio, 1 + eps));
  const lowClip = tf.logicalAnd(tf.less(advantages, 0), tf.less(ratio, 1 - eps));
  const clippedCount = tf.sum(tf.mul(tf.cast(tf.logicalOr(highClip, lowClip), 'float32'), mask)) as tf.Scalar;
  if (!inputs.referenceLogprobs || settings.klPenalty === 0) {
    return { loss: policy, policyLoss: policy, klSum: tf.scalar(0), clippedCount, ...mismatch };
  }
  const kl = klEstimate(inputs.untemperedLogprobs ?? logprobs, inputs.referenceLogprobs, settings.klEstimator, mask);
  return {
    loss: tf.add(policy, tf.mul(tf.sum(tf.mul(kl, weights)), settings.klPenalty)),
    policyLoss: policy,
    klSum: tf.sum(tf.mul(kl, mask)) as tf.Scalar,
    clippedCount,
    ...mismatch,
  };
}

/** Supervised loss: Σ w·(−log π(target)) over completion tokens. */
export function supervisedLoss(logprobs: tf.Tensor2D, weights: tf.Tensor2D): tf.Scalar {
  return tf.neg(tf.sum<tf.Scalar>(tf.mul(logprobs, weights)));
}
