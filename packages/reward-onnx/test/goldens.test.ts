/**
 * rlaif's rewards against the goldens of fixtures/make_fixture.py: the same token ids as the Python
 * tokenizer and the same logits as Python onnxruntime (which ran one text at a time, unpadded), here
 * batched with padding and reordered.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { RewardInput } from '@rlaif/core';
import { sampleRollout, sampleTask, uniformScore } from '@rlaif/core/testing';
import { onnxReward, type OnnxRewardFn, type OnnxRewardSettings } from '../src/index.js';
import { encodeForReward, rewardText } from '../src/encode.js';

const fixtures = fileURLToPath(new URL('../fixtures', import.meta.url));

interface GoldenCase {
  readonly input: 'prompt+completion' | 'completion';
  readonly maxLength: number;
  readonly truncation: 'left' | 'right';
  readonly prompt: string;
  readonly completion: string;
  readonly text: string;
  readonly ids: number[];
  readonly logits: number[];
}

const goldens = (name: string): GoldenCase[] => (JSON.parse(readFileSync(path.join(fixtures, name, 'goldens.json'), 'utf8')) as { cases: GoldenCase[] }).cases;

const inputOf = (prompt: string, completion: string, index = 0): RewardInput => {
  const task = { ...sampleTask(), prompt };
  return { rollout: { ...sampleRollout(task, completion, index), text: completion }, score: uniformScore(0.5), reference: null, referenceScore: null };
};

const opened: OnnxRewardFn[] = [];
const reward = (settings: OnnxRewardSettings): OnnxRewardFn => {
  const fn = onnxReward(settings);
  opened.push(fn);
  return fn;
};
afterAll(async () => Promise.all(opened.map((fn) => fn.release())));

const context = { step: 1, logMetric: () => undefined };

// One group per fixture setting: (input, maxLength, truncation).
function groups(cases: GoldenCase[]): GoldenCase[][] {
  const byKey = new Map<string, GoldenCase[]>();
  for (const c of cases) byKey.set(`${c.input}|${c.maxLength}|${c.truncation}`, [...(byKey.get(`${c.input}|${c.maxLength}|${c.truncation}`) ?? []), c]);
  return [...byKey.values()];
}

describe.each([
  ['bert', 'model.onnx at the top, WordPiece, 2 labels, no chat template'],
  ['qwen2', 'onnx/model.onnx, byte-level BPE, 1 label, ChatML template'],
])('%s fixture (%s)', (name) => {
  for (const cases of groups(goldens(name))) {
    const { input, maxLength, truncation } = cases[0]!;
    const labels = cases[0]!.logits.length;
    const settings = { model: path.join(fixtures, name), input, maxLength, truncation, batchSize: 3 } as const;

    it(`tokenises like Python transformers (${input}, maxLength ${maxLength}, truncation ${truncation})`, async () => {
      const model = await reward(settings).ready();
      for (const c of cases) {
        const { text, templated } = rewardText(model.tokenizer, c.prompt, c.completion, input);
        expect(text).toBe(c.text);
        expect(encodeForReward(model.tokenizer, text, { maxLength, truncation, addSpecialTokens: !templated, keyPath: 'x' }).ids).toEqual(c.ids);
      }
    });

    it(`matches Python onnxruntime within 1e-5, batched with padding (${input}, maxLength ${maxLength})`, async () => {
      const batch = cases.map((c, i) => inputOf(c.prompt, c.completion, i));
      for (let label = 0; label < labels; label++) {
        const out = await reward({ ...settings, label }).compute(batch, context);
        out.forEach((value, i) => expect(Math.abs(value! - cases[i]!.logits[label]!)).toBeLessThan(1e-5));
      }
    });
  }

  it('gives the same rewards whatever the batch size and order', async () => {
    const cases = goldens(name).filter((c) => c.maxLength === goldens(name)[0]!.maxLength && c.input === 'prompt+completion');
    const batch = cases.map((c, i) => inputOf(c.prompt, c.completion, i));
    const one = await reward({ model: path.join(fixtures, name), batchSize: 1 }).compute(batch, context);
    const all = await reward({ model: path.join(fixtures, name), batchSize: 16 }).compute(batch, context);
    const reversed = await reward({ model: path.join(fixtures, name), batchSize: 2 }).compute([...batch].reverse(), context);
    all.forEach((value, i) => expect(Math.abs(value! - one[i]!)).toBeLessThan(1e-6));
    [...reversed].reverse().forEach((value, i) => expect(Math.abs(value! - one[i]!)).toBeLessThan(1e-6));
    expect(new Set(one).size).toBe(one.length);
  });

  it('turns logits into the chosen label probability', async () => {
    const c = goldens(name)[0]!;
    const [probability] = await reward({ model: path.join(fixtures, name), score: 'probability', maxLength: c.maxLength }).compute([inputOf(c.prompt, c.completion)], context);
    const logits = c.logits;
    const expected = logits.length === 1 ? 1 / (1 + Math.exp(-logits[0]!)) : Math.exp(logits.at(-1)!) / logits.reduce((sum, l) => sum + Math.exp(l), 0);
    expect(probability).toBeCloseTo(expected, 5);
  });
});

describe('bert fixture options', () => {
  const model = path.join(fixtures, 'bert');
  const batch = goldens('bert').filter((c) => c.input === 'completion').map((c, i) => inputOf(c.prompt, c.completion, i));

  it('picks a label by its config.json name', async () => {
    const byName = await reward({ model, input: 'completion', label: 'bad' }).compute(batch, context);
    const byIndex = await reward({ model, input: 'completion', label: 0 }).compute(batch, context);
    expect(byName).toEqual(byIndex);
  });

  it('normalises by the running mean and std when asked', async () => {
    const raw = await reward({ model, input: 'completion' }).compute(batch, context);
    const normalized = await reward({ model, input: 'completion', normalize: true }).compute(batch, context);
    const mean = raw.reduce((s, v) => s + v!, 0) / raw.length;
    const std = Math.sqrt(raw.reduce((s, v) => s + (v! - mean) ** 2, 0) / raw.length);
    normalized.forEach((value, i) => expect(value).toBeCloseTo((raw[i]! - mean) / std, 5));
  });

  it('reports throughput, latency and truncation through logMetric', async () => {
    const metrics: Record<string, number> = {};
    await reward({ model, name: 'quality', batchSize: 2, maxLength: 8 }).compute(batch, { step: 1, logMetric: (key, value) => void (metrics[key] = value) });
    expect(Object.keys(metrics).sort()).toEqual(['quality/LatencyMs', 'quality/SamplesPerSec', 'quality/TruncatedFraction']);
    expect(metrics['quality/SamplesPerSec']).toBeGreaterThan(0);
    expect(metrics['quality/LatencyMs']).toBeGreaterThan(0);
    expect(metrics['quality/TruncatedFraction']).toBeGreaterThan(0);
  });
});

describe('a model without a pad id', () => {
  it('batches only texts of equal length, with the same results', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'rlaif-rm-nopad-')), 'qwen2');
    cpSync(path.join(fixtures, 'qwen2'), dir, { recursive: true });
    const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    delete config['pad_token_id'];
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
    writeFileSync(path.join(dir, 'tokenizer_config.json'), '{}');
    const model = await reward({ model: dir, batchSize: 8 }).ready();
    expect(model.padId).toBeNull();
    const [a, b] = goldens('qwen2');
    const { outputs, calls } = await model.run([a!.ids, b!.ids, a!.ids]);
    expect(calls).toBe(2);
    [a!, b!, a!].forEach((c, i) => expect(Math.abs(outputs[i]![0]! - c.logits[0]!)).toBeLessThan(1e-5));
  });
});
