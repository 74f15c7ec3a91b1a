import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BackendError } from '@rlaif/core';
import { parseModelConfig } from '@rlaif/hf';
import { describe, expect, it } from 'vitest';
import { tf } from '../engine/tf.js';
import { loadModel } from '../load/load-model.js';
import type { DecoderForCausalLM } from './causal-lm.js';
import { createModel, supportedModelTypes } from './registry.js';

// backend-mlx's committed fixtures: tiny random Qwen2 and Llama-3-rope checkpoints with transformers' outputs.
interface Golden {
  readonly prompt: string;
  readonly promptIds: number[];
  readonly logits: number[][];
  readonly lastLogitsBf16Weights: number[];
  readonly greedyIds: number[];
}

const fixture = (name: string) => fileURLToPath(new URL(`../../../backend-mlx/fixtures/${name}`, import.meta.url));
const readGolden = (name: string) => JSON.parse(readFileSync(`${fixture(name)}/golden.json`, 'utf8')) as Golden;

function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((max, value, i) => Math.max(max, Math.abs(value - b[i]!)), 0);
}

function greedyWithCache(model: DecoderForCausalLM, promptIds: number[], steps: number): number[] {
  const cache = model.makeCache();
  const out: number[] = [];
  let input = [promptIds];
  for (let i = 0; i < steps; i += 1) {
    const next = tf.tidy(() => tf.argMax(model.forward(tf.tensor2d(input, undefined, 'int32'), cache, { lastOnly: true }), -1).dataSync()[0]!);
    out.push(next);
    input = [[next]];
  }
  for (const layer of cache) layer.dispose();
  return out;
}

describe.each(['tiny-qwen2', 'tiny-llama'])('%s against transformers', (name) => {
  const golden = readGolden(name);

  it('matches the fp32 logits within 1e-4 at every position', async () => {
    const { model } = await loadModel(fixture(name));
    const rows = tf.tidy(() => model.forward(tf.tensor2d([golden.promptIds], undefined, 'int32')).arraySync()[0]!);
    expect(rows.length).toBe(golden.logits.length);
    const worst = Math.max(...rows.map((row, t) => maxAbsDiff(row, golden.logits[t]!)));
    expect(worst).toBeLessThan(1e-4);
    model.dispose();
  });

  it('continues the prompt greedily token for token (KV cache)', async () => {
    const { model } = await loadModel(fixture(name));
    expect(greedyWithCache(model, golden.promptIds, golden.greedyIds.length)).toEqual(golden.greedyIds);
    model.dispose();
  });

  it('KV-cache decoding gives the logits of full recomputation', async () => {
    const { model } = await loadModel(fixture(name));
    const ids = [...golden.promptIds, ...golden.greedyIds.slice(0, 6)];
    const full = tf.tidy(() => model.forward(tf.tensor2d([ids], undefined, 'int32')).arraySync()[0]!);
    const cache = model.makeCache();
    const stepwise = tf.tidy(() => model.forward(tf.tensor2d([golden.promptIds], undefined, 'int32'), cache).arraySync()[0]!);
    for (const id of golden.greedyIds.slice(0, 6)) stepwise.push(tf.tidy(() => model.forward(tf.tensor2d([[id]], undefined, 'int32'), cache).arraySync()[0]![0]!));
    const worst = Math.max(...full.map((row, t) => maxAbsDiff(row, stepwise[t]!)));
    expect(worst).toBeLessThan(1e-5);
    for (const layer of cache) layer.dispose();
    model.dispose();
  });
});

describe('registry', () => {
  it('rejects an unknown model_type with the supported list', () => {
    const raw = JSON.parse(readFileSync(`${fixture('tiny-qwen2')}/config.json`, 'utf8')) as Record<string, unknown>;
    const args = parseModelConfig({ ...raw, model_type: 'gpt_neox' }, '/models/x/config.json');
    expect(() => createModel(args)).toThrow(BackendError);
    expect(() => createModel(args)).toThrow(/gpt_neox.*\n.*qwen2, llama/);
    expect(supportedModelTypes()).toContain('llama');
  });

  it('refuses quantisation as a config error naming the engine', async () => {
    await expect(loadModel(fixture('tiny-qwen2'), { quantizeBits: 4 })).rejects.toThrow(/TensorFlow\.js backend[\s\S]*backend-mlx/);
  });
});
