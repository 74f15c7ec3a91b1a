/** The loss terms, AdamW, aggregation, micro-batching, PPO reuse and SFT, each against a hand computation. */
import type { PolicyBatch, Rollout } from '@rlaif/core';
import { describe, expect, it } from 'vitest';
import { tf } from '../src/engine/tf.js';
import { completionLogprobs } from '../src/generate/teacher-forced.js';
import { loadModel } from '../src/load/load-model.js';
import { applyLora } from '../src/lora/apply-lora.js';
import type { DecoderForCausalLM } from '../src/models/causal-lm.js';
import { AdamW } from '../src/optim/adamw.js';
import { klEstimate, policyLoss } from '../src/train/policy-loss.js';
import { PolicyOptimizer } from '../src/train/policy-optimizer.js';
import { fixture } from './fixtures.js';
import { OPT } from './options.js';

const row = (values: number[]) => tf.tensor2d([values]);

describe('policyLoss', () => {
  it('matches the clipped surrogate computed by hand, and counts clipped tokens', () => {
    const logprobs = [-1, -0.5, -2, -0.1];
    const behaviour = [-1.5, -0.5, -1, -0.1];
    const advantages = [1, 1, -1, -1];
    const mask = [1, 1, 1, 0];
    const weights = [1 / 3, 1 / 3, 1 / 3, 0];
    const eps = 0.2;
    const terms = policyLoss(
      { logprobs: row(logprobs), mask: row(mask), weights: row(weights), advantages: row(advantages), behaviourLogprobs: row(behaviour), referenceLogprobs: undefined },
      { klPenalty: 0, klEstimator: 'k1', clipRange: eps },
    );
    let expected = 0;
    let clipped = 0;
    logprobs.forEach((lp, i) => {
      if (!mask[i]) return;
      const r = Math.exp(lp - behaviour[i]!);
      const a = advantages[i]!;
      expected += -Math.min(r * a, Math.min(Math.max(r, 1 - eps), 1 + eps) * a) * weights[i]!;
      if ((a > 0 && r > 1 + eps) || (a < 0 && r < 1 - eps)) clipped += 1;
    });
    expect(terms.loss.dataSync()[0]).toBeCloseTo(expected, 6);
    expect(terms.clippedCount.dataSync()[0]).toBe(clipped);
    expect(clipped).toBe(2);
  });

  it('k1 and k3 follow their definitions; k3 is non-negative', () => {
    const lp = row([-1, -2, -0.3]);
    const ref = row([-1.2, -1.5, -0.3]);
    const mask = row([1, 1, 1]);
    const k1 = klEstimate(lp, ref, 'k1', mask).arraySync()[0]!;
    const k3 = klEstimate(lp, ref, 'k3', mask).arraySync()[0]!;
    [[-1, -1.2], [-2, -1.5], [-0.3, -0.3]].forEach(([p, q], i) => {
      expect(k1[i]).toBeCloseTo(p! - q!, 6);
      expect(k3[i]).toBeCloseTo(Math.exp(q! - p!) - (q! - p!) - 1, 6);
      expect(k3[i]!).toBeGreaterThanOrEqual(0);
    });
  });
});

describe('AdamW', () => {
  it('matches AdamW with bias correction, decoupled weight decay and the clipping scale', () => {
    const adam = new AdamW({ betas: [0.9, 0.99], epsilon: 1e-8, weightDecay: 0.1 });
    const p = tf.variable(tf.tensor1d([1, -2, 0.5]));
    const ref = [1, -2, 0.5];
    const m = [0, 0, 0];
    const v = [0, 0, 0];
    const grads = [[0.1, -0.2, 0.3], [0.05, 0.1, -0.3], [-0.2, 0.0, 0.1]];
    grads.forEach((g, step) => {
      const lr = 0.01 * (step + 1);
      const scale = step === 1 ? 0.5 : 1;
      adam.update(['p'], [p], [tf.tensor1d(g)], lr, scale);
      const t = step + 1;
      ref.forEach((x, i) => {
        const gs = g[i]! * scale;
        m[i] = 0.9 * m[i]! + 0.1 * gs;
        v[i] = 0.99 * v[i]! + 0.01 * gs ** 2;
        const mHat = m[i]! / (1 - 0.9 ** t);
        const vHat = v[i]! / (1 - 0.99 ** t);
        ref[i] = x - lr * 0.1 * x - (lr * mHat) / (Math.sqrt(vHat) + 1e-8);
      });
    });
    Array.from(p.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(ref[i]!, 5));
    expect(adam.step).toBe(3);
    adam.dispose();
    p.dispose();
  });
});

const task = { id: 't', language: 'python' as const, prompt: 'p', extra: {} };

/** Rollouts whose behaviour log-probs are the model's own (ratio 1): the policy loss is then −Σ w·A. */
function onPolicyBatch(model: DecoderForCausalLM, lengths: number[], advantages: number[]): PolicyBatch {
  const rollouts: Rollout[] = lengths.map((n, i) => {
    const promptTokens = [1, 2 + i];
    const completionTokens = Array.from({ length: n }, (_, t) => (3 * t + i) % 30);
    return {
      task, sampleIndex: i, text: '', code: '', promptTokens, completionTokens,
      behaviourLogprobs: completionLogprobs(model, promptTokens, completionTokens), finishReason: 'length', policyVersion: 0, generationMs: 0,
    };
  });
  return { rollouts, advantages };
}

