/** The tfjs() plugin end to end on the tiny Qwen2: temperature-consistent ratios, schedules, full fine-tuning. */
import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BackendOptions, Task } from '@rlaif/core';
import { learningRateAt, planSteps, silentLogger } from '@rlaif/core';
import { describe, expect, it } from 'vitest';
import { tfjs } from '../src/backend.js';
import { fixture } from './fixtures.js';
import { OPT } from './options.js';

function options(overrides: Partial<BackendOptions> = {}): BackendOptions {
  return {
    model: { nameOrPath: fixture('tiny-qwen2'), revision: 'main', dtype: 'float32', quantizeBits: 0, chatTemplate: true, systemPrompt: '' },
    lora: { rank: 4, alpha: 8, dropout: 0, targetModules: [] },
    optimization: { ...OPT, klPenalty: 0, learningRate: 1e-2 },
    context: { runDir: os.tmpdir(), cacheDir: os.tmpdir(), logger: silentLogger, seed: 5, signal: new AbortController().signal },
    ...overrides,
  };
}

const tasks: Task[] = [
  { id: 'a', language: 'python', prompt: 'Add two numbers.', extra: {} },
  { id: 'b', language: 'cpp', prompt: 'Reverse a string.', extra: {} },
];
const SAMPLING = { temperature: 1, topP: 1, topK: 0, minP: 0, maxNewTokens: 8, stop: [], seed: 3 };
const GREEDY = { ...SAMPLING, temperature: 0 };
type LoadedPolicy = Awaited<ReturnType<ReturnType<typeof tfjs>['load']>>;
const logprobsOf = async (policy: LoadedPolicy) => (await policy.generator.generate(tasks, 1, GREEDY)).groups.map((g) => g.map((r) => r.behaviourLogprobs));

