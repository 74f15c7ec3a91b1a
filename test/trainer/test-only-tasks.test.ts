/**
 * An RL run on MBPP-style tasks (tests, no reference) with the real exec teacher and the trainer's
 * fake policy: the pass rate drives the advantages; the ratio reward skips, saying so once.
 */
import { describe, expect, it } from 'vitest';
import type { Generator, Logger, Rollout, Task } from '@rlaif/core';
import { ADVANTAGE_ESTIMATORS, evaluationChunkTasks, passRateReward, planSteps, PromptSource, ratioReward } from '@rlaif/core';
import { temporaryPluginContext } from '@rlaif/core/testing';
import { exec } from '@rlaif/teacher-exec';
import { Trainer, type TrainerSettings } from '../../packages/core/src/trainer/trainer.js';
import { SinkFanout } from '../../packages/core/src/trainer/sink-fanout.js';
import { initialTrainerState } from '../../packages/core/src/trainer/trainer-state.js';
import type { DatasetRowInput } from '../../packages/core/src/dataset/row.js';
import { SystemMetrics } from '../../packages/core/src/observability/system-metrics.js';
import { FakePolicy, recordingSink } from './doubles.js';

const TESTS = 'def test_small():\n    assert add(1, 2) == 3\n\ndef test_negative():\n    assert add(-1, -1) == -2\n';
const CODE = { GOOD: 'def add(a, b):\n    """Return the sum."""\n    return a + b\n', BAD: 'def add(a, b):\n    return a - b\n' };

const tasks: Task[] = [
  ...Array.from({ length: 3 }, (_, i): Task => ({ id: `add-${i}`, language: 'python', prompt: `Write add(a, b), variant ${i}.`, tests: TESTS, extra: {} })),
  { id: 'untested', language: 'python', prompt: 'Write add(a, b) without tests.', extra: {} },
];

const sampling = { temperature: 1, topP: 1, topK: 0, minP: 0, maxNewTokens: 16, stop: [] };
const settings: TrainerSettings = {
  seed: 42,
  numSamplesPerPrompt: 4,
  sampling,
  klPenalty: 0.1,
  offPolicyLag: 1,
  teacherConcurrency: 2,
  dropZeroVarianceGroups: false,
  baselineEvalBatches: 0,
  saveSteps: 500,
  saveEveryEpochs: 0,
  saveEveryBatches: 0,
  healthCheck: { enabled: false, intervalBatches: 2 },
  sampleTextEverySteps: 0,
  sft: { enabled: false, epochs: 1, batchSize: 4, carryOptimizerState: true },
  // One batch of all four tasks per epoch, two epochs.
  plan: planSteps({ epochs: 2, batchesPerEpoch: 1, gradientAccumulationSteps: 1 }),
  evaluation: { samplesPerTask: 4, chunkTasks: evaluationChunkTasks(4, 4, 4), sampling: { ...sampling, seed: 42 }, teacherConcurrency: 2 },
};

describe('RL on tasks with tests and no references', () => {
  it('learns from the pass rate with the exec teacher; ratio skips with one warning; unscored rows say why', async () => {
    const policy = new FakePolicy();
    // The fake policy samples GOOD or BAD; here they are a passing and a failing Python solution.
    const generator: Generator = {
      ...policy.generator,
      generate: async (batch, n, sampling) => {
        const result = await policy.generator.generate(batch, n, sampling);
        const groups = result.groups.map((group) => group.map((r): Rollout => ({ ...r, code: CODE[r.code as 'GOOD' | 'BAD'], text: CODE[r.code as 'GOOD' | 'BAD'] })));
        return { ...result, groups };
      },
    };
    const warnings: string[] = [];
    const logger: Logger = { error: () => undefined, warn: (m) => void warnings.push(m), info: () => undefined, debug: () => undefined };
    const context = await temporaryPluginContext();
    const teacher = exec({ uidBase: 400_000 + (process.pid % 100) * 10, concurrency: 2, testLimits: { wallMs: 5000 } });
    await teacher.setup?.(context);
    const rows: DatasetRowInput[] = [];
    const sink = recordingSink();
    const trainer = new Trainer(
      {
        settings,
        generator,
        optimizer: policy.optimizer,
        teacher,
        rewards: [
          { fn: ratioReward(), weight: 1 },
          { fn: passRateReward(), weight: 1 },
        ],
        estimator: ADVANTAGE_ESTIMATORS.grpo,
        train: new PromptSource(tasks, { batchSize: 4, shuffle: true, seed: 42 }),
        evalTasks: [],
        sinks: new SinkFanout([sink], logger),
        dataset: { append: async (_split, r) => void rows.push(...r), flush: async () => undefined, durableFiles: () => ({}) },
        checkpoints: { save: async (request) => ({ path: `/ckpt/${request.name}` }) },
        healthLog: { append: async () => undefined, flush: async () => undefined, durableFiles: () => ({}) },
        logger,
        systemMetrics: new SystemMetrics(),
        signal: context.signal,
      },
      initialTrainerState(),
    );
    await trainer.run();
    await teacher.close?.();

    // Every update pushes towards the passing solution: positive advantage for it, negative for the failing one.
    const updates = policy.steps.flat();
    expect(updates).toHaveLength(2);
    for (const batch of updates) {
      expect(batch.rollouts.map((r) => r.task.id)).not.toContain('untested');
      batch.rollouts.forEach((rollout, i) => expect(Math.sign(batch.advantages[i]!)).toBe(rollout.code === CODE.GOOD ? 1 : -1));
    }
    // The reward is the pass rate alone (ratio has no reference to compare with).
    const trained = rows.filter((row) => row.rollout.task.id !== 'untested');
    expect(trained.map((row) => [row.rollout.code === CODE.GOOD, row.reward])).toEqual(trained.map((row) => [row.rollout.code === CODE.GOOD, row.rollout.code === CODE.GOOD ? 1 : 0]));
    expect(trained.every((row) => row.reference === null && row.score !== null && row.unscored === null)).toBe(true);
    expect(warnings.filter((m) => m.includes("reward 'ratio' needs a reference"))).toHaveLength(1);
    // The task without tests is unscored, and its rows say why.
    const untested = rows.filter((row) => row.rollout.task.id === 'untested');
    expect(untested).toHaveLength(8);
    expect(untested.every((row) => row.score === null && /^teacher failed: task untested has no tests/.test(row.unscored ?? ''))).toBe(true);
    expect(sink.scalars.get('Scoring/PassRate')?.map(([, v]) => v)).toEqual([0.5, 0.5]);
  });
});
