/**
 * Micro-benchmarks of the hot paths around one RL step, on tinybench: the sampler's decoding step,
 * reward and advantage math, tfevents encoding, JSONL appends and the LLM teacher's own overhead
 * (rubric, limiter, retry, cache and parsing, with an in-process provider that answers at once).
 * Prints one table. Run from the repo root after `npm run build`:
 *   npm run bench              (or: npx jiti bench/micro.ts [--time <ms per task>])
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Bench } from 'tinybench';
import { core as mx } from '@frost-beta/mlx';
import type { ProviderAdapter, ProviderRequest, RewardInput, Rollout, Task } from '@rlaif/core';
import { ADVANTAGE_ESTIMATORS, AppendOnlyFile, combineRewards, createLlmTeacher, ratioReward } from '@rlaif/core';
import { sampleStep } from '../packages/backend-mlx/src/generate/sample-step.js';
import { groupAdvantages } from '../packages/core/src/trainer/advantages.js';
import { encodeEvent } from '../packages/sink-tensorboard/src/event-encoder.js';
import { frameRecord } from '../packages/sink-tensorboard/src/record-framing.js';

const timeArg = process.argv.indexOf('--time');
const time = timeArg > 0 ? Number(process.argv[timeArg + 1]) : 500;

// A batch as the trainer sees it: 4 tasks × 8 samples.
const GROUPS = 4;
const SAMPLES = 8;
const task = (i: number): Task => ({ id: `t${i}`, language: 'python', prompt: `Task ${i}: add two numbers.`, extra: {} });
const rollout = (g: number, s: number): Rollout => ({
  task: task(g),
  sampleIndex: s,
  text: '```python\ndef add(a, b):\n    return a + b\n```',
  code: 'def add(a, b):\n    return a + b',
  promptTokens: Array.from({ length: 64 }, (_, i) => i),
  completionTokens: Array.from({ length: 128 }, (_, i) => i),
  behaviourLogprobs: Array.from({ length: 128 }, () => -0.5),
  finishReason: 'eos',
  policyVersion: 0,
  generationMs: 10,
});
const score = (overall: number) => ({ overall, breakdown: { correctness: overall, quality: overall, efficiency: overall, documentation: overall }, evidence: '' });
const rollouts = Array.from({ length: GROUPS }, (_, g) => Array.from({ length: SAMPLES }, (_, s) => rollout(g, s)));
const inputs: RewardInput[] = rollouts.flat().map((r, i) => ({
  rollout: r,
  score: score(((i * 37) % 100) / 100),
  reference: { code: 'def add(a, b): return a + b', source: 'task' },
  referenceScore: score(0.9),
}));
const rewardFns = [{ fn: ratioReward(), weight: 1 }];

// Sampler: one decoding step over 32 rows of a 32 000-token vocabulary (the trainer's batch of rows).
const logits = mx.random.normal([GROUPS * SAMPLES, 32_000]);
mx.eval(logits);
const key = mx.random.key(7);
const sampling = { temperature: 0.8, topP: 0.95, topK: 0, minP: 0 };

// tfevents: one batch's scalars (~60 tags) as one framed event.
const scalars = Array.from({ length: 60 }, (_, i) => ({ tag: `Train/Metric_${i}`, kind: 'scalar' as const, value: i * 0.5 }));

// LLM teacher: an in-process provider that answers every score request with a valid judgement.
function judge(request: ProviderRequest): string {
  const labels = [...(request.messages[0]?.content ?? '').matchAll(/Submission ([A-Z]+):/g)].map((m) => m[1]);
  const c = { score: 7, rationale: 'fine' };
  return JSON.stringify({ evaluations: labels.map((label) => ({ label, correctness: c, quality: c, efficiency: c, documentation: c })) });
}
const adapter: ProviderAdapter = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  complete: async (request) => ({ text: judge(request), usage: { inputTokens: 1000, outputTokens: 100, cachedInputTokens: 0, cacheWriteTokens: 0 } }),
};
const teacher = createLlmTeacher({ name: 'bench', adapter, options: { cacheDir: false }, secrets: [] });
const candidates = rollouts[0]!.map((r) => ({ code: r.code }));
let teacherCall = 0;

const scratch = await mkdtemp(path.join(tmpdir(), 'rlaif-bench-'));
const jsonl = await AppendOnlyFile.open(path.join(scratch, 'train.jsonl'));
const row = `${JSON.stringify({ ...inputs[0]!.rollout, score: 0.5, reward: 0.5 })}\n`;

const bench = new Bench({ time, warmupTime: 100 });
bench
  .add(`sampler: one decoding step, ${GROUPS * SAMPLES} rows × 32k vocab (top-p)`, () => {
    sampleStep(logits, sampling, key);
  })
  .add(`rewards: ratio over ${GROUPS * SAMPLES} samples`, async () => {
    await combineRewards(rewardFns, inputs, { step: 1, logMetric: () => undefined });
  })
  .add(`advantages: grpo over ${GROUPS} groups × ${SAMPLES}`, () => {
    const rewards = rollouts.map((group, g) => group.map((_, s) => ((g * SAMPLES + s) * 37 % 100) / 100));
    groupAdvantages(ADVANTAGE_ESTIMATORS.grpo, rewards, rollouts, { dropZeroVarianceGroups: false });
  })
  .add('tfevents: encode + frame one event of 60 scalars', () => {
    frameRecord(encodeEvent({ wallTime: Date.now() / 1000, step: 12, values: scalars }));
  })
  .add(`jsonl: append one ${row.length}-byte dataset row`, async () => {
    await jsonl.append(row);
  })
  .add(`teacher: score ${SAMPLES} candidates (in-process provider, no cache)`, async () => {
    await teacher.score({ ...task(0), id: `t${teacherCall++}` }, candidates, { code: 'def add(a, b): return a + b', source: 'task' });
  });

await bench.warmup();
await bench.run();
await jsonl.close();
await rm(scratch, { recursive: true, force: true });
// One row per task: mean and p99 in milliseconds (tinybench measures in ms), runs/s, relative margin.
console.table(
  bench.tasks.map(({ name, result }) => ({
    task: name,
    'mean ms': result ? Number(result.mean.toPrecision(3)) : NaN,
    'p99 ms': result ? Number(result.p99.toPrecision(3)) : NaN,
    'runs/s': result ? Math.round(result.hz) : NaN,
    '± %': result ? Number(result.rme.toFixed(1)) : NaN,
    samples: result?.samples.length ?? 0,
  })),
);
