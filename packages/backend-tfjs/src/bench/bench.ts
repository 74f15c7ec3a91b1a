/**
 * Throughput benchmark of the TensorFlow.js backend, the same measures and shapes as backend-mlx's bench
 * (run both back to back to compare): matmul peak and read bandwidth, training tokens/s (full model and
 * LoRA r=8 on all projections), generation tokens/s (batch 1 and 8 samples per prompt) against the
 * read-bandwidth roofline, peak RSS. MFU = model FLOPs/s over the best matmul rate measured in the same
 * run, model FLOPs per token = 6·params + 12·layers·hidden·T (PaLM). Results as a markdown table.
 *
 *   npx tsc -b packages/backend-tfjs && node packages/backend-tfjs/dist/bench/bench.js [--shape small|qwen0.5b] [--steps 4] [--train 4x128,8x256] [--full yes|no]
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { PolicyBatch, Rollout } from '@rlaif/core';
import { Tokenizer } from '@rlaif/hf';
import { engineInfo } from '../engine/device.js';
import { tf } from '../engine/tf.js';
import { generateSamples } from '../generate/generate.js';
import { applyLora } from '../lora/apply-lora.js';
import type { DecoderForCausalLM } from '../models/causal-lm.js';
import { PolicyOptimizer } from '../train/policy-optimizer.js';
import { arg, BENCH_OPTIMIZATION, buildModel, matmulPeak, SHAPES } from './bench-model.js';

const PROMPT = 16;

interface TrainShape {
  readonly batch: number;
  readonly length: number;
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


function seconds(fn: () => void): number {
  const start = performance.now();
  fn();
  return (performance.now() - start) / 1000;
}

/** Read bandwidth in GB/s: a vector × 256 MB matrix (decoding's access pattern) and a sum over 256 MB, best of five. */
function readBandwidth(): { matrixVector: number; sum: number } {
  const side = 8192;
  const weights = tf.randomUniform([side, side]);
  const vector = tf.randomUniform([1, side]);
  const bytes = side * side * 4;
  const best = (fn: () => tf.Tensor) => {
    const run = () => tf.tidy(() => fn().dataSync());
    run();
    return bytes / Math.min(...Array.from({ length: 5 }, () => seconds(run))) / 1e9;
  };
  const result = { matrixVector: best(() => tf.matMul(vector, weights, false, true)), sum: best(() => tf.sum(weights)) };
  weights.dispose();
  vector.dispose();
  return result;
}

/** Training throughput in tokens (B·T) per second and seconds per step, after one warm-up step. */
async function trainTokensPerSecond(model: DecoderForCausalLM, lora: boolean, steps: number, vocab: number, shape: TrainShape): Promise<{ tps: number; stepSeconds: number }> {
  const targetModules = lora ? applyLora(model, { rank: 8, alpha: 16, dropout: 0, targetModules: [] }) : [];
  const optimizer = new PolicyOptimizer({
    model,
    adapter: lora ? { rank: 8, alpha: 16, dropout: 0, baseModelNameOrPath: 'bench', targetModules } : undefined,
    optimization: { ...BENCH_OPTIMIZATION, microBatchSize: shape.batch, klPenalty: lora ? 0.05 : 0 },
    seed: 0,
  });
  const batch = syntheticBatch(vocab, shape);
  await optimizer.step([batch]);
  const start = performance.now();
  for (let i = 0; i < steps; i++) await optimizer.step([batch]);
  const elapsed = (performance.now() - start) / 1000;
  optimizer.dispose();
  return { tps: (shape.batch * shape.length * steps) / elapsed, stepSeconds: elapsed / steps };
}

function flopsPerToken(params: number, shape: Record<string, unknown>, length: number): number {
  return 6 * params + 12 * (shape['num_hidden_layers'] as number) * (shape['hidden_size'] as number) * length;
}

/** Decoding throughput (completion tokens/s) for `n` samples of one prompt: 48 new tokens after 32. */
function generationTokensPerSecond(model: DecoderForCausalLM, tokenizer: Tokenizer, n: number, vocab: number): number {
  const prompt = Array.from({ length: 32 }, (_, t) => (t * 13) % vocab);
  const sampling = { temperature: 1, topP: 1, topK: 0, minP: 0, maxNewTokens: 48, stop: [], seed: 1 };
  generateSamples(model, [prompt], n, { tokenizer, eosTokenIds: [], sampling: { ...sampling, maxNewTokens: 4 } });
  const start = performance.now();
  const [samples] = generateSamples(model, [prompt], n, { tokenizer, eosTokenIds: [], sampling });
  const tokens = (samples ?? []).reduce((s, x) => s + x.tokenIds.length, 0);
  return tokens / ((performance.now() - start) / 1000);
}

function progress(phase: string): void {
  process.stderr.write(`[bench] ${phase}: rss ${(process.memoryUsage().rss / 2 ** 30).toFixed(2)} GB, tensors ${tf.memory().numTensors}\n`);
}

