/**
 * The llama.cpp generator against the MLX policy it follows: token ids in and out, behaviour
 * log-probs equal to MLX's log-probs of the same ids, the new weights after syncPolicy, and the
 * 256-token case that once looked like a hang.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { completionLogprobs, exportCheckpoint, loadModel } from '@rlaif/backend-mlx';
import type { Rollout, SamplingParams } from '@rlaif/core';
import { sampleTask } from '@rlaif/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultThreads, llamacpp } from '../src/index.js';
import { boundGenerator, FIXTURE, MODEL, type BoundGenerator } from './bound-generator.js';

const task = sampleTask();
const base: SamplingParams = { temperature: 1, topP: 1, topK: 0, minP: 0, maxNewTokens: 24, stop: [], seed: 5 };

/** Largest |Δ| between the rollout's behaviour log-probs and MLX's for the same ids, at the rollout's temperature. */
async function worstGap(modelDir: string, rollouts: readonly Rollout[]): Promise<number> {
  const { model } = await loadModel(modelDir, { dtype: 'float32' });
  let worst = 0;
  for (const rollout of rollouts) {
    const ours = completionLogprobs(model, rollout.promptTokens, rollout.completionTokens, rollout.samplingTemperature || 1);
    ours.forEach((value, i) => (worst = Math.max(worst, Math.abs(value - rollout.behaviourLogprobs[i]!))));
  }
  return worst;
}

