import { describe, expect, it } from 'vitest';
import type { EngineMemory, Logger, MetricsSink, Task } from '@rlaif/core';
import { PromptSource, silentLogger, ADVANTAGE_ESTIMATORS, ratioReward, consoleSink, planSteps, evaluationChunkTasks } from '@rlaif/core';
import { Trainer, type TrainerDependencies, type TrainerSettings } from '../../packages/core/src/trainer/trainer.js';
import { SinkFanout } from '../../packages/core/src/trainer/sink-fanout.js';
import { initialTrainerState } from '../../packages/core/src/trainer/trainer-state.js';
import type { DatasetRowInput, DatasetSplit } from '../../packages/core/src/dataset/row.js';

type Row = DatasetRowInput & { split: DatasetSplit };
import type { SaveCheckpointRequest } from '../../packages/core/src/checkpoint/checkpointer.js';
import { SystemMetrics } from '../../packages/core/src/observability/system-metrics.js';
import { formatSummary } from '../../packages/core/src/observability/run-stats.js';
import { FakePolicy, makeFakeTeacher, recordingSink } from './doubles.js';

const allTasks: Task[] = Array.from({ length: 14 }, (_, i) => ({
  id: `t${i}`,
  language: 'python',
  prompt: `task ${i}`,
  reference: 'REF',
  extra: {},
}));
const tasks = allTasks.slice(0, 10);

/** The loop's settings with the plan and evaluation derived as the runner does (3 tasks a batch). */
type Overrides = Partial<Omit<TrainerSettings, 'plan' | 'evaluation'>> & { epochs?: number; gradientAccumulationSteps?: number; evalSamplesPerPrompt?: number; trainTasks?: number };

const base = {
  seed: 42,
  numSamplesPerPrompt: 4,
  sampling: { temperature: 1, topP: 1, topK: 0, minP: 0, maxNewTokens: 16, stop: [] },
  klPenalty: 0.1,
  offPolicyLag: 1,
  teacherConcurrency: 2,
  dropZeroVarianceGroups: false,
  baselineEvalBatches: 1,
  saveSteps: 500,
  saveEveryEpochs: 1,
  saveEveryBatches: 2,
  healthCheck: { enabled: true, intervalBatches: 2 },
  sampleTextEverySteps: 2,
  sft: { enabled: false, epochs: 1, batchSize: 4, carryOptimizerState: true },
};

function settingsOf(overrides: Overrides): TrainerSettings {
  const { epochs = 2, gradientAccumulationSteps = 1, evalSamplesPerPrompt, trainTasks = 8, ...rest } = overrides;
  const merged = { ...base, ...rest };
  const samplesPerTask = evalSamplesPerPrompt ?? merged.numSamplesPerPrompt;
  return {
    ...merged,
    plan: planSteps({ epochs, batchesPerEpoch: Math.ceil(trainTasks / 3), gradientAccumulationSteps }),
    evaluation: {
      samplesPerTask,
      chunkTasks: evaluationChunkTasks(3, merged.numSamplesPerPrompt, samplesPerTask),
      sampling: { ...merged.sampling, seed: merged.seed },
      teacherConcurrency: merged.teacherConcurrency,
    },
  };
}

function setup(overrides: Overrides = {}, teacher = makeFakeTeacher(), evalTasks = tasks.slice(8), extraSinks: MetricsSink[] = [], extraDeps: Partial<TrainerDependencies> = {}) {
  const trainTasks = overrides.trainTasks ?? 8;
  const policy = new FakePolicy();
  const sink = recordingSink();
  const rows: Row[] = [];
  const checkpoints: SaveCheckpointRequest[] = [];
  const health: unknown[] = [];
  const controller = new AbortController();
  const trainer = new Trainer(
    {
      settings: settingsOf(overrides),
      generator: policy.generator,
      optimizer: policy.optimizer,
      teacher,
      rewards: [{ fn: ratioReward(), weight: 1 }],
      estimator: ADVANTAGE_ESTIMATORS.grpo,
      train: new PromptSource(allTasks.slice(0, trainTasks), { batchSize: 3, shuffle: true, seed: 42 }),
      evalTasks,
      sinks: new SinkFanout([sink, ...extraSinks], silentLogger),
      dataset: {
        append: async (split, r) => void rows.push(...r.map((row) => ({ ...row, split }))),
        flush: async () => undefined,
        durableFiles: () => ({ 'datasets/train.jsonl': rows.length }),
      },
      checkpoints: { save: async (request) => (checkpoints.push(request), { path: `/ckpt/${request.name}` }) },
      healthLog: { append: async (r) => void health.push(r), flush: async () => undefined, durableFiles: () => ({}) },
      logger: silentLogger,
      systemMetrics: new SystemMetrics(),
      signal: controller.signal,
      ...extraDeps,
    },
    initialTrainerState(),
  );
  return { trainer, policy, sink, rows, checkpoints, health, controller };
}

