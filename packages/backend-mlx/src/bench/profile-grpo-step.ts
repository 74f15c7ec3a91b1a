/**
 * Where the time of one GRPO step of the peer benchmark goes (packages/backend-mlx/bench/grpo-peer, issue #16): sampling
 * split into prefill, per-token decode and the sampler; reference log-probs; the policy's forward and
 * backward; norm + AdamW; the full GC; and the time outside those (JS, data movement). Engine phases are
 * timed on their own (best of `--reps`); "outside" is a real whole phase (generateSamples,
 * PolicyOptimizer.step) minus its engine parts.
 *
 *   python packages/backend-mlx/bench/grpo-peer/make_model.py /tmp/grpo-peer-model
 *   npx tsc -b packages/backend-mlx && node --expose-gc packages/backend-mlx/dist/bench/profile-grpo-step.js --model /tmp/grpo-peer-model [--beta 0.04] [--reps 3]
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { core as mx } from '@frost-beta/mlx';
import type { PolicyBatch, Rollout, Task } from '@rlaif/core';
import { allocatorTuning, relaunchWithAllocatorTuning } from '@rlaif/core';
import { generateSamples, type Sample } from '../generate/generate.js';
import { sampleStep } from '../generate/sample-step.js';
import { loadModel } from '../load/load-model.js';
import { AdamW } from '../optim/adamw.js';
import { RandomKeys } from '../engine/random-keys.js';
import { releaseMemory } from '../engine/memory.js';
import { globalNorm } from '../train/gradient-norm.js';
import { policyLoss } from '../train/policy-loss.js';
import { PolicyOptimizer } from '../train/policy-optimizer.js';
import { alignToTargets } from '../train/sequence-batch.js';
import { forwardPacked, packForScoring } from '../train/shared-prompts.js';
import { targetLogprobs, tokenEntropy } from '../train/token-statistics.js';
import { flattenTrainable, updateNamed, valueAndGradients } from '../train/trainable-gradients.js';
import { arg, BENCH_OPTIMIZATION } from './bench-model.js';
import { PhaseTimer } from './phase-timer.js';

const relaunchedExitCode = await relaunchWithAllocatorTuning();
if (relaunchedExitCode !== undefined) process.exit(relaunchedExitCode);

const load = (await import('node:os')).loadavg()[0]!.toFixed(1);
const dir = arg('model', '/tmp/grpo-peer-model');
const beta = Number(arg('beta', '0.04'));
const reps = Number(arg('reps', '3'));
const PROMPTS = 4;
const SAMPLES = 4;
const NEW_TOKENS = 64;
const sampling = { temperature: 1, topP: 1, topK: 0, minP: 0, maxNewTokens: NEW_TOKENS, stop: [], seed: 0 };

const loaded = await loadModel(dir);
const { model, tokenizer } = loaded;
const lines = async (file: string) => (await readFile(path.join(dir, file), 'utf8')).split('\n').filter((line) => line.trim()).slice(0, PROMPTS);
const tasks = (await lines('tasks.jsonl')).map((line) => ({ ...(JSON.parse(line) as Task), extra: {} }));
// make_model.py wrote each task's prompt as rlaif formats it without a chat template (what `rlaif run` samples from).
const prompts = (await lines('prompts.jsonl')).map((line) => tokenizer.encode((JSON.parse(line) as { prompt: string }).prompt));
const generateOptions = { tokenizer, eosTokenIds: loaded.eosTokenIds, sampling };
const timer = new PhaseTimer(reps);
model.eval();

// Sampling, whole and in parts.
let groups: Sample[][] = [];
const sampleSeconds = await timer.time('sampling: generateSamples, whole (4 prompts × 4 samples)', async () => {
  groups = await generateSamples(model, prompts, SAMPLES, generateOptions);
});
const generated = groups.flat().reduce((n, s) => n + s.tokenIds.length, 0);
const steps = Math.max(...groups.flat().map((s) => s.tokenIds.length));
const width = Math.min(...prompts.map((p) => p.length));
const promptTokens = mx.array(prompts.map((p) => p.slice(0, width)), mx.int32);
const prefill = await timer.time(`  prefill [${PROMPTS}×${width}]`, () => [model.forward(promptTokens, model.makeCache(), { lastOnly: true })]);
// Decode: `steps` single-token forwards of all rows against a growing cache (the sampler's choice stubbed by fixed ids).
let decode = Infinity;
let sampler = Infinity;
for (let r = 0; r < reps; r++) {
  await releaseMemory();
  const cache = model.makeCache();
  mx.eval(model.forward(promptTokens, cache, { lastOnly: true }));
  for (const layer of cache) layer.repeatRows(SAMPLES);
  const rows = PROMPTS * SAMPLES;
  const next = mx.array(Array.from({ length: rows }, (_, i) => [i % 97]), mx.int32);
  const keys = new RandomKeys(0);
  let forwardMs = 0;
  let samplerMs = 0;
  for (let t = 0; t < steps; t++) {
    let start = performance.now();
    const logits = model.forward(next, cache).index(mx.Slice(), -1);
    mx.eval(logits);
    forwardMs += performance.now() - start;
    start = performance.now();
    sampleStep(logits, sampling, keys.next());
    samplerMs += performance.now() - start;
  }
  decode = Math.min(decode, forwardMs / 1000);
  sampler = Math.min(sampler, samplerMs / 1000);
}
timer.add(`  decode: ${steps} single-token forwards of ${PROMPTS * SAMPLES} rows (${((decode / steps) * 1000).toFixed(1)} ms each)`, decode);
timer.add(`  sampler: ${steps} sampleStep calls (${((sampler / steps) * 1000).toFixed(2)} ms each, with the ids' trip to JS)`, sampler);
timer.add('  outside the engine (JS per token, cache bookkeeping, GC)', sampleSeconds - prefill - decode - sampler);

// The update, whole and in parts, on the rollouts just sampled with group-normalised random rewards.
const rollouts: Rollout[] = groups.flatMap((group, p) =>
  group.map((sample, s) => ({
    task: tasks[p]!,
    sampleIndex: s,
    text: sample.text,
    code: sample.text,
    promptTokens: prompts[p]!,
    completionTokens: sample.tokenIds,
    behaviourLogprobs: sample.logprobs,
    finishReason: sample.finishReason,
    samplingTemperature: 1,
    policyVersion: 0,
    generationMs: 0,
  })),
);
const advantages = rollouts.map((_, i) => ((i * 7) % 5) - 2 + 0.5 * (i % 2));
const batch: PolicyBatch = { rollouts, advantages };
const optimization = { ...BENCH_OPTIMIZATION, klPenalty: beta, microBatchSize: PROMPTS * SAMPLES, weightDecay: 0 };
const optimizer = new PolicyOptimizer({ model, lora: undefined, adapter: undefined, optimization, seed: 0 });
await optimizer.step([batch]);
const updateSeconds = await timer.time('update: PolicyOptimizer.step, whole', () => optimizer.step([batch]));

// Packed as PolicyOptimizer packs them (each distinct prompt once when prompts repeat).
const packed = packForScoring(model, rollouts);
const total = rollouts.reduce((n, r) => n + r.completionTokens.length, 0);
const weights = alignToTargets(packed, rollouts.map((r) => r.completionTokens.map(() => 1 / total)));
const advantageTable = alignToTargets(packed, rollouts.map((r, i) => r.completionTokens.map(() => advantages[i]!)));
const behaviour = alignToTargets(packed, rollouts.map((r) => r.behaviourLogprobs));
mx.eval(packed.inputs, packed.targets, packed.mask, weights, advantageTable, behaviour);
let reference: mx.array | undefined;
const referenceSeconds =
  beta > 0
    ? await timer.time(`  reference log-probs (${'prompts' in packed ? 'distinct prompts once, then ' : ''}[${packed.inputs.shape.join('×')}])`, () => {
        reference = targetLogprobs(forwardPacked(model, packed), packed.targets);
        return [reference];
      })
    : 0;
const params = flattenTrainable(model);
const settings = { klPenalty: beta, klEstimator: 'k3' as const, clipRange: 0.2 };
let gradients: readonly mx.array[] = [];
model.train(true);
const backward = await timer.time('  policy forward + loss + backward', () => {
  const result = valueAndGradients(model, params, () => {
    const logits = forwardPacked(model, packed);
    const logprobs = targetLogprobs(logits, packed.targets);
    const terms = policyLoss({ logprobs, mask: packed.mask, weights, advantages: advantageTable, behaviourLogprobs: behaviour, referenceLogprobs: reference }, settings);
    const entropy = mx.sum(mx.multiply(mx.stopGradient(tokenEntropy(logits)), packed.mask));
    return { loss: terms.loss, aux: [terms.policyLoss, terms.klSum, entropy, terms.clippedCount] };
  });
  gradients = result.gradients;
  return [result.loss, ...result.aux, ...result.gradients];
});
model.train(false);
const adam = new AdamW({ betas: [0.9, 0.999], epsilon: 1e-8, weightDecay: 0 });
const optimizerSeconds = await timer.time('  global norm + AdamW + updateNamed', () => {
  const norm = globalNorm(gradients).item() as number;
  const next = adam.update(params.names, params.values, gradients, 1e-5, Math.min(1, 1 / norm));
  mx.eval(...next, ...adam.pendingState());
  updateNamed(model, params.names, params.values);
});
const gcSeconds = await timer.time('  releaseMemory (full GC)', () => releaseMemory());
timer.add('  outside the engine (JS, packing, item() reads)', updateSeconds - referenceSeconds - backward - optimizerSeconds - gcSeconds);
timer.add('one step: sampling + update', sampleSeconds + updateSeconds);

console.log(
  `GRPO step profile: ${dir} (${(loaded.parameterCount / 1e6).toFixed(1)} M parameters, float32, full fine-tuning), β=${beta}, ` +
    `${PROMPTS} prompts × ${SAMPLES} samples, ${generated} tokens generated (longest ${steps}), load ${load}, malloc ${allocatorTuning()}`,
);
console.log(timer.table());