async function main(): Promise<void> {
  const shapeName = arg('shape', 'small');
  const shape = SHAPES[shapeName];
  if (!shape) throw new Error(`unknown --shape ${shapeName}; use ${Object.keys(SHAPES).join(' or ')}`);
  const steps = Number(arg('steps', '4'));
  const full = arg('full', shapeName === 'small' ? 'yes' : 'no') === 'yes';
  const vocab = shape['vocab_size'] as number;
  const trainShapes: TrainShape[] = arg('train', '4x128,8x256')
    .split(',')
    .map((s) => {
      const [batch, length] = s.split('x').map(Number);
      if (!(batch! > 0 && length! > PROMPT)) throw new Error(`--train ${s}: use BxT with T > ${PROMPT}, e.g. 4x128`);
      return { batch: batch!, length: length! };
    });
  const rows: [string, string | (() => string)][] = [];
  const load = os.loadavg()[0]!.toFixed(1);
  const engine = engineInfo();
  rows.push(['engine', `tfjs-node ${tf.version['tfjs-node'] ?? '?'} on libtensorflow ${engine.libtensorflow}, ${engine.device}, ${engine.threads} threads`]);
  progress('start');
  const peaks = matmulPeak();
  let peak = Math.max(...peaks.map((p) => p.gflops));
  const formatPeaks = (list: { size: number; gflops: number }[]) => list.map((p) => `${p.size}³: ${p.gflops.toFixed(0)}`).join(', ');
  rows.push(['matmul f32 GFLOP/s, before training', formatPeaks(peaks)]);
  const reads = [readBandwidth()];
  rows.push(['read bandwidth GB/s, before and after training: vector × 256 MB matrix / sum', () => reads.map((r) => `${r.matrixVector.toFixed(1)} / ${r.sum.toFixed(1)}`).join(', then ')]);

  const fixture = fileURLToPath(new URL('../../../backend-mlx/fixtures/tiny-qwen2', import.meta.url));
  const tokenizer = await Tokenizer.fromDirectory(fixture);
  const probe = buildModel(shape, false);
  const params = [...probe.weights.values()].reduce((n, v) => n + v.size, 0);
  probe.dispose();
  rows.push(['model', `${shapeName}: ${(params / 1e6).toFixed(1)} M parameters, float32`]);

  if (full) {
    const model = buildModel(shape, true);
    for (const train of trainShapes) {
      const { tps, stepSeconds } = await trainTokensPerSecond(model, false, steps, vocab, train);
      const mfu = () => (100 * flopsPerToken(params, shape, train.length) * tps) / (peak * 1e9);
      rows.push([`train full model tok/s (B=${train.batch}, T=${train.length})`, () => `${tps.toFixed(0)} (MFU ${mfu().toFixed(1)}%, ${stepSeconds.toFixed(2)} s/step)`]);
      progress(`full-model training ${train.batch}x${train.length} done`);
    }
    model.dispose();
  }
  const loraModel = buildModel(shape, false);
  const loraShape = trainShapes[0]!;
  const { tps: loraTps } = await trainTokensPerSecond(loraModel, true, steps, vocab, loraShape);
  const loraMfu = () => (100 * flopsPerToken(params, shape, loraShape.length) * loraTps) / (peak * 1e9);
  rows.push([`train LoRA r=8 all projections tok/s (B=${loraShape.batch}, T=${loraShape.length})`, () => `${loraTps.toFixed(0)} (full-model-FLOPs MFU ${loraMfu().toFixed(1)}%)`]);
  progress('LoRA training done');
  // The machine is shared: measure again under the load training ran with; MFU and rooflines use the better.
  const peaksAfter = matmulPeak();
  peak = Math.max(peak, ...peaksAfter.map((p) => p.gflops));
  rows.splice(2, 0, ['matmul f32 GFLOP/s, after training', formatPeaks(peaksAfter)]);
  reads.push(readBandwidth());
  const bandwidth = Math.max(...reads.map((r) => Math.max(r.matrixVector, r.sum)));
  for (const n of [1, 8]) {
    const tps = generationTokensPerSecond(loraModel, tokenizer, n, vocab);
    const roofline = (bandwidth * 1e9 * n) / (params * 4);
    progress(`generation n=${n} done`);
    rows.push([`generate tok/s, ${n} sample${n > 1 ? 's' : ''} per prompt`, `${tps.toFixed(1)} (${((100 * tps) / roofline).toFixed(0)}% of read-bandwidth roofline ${roofline.toFixed(0)})`]);
  }
  loraModel.dispose();
  rows.push(['peak RSS GB', (process.resourceUsage().maxRSS / 2 ** 20).toFixed(2)]);
  rows.push(['load average at start (2 cores)', load]);
  rows.push(['load average at end', os.loadavg()[0]!.toFixed(1)]);
  console.log('| measure | value |\n| --- | --- |');
  for (const [k, v] of rows) console.log(`| ${k} | ${typeof v === 'string' ? v : v()} |`);
}

await main();
