/**
 * Throughput benchmark of the MLX backend on this machine: matmul peak and read bandwidth, training
 * tokens/s (full model and LoRA), generation tokens/s (batch 1 and 8 samples per prompt), peak RSS,
 * MFU (model FLOPs/s over the matmul peak measured in the same run; model FLOPs per token = 6·params
 * + 12·layers·hidden·T for attention, as in PaLM) and % of the bandwidth roofline for decoding.
 * Random-initialised Qwen2-shaped models; plain wall-clock timing, results printed as a markdown table.
 * Full-model training runs at every `--train` micro-batch shape (B×T; the first is also used for LoRA).
 * Where a step's time goes: profile-step.js beside this file.
 *
 *   npx tsc -b packages/backend-mlx && node --expose-gc packages/backend-mlx/dist/bench/bench.js [--shape small|qwen0.5b] [--steps 4] [--train 4x128,8x256]
 */
import { fileURLToPath } from 'node:url';
import { core as mx, utils } from '@frost-beta/mlx';
import { allocatorTuning, relaunchWithAllocatorTuning, type PolicyBatch, type Rollout } from '@rlaif/core';
import { Tokenizer } from '@rlaif/hf';
import { generateSamples } from '../generate/generate.js';
import type { CausalLM } from '../models/causal-lm.js';
import { applyLora } from '../lora/apply-lora.js';
import { AdamW } from '../optim/adamw.js';
import { compileWorks } from '../optim/fused-update.js';
import { PolicyOptimizer } from '../train/policy-optimizer.js';
import { releaseMemory } from '../engine/memory.js';
import { arg, BENCH_OPTIMIZATION, buildModel, matmulPeak, parameterCount, SHAPES } from './bench-model.js';

const PROMPT = 16;

/** A training micro-batch shape: B sequences of T tokens. */
interface TrainShape {
  readonly batch: number;
  readonly length: number;
}

function seconds(fn: () => void): number {
  const start = performance.now();
  fn();
  return (performance.now() - start) / 1000;
}

/**
 * How fast this machine streams weights from memory, in GB/s: a vector times a 256 MB matrix (BLAS on
 * all cores, the access pattern of batch-1 decoding) and a sum over the same 256 MB (one thread); the
 * best of five each. Both only read, into an output of a few KB: an earlier version timed a 256 MB
 * elementwise product, which mostly measured the kernel zeroing the fresh pages of its output.
 */
function readBandwidth(): { matrixVector: number; sum: number } {
  const side = 8192;
  const weights = mx.random.uniform(0, 1, [side, side]);
  const vector = mx.random.uniform(0, 1, [1, side]);
  const flat = mx.reshape(weights, [side * side]);
  mx.eval(weights, vector, flat);
  const bytes = side * side * 4;
  const best = (fn: () => void) => {
    fn();
    return bytes / Math.min(...Array.from({ length: 5 }, () => seconds(fn))) / 1e9;
  };
  return { matrixVector: best(() => mx.eval(mx.matmul(vector, mx.transpose(weights)))), sum: best(() => mx.eval(mx.sum(flat))) };
}

const task = { id: 'bench', language: 'python' as const, prompt: '', extra: {} };

function syntheticBatch(vocab: number, { batch, length }: TrainShape): PolicyBatch {
  const rollouts: Rollout[] = Array.from({ length: batch }, (_, i) => ({
    task,
    sampleIndex: i,
    text: '',
    code: '',
    promptTokens: Array.from({ length: PROMPT }, (_, t) => (t * 31 + i) % vocab),
    completionTokens: Array.from({ length: length + 1 - PROMPT }, (_, t) => (t * 17 + i * 7) % vocab),
    behaviourLogprobs: Array.from({ length: length + 1 - PROMPT }, () => -Math.log(vocab)),
    finishReason: 'length',
    policyVersion: 0,
    generationMs: 0,
  }));
  return { rollouts, advantages: rollouts.map((_, i) => (i % 2 ? 1 : -1)) };
}


/** Training throughput in tokens (B·T) per second and seconds per step, after one warm-up step. */
async function trainTokensPerSecond(model: CausalLM, lora: boolean, steps: number, vocab: number, shape: TrainShape): Promise<{ tps: number; stepSeconds: number }> {
  const layers = lora ? applyLora(model, { rank: 8, alpha: 16, dropout: 0, targetModules: [] }) : undefined;
  const optimizer = new PolicyOptimizer({
    model,
    lora: layers,
    adapter: undefined,
    optimization: { ...BENCH_OPTIMIZATION, microBatchSize: shape.batch, klPenalty: lora ? 0.05 : 0 },
    seed: 0,
  });
  const batch = syntheticBatch(vocab, shape);
  await optimizer.step([batch]);
  const start = performance.now();
  for (let i = 0; i < steps; i++) await optimizer.step([batch]);
  const seconds = (performance.now() - start) / 1000;
  return { tps: (shape.batch * shape.length * steps) / seconds, stepSeconds: seconds / steps };
}

/** Model FLOPs per trained token: 6 per parameter plus attention scores and mixing (PaLM's 12·L·d·T). */
function flopsPerToken(params: number, shape: Record<string, unknown>, length: number): number {
  return 6 * params + 12 * (shape['num_hidden_layers'] as number) * (shape['hidden_size'] as number) * length;
}

