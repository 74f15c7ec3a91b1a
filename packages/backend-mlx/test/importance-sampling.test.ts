/**
 * Truncated importance sampling against a deliberately mismatched sampling engine: the loss by hand,
 * the mismatch metrics, and an update from a mismatched engine's rollouts that lands where the
 * on-policy update does with the correction and elsewhere without it.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { core as mx } from '@frost-beta/mlx';
import type { OptimizationSpec, Rollout } from '@rlaif/core';
import { IMPORTANCE_SAMPLING_CASE, itMatchesTheImportanceSamplingCase, sampleTask, temporaryPluginContext } from '@rlaif/core/testing';
import { describe, expect, it } from 'vitest';
import { mlx } from '../src/backend.js';
import { policyLoss } from '../src/train/policy-loss.js';
import { OPT } from './options.js';

const row = (values: number[]) => mx.array([values], mx.float32);
const num = (a: mx.array) => a.item() as number;

describe('policyLoss with truncated importance sampling', () => {
  const c = IMPORTANCE_SAMPLING_CASE;
  const settings = { klPenalty: 0, klEstimator: 'k1' as const, clipRange: 0.2, importanceSamplingCap: c.cap };
  const lossOf = (logprobs: mx.array, behaviour: readonly number[]) =>
    policyLoss({ logprobs, mask: row([...c.mask]), weights: row([...c.weights]), advantages: row([...c.advantages]), behaviourLogprobs: row([...behaviour]), referenceLogprobs: undefined }, settings);
  itMatchesTheImportanceSamplingCase({
    terms: (behaviour) => {
      const t = lossOf(row([...c.logprobs]), behaviour);
      return { loss: num(t.loss), clippedCount: num(t.clippedCount), mismatchSum: num(t.mismatchSum), mismatchMax: num(t.mismatchMax), cappedCount: num(t.cappedCount) };
    },
    gradient: () => (mx.grad((lp: mx.array) => lossOf(lp, c.behaviourLogprobs).loss)(row([...c.logprobs])).tolist() as number[][])[0]!,
  });

  it('is off with cap 0: the ratio is against the behaviour log-probs as before', () => {
    const inputs = { logprobs: row([-1]), mask: row([1]), weights: row([1]), advantages: row([1]), behaviourLogprobs: row([-1.1]), referenceLogprobs: undefined };
    const on = policyLoss(inputs, { klPenalty: 0, klEstimator: 'k1', clipRange: 0.2, importanceSamplingCap: 0 });
    expect(num(on.loss)).toBeCloseTo(-Math.exp(0.1), 6);
    expect(num(on.mismatchSum)).toBe(0);
  });
});

const fixture = fileURLToPath(new URL('../fixtures/tiny-qwen2', import.meta.url));

/** The fixture's policy (LoRA), the same initial weights every time. */
async function loadPolicy(optimization: OptimizationSpec) {
  // LoRA's A matrices are drawn from MLX's global stream.
  mx.random.seed(11);
  return mlx().load({
    model: { nameOrPath: fixture, revision: 'main', dtype: 'float32', quantizeBits: 0, chatTemplate: true, systemPrompt: '' },
    lora: { rank: 4, alpha: 8, dropout: 0, targetModules: [] },
    optimization,
    context: await temporaryPluginContext(),
  });
}

/** The adapter weights after one policy-gradient step on `rollouts`, flattened. */
async function weightsAfterStep(optimization: OptimizationSpec, rollouts: readonly Rollout[], advantages: readonly number[]) {
  const policy = await loadPolicy(optimization);
  const stats = await policy.optimizer.step([{ rollouts, advantages }]);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-is-'));
  await policy.optimizer.save(dir);
  const tensors = mx.load(path.join(dir, 'adapter_model.safetensors')) as Record<string, mx.array>;
  const values = Object.keys(tensors)
    .sort()
    .flatMap((k) => (tensors[k]!.flatten().tolist() as number[]));
  await policy.close();
  return { stats, values };
}

const maxDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('an update from a mismatched sampling engine', () => {
  it('with the correction lands where the on-policy update does; without it, it does not', async () => {
    const settings: OptimizationSpec = { ...OPT, klPenalty: 0, learningRate: 1e-2, maxGradNorm: 0, ppoEpochs: 1, microBatchSize: 8 };
    const sampler = await loadPolicy(settings);
    const { groups } = await sampler.generator.generate([sampleTask()], 4, { temperature: 1, topP: 1, topK: 0, minP: 0, maxNewTokens: 12, stop: [], seed: 3 });
    await sampler.close();
    const rollouts = groups[0]!;
    const advantages = [1, -1, 1, -1];
    // The mismatched engine reports every token 0.5 nats less likely than the trainer computes it
    // (as a lower-precision engine at a hotter temperature might): the ratios all start at e^0.5.
    const mismatched = rollouts.map((r) => ({ ...r, behaviourLogprobs: r.behaviourLogprobs.map((lp) => lp - 0.5) }));

    const onPolicy = await weightsAfterStep({ ...settings, importanceSamplingCap: 2 }, rollouts, advantages);
    const corrected = await weightsAfterStep({ ...settings, importanceSamplingCap: 2 }, mismatched, advantages);
    const uncorrected = await weightsAfterStep({ ...settings, importanceSamplingCap: 0 }, mismatched, advantages);

    expect(onPolicy.stats.logprobMismatch!.maxAbs).toBeLessThan(1e-3);
    expect(corrected.stats.logprobMismatch!.meanAbs).toBeCloseTo(0.5, 2);
    expect(corrected.stats.logprobMismatch!.cappedFraction).toBe(0);
    expect(corrected.stats.clipFraction).toBe(0);
    expect(uncorrected.stats.logprobMismatch).toBeUndefined();
    // Without the correction PPO clips every positive-advantage token (ratio e^0.5 > 1.2).
    expect(uncorrected.stats.clipFraction).toBeGreaterThan(0.2);
    // A uniform weight e^0.5 scales the gradient, which AdamW's first step does not see.
    const initial = await loadPolicyValues(settings);
    expect(maxDiff(initial, await loadPolicyValues(settings))).toBe(0);
    const moved = maxDiff(onPolicy.values, initial);
    expect(maxDiff(corrected.values, onPolicy.values)).toBeLessThan(moved * 1e-2);
    expect(maxDiff(uncorrected.values, onPolicy.values)).toBeGreaterThan(moved * 0.3);
  }, 120_000);
});

/** The adapter weights before any update. */
async function loadPolicyValues(optimization: OptimizationSpec): Promise<number[]> {
  const policy = await loadPolicy(optimization);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-is-'));
  await policy.optimizer.save(dir);
  const tensors = mx.load(path.join(dir, 'adapter_model.safetensors')) as Record<string, mx.array>;
  await policy.close();
  return Object.keys(tensors)
    .sort()
    .flatMap((k) => (tensors[k]!.flatten().tolist() as number[]));
}
