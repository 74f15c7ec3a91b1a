import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackendOptions, Logger, Task } from '@rlaif/core';
import { learningRateAt, planSteps, silentLogger } from '@rlaif/core';
import { describe, expect, it } from 'vitest';
import mlxDefault, { mlx, releaseInterval } from '../src/backend.js';
import { OPT } from './options.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/tiny-qwen2', import.meta.url));

function options(overrides: Partial<BackendOptions['model']> = {}, logger: Logger = silentLogger): BackendOptions {
  return {
    model: { nameOrPath: FIXTURE, revision: 'main', dtype: 'float32', quantizeBits: 0, chatTemplate: true, systemPrompt: 'You write code.', ...overrides },
    lora: { rank: 4, alpha: 8, dropout: 0, targetModules: [] },
    optimization: { ...OPT, klPenalty: 0.1, learningRate: 1e-2 },
    context: { runDir: os.tmpdir(), cacheDir: os.tmpdir(), logger, seed: 5, signal: new AbortController().signal },
  };
}

const tasks: Task[] = [
  { id: 'a', language: 'python', prompt: 'Add two numbers.', extra: {} },
  { id: 'b', language: 'rust', prompt: 'Reverse a string.', extra: {} },
];

const SAMPLING = { temperature: 1, topP: 1, topK: 0, minP: 0, maxNewTokens: 8, stop: [], seed: 3 };

describe('mlx backend', () => {
  it('is a v1 backend plugin', () => {
    const backend = mlx();
    expect(backend).toMatchObject({ specificationVersion: 'v1', kind: 'backend', name: 'mlx' });
    expect(mlxDefault).toBe(mlx);
  });

  it('loads a policy that samples, trains (RL and SFT), saves and loads', async () => {
    const policy = await mlx().load(options());
    expect(policy.info).toMatchObject({ architecture: 'qwen2', device: 'cpu', dtype: 'float32' });
    expect(policy.info.trainableParameters).toBeGreaterThan(0);
    expect(policy.info.trainableParameters).toBeLessThan(policy.info.parameters / 4);

    const result = await policy.generator.generate(tasks, 3, SAMPLING);
    expect(result.groups).toHaveLength(2);
    for (const [g, group] of result.groups.entries()) {
      expect(group).toHaveLength(3);
      for (const [i, r] of group.entries()) {
        expect(r.task.id).toBe(tasks[g]!.id);
        expect(r.sampleIndex).toBe(i);
        expect(r.completionTokens.length).toBe(r.behaviourLogprobs.length);
        expect(r.completionTokens.length).toBeGreaterThan(0);
        expect(r.policyVersion).toBe(0);
        expect(r.promptTokens.length).toBeGreaterThan(5);
      }
    }
    const again = await policy.generator.generate(tasks, 3, SAMPLING);
    expect(again.groups.map((g) => g.map((r) => r.completionTokens))).toEqual(result.groups.map((g) => g.map((r) => r.completionTokens)));

    const stats = await policy.optimizer.step([{ rollouts: result.groups.flat(), advantages: [1, -1, 0.5, -0.5, 1, -1] }]);
    expect(stats.tokens).toBe(result.completionTokens);
    expect(Number.isFinite(stats.loss) && stats.gradNorm > 0).toBe(true);
    expect(Math.abs(stats.kl)).toBeLessThan(1e-5);
    expect(policy.optimizer.version).toBe(1);
    const after = await policy.generator.generate(tasks.slice(0, 1), 1, SAMPLING);
    expect(after.groups[0]![0]!.policyVersion).toBe(1);

    const sft = await policy.optimizer.supervisedStep([[{ task: tasks[0]!, completion: '```python\nprint(1)\n```' }]]);
    expect(sft.tokens).toBeGreaterThan(3);
    expect(sft.loss).toBeGreaterThan(0);

    const dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-mlx-backend-'));
    await policy.optimizer.save(dir);
    const other = await mlx().load(options());
    await other.optimizer.load(dir);
    expect(other.optimizer.version).toBe(2);
    const a = await policy.generator.generate(tasks, 2, { ...SAMPLING, temperature: 0 });
    const b = await other.generator.generate(tasks, 2, { ...SAMPLING, temperature: 0 });
    expect(b.groups.map((g) => g.map((r) => r.behaviourLogprobs))).toEqual(a.groups.map((g) => g.map((r) => r.behaviourLogprobs)));
    await policy.close();
    await other.close();
  });

  it('trains LoRA over 4-bit quantised blocks (QLoRA) and warns about gradient checkpointing', async () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (m) => void warnings.push(m) };
    const opts = options({ quantizeBits: 4 }, logger);
    const policy = await mlx().load({ ...opts, optimization: { ...opts.optimization, gradientCheckpointing: true } });
    expect(policy.info.dtype).toContain('4-bit');
    expect(warnings.some((w) => w.includes('gradient checkpointing'))).toBe(true);
    const result = await policy.generator.generate(tasks, 2, SAMPLING);
    const stats = await policy.optimizer.step([{ rollouts: result.groups.flat(), advantages: [1, -1, 1, -1] }]);
    expect(stats.gradNorm).toBeGreaterThan(0);
  });
});