/** Seconds of one AdamW update over every parameter of `model` (the optimiser's share of a step). */
async function adamSeconds(model: CausalLM): Promise<number> {
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
  // As in training: the previous update's outputs are freed before the next one allocates its own.
  run();
  await releaseMemory();
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
  const trainShapes: TrainShape[] = arg('train', '4x128,8x256')
    .split(',')
    .map((s) => {
      const [batch, length] = s.split('x').map(Number);
      if (!(batch! > 0 && length! > PROMPT)) throw new Error(`--train ${s}: use BxT with T > ${PROMPT}, e.g. 4x128`);
      return { batch: batch!, length: length! };
    });
  // Values are thunks so MFU can use the peak measured after training as well (the larger of the two).
  const rows: [string, string | (() => string)][] = [];
  const load = (await import('node:os')).loadavg()[0]!.toFixed(1);

  progress('start');
  rows.push(['malloc (see the core CLI: RLAIF_ALLOCATOR_TUNING)', allocatorTuning() === 'applied' ? 'tuned: freed buffers kept for reuse' : `glibc defaults (${allocatorTuning()})`]);
  const peaks = matmulPeak();
  let peak = Math.max(...peaks.map((p) => p.gflops));
  const formatPeaks = (list: { size: number; gflops: number }[]) => list.map((p) => `${p.size}³: ${p.gflops.toFixed(0)}`).join(', ');
  rows.push(['matmul f32 GFLOP/s, before training', formatPeaks(peaks)]);
  const reads = [readBandwidth()];
  const formatReads = () => reads.map((r) => `${r.matrixVector.toFixed(1)} / ${r.sum.toFixed(1)}`).join(', then ');
  rows.push(['read bandwidth GB/s, before and after training: vector × 256 MB matrix (BLAS) / sum (1 thread)', formatReads]);
  await releaseMemory();

  const fixture = fileURLToPath(new URL('../../fixtures/tiny-qwen2', import.meta.url));
  const tokenizer = await Tokenizer.fromDirectory(fixture);
  const params = parameterCount(await buildModel(shape, dtype));
  await releaseMemory();
  rows.push(['model', `${shapeName}: ${(params / 1e6).toFixed(1)} M parameters, ${dtype === mx.float32 ? 'float32' : 'bfloat16 storage'}`]);

  if (full) {
    const model = await buildModel(shape, dtype);
    const stepSeconds: number[] = [];
    for (const train of trainShapes) {
      const { tps, stepSeconds: s } = await trainTokensPerSecond(model, false, steps, vocab, train);
      stepSeconds.push(s);
      const mfu = () => (100 * flopsPerToken(params, shape, train.length) * tps) / (peak * 1e9);
      rows.push([`train full model tok/s (B=${train.batch}, T=${train.length})`, () => `${tps.toFixed(0)} (MFU ${mfu().toFixed(1)}%, ${s.toFixed(2)} s/step)`]);
      await releaseMemory();
      progress(`full-model training ${train.batch}x${train.length} done`);
    }
    const adam = await adamSeconds(model);
    const kernel = compileWorks() && !process.env['MLX_DISABLE_COMPILE'] ? 'fused kernel' : 'unfused: mx.compile unavailable or disabled';
    const shares = stepSeconds.map((s, i) => `${((100 * adam) / s).toFixed(0)}% of a ${trainShapes[i]!.batch}x${trainShapes[i]!.length} step`).join(', ');
    rows.push([`AdamW update of all parameters, s (${kernel})`, `${adam.toFixed(3)} (${shares})`]);
    await releaseMemory();
  }
  const loraModel = await buildModel(shape, dtype);
  const loraShape = trainShapes[0]!;
  const { tps: loraTps } = await trainTokensPerSecond(loraModel, true, steps, vocab, loraShape);
  const loraMfu = () => (100 * flopsPerToken(params, shape, loraShape.length) * loraTps) / (peak * 1e9);
  rows.push([`train LoRA r=8 all projections tok/s (B=${loraShape.batch}, T=${loraShape.length})`, () => `${loraTps.toFixed(0)} (full-model-FLOPs MFU ${loraMfu().toFixed(1)}%)`]);
  // The machine is shared: measure the peak again under the load training ran with; MFU uses the larger.
  await releaseMemory();
  const peaksAfter = matmulPeak();
  peak = Math.max(peak, ...peaksAfter.map((p) => p.gflops));
  reads.push(readBandwidth());
  await releaseMemory();
  const bandwidth = Math.max(...reads.map((r) => Math.max(r.matrixVector, r.sum)));
  rows.splice(2, 0, ['matmul f32 GFLOP/s, after training', formatPeaks(peaksAfter)]);
  progress('LoRA training done');
  loraModel.eval();
  const bytesPerToken = params * (dtype === mx.float32 ? 4 : 2);
  for (const n of [1, 8]) {
    const tps = await generationTokensPerSecond(loraModel, tokenizer, n, vocab, releaseEvery);
    // At batch n, one pass over the weights yields n tokens.
    const roofline = (bandwidth * 1e9 * n) / bytesPerToken;
    progress(`generation n=${n} done`);
    rows.push([`generate tok/s, ${n} sample${n > 1 ? 's' : ''} per prompt`, `${tps.toFixed(1)} (${((100 * tps) / roofline).toFixed(0)}% of read-bandwidth roofline ${roofline.toFixed(0)})`]);
    await releaseMemory();
  }
  rows.push(['peak RSS GB', (process.resourceUsage().maxRSS / 2 ** 20).toFixed(2)]);
  rows.push(['load average at start (2 cores)', load]);

  console.log('| measure | value |\n| --- | --- |');
  rows.push(['load average at end', (await import('node:os')).loadavg()[0]!.toFixed(1)]);
  for (const [k, v] of rows) console.log(`| ${k} | ${typeof v === 'string' ? v : v()} |`);
}

// Measured under the same allocator set-up as `rlaif run`.
const relaunchedExitCode = await relaunchWithAllocatorTuning();
if (relaunchedExitCode !== undefined) process.exit(relaunchedExitCode);
await main();
