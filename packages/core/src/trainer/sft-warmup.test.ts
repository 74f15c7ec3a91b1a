import { describe, expect, it } from 'vitest';
import type { Optimizer, StepStats, SupervisedExample } from '../contracts/optimizer.js';
import type { Task } from '../contracts/task.js';
import type { Teacher } from '../contracts/teacher.js';
import { silentLogger } from '../observability/logger.js';
import { emptyRunStats } from '../observability/run-stats.js';
import { supervisedWarmup, type SftSettings } from './sft-warmup.js';
import { SinkFanout } from './sink-fanout.js';

const tasks: Task[] = Array.from({ length: 10 }, (_, i) => ({ id: `t${i}`, language: 'python', prompt: `task ${i}`, reference: `def solve():\n    return ${i}\n`, extra: {} }));

/** Records the learning rate and batch of every supervised step (a test double of the Optimizer contract). */
function recordingOptimizer(): { optimizer: Optimizer; rates: number[]; batches: SupervisedExample[][] } {
  const rates: number[] = [];
  const batches: SupervisedExample[][] = [];
  const stats = (learningRate: number): StepStats => ({ loss: 1, policyLoss: 1, kl: 0, entropy: 0, clipFraction: 0, gradNorm: 1, learningRate, tokens: 4, seconds: 0.01 });
  const optimizer = {
    name: 'recording',
    specificationVersion: 'v1',
    kind: 'optimizer',
    version: 0,
    step: () => Promise.reject(new Error('the warm-up makes supervised steps only')),
    supervisedStep(groups: readonly (readonly SupervisedExample[])[], learningRate?: number) {
      rates.push(learningRate ?? Number.NaN);
      batches.push(groups.flat());
      return Promise.resolve(stats(learningRate ?? Number.NaN));
    },
    save: () => Promise.resolve(),
    load: () => Promise.resolve(),
  } satisfies Optimizer;
  return { optimizer, rates, batches };
}

const referenceTeacher = { reference: (task: Task) => Promise.resolve(task.reference === undefined ? null : { code: task.reference }) } as unknown as Teacher;

async function warmUp(sft: SftSettings) {
  const recorded = recordingOptimizer();
  await supervisedWarmup({
    sft,
    tasks,
    teacher: referenceTeacher,
    optimizer: recorded.optimizer,
    sinks: new SinkFanout([], silentLogger),
    runStats: emptyRunStats(),
    logger: silentLogger,
    signal: new AbortController().signal,
    throwIfStopped: () => undefined,
  });
  return recorded;
}

describe('supervisedWarmup', () => {
  it('passes the peak rate to every step with the constant schedule', async () => {
    const { rates, batches } = await warmUp({ epochs: 2, batchSize: 4, learningRate: 3e-3, schedule: 'constant', warmupSteps: 0, carryOptimizerState: true });
    // 10 examples in batches of 4: 3 steps an epoch.
    expect(batches.map((batch) => batch.length)).toEqual([4, 4, 2, 4, 4, 2]);
    expect(rates).toEqual(Array.from({ length: 6 }, () => 3e-3));
  });

  it('warms up, then decays over the warm-up’s own steps, every step with a positive rate', async () => {
    const { rates } = await warmUp({ epochs: 4, batchSize: 5, learningRate: 1e-2, schedule: 'cosine', warmupSteps: 2, carryOptimizerState: true });
    expect(rates).toHaveLength(8);
    expect(rates[0]).toBeCloseTo(5e-3);
    expect(rates[1]).toBeCloseTo(1e-2);
    expect(rates[2]).toBeCloseTo(1e-2);
    for (let i = 3; i < rates.length; i++) expect(rates[i]).toBeLessThan(rates[i - 1]!);
    expect(rates[7]).toBeGreaterThan(0);
    expect(rates[7]).toBeLessThan(1e-3);
  });

  it('decays linearly when asked', async () => {
    const { rates } = await warmUp({ epochs: 1, batchSize: 1, learningRate: 1, schedule: 'linear', warmupSteps: 0, carryOptimizerState: true });
    expect(rates.map((rate) => Number(rate.toFixed(6)))).toEqual([1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]);
  });
});
