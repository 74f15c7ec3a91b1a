import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { core as mx } from '@frost-beta/mlx';
import type { PolicyBatch } from '@rlaif/core';
import { describe, expect, it } from 'vitest';
import { applyLora, setAdaptersEnabled } from '../src/lora/apply-lora.js';
import { PolicyOptimizer } from '../src/train/policy-optimizer.js';
import { flattenTrainable } from '../src/train/trainable-gradients.js';
import { sampleRollouts } from './sample-tokens.js';
import { close, identical } from './mx-assert.js';
import { OPT } from './options.js';
import { tinyModel } from './tiny-model.js';

const LORA = { rank: 4, alpha: 8, dropout: 0, targetModules: [] as string[] };


function adapted(seed = 3) {
  const model = tinyModel(seed);
  const lora = applyLora(model, LORA);
  const optimizer = new PolicyOptimizer({
    model,
    lora,
    adapter: { rank: 4, alpha: 8, dropout: 0, baseModelNameOrPath: 'tiny' },
    optimization: OPT,
    seed: 1,
  });
  return { model, lora, optimizer };
}

const TARGET = 7;
const reward = (tokens: readonly number[]) => tokens.filter((t) => t === TARGET).length / tokens.length;

/** Rollouts with advantages ±1 regardless of reward, so every step has a gradient. */
function signedBatch(model: ReturnType<typeof tinyModel>, version: number): PolicyBatch {
  const rollouts = sampleRollouts(model, [1, 2, 3], 8, 6, version);
  return { rollouts, advantages: rollouts.map((_, i) => (i % 2 === 0 ? 1 : -1)) };
}

function batchFor(model: ReturnType<typeof tinyModel>, version: number): { batch: PolicyBatch; meanReward: number } {
  const rollouts = sampleRollouts(model, [1, 2, 3], 8, 6, version);
  const rewards = rollouts.map((r) => reward(r.completionTokens));
  const mean = rewards.reduce((a, b) => a + b, 0) / rewards.length;
  return { batch: { rollouts, advantages: rewards.map((r) => r - mean) }, meanReward: mean };
}

describe('LoRA', () => {
  it('disabling adapters reproduces the base logits exactly', async () => {
    const base = tinyModel(5);
    const tokens = mx.array([[1, 4, 9, 2]], mx.int32);
    const before = base.forward(tokens);
    mx.eval(before);
    const { model, optimizer } = adapted(5);
    mx.random.seed(0);
    await optimizer.step([signedBatch(model, 0)]);
    const adaptedLogits = model.forward(tokens);
    expect(close(adaptedLogits, before)).toBe(false);
    setAdaptersEnabled(model, false);
    expect(close(model.forward(tokens), before)).toBe(true);
    setAdaptersEnabled(model, true);
  });

  it('a step changes only the adapters', async () => {
    const { model, optimizer } = adapted();
    const snapshot = (mxParams: Record<string, unknown>) => mxParams;
    const before = new Map(
      (await import('@frost-beta/mlx')).utils.treeFlatten(snapshot(model.parameters())).map(([k, v]) => [k, (v as mx.array).tolist()]),
    );
    mx.random.seed(1);
    await optimizer.step([signedBatch(model, 0)]);
    const after = (await import('@frost-beta/mlx')).utils.treeFlatten(model.parameters()) as [string, mx.array][];
    const changed = after.filter(([k, v]) => JSON.stringify(v.tolist()) !== JSON.stringify(before.get(k))).map(([k]) => k);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((k) => k.endsWith('loraA') || k.endsWith('loraB'))).toBe(true);
    expect(flattenTrainable(model).names.length).toBe(28);
  });
});

