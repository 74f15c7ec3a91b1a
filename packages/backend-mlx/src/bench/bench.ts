/**
 * Throughput benchmark of the MLX backend on this machine: matmul peak and copy bandwidth, training
 * tokens/s (full model and LoRA), generation tokens/s (batch 1 and 8 samples per prompt), peak RSS,
 * MFU (6·params·tokens/s over the measured matmul peak) and % of the bandwidth roofline for decoding.
 * Random-initialised Qwen2-shaped models; plain wall-clock timing, results printed as a markdown table.
 *
 *   npx tsc -b packages/backend-mlx && node --expose-gc packages/backend-mlx/dist/bench/bench.js [--shape small|qwen0.5b] [--steps 4]
 */
import { fileURLToPath } from 'node:url';
import { core as mx, utils } from '@frost-beta/mlx';
import type { OptimizationSpec, PolicyBatch, Rollout } from '@rlaif/core';
import { parseModelConfig, Tokenizer } from '@rlaif/hf';
import { generateSamples } from '../generate/generate.js';
import { createModel } from '../models/registry.js';
import type { CausalLM } from '../models/causal-lm.js';
import { applyLora } from '../lora/apply-lora.js';
import { AdamW } from '../optim/adamw.js';
import { PolicyOptimizer } from '../train/policy-optimizer.js';
import { releaseMemory } from '../train/release-memory.js';

const SHAPES: Record<string, Record<string, unknown>> = {
  // ~33 M parameters: the size the engine notes measured.
  small: { hidden_size: 512, num_hidden_layers: 6, num_attention_heads: 8, num_key_value_heads: 2, intermediate_size: 1408, vocab_size: 32000 },
  'qwen0.5b': { hidden_size: 896, num_hidden_layers: 24, num_attention_heads: 14, num_key_value_heads: 2, intermediate_size: 4864, vocab_size: 151936 },
};

const BATCH = 4;
const LENGTH = 128;
const PROMPT = 16;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

function seconds(fn: () => void): number {
  const start = performance.now();
  fn();
  return (performance.now() - start) / 1000;
}

/** Best float32 matmul rate over a few square sizes, in GFLOP/s. */
function matmulPeak(): { gflops: number; size: number }[] {
  return [512, 1024, 2048].map((n) => {
    const a = mx.random.normal([n, n]);
    const b = mx.random.normal([n, n]);
    mx.eval(a, b);
    mx.eval(mx.matmul(a, b));
    const reps = n >= 2048 ? 3 : 10;
    const t = seconds(() => {
      for (let i = 0; i < reps; i++) mx.eval(mx.matmul(a, b));
    });
    return { size: n, gflops: (2 * n ** 3 * reps) / t / 1e9 };
  });
}

/** Streaming read+write bandwidth of an elementwise op over 256 MB, in GB/s. */
function copyBandwidth(): number {
  const a = mx.random.uniform(0, 1, [64 * 1024 * 1024]);
  mx.eval(a);
  mx.eval(mx.multiply(a, 1.0001));
  const reps = 5;
  const t = seconds(() => {
    for (let i = 0; i < reps; i++) mx.eval(mx.multiply(a, 1.0001));
  });
  return (2 * a.size * 4 * reps) / t / 1e9;
}