describe('llamacpp generator', () => {
  const opened: BoundGenerator[] = [];
  afterAll(async () => {
    for (const bound of opened) {
      await bound.generator.close?.();
      await bound.policy.close();
    }
  });

  it('returns the prompt ids it was given and behaviour log-probs equal to the policy\'s own for the same ids', async () => {
    const bound = await boundGenerator();
    opened.push(bound);
    for (const sampling of [base, { ...base, temperature: 0.7 }, { ...base, temperature: 0 }]) {
      const { groups } = await bound.generator.generate([task], 3, sampling);
      const rollouts = groups[0]!;
      for (const rollout of rollouts) {
        expect(rollout.promptTokens).toEqual(bound.policy.promptTokens!(task));
        expect(rollout.policyVersion).toBe(0);
      }
      // f16 weights in the GGUF export against MLX's float32: within f16 rounding.
      expect(await worstGap(bound.modelDir(), rollouts)).toBeLessThan(2e-2);
    }
  });

  it('samples the updated weights after syncPolicy and marks the rollouts with the new version', async () => {
    const bound = await boundGenerator();
    opened.push(bound);
    const before = (await bound.generator.generate([task], 1, { ...base, temperature: 0 })).groups[0]![0]!;
    for (let i = 0; i < 3; i++) await bound.policy.optimizer.supervisedStep([[{ task, completion: 'def add(a, b):\n    return a + b\n' }]]);
    await bound.sync();
    const after = (await bound.generator.generate([task], 2, { ...base, temperature: 0 })).groups[0]!;
    expect(after.map((r) => r.policyVersion)).toEqual([3, 3]);
    expect(after[0]!.completionTokens).not.toEqual(before.completionTokens);
    // The new ids are scored alike by the updated MLX weights, not by the base ones.
    expect(await worstGap(bound.modelDir(), after)).toBeLessThan(2e-2);
    expect(await worstGap(bound.modelDir(0), after)).toBeGreaterThan(0.1);
  });

  it('follows a LoRA policy: the base exported once, each version\'s adapter applied as a GGUF LoRA adapter', async () => {
    const bound = await boundGenerator({ rank: 4, alpha: 8, dropout: 0, targetModules: [] });
    opened.push(bound);
    for (let version = 1; version <= 2; version++) {
      for (let i = 0; i < 2; i++) await bound.policy.optimizer.supervisedStep([[{ task, completion: 'def add(a, b):\n    return a + b\n' }]]);
      await bound.sync();
      const { groups } = await bound.generator.generate([task], 2, { ...base, temperature: 0.7 });
      expect(groups[0]!.map((r) => r.policyVersion)).toEqual([2 * version, 2 * version]);
      // The same ids scored by MLX with the adapter merged in: llama.cpp applied this version's adapter.
      const merged = await mkdtemp(path.join(os.tmpdir(), 'rlaif-llamacpp-merged-'));
      await exportCheckpoint({ checkpointDir: bound.modelDir(), baseModel: FIXTURE, format: 'merged', outputDir: merged });
      expect(await worstGap(merged, groups[0]!)).toBeLessThan(2e-2);
      expect(await worstGap(FIXTURE, groups[0]!)).toBeGreaterThan(0.1);
    }
    // One base export; only the current version's adapter file is kept.
    const files = (await readdir(bound.root)).filter((f) => f.endsWith('.gguf'));
    expect(files.sort()).toEqual(['base.gguf', 'v4.gguf']);
    expect(await readdir(path.join(bound.root, 'v4.gguf'))).toEqual(['adapter.gguf']);
  });

  it('decodes 256 tokens of a random model promptly with the default threads (the case that spun at 100% CPU)', async () => {
    expect([defaultThreads(1), defaultThreads(2), defaultThreads(8)]).toEqual([1, 1, 7]);
    const bound = await boundGenerator(undefined, {});
    opened.push(bound);
    const started = performance.now();
    const { groups } = await bound.generator.generate([task], 2, { ...base, maxNewTokens: 256 });
    const seconds = (performance.now() - started) / 1000;
    for (const rollout of groups[0]!) expect(rollout.completionTokens.length).toBeLessThanOrEqual(256);
    // Two threads on this busy 2-core machine took 55 s for one such completion; one thread 0.4 s.
    expect(seconds).toBeLessThan(20);
  });

  it('gives every one of many parallel sequences its own prompt\'s continuation (llama.cpp reorders the batch\'s outputs lazily)', async () => {
    // 16 different prompts decoded together, greedy: each must match the same prompt decoded alone. On
    // node-llama-cpp's own code path the sequences' samplers, run at once on the thread pool, each
    // triggered llama.cpp's in-place reordering of the output rows, and some got a sibling's logits.
    const tasks = Array.from({ length: 16 }, (_, i) => sampleTask({ id: `t${i}`, prompt: `Write a Python function \`f${i}(x)\` that returns x${' plus x'.repeat(3 * i)}.` }));
    const greedy = { ...base, temperature: 0, maxNewTokens: 16 };
    const alone = await boundGenerator(undefined, { threads: 1, sequences: 1 });
    opened.push(alone);
    const expected = (await alone.generator.generate(tasks, 1, greedy)).groups.map((group) => group[0]!.completionTokens);
    const together = await boundGenerator(undefined, { threads: 1, sequences: 16 });
    opened.push(together);
    for (let run = 0; run < 60; run++) {
      const got = (await together.generator.generate(tasks, 1, greedy)).groups.map((group) => group[0]!.completionTokens);
      expect(got).toEqual(expected);
    }
  });

  it('stops each completion at model.maxLength − its prompt, and refuses a prompt that leaves no room', async () => {
    const probe = await boundGenerator();
    opened.push(probe);
    const promptLength = probe.policy.promptTokens!(task).length;
    const capped = await boundGenerator(undefined, { threads: 1, sequences: 4 }, { ...MODEL, maxLength: promptLength + 5 });
    opened.push(capped);
    const { groups } = await capped.generator.generate([task], 3, { ...base, maxNewTokens: 24 });
    for (const rollout of groups[0]!) {
      expect(rollout.completionTokens.length).toBeLessThanOrEqual(5);
      if (rollout.finishReason === 'length') expect(rollout.completionTokens).toHaveLength(5);
    }
    expect(groups[0]!.some((rollout) => rollout.completionTokens.length === 5)).toBe(true);
    const full = await boundGenerator(undefined, { threads: 1, sequences: 4 }, { ...MODEL, maxLength: promptLength });
    opened.push(full);
    await expect(full.generator.generate([task], 1, base)).rejects.toThrow(/leaves no room for a completion within model\.maxLength/);
  });

  it('refuses a prompt that does not fit its context, and bad settings, with the key to change', async () => {
    expect(() => llamacpp({ threads: 0 })).toThrow(/generator\.threads: expected a positive integer/);
    expect(() => llamacpp({ gpuLayers: -1 })).toThrow(/generator\.gpuLayers/);
    const bound = await boundGenerator(undefined, { threads: 1, sequences: 1, contextSize: 64 });
    opened.push(bound);
    await expect(bound.generator.generate([task], 1, { ...base, maxNewTokens: 200 })).rejects.toThrow(/exceed llama.cpp's context of \d+ tokens.*raise generator.contextSize/s);
  });
});