describe('PolicyOptimizer.step', () => {
  it('raises a verifiable reward; KL starts at 0 and grows', async () => {
    const { model, optimizer } = adapted();
    mx.random.seed(11);
    const rewards: number[] = [];
    const kls: number[] = [];
    for (let step = 0; step < 30; step++) {
      const { batch, meanReward } = batchFor(model, optimizer.version);
      rewards.push(meanReward);
      const stats = await optimizer.step([batch]);
      kls.push(stats.kl);
      expect(Number.isFinite(stats.loss)).toBe(true);
      expect(stats.tokens).toBe(48);
    }
    expect(optimizer.version).toBe(30);
    expect(Math.abs(kls[0]!)).toBeLessThan(1e-6);
    expect(kls[kls.length - 1]!).toBeGreaterThan(1e-3);
    const early = rewards.slice(0, 5).reduce((a, b) => a + b) / 5;
    const late = rewards.slice(-5).reduce((a, b) => a + b) / 5;
    expect(late).toBeGreaterThan(early + 0.25);
  });

  it('save → load restores identical logits, optimizer and trainer state (PEFT layout)', async () => {
    const { model, optimizer } = adapted(8);
    mx.random.seed(2);
    for (let i = 0; i < 2; i++) await optimizer.step([signedBatch(model, optimizer.version)]);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-mlx-ckpt-'));
    await optimizer.save(dir);
    expect((await readdir(dir)).sort()).toEqual(
      ['adapter_config.json', 'adapter_model.safetensors', 'optimizer.json', 'optimizer.safetensors', 'policy_state.json', 'rng_state.json'],
    );
    const config = JSON.parse(await readFile(path.join(dir, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ peft_type: 'LORA', r: 4, lora_alpha: 8, base_model_name_or_path: 'tiny' });
    const tensors = mx.load(path.join(dir, 'adapter_model.safetensors')) as unknown as Record<string, mx.array>;
    expect(tensors['base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight']!.shape).toEqual([4, 32]);
    expect(tensors['base_model.model.model.layers.1.mlp.down_proj.lora_B.weight']!.shape).toEqual([32, 4]);

    const tokens = mx.array([[1, 2, 3, 7, 7]], mx.int32);
    const expected = model.forward(tokens);
    const fresh = adapted(8);
    expect(close(fresh.model.forward(tokens), expected)).toBe(false);
    await fresh.optimizer.load(dir);
    expect(identical(fresh.model.forward(tokens), expected)).toBe(true);
    expect(fresh.optimizer.version).toBe(2);
    // Identical state → identical next update.
    mx.random.seed(4);
    const next = signedBatch(model, 2);
    await optimizer.step([next]);
    await fresh.optimizer.step([next]);
    expect(close(fresh.model.forward(tokens), model.forward(tokens))).toBe(true);
  });
});

describe('PolicyOptimizer.step with non-finite values', () => {
  // Adds Σ√|l − l|·0 to the logits: 0 in value, NaN in gradient (√ has an infinite slope at 0).
  function poisonGradient(model: ReturnType<typeof tinyModel>): void {
    const forward = model.forward.bind(model);
    model.forward = (tokens: mx.array) => {
      const logits = forward(tokens);
      return mx.add(logits, mx.multiply(mx.sum(mx.sqrt(mx.abs(mx.subtract(logits, logits)))), 0));
    };
  }

  it('skips an update whose gradient is not finite, counts it, and leaves the adapters as they were', async () => {
    const { model, optimizer } = adapted();
    const batch = signedBatch(model, 0);
    const before = flattenTrainable(model).values.map((v) => v.tolist());
    const realForward = model.forward;
    poisonGradient(model);
    const stats = await optimizer.step([batch]);
    expect(Number.isFinite(stats.loss)).toBe(true);
    expect(stats.skippedUpdates).toBe(1);
    expect(flattenTrainable(model).values.map((v) => v.tolist())).toEqual(before);
    model.forward = realForward;
    const next = await optimizer.step([batch]);
    expect(next.skippedUpdates).toBe(0);
    expect(Number.isFinite(next.gradNorm)).toBe(true);
    expect(flattenTrainable(model).values.every((v) => mx.all(mx.logicalNot(mx.isnan(v))).item())).toBe(true);
  });

  it('stops on non-finite logits, naming the step and the tensor', async () => {
    const { model, optimizer } = adapted();
    const batch = signedBatch(model, 0);
    const forward = model.forward.bind(model);
    model.forward = (tokens: mx.array) => mx.multiply(forward(tokens), Number.NaN);
    await expect(optimizer.step([batch])).rejects.toThrow(/optimizer step 1, micro-batch 1 of \d+: non-finite values in the policy's logits/);
  });
});
