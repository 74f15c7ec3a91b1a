/** Random-initialised models for the bench; shapes, settings and argument parsing are core's (shared with backend-mlx's bench). */
import { parseModelConfig } from '@rlaif/hf';
import { tf } from '../engine/tf.js';
import type { DecoderForCausalLM } from '../models/causal-lm.js';
import { createModel } from '../models/registry.js';

export { BENCH_OPTIMIZATION, BENCH_SHAPES as SHAPES, benchArg as arg } from '@rlaif/core';

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
