/**
 * Where the time of one full-model training step goes: forward, loss, backward, accumulation, norm+clip,
 * AdamW, releaseMemory (a whole GRPO step, sampling included: profile-grpo-step.ts). Each phase is
 * evaluated on its own (so the numbers add up to a bit more than a fused step) and timed over a few
 * repetitions; the best is printed as a markdown table.
 *
 *   npx tsc -b packages/backend-mlx && node --expose-gc packages/backend-mlx/dist/bench/profile-step.js [--batch 4] [--length 128] [--reps 3]
 */
import { core as mx } from '@frost-beta/mlx';
import { allocatorTuning, relaunchWithAllocatorTuning } from '@rlaif/core';
import { AdamW } from '../optim/adamw.js';
import { clipByGlobalNorm, globalNorm } from '../train/gradient-norm.js';
import { policyLoss } from '../train/policy-loss.js';
import { releaseMemory } from '../engine/memory.js';
import { alignToTargets, packSequences } from '../train/sequence-batch.js';
import { targetLogprobs, tokenEntropy } from '../train/token-statistics.js';
import { flattenTrainable, updateNamed, valueAndGradients } from '../train/trainable-gradients.js';
import { arg, buildModel, matmulPeak, parameterCount, SHAPES } from './bench-model.js';
import { PhaseTimer } from './phase-timer.js';

// Measured under the same allocator set-up as `rlaif run`.
const relaunchedExitCode = await relaunchWithAllocatorTuning();
if (relaunchedExitCode !== undefined) process.exit(relaunchedExitCode);

const load = (await import('node:os')).loadavg()[0]!.toFixed(1);
const shapeName = arg('shape', 'small');
const shape = SHAPES[shapeName]!;
const batch = Number(arg('batch', '4'));
const length = Number(arg('length', '128'));
const reps = Number(arg('reps', '3'));
const vocab = shape['vocab_size'] as number;

const peak = Math.max(...matmulPeak().map((p) => p.gflops));
const model = await buildModel(shape, mx.float32);
const params = flattenTrainable(model);
const count = parameterCount(model);
const prompt = 16;
const sequences = Array.from({ length: batch }, (_, i) => ({
  promptTokens: Array.from({ length: prompt }, (_, t) => (t * 31 + i) % vocab),
  completionTokens: Array.from({ length: length + 1 - prompt }, (_, t) => (t * 17 + i * 7) % vocab),
}));
const packed = packSequences(sequences);
const weights = alignToTargets(packed, sequences.map((s) => s.completionTokens.map(() => 1 / (batch * s.completionTokens.length))));
const advantages = alignToTargets(packed, sequences.map((s, i) => s.completionTokens.map(() => (i % 2 ? 1 : -1))));
const behaviour = alignToTargets(packed, sequences.map((s) => s.completionTokens.map(() => -Math.log(vocab))));
mx.eval(packed.inputs, packed.targets, packed.mask, weights, advantages, behaviour);
const settings = { klPenalty: 0, klEstimator: 'k3' as const, clipRange: 0.2 };

/** The bench's policy loss (as PolicyOptimizer builds it) from logits. */
function loss(logits: mx.array): { loss: mx.array; aux: mx.array[] } {
  const logprobs = targetLogprobs(logits, packed.targets);
  const terms = policyLoss({ logprobs, mask: packed.mask, weights, advantages, behaviourLogprobs: behaviour, referenceLogprobs: undefined }, settings);
  const entropy = mx.sum(mx.multiply(mx.stopGradient(tokenEntropy(logits)), packed.mask));
  return { loss: terms.loss, aux: [terms.policyLoss, terms.klSum, entropy, terms.clippedCount] };
}

const timer = new PhaseTimer(reps);
const time = timer.time.bind(timer);

model.train(true);
const forward = await time('forward (logits)', () => [model.forward(packed.inputs)]);
const logits = model.forward(packed.inputs);
mx.eval(logits);
// A fresh wrapper per call: token-statistics caches its pieces per logits array.
const view = () => logits.reshape(logits.shape);
const lossOnly = await time('loss + stats from fixed logits', () => {
  const { loss: l, aux } = loss(view());
  return [l, ...aux];
});
await time('loss + d loss/d logits (no stats)', () => {
  const [values, grad] = mx.valueAndGrad((x: mx.array) => loss(x).loss)(view()) as unknown as [mx.array, mx.array];
  return [values, grad];
});
let gradients: readonly mx.array[] = [];
const whole = await time('forward + loss + backward (valueAndGradients)', () => {
  const result = valueAndGradients(model, params, () => loss(model.forward(packed.inputs)));
  gradients = result.gradients;
  return [result.loss, ...result.aux, ...result.gradients];
});
timer.add('  of which backward (the row above − forward − loss)', whole - forward - lossOnly);
await time('accumulate (second micro-batch add)', () => gradients.map((g) => mx.add(g, g)));
let norm = 0;
await time('global norm (+ item)', () => {
  norm = globalNorm(gradients).item() as number;
});
// PolicyOptimizer folds the clip scale into the AdamW kernel; this is what a separate pass costs.
await time('clip as a separate pass (not run by PolicyOptimizer)', () => [...clipByGlobalNorm(gradients, norm, norm / 2)]);
const adam = new AdamW({ betas: [0.9, 0.999], epsilon: 1e-8, weightDecay: 0.01 });
await time('AdamW update', () => {
  const next = adam.update(params.names, params.values, gradients, 1e-5);
  return [...next, ...adam.pendingState()];
});
await time('updateNamed', () => {
  updateNamed(model, params.names, params.values);
});
// The garbage of one forward+backward (its wrappers dropped), then the full GC that ends every step.
await time('releaseMemory (full GC after a forward+backward)', () => releaseMemory(), async () => {
  const result = valueAndGradients(model, params, () => loss(model.forward(packed.inputs)));
  mx.eval(result.loss, ...result.gradients);
});
const stepStart = performance.now();
{
  const result = valueAndGradients(model, params, () => loss(model.forward(packed.inputs)));
  mx.eval(result.loss, ...result.aux, ...result.gradients);
  const n = globalNorm(result.gradients).item() as number;
  const next = adam.update(params.names, params.values, clipByGlobalNorm(result.gradients, n, 1), 1e-5);
  mx.eval(...next, ...adam.pendingState());
  await releaseMemory();
}
timer.add('one fused step (all of the above, once)', (performance.now() - stepStart) / 1000);

const tokens = batch * length;
const flops = 6 * count * tokens;
console.log(
  `profile: ${shapeName} (${(count / 1e6).toFixed(1)} M parameters, float32), B=${batch}, T=${length}, ${tokens} tokens, load ${load}, malloc ${allocatorTuning()}; ` +
    `matmul peak this run ${peak.toFixed(0)} GFLOP/s, so 6·N·tokens = ${(flops / 1e9).toFixed(0)} GFLOP would take ${(flops / peak / 1e9).toFixed(2)} s at peak`,
);
console.log(timer.table());