async function buildModel(shape: Record<string, unknown>, dtype: mx.Dtype): Promise<CausalLM> {
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

function parameterCount(model: CausalLM): number {
  return (utils.treeFlatten(model.parameters()) as [string, mx.array][]).reduce((n, [, a]) => n + a.size, 0);
}

const task = { id: 'bench', language: 'python' as const, prompt: '', extra: {} };

function syntheticBatch(vocab: number): PolicyBatch {
  const rollouts: Rollout[] = Array.from({ length: BATCH }, (_, i) => ({
    task,
    sampleIndex: i,
    text: '',
    code: '',
    promptTokens: Array.from({ length: PROMPT }, (_, t) => (t * 31 + i) % vocab),
    completionTokens: Array.from({ length: LENGTH + 1 - PROMPT }, (_, t) => (t * 17 + i * 7) % vocab),
    behaviourLogprobs: Array.from({ length: LENGTH + 1 - PROMPT }, () => -Math.log(vocab)),
    finishReason: 'length',
    policyVersion: 0,
    generationMs: 0,
  }));
  return { rollouts, advantages: rollouts.map((_, i) => (i % 2 ? 1 : -1)) };
}

const OPTIMIZATION: OptimizationSpec = {
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
  microBatchSize: BATCH,
  gradientCheckpointing: false,
};

/** Training throughput in tokens (B·T) per second, after one warm-up step. */
async function trainTokensPerSecond(model: CausalLM, lora: boolean, steps: number, vocab: number): Promise<number> {
  const layers = lora ? applyLora(model, { rank: 8, alpha: 16, dropout: 0, targetModules: [] }) : undefined;
  const optimizer = new PolicyOptimizer({
    model,
    lora: layers,
    adapter: undefined,
    optimization: { ...OPTIMIZATION, klPenalty: lora ? 0.05 : 0 },
    seed: 0,
  });
  const batch = syntheticBatch(vocab);
  await optimizer.step([batch]);
  const start = performance.now();
  for (let i = 0; i < steps; i++) await optimizer.step([batch]);
  return (BATCH * LENGTH * steps) / ((performance.now() - start) / 1000);
}

/** Seconds of one AdamW update over every parameter of `model` (the optimiser's share of a step). */
function adamSeconds(model: CausalLM): number {
  const flat = utils.treeFlatten(model.parameters()) as [string, mx.array][];
  const adam = new AdamW({ betas: [0.9, 0.999], epsilon: 1e-8, weightDecay: 0.01 });
  const grads = flat.map(([, p]) => mx.multiply(mx.onesLike(p), 1e-3));
  mx.eval(...grads);
  const run = () => {
    const next = adam.update(
      flat.map(([n]) => n),
      flat.map(([, p]) => p),
      grads,
      1e-5,
    );
    mx.eval(...next, ...adam.pendingState());
  };
  run();
  return seconds(run);
}

/** Decoding throughput (completion tokens/s) for `n` samples of one prompt. */
async function generationTokensPerSecond(model: CausalLM, tokenizer: Tokenizer, n: number, vocab: number, releaseEvery: number): Promise<number> {
  const prompt = Array.from({ length: 32 }, (_, t) => (t * 13) % vocab);
  const sampling = { temperature: 1, topP: 1, topK: 0, minP: 0, maxNewTokens: 48, stop: [], seed: 1 };
  await generateSamples(model, [prompt], n, { tokenizer, eosTokenIds: [], sampling: { ...sampling, maxNewTokens: 4 }, releaseEvery });
  const start = performance.now();
  const [samples] = await generateSamples(model, [prompt], n, { tokenizer, eosTokenIds: [], sampling, releaseEvery });
  const tokens = (samples ?? []).reduce((s, x) => s + x.tokenIds.length, 0);
  return tokens / ((performance.now() - start) / 1000);
}

/** Progress with the current RSS on stderr, so a run that dies still shows how far it got. */
function progress(phase: string): void {
  process.stderr.write(`[bench] ${phase}: rss ${(process.memoryUsage().rss / 2 ** 30).toFixed(2)} GB\n`);
}

async function main(): Promise<void> {
  const shapeName = arg('shape', 'small');
  const shape = SHAPES[shapeName];
  if (!shape) throw new Error(`unknown --shape ${shapeName}; use ${Object.keys(SHAPES).join(' or ')}`);
  const steps = Number(arg('steps', '4'));
  const dtype = arg('dtype', 'float32') === 'bfloat16' ? mx.bfloat16 : mx.float32;
  const full = arg('full', shapeName === 'small' ? 'yes' : 'no') === 'yes';
  const vocab = shape['vocab_size'] as number;
  // Half-precision weights are cast to f32 at every matmul: on big models that garbage must go every token.
  const releaseEvery = Number(arg('release-every', shapeName === 'small' ? '16' : '1'));
  const rows: [string, string][] = [];
  const load = (await import('node:os')).loadavg()[0]!.toFixed(1);

  progress('start');
  const peaks = matmulPeak();
  const peak = Math.max(...peaks.map((p) => p.gflops));
  rows.push(['matmul f32 GFLOP/s', peaks.map((p) => `${p.size}³: ${p.gflops.toFixed(0)}`).join(', ')]);
  const bandwidth = copyBandwidth();
  rows.push(['copy bandwidth (read+write) GB/s', bandwidth.toFixed(1)]);
  await releaseMemory();

  const fixture = fileURLToPath(new URL('../../fixtures/tiny-qwen2', import.meta.url));
  const tokenizer = await Tokenizer.fromDirectory(fixture);
  const params = parameterCount(await buildModel(shape, dtype));
  await releaseMemory();
  rows.push(['model', `${shapeName}: ${(params / 1e6).toFixed(1)} M parameters, ${dtype === mx.float32 ? 'float32' : 'bfloat16 storage'}`]);

  if (full) {
    const model = await buildModel(shape, dtype);
    const tps = await trainTokensPerSecond(model, false, steps, vocab);
    rows.push([`train full model tok/s (B=${BATCH}, T=${LENGTH})`, `${tps.toFixed(0)} (MFU ${((100 * 6 * params * tps) / (peak * 1e9)).toFixed(1)}%)`]);
    rows.push(['AdamW update of all parameters, s', adamSeconds(model).toFixed(3)]);
    await releaseMemory();
    progress('full-model training done');
  }
  const loraModel = await buildModel(shape, dtype);
  const loraTps = await trainTokensPerSecond(loraModel, true, steps, vocab);
  rows.push([`train LoRA r=8 all projections tok/s (B=${BATCH}, T=${LENGTH})`, `${loraTps.toFixed(0)} (6·N MFU ${((100 * 6 * params * loraTps) / (peak * 1e9)).toFixed(1)}%)`]);
  progress('LoRA training done');
  loraModel.eval();
  const bytesPerToken = params * (dtype === mx.float32 ? 4 : 2);
  for (const n of [1, 8]) {
    const tps = await generationTokensPerSecond(loraModel, tokenizer, n, vocab, releaseEvery);
    // At batch n, one pass over the weights yields n tokens.
    const roofline = (bandwidth * 1e9 * n) / bytesPerToken;
    progress(`generation n=${n} done`);
    rows.push([`generate tok/s, ${n} sample${n > 1 ? 's' : ''} per prompt`, `${tps.toFixed(1)} (${((100 * tps) / roofline).toFixed(0)}% of weight-streaming roofline ${roofline.toFixed(0)})`]);
    await releaseMemory();
  }
  rows.push(['peak RSS GB', (process.resourceUsage().maxRSS / 2 ** 20).toFixed(2)]);
  rows.push(['load average at start (2 cores)', load]);

  console.log('| measure | value |\n| --- | --- |');
  for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
}

await main();
