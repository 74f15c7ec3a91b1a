/** Shapes, random-initialised models and argument parsing shared by the bench and profile scripts. */
import { core as mx, utils } from '@frost-beta/mlx';
import type { OptimizationSpec } from '@rlaif/core';
import { parseModelConfig } from '@rlaif/hf';
import type { CausalLM } from '../models/causal-lm.js';
import { createModel } from '../models/registry.js';
import { releaseMemory } from '../engine/memory.js';

/** Qwen2-shaped configs by name. */
export const SHAPES: Record<string, Record<string, unknown>> = {
  // ~33 M parameters: the size the engine notes measured.
  small: { hidden_size: 512, num_hidden_layers: 6, num_attention_heads: 8, num_key_value_heads: 2, intermediate_size: 1408, vocab_size: 32000 },
  'qwen0.5b': { hidden_size: 896, num_hidden_layers: 24, num_attention_heads: 14, num_key_value_heads: 2, intermediate_size: 4864, vocab_size: 151936 },
  // The offline quickstart's student (examples/quickstart/model.config.json), 1.2 M parameters.
  quickstart: { hidden_size: 128, num_hidden_layers: 6, num_attention_heads: 4, num_key_value_heads: 2, intermediate_size: 352, vocab_size: 492 },
};

/** Optimisation settings of the bench's training steps (constant rate, no KL). */
export const BENCH_OPTIMIZATION: OptimizationSpec = {
  learningRate: 1e-5,
  supervisedLearningRate: 1e-5,
  weightDecay: 0.01,
  adamBetas: [0.9, 0.999],
  adamEpsilon: 1e-8,
  maxGradNorm: 1,
  schedule: 'constant',
  warmupSteps: 0,
  totalSteps: 100,
  klPenalty: 0,
  klEstimator: 'k3',
  aggregation: 'token',
  clipRange: 0.2,
  ppoEpochs: 1,
  microBatchSize: 1,
  gradientCheckpointing: false,
};

/** The value after `--name` on the command line, or `fallback`. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

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
