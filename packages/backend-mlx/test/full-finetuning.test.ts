/**
 * Full fine-tuning (`model.finetuning: 'full'`, BackendOptions.lora undefined): every weight trains,
 * a checkpoint is a whole model folder that loads like any model, the KL reference is the snapshot
 * taken at the first policy step, and export/generate treat such checkpoints right.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackendOptions, Task } from '@rlaif/core';
import { silentLogger } from '@rlaif/core';
import { describe, expect, it } from 'vitest';
import { mlx } from '../src/backend.js';
import { exportCheckpoint } from '../src/export/export-checkpoint.js';
import { readGguf } from '../src/export/gguf-reader.js';
import { OPT } from './options.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/tiny-qwen2', import.meta.url));

function options(overrides: Partial<BackendOptions> = {}): BackendOptions {
  return {
    model: { nameOrPath: FIXTURE, revision: 'main', dtype: 'float32', quantizeBits: 0, chatTemplate: true, systemPrompt: '' },
    lora: undefined,
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
const tmp = () => mkdtemp(path.join(os.tmpdir(), 'rlaif-mlx-full-'));
const logprobsOf = async (policy: Awaited<ReturnType<ReturnType<typeof mlx>['load']>>) =>
  (await policy.generator.generate(tasks, 1, GREEDY)).groups.map((g) => g.map((r) => r.behaviourLogprobs));

describe('full fine-tuning', () => {
  it('trains every parameter, saves a model folder and resumes to identical outputs', async () => {
    const policy = await mlx().load(options());
    expect(policy.info.trainableParameters).toBe(policy.info.parameters);
    const before = await logprobsOf(policy);
    await policy.optimizer.supervisedStep([[{ task: tasks[0]!, completion: '```python\nprint(1)\n```' }]]);
    const rollouts = (await policy.generator.generate(tasks, 2, SAMPLING)).groups.flat();
    const stats = await policy.optimizer.step([{ rollouts, advantages: [1, -1, 0.5, -0.5] }]);
    expect(stats.gradNorm).toBeGreaterThan(0);
    const trained = await logprobsOf(policy);
    expect(trained).not.toEqual(before);

    const dir = await tmp();
    await policy.optimizer.save(dir);
    const files = await readdir(dir);
    expect(files).toEqual(expect.arrayContaining(['model.safetensors', 'config.json', 'tokenizer.json', 'optimizer.safetensors']));
    expect(files).not.toContain('adapter_config.json');

    const resumed = await mlx().load(options());
    await resumed.optimizer.load(dir);
    expect(resumed.optimizer.version).toBe(2);
    expect(await logprobsOf(resumed)).toEqual(trained);
    // The checkpoint is a model folder: loading it as the model gives the same outputs.
    const asModel = await mlx().load(options({ model: { ...options().model, nameOrPath: dir } }));
    expect(await logprobsOf(asModel)).toEqual(trained);
    await Promise.all([policy.close(), resumed.close(), asModel.close()]);
  });

  it('measures KL against the weights at the first policy step, kept across save and load', async () => {
    const opts = options({ optimization: { ...OPT, klPenalty: 0.5, learningRate: 5e-2 } });
    const policy = await mlx().load(opts);
    // An SFT step before RL: the reference is the policy RL starts from, not the initial weights.
    await policy.optimizer.supervisedStep([[{ task: tasks[0]!, completion: '```python\nprint(1)\n```' }]]);
    const rollouts = (await policy.generator.generate(tasks, 2, SAMPLING)).groups.flat();
    const first = await policy.optimizer.step([{ rollouts, advantages: [1, -1, 1, -1] }]);
    expect(Math.abs(first.kl)).toBeLessThan(1e-5);
    const second = await policy.optimizer.step([{ rollouts, advantages: [1, -1, 1, -1] }]);
    expect(second.kl).toBeGreaterThan(1e-6);

    const dir = await tmp();
    await policy.optimizer.save(dir);
    expect(await readdir(dir)).toContain('reference_weights.safetensors');
    const resumed = await mlx().load(opts);
    await resumed.optimizer.load(dir);
    // Same weights, same reference, same rollouts: the same KL as the live policy's next step.
    const [live, again] = [await policy.optimizer.step([{ rollouts, advantages: [0, 0, 0, 0] }]), await resumed.optimizer.step([{ rollouts, advantages: [0, 0, 0, 0] }])];
    expect(again.kl).toBeCloseTo(live.kl, 6);
    expect(again.kl).toBeGreaterThan(1e-6);
    await Promise.all([policy.close(), resumed.close()]);
  });

  it('exports merged and GGUF, refuses PEFT, and is not accepted as --adapter', async () => {
    const policy = await mlx().load(options());
    await policy.optimizer.supervisedStep([[{ task: tasks[0]!, completion: '```python\nprint(2)\n```' }]]);
    const checkpoint = await tmp();
    await policy.optimizer.save(checkpoint);
    const trained = await logprobsOf(policy);
    await policy.close();

    const merged = await exportCheckpoint({ checkpointDir: checkpoint, format: 'merged', outputDir: await tmp() });
    const reloaded = await mlx().load(options({ model: { ...options().model, nameOrPath: merged.outputDir } }));
    expect(await logprobsOf(reloaded)).toEqual(trained);
    await reloaded.close();

    const gguf = await exportCheckpoint({ checkpointDir: checkpoint, format: 'gguf', outputDir: await tmp() });
    const file = await readGguf(gguf.files[0]!);
    expect(file.metadata.get('general.architecture')).toBe('qwen2');

    await expect(exportCheckpoint({ checkpointDir: checkpoint, format: 'peft', outputDir: await tmp() })).rejects.toThrow(/whole model.*--format merged/s);
    const backend = mlx();
    await expect(
      backend.experimental_generateText!({ model: options().model, adapterDir: checkpoint, prompt: 'hi', sampling: GREEDY }),
    ).rejects.toThrow(/not an adapter/);
  });

  it('refuses quantised weights', async () => {
    await expect(mlx().load(options({ model: { ...options().model, quantizeBits: 4 } }))).rejects.toThrow(/quantised weights cannot be trained/);
  });
});