async function loraOptimizer(optimization: Partial<typeof OPT>, targetModules: string[] = []) {
  const { model } = await loadModel(fixture('tiny-qwen2'));
  applyLora(model, { rank: 2, alpha: 2, dropout: 0, targetModules });
  return { model, optimizer: new PolicyOptimizer({ model, adapter: undefined, optimization: { ...OPT, klPenalty: 0, ...optimization }, seed: 0 }) };
}

describe('aggregation and micro-batching', () => {
  const lengths = [2, 6, 4];
  const advantages = [1, -0.5, 2];
  async function stepWith(aggregation: 'token' | 'sequence', microBatchSize: number) {
    const { model, optimizer } = await loraOptimizer({ aggregation, microBatchSize }, ['q_proj', 'v_proj']);
    const stats = await optimizer.step([onPolicyBatch(model, lengths, advantages)]);
    model.dispose();
    optimizer.dispose();
    return stats;
  }

  it('token mean vs sequence mean of −A·ratio at ratio 1; micro-batch size does not change the result', async () => {
    const token = await stepWith('token', 4);
    const tokens = lengths.reduce((a, b) => a + b);
    expect(token.policyLoss).toBeCloseTo(-lengths.reduce((s, n, i) => s + n * advantages[i]!, 0) / tokens, 5);
    expect(token.clipFraction).toBe(0);
    const sequence = await stepWith('sequence', 4);
    expect(sequence.policyLoss).toBeCloseTo(-advantages.reduce((a, b) => a + b) / advantages.length, 5);
    const split = await stepWith('token', 1);
    expect(split.loss).toBeCloseTo(token.loss, 5);
    expect(split.gradNorm).toBeCloseTo(token.gradNorm, 4);
  });

  it('skips zero-advantage rollouts without a KL term, but keeps them in the token mean', async () => {
    const { model, optimizer } = await loraOptimizer({});
    const none = await optimizer.step([onPolicyBatch(model, lengths, [0, 0, 0])]);
    expect(none.tokens).toBe(0);
    expect(optimizer.version).toBe(0);
    const some = await optimizer.step([onPolicyBatch(model, lengths, [0, 1, 0])]);
    expect(some.tokens).toBe(12);
    expect(some.policyLoss).toBeCloseTo(-6 / 12, 5);
    expect(optimizer.version).toBe(1);
  });

  it('ppoEpochs reuses the batch: later epochs see ratios ≠ 1', async () => {
    const { model, optimizer } = await loraOptimizer({ ppoEpochs: 3, learningRate: 0.2 });
    const stats = await optimizer.step([onPolicyBatch(model, lengths, advantages)]);
    expect(optimizer.version).toBe(1);
    expect(optimizer.updateCount).toBe(3);
    expect(stats.clipFraction).toBeGreaterThan(0);
  });
});

describe('supervisedStep', () => {
  it('lowers the cross-entropy of the completion', async () => {
    const { model } = await loadModel(fixture('tiny-qwen2'));
    applyLora(model, { rank: 4, alpha: 8, dropout: 0, targetModules: [] });
    const chars = (text: string) => [...text].map((c) => c.charCodeAt(0) % 30);
    const optimizer = new PolicyOptimizer({
      model, adapter: undefined, optimization: { ...OPT, klPenalty: 0 }, seed: 0,
      encoder: { promptTokens: (t) => chars(t.prompt), completionTokens: chars, eosTokenId: 31 },
    });
    const batch = [[{ task: { ...task, prompt: 'add' }, completion: 'a+b' }, { task: { ...task, prompt: 'sub' }, completion: 'a-b' }]];
    const first = await optimizer.supervisedStep(batch);
    expect(first.tokens).toBe(8);
    let last = first;
    for (let i = 0; i < 15; i++) last = await optimizer.supervisedStep(batch);
    expect(last.loss).toBeLessThan(first.loss * 0.5);
    expect(optimizer.version).toBe(16);
  });
});

describe('LoRA dropout', () => {
  async function twoSteps(dropout: number, seed: number) {
    const { model } = await loadModel(fixture('tiny-qwen2'));
    applyLora(model, { rank: 4, alpha: 8, dropout, targetModules: [] }, 1);
    const optimizer = new PolicyOptimizer({ model, adapter: undefined, optimization: { ...OPT, klPenalty: 0, learningRate: 0.05 }, seed });
    const batch = onPolicyBatch(model, [5, 7], [1, -1]);
    const stats = [await optimizer.step([batch]), await optimizer.step([batch])].map((s) => [s.loss, s.gradNorm]);
    model.dispose();
    optimizer.dispose();
    return stats;
  }

  it('is active while training and reproducible from the run seed', async () => {
    const [a, b, other, none] = [await twoSteps(0.3, 7), await twoSteps(0.3, 7), await twoSteps(0.3, 8), await twoSteps(0, 7)];
    expect(b).toEqual(a);
    expect(other).not.toEqual(a);
    expect(none).not.toEqual(a);
  });
});
