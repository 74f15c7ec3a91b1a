/** Shapes, random-initialised models and argument parsing shared by the bench and profile scripts. */
import { core as mx, utils } from '@frost-beta/mlx';
import { parseModelConfig } from '@rlaif/hf';
import type { CausalLM } from '../models/causal-lm.js';
import { createModel } from '../models/registry.js';
import { releaseMemory } from '../engine/memory.js';

export { BENCH_OPTIMIZATION, BENCH_SHAPES as SHAPES, benchArg as arg } from '@rlaif/core';

/** A random-initialised Qwen2 model of `shape`, evaluated, stored in `dtype`. */
export async function buildModel(shape: Record<string, unknown>, dtype: mx.Dtype): Promise<CausalLM> {
  const config = parseModelConfig(
    { model_type: 'qwen2', rms_norm_eps: 1e-6, rope_theta: 1e6, tie_word_embeddings: true, max_position_embeddings: 4096, ...shape },
    'bench',
  );
  mx.random.seed(0);
  const model = createModel(config);
  if (dtype !== mx.float32) model.setDtype(dtype);
  mx.eval(model.parameters());
  // Drop the float32 initial weights that setDtype replaced.
  await releaseMemory();
  return model;
}

/** Number of scalars in all parameters. */
export function parameterCount(model: CausalLM): number {
  return (utils.treeFlatten(model.parameters()) as [string, mx.array][]).reduce((n, [, a]) => n + a.size, 0);
}

/** Best float32 matmul rate over a few square sizes, in GFLOP/s. */
export function matmulPeak(): { gflops: number; size: number }[] {
  // The first second of BLAS work on an idle machine runs at a fraction of the rate (threads waking,
  // clocks rising): warm up before timing, then take the fastest repetition.
  const warm = mx.random.normal([1024, 1024]);
  for (const until = performance.now() + 1000; performance.now() < until; ) mx.eval(mx.matmul(warm, warm));
  return [512, 1024, 2048].map((n) => {
    const a = mx.random.normal([n, n]);
    const b = mx.random.normal([n, n]);
    mx.eval(a, b);
    mx.eval(mx.matmul(a, b));
    const times = Array.from({ length: n >= 2048 ? 4 : 10 }, () => {
      const start = performance.now();
      mx.eval(mx.matmul(a, b));
      return (performance.now() - start) / 1000;
    });
    return { size: n, gflops: (2 * n ** 3) / Math.min(...times) / 1e9 };
  });
}
