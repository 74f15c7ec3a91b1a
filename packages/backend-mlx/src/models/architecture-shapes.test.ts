import { core as mx } from '@frost-beta/mlx';
import { parseModelConfig } from '@rlaif/hf';
import { describe, expect, it } from 'vitest';
import { createModel } from './registry.js';
import { llama3InverseFrequencies } from './rotary-embedding.js';

// Published configs; the counts are what transformers 5 reports for the same configs (meta device).
const qwen25Coder05B = {
  model_type: 'qwen2', hidden_size: 896, intermediate_size: 4864, num_hidden_layers: 24, num_attention_heads: 14, num_key_value_heads: 2,
  vocab_size: 151936, tie_word_embeddings: true, max_position_embeddings: 32768, rope_theta: 1000000.0, rms_norm_eps: 1e-6,
};
const llama32_1B = {
  model_type: 'llama', hidden_size: 2048, intermediate_size: 8192, num_hidden_layers: 16, num_attention_heads: 32, num_key_value_heads: 8,
  head_dim: 64, vocab_size: 128256, tie_word_embeddings: true, max_position_embeddings: 131072, rope_theta: 500000.0, rms_norm_eps: 1e-5,
  rope_scaling: { rope_type: 'llama3', factor: 32.0, low_freq_factor: 1.0, high_freq_factor: 4.0, original_max_position_embeddings: 8192 },
};

function countParameters(tree: unknown): number {
  if (tree instanceof mx.array) return tree.size;
  if (Array.isArray(tree)) return tree.reduce((sum: number, value) => sum + countParameters(value), 0);
  if (tree && typeof tree === 'object') return Object.values(tree).reduce((sum: number, value) => sum + countParameters(value), 0);
  return 0;
}

describe('architectures at real sizes', () => {
  // MLX arrays are lazy: building the modules allocates nothing until evaluated.
  it.each([
    ['Qwen2.5-Coder-0.5B', qwen25Coder05B, 494_032_768],
    ['Llama-3.2-1B', llama32_1B, 1_235_814_400],
  ] as const)('%s has the parameter count transformers reports', (_name, raw, expected) => {
    const model = createModel(parseModelConfig({ ...raw }, 'config.json'));
    expect(countParameters(model.parameters())).toBe(expected);
  });

  it('scales Llama 3 RoPE frequencies by band', () => {
    const scaling = { ropeType: 'llama3', factor: 32, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 8192 } as const;
    const scaled = llama3InverseFrequencies(64, 500000, scaling);
    const plain = Array.from({ length: 32 }, (_, i) => 1 / Math.pow(500000, (2 * i) / 64));
    // Short wavelengths (high frequencies) are untouched, the longest are divided by the factor.
    expect(scaled[0]).toBeCloseTo(plain[0]!, 12);
    expect(scaled[31]! / plain[31]!).toBeCloseTo(1 / 32, 10);
    const blended = scaled.findIndex((f, i) => f !== plain[i] && Math.abs(f / plain[i]! - 1 / 32) > 1e-9);
    expect(blended).toBeGreaterThan(0);
  });
});
