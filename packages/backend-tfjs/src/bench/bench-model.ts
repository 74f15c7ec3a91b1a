/** Shapes (the same as backend-mlx's bench), random-initialised models and argument parsing for the bench. */
import { parseModelConfig } from '@rlaif/hf';
import { tf } from '../engine/tf.js';
import type { DecoderForCausalLM } from '../models/causal-lm.js';
import { createModel } from '../models/registry.js';

/** Qwen2-shaped configs by name (backend-mlx's src/bench/bench-model.ts has the same three). */
export const SHAPES: Record<string, Record<string, unknown>> = {
  small: { hidden_size: 512, num_hidden_layers: 6, num_attention_heads: 8, num_key_value_heads: 2, intermediate_size: 1408, vocab_size: 32000 },
  'qwen0.5b': { hidden_size: 896, num_hidden_layers: 24, num_attention_heads: 14, num_key_value_heads: 2, intermediate_size: 4864, vocab_size: 151936 },
  quickstart: { hidden_size: 128, num_hidden_layers: 6, num_attention_heads: 4, num_key_value_heads: 2, intermediate_size: 352, vocab_size: 492 },
};

/** The value after `--name` on the command line, or `fallback`. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

/** A random-initialised Qwen2 model of `shape` (normal(0, 0.02) weights, unit norms); `trainable` for full fine-tuning. */
export function buildModel(shape: Record<string, unknown>, trainable: boolean): DecoderForCausalLM {
  const config = parseModelConfig(
    { model_type: 'qwen2', rms_norm_eps: 1e-6, rope_theta: 1e6, tie_word_embeddings: true, max_position_embeddings: 4096, ...shape },
    'bench',
  );
  const model = createModel(config);
  let seed = 0;
  for (const [name, dims] of model.parameterShapes()) {
    const initial = name.endsWith('layernorm.weight') || name === 'model.norm.weight' ? tf.ones(dims) : tf.randomNormal(dims, 0, 0.02, 'float32', seed++);
    model.weights.set(name, tf.variable(initial, trainable));
    initial.dispose();
  }
  return model;
}

/** Best float32 matmul rate over a few square sizes, in GFLOP/s. */
export function matmulPeak(): { gflops: number; size: number }[] {
  const warm = tf.randomNormal([1024, 1024]);
  for (const until = performance.now() + 1000; performance.now() < until; ) tf.matMul(warm, warm).dispose();
  warm.dispose();
  return [512, 1024, 2048].map((n) => {
    const a = tf.randomNormal([n, n]);
    const b = tf.randomNormal([n, n]);
    const times = Array.from({ length: n >= 2048 ? 4 : 10 }, () => {
      const start = performance.now();
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
      return (performance.now() - start) / 1000;
    });
    a.dispose();
    b.dispose();
    return { size: n, gflops: (2 * n ** 3) / Math.min(...times) / 1e9 };
  });
}
