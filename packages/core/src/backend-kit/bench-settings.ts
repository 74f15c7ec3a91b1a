/**
 * What every engine's benchmark scripts share, so their numbers compare: the model shapes by name,
 * the optimisation settings of a bench step, and the `--name value` argument reader.
 */
import type { OptimizationSpec } from '../contracts/backend.js';

/** Qwen2-shaped `config.json` fields by name. */
export const BENCH_SHAPES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  // ~33 M parameters: the size the engine notes measured.
  small: { hidden_size: 512, num_hidden_layers: 6, num_attention_heads: 8, num_key_value_heads: 2, intermediate_size: 1408, vocab_size: 32000 },
  'qwen0.5b': { hidden_size: 896, num_hidden_layers: 24, num_attention_heads: 14, num_key_value_heads: 2, intermediate_size: 4864, vocab_size: 151936 },
  // The offline quickstart's student (examples/quickstart/model.config.json), 1.2 M parameters.
  quickstart: { hidden_size: 128, num_hidden_layers: 6, num_attention_heads: 4, num_key_value_heads: 2, intermediate_size: 352, vocab_size: 492 },
};

/** Optimisation settings of a bench's training steps (constant rate, no KL). */
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
export function benchArg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