describe('releaseInterval', () => {
  it('collects every decode step when half-precision weights leave a large f32 copy per token', () => {
    expect(releaseInterval(494e6, 'bfloat16')).toBe(1);
    expect(releaseInterval(33e6, 'bfloat16')).toBe(4);
    expect(releaseInterval(1e6, 'float16')).toBe(16);
    expect(releaseInterval(494e6, 'float32')).toBe(16);
  });
});


describe('sampling temperature', () => {
  it('forms the on-policy ratio at the sampling temperature (ratio 1, no clipping at step 0)', async () => {
    const policy = await mlx().load({ ...options(), optimization: { ...OPT, clipRange: 0.01, klPenalty: 0 } });
    const { groups } = await policy.generator.generate(tasks.slice(0, 1), 4, { ...SAMPLING, temperature: 0.5 });
    const rollouts = groups.flat();
    expect(rollouts.every((r) => r.samplingTemperature === 0.5)).toBe(true);
    const advantages = rollouts.map((_, i) => (i % 2 ? 1 : -1));
    const onPolicy = await policy.optimizer.step([{ rollouts, advantages }]);
    expect(onPolicy.clipFraction).toBe(0);
    // The same rollouts without their temperature look off-policy: the ratio test can fail.
    const fresh = await mlx().load({ ...options(), optimization: { ...OPT, clipRange: 0.01, klPenalty: 0 } });
    const untempered = rollouts.map(({ samplingTemperature: _t, ...rest }) => rest);
    const mismatched = await fresh.optimizer.step([{ rollouts: untempered, advantages }]);
    expect(mismatched.clipFraction).toBeGreaterThan(0);
  }, 60_000);
});

describe('learning rates', () => {
  it('runs SFT at its own constant rate; the RL schedule starts at its beginning after it', async () => {
    const policy = await mlx().load({
      ...options(),
      optimization: { ...OPT, learningRate: 1e-2, supervisedLearningRate: 3e-3, schedule: 'linear', warmupSteps: 4, totalSteps: 10 },
    });
    const example = { task: tasks[0]!, completion: 'print(1)' };
    const sft = [await policy.optimizer.supervisedStep([[example]]), await policy.optimizer.supervisedStep([[example]])];
    expect(sft.map((s) => s.learningRate)).toEqual([3e-3, 3e-3]);
    const { groups } = await policy.generator.generate(tasks.slice(0, 1), 2, SAMPLING);
    const rl = await policy.optimizer.step([{ rollouts: groups.flat(), advantages: [1, -1] }]);
    // First RL update: warmup step 1 of 4 of the peak 1e-2, whatever SFT did before.
    expect(rl.learningRate).toBeCloseTo(1e-2 / 4, 12);
  }, 60_000);

  // The plan's length is the schedule's: with PPO reuse and accumulation the rate must reach its end
  // at the last planned update, not before (it once advanced per PPO pass and hit 0 halfway).
  it.each(
    (['constant', 'linear', 'cosine'] as const).flatMap((schedule) =>
      [1, 2].flatMap((ppoEpochs) => [1, 3].flatMap((accumulation) => [0, 2].map((warmupSteps) => ({ schedule, ppoEpochs, accumulation, warmupSteps })))),
    ),
  )('follows the plan: $schedule, ppoEpochs $ppoEpochs, accumulation $accumulation, warm-up $warmupSteps', async ({ schedule, ppoEpochs, accumulation, warmupSteps }) => {
    const plan = planSteps({ epochs: 2, batchesPerEpoch: 5, gradientAccumulationSteps: accumulation });
    const spec = { ...OPT, learningRate: 1e-2, schedule, warmupSteps, ppoEpochs, klPenalty: 0, totalSteps: plan.policyUpdates };
    const policy = await mlx().load({ ...options(), optimization: spec });
    const { groups } = await policy.generator.generate(tasks.slice(0, 1), 2, SAMPLING);
    const rates: number[] = [];
    for (let update = 0; update < plan.policyUpdates; update++) {
      rates.push((await policy.optimizer.step([{ rollouts: groups.flat(), advantages: [1, -1] }])).learningRate);
    }
    await policy.close();
    expect(rates).toEqual(Array.from({ length: plan.policyUpdates }, (_, k) => learningRateAt(spec, k)));
    expect(Math.min(...rates)).toBeGreaterThan(0);
    if (schedule !== 'constant') {
      const decay = rates.slice(warmupSteps);
      for (let k = 1; k < decay.length; k++) expect(decay[k]!).toBeLessThan(decay[k - 1]!);
      // The schedule ends right after the last planned update, not in the middle of the run.
      expect(learningRateAt(spec, plan.policyUpdates)).toBeCloseTo(0, 12);
      expect(rates[Math.floor(plan.policyUpdates / 2)]!).toBeGreaterThan(0.2e-2);
    }
  }, 60_000);
});