describe('Trainer loop', () => {
  it('runs baseline, epochs and eval with the right counters, rows and checkpoints', async () => {
    const { trainer, policy, sink, rows, checkpoints, health } = setup();
    const summary = await trainer.run();

    // 8 train tasks, batch 3 → 3 batches per epoch; 2 epochs → 6 updates.
    expect(policy.steps).toHaveLength(6);
    expect(policy.version).toBe(6);
    const trainRows = rows.filter((r) => r.split === 'train');
    expect(trainRows).toHaveLength(2 * 8 * 4);
    // Baseline on the first batch (3 tasks) + eval after each epoch (2 tasks).
    const validation = rows.filter((r) => r.split === 'validation');
    expect(validation.filter((r) => r.epoch === 0)).toHaveLength(3 * 4);
    expect(validation.filter((r) => r.epoch > 0)).toHaveLength(2 * 2 * 4);
    // Every sample of an epoch appears once.
    for (const epoch of [1, 2]) {
      const ids = trainRows.filter((r) => r.epoch === epoch).map((r) => `${r.rollout.task.id}/${r.rollout.sampleIndex}`);
      expect(new Set(ids).size).toBe(8 * 4);
    }
    expect(checkpoints.map((c) => c.name)).toEqual([
      'checkpoint-e1-b2-gs2',
      'checkpoint-e1-end-gs3',
      'checkpoint-e2-b2-gs5',
      'checkpoint-e2-end-gs6',
      'checkpoint-final-gs6',
    ]);
    expect(checkpoints.at(-1)!.summary).toMatchObject({ baselineReward: expect.any(Number), averageReward: expect.any(Number) });
    expect(checkpoints.at(-1)!.globalStep).toBe(6);

    // Metrics of the reference system and the RL diagnostics are fed with values.
    for (const tag of ['Train/Loss', 'Train/PolicyLoss', 'Train/KLPenalty', 'Train/AvgReward', 'Train/RewardStd', 'Epoch/AvgReward', 'Epoch/RewardTrend', 'Performance/Generation_TokensPerSec', 'Performance/Backprop_TokensPerSec', 'System/Process_RSS_GB', 'Train/FracRewardZeroStd', 'Scoring/CorrectnessMean', 'Eval/AvgReward', 'Train/OffPolicyLag']) {
      expect(sink.scalars.get(tag), tag).toBeDefined();
    }
    // With lag 1 the second batch onwards was generated one update before it was trained on.
    const lags = sink.scalars.get('Train/OffPolicyLag')!.map(([, v]) => v);
    expect(lags[0]).toBe(0);
    expect(Math.max(...lags)).toBe(1);
    expect(sink.summaries.filter((s) => (s as { kind: string }).kind === 'epoch')).toHaveLength(2);
    expect(health.length).toBeGreaterThan(0);
    expect(summary.teacher.samplesScored).toBe(3 * 4 + 2 * 8 * 4 + 2 * 2 * 4);
    expect(summary.backprop.samples).toBe(6);
    // GRPO advantages within a group sum to ~0.
    const firstBatch = policy.steps[0]![0]!;
    expect(Math.abs(firstBatch.advantages.reduce((a, b) => a + b, 0))).toBeLessThan(1e-6);
  });

  it('accumulates gradients over batches into fewer updates', async () => {
    const { trainer, policy } = setup({ gradientAccumulationSteps: 2, baselineEvalBatches: 0, saveEveryBatches: 0 });
    await trainer.run();
    // 3 batches per epoch with accumulation 2 → updates after batch 2 and at epoch end: 2 per epoch.
    expect(policy.steps.map((s) => s.length)).toEqual([2, 1, 2, 1]);
  });

  it('marks samples unscored when the teacher fails, and trains on the rest', async () => {
    const { trainer, rows, sink } = setup({ baselineEvalBatches: 0, epochs: 1 }, makeFakeTeacher({ failTasks: new Set(['t0', 't1']) }));
    const summary = await trainer.run();
    const unscored = rows.filter((r) => r.split === 'train' && r.score === null);
    expect(unscored.length).toBe(2 * 4);
    expect(summary.teacher.samplesUnscored).toBe(2 * 4);
    expect(sink.scalars.get('Train/UnscoredFraction')!.some(([, v]) => v > 0)).toBe(true);
  });

  it('stops after the current step with a checkpoint when aborted', async () => {
    const { trainer, policy, checkpoints, controller } = setup({ baselineEvalBatches: 0, saveEveryBatches: 0, saveEveryEpochs: 0 });
    const originalStep = policy.optimizer.step.bind(policy.optimizer);
    (policy.optimizer as { step: typeof originalStep }).step = async (batches) => {
      const out = await originalStep(batches);
      if (policy.version === 2) controller.abort();
      return out;
    };
    await expect(trainer.run()).rejects.toMatchObject({ code: 'RLAIF_STOPPED' });
    expect(policy.version).toBe(2);
    expect(checkpoints.map((c) => c.name)).toEqual(['checkpoint-e1-b2-gs2']);
    expect(checkpoints[0]!.trainerState).toMatchObject({ epoch: 1, nextBatch: 2, globalStep: 2 });
  });

  it('runs the SFT warm-up on reference solutions before RL', async () => {
    const { trainer, policy } = setup({ baselineEvalBatches: 0, epochs: 1, sft: { enabled: true, epochs: 2, batchSize: 4 } });
    await trainer.run();
    // 8 examples, batch 4, 2 epochs → 4 supervised steps.
    expect(policy.supervised).toHaveLength(4);
    expect(policy.supervised[0]![0]![0]!.completion).toBe('```python\nREF\n```');
  });

  it('records another engine\'s log-prob mismatch in batches.jsonl, and nothing of it without one', async () => {
    const plain = setup({ baselineEvalBatches: 0, epochs: 1 });
    await plain.trainer.run();
    const plainRows = plain.sink.summaries.filter((s) => (s as { kind: string }).kind === 'batch') as { metrics: Record<string, unknown> }[];
    expect(plainRows.length).toBeGreaterThan(0);
    expect(plainRows.every((row) => !('Train/LogprobMismatch_Mean' in row.metrics))).toBe(true);
    const engine = setup({ baselineEvalBatches: 0, epochs: 1 });
    const step = engine.policy.optimizer.step;
    (engine.policy.optimizer as { step: typeof step }).step = async (batches) => ({ ...(await step(batches)), logprobMismatch: { meanAbs: 0.02, maxAbs: 0.4, cappedFraction: 0.01 } });
    await engine.trainer.run();
    const rows = engine.sink.summaries.filter((s) => (s as { kind: string }).kind === 'batch') as { metrics: Record<string, unknown> }[];
    expect(rows[0]!.metrics).toMatchObject({ 'Train/LogprobMismatch_Mean': 0.02, 'Train/LogprobMismatch_Max': 0.4, 'Train/ImportanceWeight_CappedFraction': 0.01 });
  });

  it('carries the warm-up\'s optimiser state into RL unless told not to, resetting it before the SFT checkpoint', async () => {
    const carried = setup({ baselineEvalBatches: 0, epochs: 1, sft: { enabled: true, epochs: 1, batchSize: 4, carryOptimizerState: true } });
    await carried.trainer.run();
    expect(carried.policy.optimizerResets).toEqual([]);
    const fresh = setup({ baselineEvalBatches: 0, epochs: 1, sft: { enabled: true, epochs: 1, batchSize: 4, carryOptimizerState: false } });
    const resetBeforeCheckpoint: boolean[] = [];
    const reset = fresh.policy.optimizer.resetOptimizerState!;
    (fresh.policy.optimizer as { resetOptimizerState: () => void }).resetOptimizerState = () => {
      resetBeforeCheckpoint.push(fresh.checkpoints.length === 0);
      reset();
    };
    await fresh.trainer.run();
    // Once, after the 2 SFT steps and before any RL update, and before checkpoint-sft-gs2 is written (so a resume matches).
    expect(fresh.policy.optimizerResets).toEqual([2]);
    expect(resetBeforeCheckpoint).toEqual([true]);
    expect(fresh.checkpoints[0]!.name).toBe('checkpoint-sft-gs2');
  });

  it('evaluates the eval tasks before training, after SFT and after each epoch, for the summary table', async () => {
    const { trainer, rows, sink, checkpoints } = setup({ baselineEvalBatches: 1, evalBeforeTraining: true, sft: { enabled: true, epochs: 1, batchSize: 4 } });
    const summary = await trainer.run();
    expect(summary.evaluations.map((e) => e.phase)).toEqual(['before', 'sft', 'epoch-1', 'epoch-2']);
    // The "SFT alone" model is saved before RL starts, with SFT marked done so a resume goes on with RL.
    expect(checkpoints[0]).toMatchObject({ name: 'checkpoint-sft-gs2', globalStep: 2 });
    expect(checkpoints[0]!.trainerState).toMatchObject({ sftDone: true, baselineDone: true });
    expect(summary.evaluations.every((e) => e.samples === 2 * 4 && Number.isFinite(e.meanReward))).toBe(true);
    // Per-task results, for the report's intervals over tasks: their mean is the evaluation's mean.
    for (const evaluation of summary.evaluations) {
      const rewards = (evaluation.perTask ?? []).map((task) => task.reward ?? Number.NaN);
      expect(rewards).toHaveLength(2);
      expect(rewards.reduce((a, b) => a + b, 0) / rewards.length).toBeCloseTo(evaluation.meanReward, 12);
    }
    const phases = rows.filter((r) => r.split === 'validation').map((r) => r.phase);
    expect(new Set(phases)).toEqual(new Set(['baseline', 'before', 'sft', 'epoch']));
    expect(sink.scalars.get('Eval/AfterSFT_AvgReward')).toHaveLength(1);
    // The warm-up's steps are summary rows too (sft.jsonl), for the report's SFT loss curve: 2 steps here.
    expect(sink.summaries.filter((s) => (s as { kind: string }).kind === 'sft').map((s) => (s as { step: number }).step)).toEqual([1, 2]);
    expect(formatSummary(summary)).toMatch(/Held-out Evaluation \(95% bootstrap intervals over tasks\):[\s\S]*before[\s\S]*sft[\s\S]*epoch-2[\s\S]*Gain epoch-2 vs sft, paired per task: reward [+-]?\d/);
    // After a warm-up, the run's validation report compares the evaluation after SFT with the last
    // one (what RL added), naming the SFT checkpoint as its baseline.
    const comparison = trainer.heldOutComparison()!;
    expect(comparison.baseline.perTask.map((t) => t.taskId)).toEqual(['t8', 't9']);
    expect(comparison.fineTuned.perTask).toHaveLength(2);
    expect(comparison.baseline).not.toBe(comparison.fineTuned);
    expect(comparison.baseline.averageReward).toBeCloseTo(summary.evaluations[1]!.meanReward, 12);
    expect(comparison.fineTuned.averageReward).toBeCloseTo(summary.evaluations.at(-1)!.meanReward, 12);
    expect(comparison.baselineCheckpoint).toMatch(/checkpoint-sft-gs2$/);
    expect(comparison.checkpoint).toMatch(/checkpoint-final/);
  });

  it('compares the last evaluation with the one before training when there is no warm-up', async () => {
    const { trainer } = setup({ baselineEvalBatches: 0, evalBeforeTraining: true, epochs: 1 });
    const summary = await trainer.run();
    const comparison = trainer.heldOutComparison()!;
    expect(comparison.baseline.averageReward).toBeCloseTo(summary.evaluations[0]!.meanReward, 12);
    expect(comparison.fineTuned.averageReward).toBeCloseTo(summary.evaluations.at(-1)!.meanReward, 12);
    expect(comparison.baselineCheckpoint).toBeUndefined();
  });

  it('samples every evaluation with the same seeds', async () => {
    const { trainer, policy } = setup({ baselineEvalBatches: 0, evalBeforeTraining: true, sft: { enabled: true, epochs: 1, batchSize: 4 } });
    await trainer.run();
    const evalSeeds = policy.generateCalls.filter((call) => call.tasks[0] === 't8').map((call) => call.seed);
    expect(evalSeeds).toHaveLength(4);
    expect(new Set(evalSeeds).size).toBe(1);
  });

  it('samples evalSamplesPerPrompt per eval task, and every eval chunk exactly once', async () => {
    const evalTasks = Array.from({ length: 7 }, (_, i) => ({ ...tasks[0]!, id: `e${i}` }));
    const { trainer, policy } = setup({ baselineEvalBatches: 0, evalBeforeTraining: true, evalSamplesPerPrompt: 2, epochs: 1 }, makeFakeTeacher(), evalTasks);
    const summary = await trainer.run();
    expect(summary.evaluations.map((e) => [e.phase, e.samples])).toEqual([
      ['before', 14],
      ['epoch-1', 14],
    ]);
    // A chunk holds as many sequences as a train batch (3 tasks × 4 samples = 12, so 6 tasks × 2),
    // generated once each although the next is started early.
    const evalCalls = policy.generateCalls.filter((call) => call.tasks[0]!.startsWith('e'));
    expect(evalCalls.map((call) => [call.tasks.join(','), call.n])).toEqual([
      ['e0,e1,e2,e3,e4,e5', 2],
      ['e6', 2],
      ['e0,e1,e2,e3,e4,e5', 2],
      ['e6', 2],
    ]);
  });

  // The plan is the loop's: 4 batches per epoch accumulating 3 close updates after batches 3 and 4
  // (a formula over all batches once planned 3 and the loop made 4, the last at learning rate 0).
  it.each([1, 2, 3, 4])('makes exactly the planned updates with accumulation %i', async (gradientAccumulationSteps) => {
    const { trainer, policy } = setup({ gradientAccumulationSteps, trainTasks: 12, baselineEvalBatches: 0, saveEveryBatches: 0 }, makeFakeTeacher(), []);
    await trainer.run();
    const plan = planSteps({ epochs: 2, batchesPerEpoch: 4, gradientAccumulationSteps });
    expect(policy.steps).toHaveLength(plan.policyUpdates);
    expect(policy.steps.flat()).toHaveLength(plan.batches);
  });

  it('writes one batches.jsonl row and one health observation per batch, also when accumulating', async () => {
    const { trainer, sink, health } = setup({ gradientAccumulationSteps: 2, baselineEvalBatches: 0, saveEveryBatches: 0, healthCheck: { enabled: true, intervalBatches: 1 } });
    await trainer.run();
    const batchRows = sink.summaries.filter((s) => (s as { kind: string }).kind === 'batch') as { epoch: number; batch: number; metrics: Record<string, number | null> }[];
    expect(batchRows.map((r) => `${r.epoch}/${r.batch}`)).toEqual(['1/1', '1/2', '1/3', '2/1', '2/2', '2/3']);
    // Batch 1 only accumulated: no update figures; batch 2 closed the update.
    expect(batchRows[0]!.metrics['Train/Loss']).toBeNull();
    expect(batchRows[1]!.metrics['Train/Loss']).toBe(0.5);
    expect(batchRows.every((r) => Number.isFinite(r.metrics['Train/AvgReward']))).toBe(true);
    expect(health).toHaveLength(6);
  });

  it("records the teacher's own counters (metrics()) in each batch's scalars and row", async () => {
    let calls = 0;
    const teacher = { ...makeFakeTeacher(), metrics: () => ({ 'Sandbox/Runs': ++calls }) };
    const { trainer, sink } = setup({ baselineEvalBatches: 0, epochs: 1 }, teacher);
    await trainer.run();
    const batchRows = sink.summaries.filter((s) => (s as { kind: string }).kind === 'batch') as { metrics: Record<string, number> }[];
    expect(batchRows.length).toBeGreaterThan(0);
    expect(batchRows.map((row) => row.metrics['Sandbox/Runs'])).toEqual(batchRows.map((_, i) => i + 1));
    expect(sink.scalars.get('Sandbox/Runs')).toHaveLength(batchRows.length);
  });

  it("prints the reference system's per-step block with rewards beside the loss", async () => {
    let console = '';
    const stream = { write: (chunk: string) => ((console += chunk), true) } as unknown as NodeJS.WritableStream;
    const { trainer } = setup({ baselineEvalBatches: 0, epochs: 1 }, makeFakeTeacher(), [], [consoleSink({ stream })]);
    await trainer.run();
    const blocks = console.split(/(?=Step \d+:)/).filter((b) => b.startsWith('Step'));
    expect(blocks).toHaveLength(3);
    for (const block of blocks) {
      for (const label of ['Loss', 'Policy Loss', 'KL Penalty', 'Avg Reward', 'Reward Std']) expect(block, block).toContain(`  ${label}: `);
    }
  });

  it("records the run's average reward, the baseline and the gain in checkpoint summaries", async () => {
    const { trainer, rows, checkpoints } = setup();
    await trainer.run();
    const trainRewards = rows.filter((r) => r.split === 'train' && r.reward !== null).map((r) => r.reward!);
    const runAverage = trainRewards.reduce((a, b) => a + b, 0) / trainRewards.length;
    const final = checkpoints.at(-1)!;
    expect(final.summary.averageReward).toBeCloseTo(runAverage, 12);
    const baseline = rows.filter((r) => r.split === 'validation' && r.epoch === 0).map((r) => r.reward!);
    expect(final.summary.baselineReward).toBeCloseTo(baseline.reduce((a, b) => a + b, 0) / baseline.length, 12);
    expect(final.summary.extra).toMatchObject({ last_batch_reward: expect.any(Number), batches_trained: 6 });
  });

  it('counts updates the optimizer skipped for a non-finite gradient, and the health check warns', async () => {
    const { trainer, policy, sink, health } = setup({ baselineEvalBatches: 0, epochs: 1, healthCheck: { enabled: true, intervalBatches: 100 } }, makeFakeTeacher(), []);
    const originalStep = policy.optimizer.step.bind(policy.optimizer);
    (policy.optimizer as { step: typeof originalStep }).step = async (batches) => ({ ...(await originalStep(batches)), ...(policy.version === 2 ? { skippedUpdates: 1, gradNorm: Number.NaN } : {}) });
    await trainer.run();
    expect(sink.scalars.get('Train/SkippedUpdates')!.map(([, v]) => v)).toEqual([0, 1, 0]);
    expect(sink.scalars.get('Train/SkippedUpdates_Cumulative')!.map(([, v]) => v)).toEqual([0, 1, 1]);
    // Only the skipped step's report is a warning (the interval would have logged none).
    expect(health).toEqual([expect.objectContaining({ status: 'WARN', issues: [expect.stringMatching(/1 update\(s\) skipped: the gradient was not finite/)] })]);
  });

  it("logs Batch/Metal/* from the engine's counters and releases its cache when memory grows, logging what it freed", async () => {
    const GB = 1024 ** 3;
    let active = GB;
    const releases: number[] = [];
    // An engine that leaks 0.6 GB a batch until its cache is released.
    const memory: EngineMemory = {
      specificationVersion: 'v1',
      source: 'metal',
      sample: () => ((active += 0.6 * GB), { activeBytes: active, peakBytes: active, cacheBytes: 0.25 * GB }),
      releaseCache: async () => (releases.push(active), (active = GB), 1.5 * GB),
    };
    const lines: string[] = [];
    const logger: Logger = { ...silentLogger, info: (message: string) => void lines.push(message), warn: (message: string) => void lines.push(message) };
    const { trainer, sink, health } = setup(
      { baselineEvalBatches: 0, epochs: 2, healthCheck: { enabled: true, intervalBatches: 100, releaseCacheGrowthGB: 1, releaseCacheAboveGB: 4 } },
      makeFakeTeacher(),
      [],
      [],
      { engineMemory: memory, logger },
    );
    await trainer.run();
    const series = (tag: string) => sink.scalars.get(tag)?.map(([, v]) => v);
    for (const tag of ['Batch/Metal/MLX_Active_GB', 'Batch/Metal/MLX_Peak_GB', 'Batch/Metal/MLX_Cache_GB', 'Batch/Metal/MLX_Active_Growth_GB', 'Batch/Metal/MLX_Cache_Growth_GB', 'Batch/Metal/GC_Triggered', 'Batch/Metal/Freed_GB']) {
      expect(series(tag), tag).toHaveLength(6);
    }
    // Growth is counted from the first batch: > 1 GB after two more batches, then again two after each release.
    expect(series('Batch/Metal/GC_Triggered')).toEqual([0, 0, 1, 0, 1, 0]);
    expect(series('Batch/Metal/Freed_GB')).toEqual([0, 0, 1.5, 0, 1.5, 0]);
    expect(releases).toHaveLength(2);
    expect(health.filter((r) => (r as { freedBytes?: number }).freedBytes === 1.5 * GB)).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('[HealthCheck] released the engine cache: freed 1.50 GB'))).toHaveLength(2);
    // Each epoch's line comes after the previous epoch's summary, although its first batch was generated earlier (lag 1).
    expect(lines.filter((l) => /^Epoch \d\/2( summary|$)/.test(l)).map((l) => l.slice(0, 17))).toEqual(['Epoch 1/2', 'Epoch 1/2 summary', 'Epoch 2/2', 'Epoch 2/2 summary']);
  });
});
