import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { core as mx } from '@frost-beta/mlx';
import { BackendError } from '@rlaif/core';
import { parseModelConfig } from '@rlaif/hf';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../load/load-model.js';
import { createModel, supportedModelTypes } from './registry.js';
import type { CausalLM } from './causal-lm.js';

interface Golden {
  readonly prompt: string;
  readonly promptIds: number[];
  readonly logits: number[][];
  readonly lastLogitsBf16Weights: number[];
  readonly greedyIds: number[];
}

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
const readGolden = (name: string) => JSON.parse(readFileSync(`${fixture(name)}/golden.json`, 'utf8')) as Golden;

function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((max, value, i) => Math.max(max, Math.abs(value - b[i]!)), 0);
}

function greedyWithCache(model: CausalLM, promptIds: number[], steps: number): number[] {
  const cache = model.makeCache();
  let logits = model.forward(mx.array([promptIds], mx.int32), cache);
  const out: number[] = [];
  for (let i = 0; i < steps; i += 1) {
    const next = mx.argmax(logits.index(0, -1), -1).item() as number;
    out.push(next);
    logits = model.forward(mx.array([[next]], mx.int32), cache);
  }
  return out;
}

describe.each(['tiny-qwen2', 'tiny-llama'])('%s against transformers', (name) => {
  const golden = readGolden(name);

  it('tokenizes the prompt like the Rust tokenizers library (BOS included for Llama)', async () => {
    const { tokenizer } = await loadModel(fixture(name));
    expect(tokenizer.encode(golden.prompt)).toEqual(golden.promptIds);
  });

  it('matches the fp32 logits within 1e-4 at every position', async () => {
    const { model } = await loadModel(fixture(name), { dtype: 'float32' });
    const logits = model.forward(mx.array([golden.promptIds], mx.int32));
    expect(logits.dtype).toBe(mx.float32);
    const rows = (logits.index(0).tolist() as number[][]);
    expect(rows.length).toBe(golden.logits.length);
    const worst = Math.max(...rows.map((row, t) => maxAbsDiff(row, golden.logits[t]!)));
    expect(worst).toBeLessThan(1e-4);
  });

  it('continues the prompt greedily token for token (KV cache)', async () => {
    const { model } = await loadModel(fixture(name), { dtype: 'float32' });
    expect(greedyWithCache(model, golden.promptIds, golden.greedyIds.length)).toEqual(golden.greedyIds);
  });

  it('bf16 storage with f32 compute matches transformers on bf16-rounded weights', async () => {
    const { model } = await loadModel(fixture(name), { dtype: 'bfloat16' });
    expect(model.layers[0]!.selfAttn.qProj.weight.dtype).toBe(mx.bfloat16);
    const last = model.forward(mx.array([golden.promptIds], mx.int32)).index(0, -1).tolist() as number[];
    expect(maxAbsDiff(last, golden.lastLogitsBf16Weights)).toBeLessThan(1e-3);
    // …and rounding the weights really changed the logits, so the check above is not vacuous.
    expect(maxAbsDiff(last, golden.logits.at(-1)!)).toBeGreaterThan(1e-3);
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

  it('names parameters exactly like the HF safetensors keys', async () => {
    const { model } = await loadModel(fixture('tiny-llama'));
    const names: string[] = [];
    const walk = (tree: unknown, prefix: string) => {
      if (tree instanceof mx.array) names.push(prefix);
      else if (Array.isArray(tree)) tree.forEach((v, i) => walk(v, `${prefix}.${i}`));
      else if (tree && typeof tree === 'object') {
        for (const [k, v] of Object.entries(tree)) {
          const key = k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
          walk(v, prefix ? `${prefix}.${key}` : key);
        }
      }
    };
    walk(model.parameters(), '');
    expect(names).toContain('model.layers.1.self_attn.q_proj.weight');
    expect(names).toContain('model.layers.0.mlp.down_proj.weight');
    expect(names).toContain('lm_head.weight');
    expect(names).toContain('model.embed_tokens.weight');
  });
});
