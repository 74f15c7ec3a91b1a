import { core as mx } from '@frost-beta/mlx';
import { parseModelConfig } from '@rlaif/hf';
import { describe, expect, it } from 'vitest';
import { MASKED } from './layers.js';
import { createModel } from './registry.js';

const base = { hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, num_attention_heads: 4, vocab_size: 97, rms_norm_eps: 1e-6 };

// Left padding with a key mask must not change a prompt's logits: RoPE sees only relative positions.
describe.each([
  ['qwen2 with grouped heads', { ...base, model_type: 'qwen2', num_key_value_heads: 2, tie_word_embeddings: true }],
  ['llama with full heads and llama3 RoPE', {
    ...base, model_type: 'llama', num_key_value_heads: 4, rope_theta: 500000,
    rope_scaling: { rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 16 },
  }],
])('%s', (_name, raw) => {
  it('gives the same logits for a left-padded prompt as for the prompt alone', () => {
    const model = createModel(parseModelConfig({ ...raw }, 'config.json'));
    mx.eval(model.parameters());
    const short = [5, 17, 3, 42];
    const long = [9, 8, 7, 6, 5, 4, 3];
    const alone = model.forward(mx.array([short], mx.int32)).index(0).tolist() as number[][];
    const padding = long.length - short.length;
    const tokens = mx.array([[...new Array<number>(padding).fill(0), ...short], long], mx.int32);
    const keyMask = mx.array([Array.from({ length: long.length }, (_, j) => (j < padding ? MASKED : 0)), new Array<number>(long.length).fill(0)], mx.float32);
    const batched = model.forward(tokens, undefined, { keyMask }).index(0).tolist() as number[][];
    const worst = Math.max(...alone.map((row, t) => Math.max(...row.map((v, i) => Math.abs(v - batched[t + padding]![i]!)))));
    expect(worst).toBeLessThan(1e-4);
    // And the padding really is masked: without the mask the logits differ.
    const unmasked = model.forward(tokens).index(0, -1).tolist() as number[];
    expect(Math.max(...unmasked.map((v, i) => Math.abs(v - alone.at(-1)![i]!)))).toBeGreaterThan(1e-3);
  });
});