describe('tfjs backend', () => {
  it('forms the on-policy ratio at the sampling temperature (ratio 1, no clipping at step 0)', async () => {
    const policy = await tfjs().load(options({ optimization: { ...OPT, clipRange: 0.01, klPenalty: 0 } }));
    const { groups } = await policy.generator.generate(tasks.slice(0, 1), 4, { ...SAMPLING, temperature: 0.5 });
    const rollouts = groups.flat();
    const advantages = rollouts.map((_, i) => (i % 2 ? 1 : -1));
    expect((await policy.optimizer.step([{ rollouts, advantages }])).clipFraction).toBe(0);
    // The same rollouts without their temperature look off-policy: the ratio test can fail.
    const fresh = await tfjs().load(options({ optimization: { ...OPT, clipRange: 0.01, klPenalty: 0 } }));
    const untempered = rollouts.map(({ samplingTemperature: _t, ...rest }) => rest);
    expect((await fresh.optimizer.step([{ rollouts: untempered, advantages }])).clipFraction).toBeGreaterThan(0);
    await Promise.all([policy.close(), fresh.close()]);
  });

  it('runs SFT at its own rate, then follows the learning-rate plan per step call (linear, ppoEpochs 2, warm-up 2)', async () => {
    const plan = planSteps({ epochs: 2, batchesPerEpoch: 3, gradientAccumulationSteps: 1 });
    const spec = { ...OPT, learningRate: 1e-2, supervisedLearningRate: 3e-3, schedule: 'linear' as const, warmupSteps: 2, ppoEpochs: 2, klPenalty: 0, totalSteps: plan.policyUpdates };
    const policy = await tfjs().load(options({ optimization: spec }));
    expect((await policy.optimizer.supervisedStep!([[{ task: tasks[0]!, completion: 'print(1)' }]])).learningRate).toBe(3e-3);
    const { groups } = await policy.generator.generate(tasks.slice(0, 1), 2, SAMPLING);
    const rates: number[] = [];
    for (let update = 0; update < plan.policyUpdates; update++) rates.push((await policy.optimizer.step([{ rollouts: groups.flat(), advantages: [1, -1] }])).learningRate);
    expect(rates).toEqual(Array.from({ length: plan.policyUpdates }, (_, k) => learningRateAt(spec, k)));
    expect(Math.min(...rates)).toBeGreaterThan(0);
    await policy.close();
  });

  it('full fine-tuning trains every parameter, saves a model folder and resumes to identical outputs', async () => {
    const full = options({ lora: undefined });
    const policy = await tfjs().load(full);
    expect(policy.info.trainableParameters).toBe(policy.info.parameters);
    const before = await logprobsOf(policy);
    await policy.optimizer.supervisedStep!([[{ task: tasks[0]!, completion: '```python\nprint(1)\n```' }]]);
    const rollouts = (await policy.generator.generate(tasks, 2, SAMPLING)).groups.flat();
    expect((await policy.optimizer.step([{ rollouts, advantages: [1, -1, 0.5, -0.5] }])).gradNorm).toBeGreaterThan(0);
    const trained = await logprobsOf(policy);
    expect(trained).not.toEqual(before);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-tfjs-full-'));
    await policy.optimizer.save(dir);
    const files = await readdir(dir);
    expect(files).toEqual(expect.arrayContaining(['model.safetensors', 'config.json', 'tokenizer.json', 'optimizer.safetensors', 'policy_state.json']));
    expect(files).not.toContain('adapter_config.json');
    const resumed = await tfjs().load(full);
    await resumed.optimizer.load(dir);
    expect(resumed.optimizer.version).toBe(2);
    expect(await logprobsOf(resumed)).toEqual(trained);
    const asModel = await tfjs().load(options({ lora: undefined, model: { ...full.model, nameOrPath: dir } }));
    expect(await logprobsOf(asModel)).toEqual(trained);
    await Promise.all([policy.close(), resumed.close(), asModel.close()]);
  });

  it('full fine-tuning measures KL against the weights at the first policy step, kept across save and load', async () => {
    const opts = options({ lora: undefined, optimization: { ...OPT, klPenalty: 0.5, learningRate: 5e-2 } });
    const policy = await tfjs().load(opts);
    await policy.optimizer.supervisedStep!([[{ task: tasks[0]!, completion: '```python\nprint(1)\n```' }]]);
    const rollouts = (await policy.generator.generate(tasks, 2, SAMPLING)).groups.flat();
    expect(Math.abs((await policy.optimizer.step([{ rollouts, advantages: [1, -1, 1, -1] }])).kl)).toBeLessThan(1e-5);
    expect((await policy.optimizer.step([{ rollouts, advantages: [1, -1, 1, -1] }])).kl).toBeGreaterThan(1e-6);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-tfjs-kl-'));
    await policy.optimizer.save(dir);
    expect(await readdir(dir)).toContain('reference_weights.safetensors');
    const resumed = await tfjs().load(opts);
    await resumed.optimizer.load(dir);
    const [live, again] = [await policy.optimizer.step([{ rollouts, advantages: [0, 0, 0, 0] }]), await resumed.optimizer.step([{ rollouts, advantages: [0, 0, 0, 0] }])];
    expect(again.kl).toBeCloseTo(live.kl, 6);
    expect(again.kl).toBeGreaterThan(1e-6);
    await Promise.all([policy.close(), resumed.close()]);
  });

  it('generates text for `rlaif generate`, with a trained adapter on top', async () => {
    const policy = await tfjs().load(options());
    await policy.optimizer.supervisedStep!([[{ task: tasks[0]!, completion: 'print(1)' }]]);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-tfjs-gen-'));
    await policy.optimizer.save(dir);
    await policy.close();
    const result = await tfjs().experimental_generateText!({ model: options().model, adapterDir: dir, prompt: 'def add(a, b):', sampling: GREEDY });
    expect(result.completionTokens.length).toBe(8);
    expect(result.logprobs).toHaveLength(8);
    expect(result.text.length).toBeGreaterThan(0);
  });
});
