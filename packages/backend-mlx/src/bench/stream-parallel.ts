/**
 * An experiment, not yet used by the optimizer: forward + backward of one micro-batch on one MLX CPU
 * stream, against its two halves on two streams at once (their gradients summed). MLX runs each
 * elementwise op single-threaded, so one stream leaves a core idle outside BLAS; two streams keep both
 * busy, provided BLAS itself runs one thread per call (OPENBLAS_NUM_THREADS=1, read at load time:
 * with BLAS's own two threads per stream the cores are oversubscribed). Prints tokens/s for the mode
 * given; run each mode in its own process:
 *
 *   npx tsc -b packages/backend-mlx
 *   node --expose-gc packages/backend-mlx/dist/bench/stream-parallel.js --mode one [--shape small] [--batch 8] [--length 256]
 *   OPENBLAS_NUM_THREADS=1 node --expose-gc packages/backend-mlx/dist/bench/stream-parallel.js --mode two
 */
import { core as mx } from '@frost-beta/mlx';
import { relaunchWithAllocatorTuning } from '@rlaif/core';
import { releaseMemory } from '../engine/memory.js';
import { alignToTargets, packSequences } from '../train/sequence-batch.js';
import { targetLogprobs } from '../train/token-statistics.js';
import { flattenTrainable, valueAndGradients, type ValueAndGradients } from '../train/trainable-gradients.js';
import { arg, buildModel, SHAPES } from './bench-model.js';

const relaunchedExitCode = await relaunchWithAllocatorTuning();
if (relaunchedExitCode !== undefined) process.exit(relaunchedExitCode);

const shape = SHAPES[arg('shape', 'small')]!;
const batch = Number(arg('batch', '8'));
const length = Number(arg('length', '256'));
const mode = arg('mode', 'one');
const reps = Number(arg('reps', '4'));
if (!['one', 'halves', 'two'].includes(mode) || batch % 2 !== 0) {
  console.error('usage: stream-parallel.js --mode one|halves|two [--shape small|qwen0.5b] [--batch <even n>] [--length T] [--reps n]');
  process.exit(2);
}
const vocab = shape['vocab_size'] as number;
const model = await buildModel(shape, mx.float32);
const params = flattenTrainable(model);
model.train(true);

/** Sequences `ids` as a packed batch with token weights normalised over the whole micro-batch (so halves add up). */
function packedBatch(ids: number[]) {
  const prompt = 16;
  const sequences = ids.map((i) => ({
    promptTokens: Array.from({ length: prompt }, (_, t) => (t * 31 + i) % vocab),
    completionTokens: Array.from({ length: length + 1 - prompt }, (_, t) => (t * 17 + i * 7) % vocab),
  }));
  const packed = packSequences(sequences);
  const weights = alignToTargets(packed, sequences.map((s) => s.completionTokens.map(() => 1 / (batch * s.completionTokens.length))));
  mx.eval(packed.inputs, packed.targets, packed.mask, weights);
  return { packed, weights };
}

function gradientsOf(ids: number[]): ValueAndGradients {
  const { packed, weights } = packedBatch(ids);
  return valueAndGradients(model, params, () => ({
    loss: mx.negative(mx.sum(mx.multiply(targetLogprobs(model.forward(packed.inputs), packed.targets), mx.multiply(packed.mask, weights)))),
    aux: [],
  }));
}

/** `fn` with every op it issues placed on `stream`. */
function onStream<T>(stream: mx.Stream, fn: () => T): T {
  const scope = mx.stream(stream);
  try {
    return fn();
  } finally {
    scope[Symbol.dispose]();
  }
}

const all = Array.from({ length: batch }, (_, i) => i);
const [first, second] = [all.slice(0, batch / 2), all.slice(batch / 2)];
const streams = [mx.defaultStream(mx.cpu), mx.newStream(mx.cpu)] as const;
const step: Record<string, () => void> = {
  one: () => {
    const result = gradientsOf(all);
    mx.eval(result.loss, ...result.gradients);
  },
  halves: () => {
    const a = gradientsOf(first);
    const b = gradientsOf(second);
    mx.eval(...a.gradients.map((g, i) => mx.add(g, b.gradients[i]!)));
  },
  two: () => {
    const a = onStream(streams[0], () => gradientsOf(first));
    const b = onStream(streams[1], () => gradientsOf(second));
    mx.eval(...a.gradients.map((g, i) => mx.add(g, b.gradients[i]!)));
  },
};

const seconds: number[] = [];
for (let r = 0; r < reps; r++) {
  await releaseMemory();
  const start = performance.now();
  step[mode]!();
  seconds.push((performance.now() - start) / 1000);
}
// The first repetition warms the allocator and BLAS up: the rate is from the best of the others.
const best = Math.min(...seconds.slice(1));
console.log(
  `mode ${mode}, OPENBLAS_NUM_THREADS=${process.env['OPENBLAS_NUM_THREADS'] ?? 'default'}, B=${batch}, T=${length}: ` +
    `${seconds.map((s) => s.toFixed(2)).join(' ')} s per forward+backward; ${((batch * length) / best).toFixed(0)} tok/s`,
);
