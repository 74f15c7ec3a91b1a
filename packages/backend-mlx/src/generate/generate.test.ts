import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { core as mx } from '@frost-beta/mlx';
import type { SamplingParams } from '@rlaif/core';
import { itDrawsEachSampleByItsPlace } from '@rlaif/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel, type LoadedModel } from '../load/load-model.js';
import { generateSamples } from './generate.js';
import { completionLogprobs } from './teacher-forced.js';

const dir = fileURLToPath(new URL('../../fixtures/tiny-qwen2', import.meta.url));
const golden = JSON.parse(readFileSync(`${dir}/golden.json`, 'utf8')) as { promptIds: number[]; greedyIds: number[] };

const sampling = (overrides: Partial<SamplingParams> = {}): SamplingParams => ({
  temperature: 1,
  topP: 1,
  topK: 0,
  minP: 0,
  maxNewTokens: 24,
  stop: [],
  seed: 7,
  ...overrides,
});

describe('generateSamples', () => {
  let loaded: LoadedModel;
  beforeAll(async () => {
    loaded = await loadModel(dir);
  });
  const run = (prompts: number[][], n: number, params: SamplingParams, eosTokenIds: number[] = []) =>
    generateSamples(loaded.model, prompts, n, { tokenizer: loaded.tokenizer, eosTokenIds, sampling: params });

  it('greedy decoding reproduces the transformers continuation for every sample', async () => {
    const [group] = await run([golden.promptIds], 3, sampling({ temperature: 0, maxNewTokens: golden.greedyIds.length }));
    expect(group).toHaveLength(3);
    for (const sample of group!) {
      expect(sample.tokenIds).toEqual(golden.greedyIds);
      expect(sample.finishReason).toBe('length');
      expect(sample.text).toBe(loaded.tokenizer.decode(golden.greedyIds));
    }
  });

  it('log-probs of samples at temperature 1 equal teacher-forced log-probs, for prompts of different lengths', async () => {
    const prompts = [golden.promptIds, golden.promptIds.slice(0, 5)];
    const groups = await run(prompts, 4, sampling());
    groups.forEach((group, p) => {
      expect(group).toHaveLength(4);
      for (const sample of group) {
        expect(sample.logprobs).toHaveLength(sample.tokenIds.length);
        const forced = completionLogprobs(loaded.model, prompts[p]!, sample.tokenIds);
        const worst = Math.max(...forced.map((v, i) => Math.abs(v - sample.logprobs[i]!)));
        expect(worst).toBeLessThan(1e-4);
      }
    });
    // Samples of one prompt differ from each other (they are drawn, not copied).
    expect(new Set(groups[0]!.map((s) => s.tokenIds.join(','))).size).toBeGreaterThan(1);
  });

  it('keeps log-probs exact when samples finish at different steps and leave the batch', async () => {
    // A fifth of the vocabulary ends a sample, so the 8 samples stop at different lengths.
    const eos = Array.from({ length: 77 }, (_, i) => 5 * i);
    const [group] = await run([golden.promptIds], 8, sampling({ temperature: 1.3, maxNewTokens: 12, seed: 3 }), eos);
    expect(new Set(group!.map((s) => s.tokenIds.length)).size).toBeGreaterThan(2);
    for (const sample of group!) {
      if (sample.finishReason === 'eos') expect(sample.tokenIds.at(-1)! % 5).toBe(0);
      else expect(sample.tokenIds).toHaveLength(12);
      // Temperature 1.3: the teacher-forced reference uses the same temperature.
      const forced = completionLogprobs(loaded.model, golden.promptIds, sample.tokenIds, 1.3);
      expect(Math.max(...forced.map((v, i) => Math.abs(v - sample.logprobs[i]!)))).toBeLessThan(1e-4);
    }
  });

  it('is reproducible for a seed and changes with it', async () => {
    const a = await run([golden.promptIds], 3, sampling({ seed: 11, topP: 0.9, topK: 50 }));
    const b = await run([golden.promptIds], 3, sampling({ seed: 11, topP: 0.9, topK: 50 }));
    const c = await run([golden.promptIds], 3, sampling({ seed: 12, topP: 0.9, topK: 50 }));
    expect(b).toEqual(a);
    expect(c.flat().map((s) => s.tokenIds)).not.toEqual(a.flat().map((s) => s.tokenIds));
  });

  itDrawsEachSampleByItsPlace(
    async (prompts, n, { sampling: params, eosTokenIds, maxBatchRows }) => generateSamples(loaded.model, prompts, n, { tokenizer: loaded.tokenizer, eosTokenIds, sampling: params, ...(maxBatchRows ? { maxBatchRows } : {}) }),
    golden.promptIds,
    384, // the fixture's vocab_size
  );

  it('top-k 1 collapses to greedy with log-prob 0 under the filtered distribution', async () => {
    const [group] = await run([golden.promptIds], 2, sampling({ topK: 1, maxNewTokens: 8 }));
    for (const sample of group!) {
      expect(sample.tokenIds).toEqual(golden.greedyIds.slice(0, 8));
      for (const lp of sample.logprobs) expect(Math.abs(lp)).toBeLessThan(1e-6);
    }
  });

  it('stops on any EOS id, keeps it as the last token and leaves it out of the text', async () => {
    const eosId = golden.greedyIds[5]!;
    const first = golden.greedyIds.indexOf(eosId);
    const [group] = await run([golden.promptIds], 2, sampling({ temperature: 0, maxNewTokens: 32 }), [999_999, eosId]);
    for (const sample of group!) {
      expect(sample.finishReason).toBe('eos');
      expect(sample.tokenIds).toEqual(golden.greedyIds.slice(0, first + 1));
      expect(sample.text).toBe(loaded.tokenizer.decode(golden.greedyIds.slice(0, first)));
    }
  });

  it('stops on a stop string: text cut before it, tokens up to the one completing it', async () => {
    const full = loaded.tokenizer.decode(golden.greedyIds);
    // Find a token boundary after which a short stop string starts.
    const prefixText = loaded.tokenizer.decode(golden.greedyIds.slice(0, 6));
    const stop = full.slice(prefixText.length, prefixText.length + 2);
    expect(stop.length).toBe(2);
    const [group] = await run([golden.promptIds], 1, sampling({ temperature: 0, maxNewTokens: 32, stop: ['\u0000never', stop] }));
    const sample = group![0]!;
    expect(sample.finishReason).toBe('stop');
    const at = full.indexOf(stop);
    expect(sample.text).toBe(full.slice(0, at));
    const decodedKept = loaded.tokenizer.decode(sample.tokenIds);
    expect(decodedKept.includes(stop)).toBe(true);
    expect(loaded.tokenizer.decode(sample.tokenIds.slice(0, -1)).includes(stop)).toBe(false);
  });

  it('caps prompt + completion at model.maxLength, per prompt, and refuses a prompt that leaves no room', async () => {
    const short = golden.promptIds.slice(0, 5);
    const maxLength = golden.promptIds.length + 3;
    const groups = await generateSamples(loaded.model, [golden.promptIds, short], 2, { tokenizer: loaded.tokenizer, eosTokenIds: [], sampling: sampling({ maxNewTokens: 10 }), maxLength });
    for (const sample of groups[0]!) expect(sample).toMatchObject({ tokenIds: { length: 3 }, finishReason: 'length' });
    for (const sample of groups[1]!) expect(sample).toMatchObject({ tokenIds: { length: Math.min(10, maxLength - short.length) }, finishReason: 'length' });
    const refused = generateSamples(loaded.model, [golden.promptIds], 1, { tokenizer: loaded.tokenizer, eosTokenIds: [], sampling: sampling(), maxLength: golden.promptIds.length });
    await expect(refused).rejects.toThrow(/leaves no room for a completion within model\.maxLength/);
  });

  it('rejects invalid sampling settings with the config key', async () => {
    await expect(run([golden.promptIds], 1, sampling({ topP: 0 }))).rejects.toThrow(/rlaif\.topP/);
    await expect(run([golden.promptIds], 0, sampling())).rejects.toThrow(/numSamplesPerPrompt/);
  });

  it.each([0, 1])('stops with an error naming the decoding step when the logits are not finite (temperature %i)', async (temperature) => {
    const damaged = await loadModel(dir);
    damaged.model.loadWeights([['model.norm.weight', mx.full([64], Number.NaN, mx.float32)]], false);
    const generate = generateSamples(damaged.model, [golden.promptIds], 2, { tokenizer: damaged.tokenizer, eosTokenIds: [], sampling: sampling({ temperature }) });
    await expect(generate).rejects.toThrow(/decoding step 1: the logits of batch row 0 are not finite \(the chosen token's log-prob is NaN\)/);
  });
});

describe('sampleStep distribution', () => {
  it('draws tokens with the frequencies of the filtered distribution', async () => {
    const { sampleStep } = await import('./sample-step.js');
    const rows = 4000;
    const probabilities = [0.6, 0.25, 0.1, 0.05];
    const logits = mx.broadcastTo(mx.array([probabilities.map(Math.log)]), [rows, 4]);
    // top-p 0.8 keeps {0.6, 0.25} (the tail 0.15 ≤ 0.2 is dropped): renormalised 0.706 / 0.294.
    const choice = sampleStep(logits, { temperature: 1, topK: 0, topP: 0.8, minP: 0 }, mx.random.key(3));
    const counts = [0, 0, 0, 0];
    for (const id of choice.tokenIds) counts[id]! += 1;
    expect(counts[2]! + counts[3]!).toBe(0);
    expect(counts[0]! / rows).toBeCloseTo(0.6 / 0.85, 1);
    expect(choice.logprobs[choice.tokenIds.indexOf(1)]).toBeCloseTo(Math.log(0.25 / 0.85), 4);
    // min-p 0.3 keeps tokens with p ≥ 0.18: {0.6, 0.25}.
    const minP = sampleStep(logits, { temperature: 1, topK: 0, topP: 1, minP: 0.3 }, mx.random.key(4));
    expect(new Set(minP.tokenIds)).toEqual(new Set([0, 1]));
    // temperature 0.5 sharpens: p ∝ p², so token 0 gets 0.36/0.4286 ≈ 0.84.
    const cold = sampleStep(logits, { temperature: 0.5, topK: 0, topP: 1, minP: 0 }, mx.random.key(5));
    expect(cold.tokenIds.filter((id) => id === 0).length / rows).toBeCloseTo(0.84, 1);
  });

  it("draws a row's token from its sample's noise, not from its place in the batch", async () => {
    const { sampleStep } = await import('./sample-step.js');
    const logits = mx.random.normal([6, 50], mx.float32, undefined, undefined, mx.random.key(8));
    const params = { temperature: 1, topK: 0, topP: 1, minP: 0 };
    const all = sampleStep(logits, params, mx.random.key(2), { rows: [0, 1, 2, 3, 4, 5], samples: 6 });
    const some = sampleStep(mx.take(logits, mx.array([1, 4, 5], mx.int32), 0), params, mx.random.key(2), { rows: [1, 4, 5], samples: 6 });
    expect(some.tokenIds).toEqual([1, 4, 5].map((row) => all.tokenIds[row]));
    expect(some.logprobs).toEqual([1, 4, 5].map((row) => all.logprobs[row]));
  });
});
