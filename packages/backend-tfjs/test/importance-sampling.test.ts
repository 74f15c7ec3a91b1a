/**
 * Truncated importance sampling on this engine (the same terms as backend-mlx's): the loss and its
 * gradient by hand, the mismatch metrics, and an update from a deliberately mismatched engine.
 */
import type { PolicyBatch, Rollout } from '@rlaif/core';
import { IMPORTANCE_SAMPLING_CASE, itMatchesTheImportanceSamplingCase } from '@rlaif/core/testing';
import { describe, expect, it } from 'vitest';
import { tf } from '../src/engine/tf.js';
import { completionLogprobs } from '../src/generate/teacher-forced.js';
import { loadModel } from '../src/load/load-model.js';
import { applyLora } from '../src/lora/apply-lora.js';
import type { DecoderForCausalLM } from '../src/models/causal-lm.js';
import { policyLoss } from '../src/train/policy-loss.js';
import { PolicyOptimizer } from '../src/train/policy-optimizer.js';
import { fixture } from './fixtures.js';
import { OPT } from './options.js';

const row = (values: number[]) => tf.tensor2d([values]);
const num = (t: tf.Tensor) => t.dataSync()[0]!;

describe('policyLoss with truncated importance sampling', () => {
  const c = IMPORTANCE_SAMPLING_CASE;
  const settings = { klPenalty: 0, klEstimator: 'k1' as const, clipRange: 0.2, importanceSamplingCap: c.cap };
  const lossOf = (logprobs: tf.Tensor2D, behaviour: readonly number[]) =>
    policyLoss({ logprobs, mask: row([...c.mask]), weights: row([...c.weights]), advantages: row([...c.advantages]), behaviourLogprobs: row([...behaviour]), referenceLogprobs: undefined }, settings);
  itMatchesTheImportanceSamplingCase({
    terms: (behaviour) => {
      const t = lossOf(row([...c.logprobs]), behaviour);
      return { loss: num(t.loss), clippedCount: num(t.clippedCount), mismatchSum: num(t.mismatchSum), mismatchMax: num(t.mismatchMax), cappedCount: num(t.cappedCount) };
    },
    gradient: () => Array.from(tf.grad((lp: tf.Tensor) => lossOf(lp as tf.Tensor2D, c.behaviourLogprobs).loss)(row([...c.logprobs])).dataSync()),
  });

  it('is off with cap 0: the ratio is against the behaviour log-probs as before', () => {
    const inputs = { logprobs: row([-1]), mask: row([1]), weights: row([1]), advantages: row([1]), behaviourLogprobs: row([-1.1]), referenceLogprobs: undefined };
    const off = policyLoss(inputs, { klPenalty: 0, klEstimator: 'k1', clipRange: 0.2, importanceSamplingCap: 0 });
    expect(num(off.loss)).toBeCloseTo(-Math.exp(0.1), 5);
    expect(num(off.mismatchSum)).toBe(0);
  });
});

const task = { id: 't', language: 'python' as const, prompt: 'p', extra: {} };

/** Rollouts whose behaviour log-probs are the model's own shifted by `shift` nats (a mismatched engine when ≠ 0). */
function batchFrom(model: DecoderForCausalLM, advantages: number[], shift: number): PolicyBatch {
  const rollouts: Rollout[] = advantages.map((_, i) => {
    const promptTokens = [1, 2 + i];
    const completionTokens = Array.from({ length: 5 }, (_, t) => (3 * t + i) % 30);
    const own = completionLogprobs(model, promptTokens, completionTokens);
    return {
      task, sampleIndex: i, text: '', code: '', promptTokens, completionTokens,
      behaviourLogprobs: own.map((lp) => lp + shift), finishReason: 'length', policyVersion: 0, generationMs: 0,
    };
  });
  return { rollouts, advantages };
}

async function stepStats(importanceSamplingCap: number, shift: number, ppoEpochs = 1) {
  const { model } = await loadModel(fixture('tiny-qwen2'));
  applyLora(model, { rank: 2, alpha: 2, dropout: 0, targetModules: [] });
  const optimizer = new PolicyOptimizer({ model, adapter: undefined, optimization: { ...OPT, klPenalty: 0, importanceSamplingCap, ppoEpochs }, seed: 0 });
  const stats = await optimizer.step([batchFrom(model, [1, -1, 1, -1], shift)]);
  model.dispose();
  optimizer.dispose();
  return stats;
}

describe('an update from a mismatched sampling engine', () => {
  it('reports the mismatch and keeps PPO from clipping with the correction; clips without it', async () => {
    // The engine reports every token 0.5 nats less likely than the trainer computes it.
    const corrected = await stepStats(2, -0.5);
    expect(corrected.logprobMismatch!.meanAbs).toBeCloseTo(0.5, 4);
    expect(corrected.logprobMismatch!.cappedFraction).toBe(0);
    expect(corrected.clipFraction).toBe(0);
    const onPolicy = await stepStats(2, 0);
    expect(onPolicy.logprobMismatch!.maxAbs).toBeLessThan(1e-4);
    const uncorrected = await stepStats(0, -0.5);
    expect(uncorrected.logprobMismatch).toBeUndefined();
    // Without the correction PPO clips every positive-advantage token (ratio e^0.5 > 1.2).
    expect(uncorrected.clipFraction).toBeGreaterThan(0.2);
    // With PPO reuse π_old is kept from before the first pass: the second pass sees the same mismatch.
    const reused = await stepStats(2, -0.5, 2);
    expect(reused.logprobMismatch!.meanAbs).toBeCloseTo(0.5, 4);
  });
});
