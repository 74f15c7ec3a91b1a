/**
 * The RLAIF loop (DESIGN.md, "One training step, as data"):
 *
 *   tasks ─► Generator.generate (n per task) ─► Teacher.reference + score ─► RewardFns
 *         ─► group advantages ─► Optimizer.step (KL to base) ─► metrics, dataset rows, checkpoints
 *
 * Scoring is network (or subprocess) time and generation is compute, so batch k+1 is generated while
 * batch k is scored: rollouts may be up to `offPolicyLag` optimiser updates old (logged).
 */
import type { AdvantageEstimator } from '../algorithms/advantage-estimator.js';
import type { GenerationResult, Generator, SamplingParams } from '../contracts/generator.js';
import type { Optimizer, PolicyBatch, StepStats, SupervisedExample } from '../contracts/optimizer.js';
import type { Rollout } from '../contracts/rollout.js';
import type { Task } from '../contracts/task.js';
import type { Teacher } from '../contracts/teacher.js';
import { formatCheckpointName } from '../checkpoint/naming.js';
import { CRITERIA } from '../contracts/score.js';
import { RlaifError, RunStoppedError, TeacherError } from '../errors/index.js';
import { HealthCheck } from '../observability/health-check.js';
import type { Logger } from '../observability/logger.js';
import type { Progress } from '../observability/progress.js';
import { recordTeacherUsage, summarise, type RunSummary } from '../observability/run-stats.js';
import { finiteMean, finiteVariance } from '../observability/stats.js';
import type { SystemMetrics } from '../observability/system-metrics.js';
import { combineRewards, type WeightedRewardFn } from '../rewards/combine.js';
import { groupAdvantages } from './advantages.js';
import type { DatasetRowInput } from '../dataset/row.js';
import type { CheckpointPort, DatasetPort, HealthLogPort } from './ports.js';
import { passRate, rewardInputs, scoreGroups, type ScoredBatch, type ScoredGroup } from './scoring.js';
import type { SinkFanout } from './sink-fanout.js';
import { emptyEpochAccumulator, type EvaluationRecord, type TrainerState } from './trainer-state.js';
import { modelResults, type ModelResults } from '../validation/model-results.js';

/** Serves the batches of each epoch (PromptSource). */
export interface BatchSource {
  readonly batchesPerEpoch: number;
  batch(epoch: number, index: number): readonly Task[];
  /** Every task, in the order epoch `epoch` serves them (SFT uses all tasks even when epochs are capped). */
  epochOrder(epoch: number): readonly Task[];
}

/** Plain settings of the loop; the runner maps the validated config onto them. */
export interface TrainerSettings {
  readonly epochs: number;
  readonly gradientAccumulationSteps: number;
  readonly seed: number;
  readonly numSamplesPerPrompt: number;
  /** Samples per task in evaluations (baseline, held-out); default numSamplesPerPrompt. */
  readonly evalSamplesPerPrompt?: number;
  readonly sampling: Omit<SamplingParams, 'seed'>;
  readonly klPenalty: number;
  readonly offPolicyLag: number;
  readonly teacherConcurrency: number;
  readonly dropZeroVarianceGroups: boolean;
  readonly baselineEvalBatches: number;
  /** Score the eval tasks before any training (the `before` row of the evaluation table). */
  readonly evalBeforeTraining?: boolean;
  readonly saveSteps: number;
  readonly saveEveryEpochs: number;
  readonly saveEveryBatches: number;
  readonly healthCheck: { readonly enabled: boolean; readonly intervalBatches: number };
  readonly sampleTextEverySteps: number;
  /** Also sample `System/*` in the background every this many seconds; 0 = only per batch. */
  readonly systemMetricsIntervalSeconds?: number;
  readonly sft: { readonly enabled: boolean; readonly epochs: number; readonly batchSize: number; readonly maxExamples?: number };
}

export interface TrainerDependencies {
  readonly settings: TrainerSettings;
  readonly generator: Generator;
  readonly optimizer: Optimizer;
  readonly teacher: Teacher;
  readonly rewards: readonly WeightedRewardFn[];
  readonly estimator: AdvantageEstimator;
  readonly train: BatchSource;
  readonly evalTasks: readonly Task[];
  readonly sinks: SinkFanout;
  readonly dataset: DatasetPort;
  readonly checkpoints: CheckpointPort;
  readonly healthLog: HealthLogPort;
  readonly logger: Logger;
  readonly systemMetrics: SystemMetrics;
  readonly progress?: Progress;
  /** Aborted on Ctrl-C: the loop saves a checkpoint after the current step and stops. */
  readonly signal: AbortSignal;
  /** Wall clock in seconds (injectable for tests). */
  readonly now?: () => number;
}

/** A batch that was generated (and whose scoring is under way). */
interface InFlight {
  readonly epoch: number;
  readonly index: number;
  readonly tasks: readonly Task[];
  readonly generation: GenerationResult;
  readonly generatedAtVersion: number;
  readonly scoring: Promise<ScoredBatch>;
}

/** What a consumed batch contributes to the next optimiser update. */
interface Consumed {
  readonly batch: PolicyBatch;
  readonly epoch: number;
  readonly index: number;
}

export class Trainer {
  private readonly now: () => number;
  private readonly startedAt: number;
  private readonly health: HealthCheck;
  private pending: Consumed[] = [];
  /** Per-task results of the held-out evaluations of this process: before training, and the latest. */
  private heldOut: { before?: ModelResults; latest?: ModelResults } = {};

  constructor(
    private readonly deps: TrainerDependencies,
    private readonly state: TrainerState,
  ) {
    this.now = deps.now ?? (() => performance.now() / 1000);
    this.startedAt = this.now();
    this.health = new HealthCheck({ baselineReward: state.baselineReward });
  }

  /** Total optimiser updates the RL phase will make (for schedules and progress). */
  static plannedSteps(batchesPerEpoch: number, epochs: number, gradientAccumulationSteps: number): number {
    return epochs * Math.ceil(batchesPerEpoch / gradientAccumulationSteps);
  }

  /** Runs baseline, SFT warm-up and RL to the end; resolves to the end-of-run summary. */
  async run(): Promise<RunSummary> {
    const interval = (this.deps.settings.systemMetricsIntervalSeconds ?? 0) * 1000;
    const timer = interval > 0 ? setInterval(() => void this.deps.sinks.write(this.state.globalBatch, this.deps.systemMetrics.sample()), interval) : undefined;
    timer?.unref();
    try {
      return await this.runPhases();
    } finally {
      clearInterval(timer);
    }
  }

  private async runPhases(): Promise<RunSummary> {
    const { settings, logger } = this.deps;
    if (!this.state.baselineDone) {
      if (settings.baselineEvalBatches > 0) await this.measureBaseline();
      if (settings.evalBeforeTraining && this.deps.evalTasks.length > 0) await this.evaluateHeldOut('before', 0);
      this.state.baselineDone = true;
    }
    if (!this.state.sftDone) {
      if (settings.sft.enabled) {
        await this.supervisedWarmup();
        if (this.deps.evalTasks.length > 0) await this.evaluateHeldOut('sft', 0);
      }
      this.state.sftDone = true;
      if (settings.sft.enabled) {
        // Global steps count every optimiser update, SFT's included (as the RL checkpoints after it do).
        this.state.globalStep = this.deps.optimizer.version;
        // "SFT alone", kept by retention: `--resume` continues with RL, `rlaif validate --checkpoint` compares with it.
        await this.saveCheckpoint(formatCheckpointName({ kind: 'sft', globalStep: this.state.globalStep }));
      }
    }
    if (this.state.epoch <= settings.epochs) {
      logger.info(`Starting RLAIF training: ${settings.epochs} epochs × ${this.deps.train.batchesPerEpoch} batches`);
      await this.reinforce();
    }
    const summary = this.summary();
    await this.saveCheckpoint(formatCheckpointName({ kind: 'final', globalStep: this.state.globalStep }));
    return summary;
  }

  /**
   * The held-out results before training and after the last evaluation, when this process ran both
   * (same tasks, same sampling seeds): the run's validation report compares them.
   */
  heldOutComparison():
    | { baseline: ModelResults; fineTuned: ModelResults; samplesPerTask: number; temperature: number; checkpoint: string | undefined }
    | undefined {
    const { before, latest } = this.heldOut;
    if (!before || !latest || latest === before) return undefined;
    const { settings } = this.deps;
    return {
      baseline: before,
      fineTuned: latest,
      samplesPerTask: settings.evalSamplesPerPrompt ?? settings.numSamplesPerPrompt,
      temperature: settings.sampling.temperature,
      checkpoint: this.lastCheckpoint,
    };
  }

  /** The end-of-run summary from the state so far. */
  summary(): RunSummary {
    const elapsed = this.state.runStats.priorSeconds + (this.now() - this.startedAt);
    return summarise(this.state.runStats, elapsed, this.state.baselineReward, this.state.lastReward, this.state.evaluations);
  }

  // ── Baseline ──────────────────────────────────────────────────────────────────────────────

  private async measureBaseline(): Promise<void> {
    const { settings, train, logger } = this.deps;
    const batches = Math.min(settings.baselineEvalBatches, train.batchesPerEpoch);
    const tasks = Array.from({ length: batches }, (_, i) => train.batch(1, i)).flat();
    logger.info(`Measuring the baseline reward on ${tasks.length} tasks (${batches} batches) before training`);
    const { meanReward: reward } = await this.evaluate(tasks, 'baseline', 0);
    this.state.baselineReward = Number.isFinite(reward) ? reward : null;
    this.health.setBaseline(this.state.baselineReward);
    logger.info(`Baseline reward: ${Number.isFinite(reward) ? reward.toFixed(4) : 'n/a (nothing scored)'}`);
  }

  // ── SFT warm-up ──────────────────────────────────────────────────────────────────────────

  /** Supervised fine-tuning on reference solutions (the task's own, or the teacher's: distillation). */
  private async supervisedWarmup(): Promise<void> {
    const { settings, train, teacher, optimizer, logger, signal } = this.deps;
    const tasks = train.epochOrder(0);
    const limited = settings.sft.maxExamples ? tasks.slice(0, settings.sft.maxExamples) : tasks;
    const examples: SupervisedExample[] = [];
    for (const task of limited) {
      const reference = await teacher.reference(task, { signal });
      if (reference?.code.trim()) examples.push({ task, completion: sftCompletion(task, reference.code) });
    }
    if (examples.length === 0) {
      throw new RlaifError('SFT warm-up has no examples: no task has a reference and the teacher wrote none', {
        hint: 'add `reference` solutions to the training data, use a teacher that writes references, or set training.sft.enabled: false',
      });
    }
    const batchSize = settings.sft.batchSize;
    logger.info(`SFT warm-up: ${examples.length} examples × ${settings.sft.epochs} epochs, batch ${batchSize}`);
    let sftStep = 0;
    for (let epoch = 1; epoch <= settings.sft.epochs; epoch++) {
      for (let start = 0; start < examples.length; start += batchSize) {
        this.throwIfStopped();
        const stats = await optimizer.supervisedStep([examples.slice(start, start + batchSize)]);
        sftStep++;
        this.state.runStats.backpropTokens += stats.tokens;
        this.state.runStats.backpropSeconds += stats.seconds;
        await this.deps.sinks.write(sftStep, {
          'SFT/Loss': stats.loss,
          'SFT/GradNorm': stats.gradNorm,
          'SFT/LearningRate': stats.learningRate,
          'SFT/TokensPerSec': stats.tokens / Math.max(stats.seconds, 1e-9),
        });
        if (sftStep % 10 === 0 || start + batchSize >= examples.length) {
          logger.info(`SFT epoch ${epoch} step ${sftStep}: loss ${stats.loss.toFixed(4)}`);
        }
      }
    }
  }

  // ── Reinforcement learning ───────────────────────────────────────────────────────────────

  private async reinforce(): Promise<void> {
    const { settings, train } = this.deps;
    this.reinforceClock = { startedAt: this.now(), stepsBefore: this.completedBatches() };
    const positions = this.remainingPositions();
    const queue: InFlight[] = [];
    let cursor = 0;
    try {
      while (cursor < positions.length || queue.length > 0) {
        while (queue.length <= settings.offPolicyLag && cursor < positions.length && !this.deps.signal.aborted) {
          const { epoch, index } = positions[cursor++]!;
          queue.push(await this.generate(epoch, index, train.batch(epoch, index)));
        }
        const current = queue.shift();
        if (!current) break;
        const scored = await current.scoring;
        await this.consume(current, scored);
        const lastOfEpoch = current.index === train.batchesPerEpoch - 1;
        if (this.pending.length >= settings.gradientAccumulationSteps || lastOfEpoch) await this.update();
        if (lastOfEpoch) await this.endEpoch(current.epoch);
        this.throwIfStopped();
      }
    } catch (error) {
      for (const flight of queue) flight.scoring.catch(() => undefined);
      if (isStop(error)) await this.stopCleanly();
      throw error;
    }
  }

  /** Every (epoch, batch) still to train, from the state's position to the last epoch. */
  private remainingPositions(): { epoch: number; index: number }[] {
    const out: { epoch: number; index: number }[] = [];
    for (let epoch = this.state.epoch; epoch <= this.deps.settings.epochs; epoch++) {
      const first = epoch === this.state.epoch ? this.state.nextBatch : 0;
      for (let index = first; index < this.deps.train.batchesPerEpoch; index++) out.push({ epoch, index });
    }
    return out;
  }

  private async generate(epoch: number, index: number, tasks: readonly Task[]): Promise<InFlight> {
    const { generator, settings, teacher, logger, signal } = this.deps;
    const generation = await generator.generate(tasks, settings.numSamplesPerPrompt, {
      ...settings.sampling,
      seed: batchSeed(settings.seed, epoch, index),
    });
    const scoring = scoreGroups(teacher, generation.groups, { concurrency: settings.teacherConcurrency, signal, logger });
    scoring.catch(() => undefined);
    return { epoch, index, tasks, generation, generatedAtVersion: this.deps.optimizer.version, scoring };
  }

  /** Rewards, advantages, dataset rows and batch metrics of one scored batch. */
  private async consume(flight: InFlight, scored: ScoredBatch): Promise<void> {
    const { settings, estimator, sinks, dataset, systemMetrics } = this.deps;
    const stats = this.state.runStats;
    const step = this.state.globalBatch + 1;
    const flatInputs = rewardInputs(scored.groups);
    const rewardMetrics: Record<string, number[]> = {};
    const combined = await combineRewards(this.deps.rewards, flatInputs, {
      step,
      logMetric: (name, value) => (rewardMetrics[name] ??= []).push(value),
      warn: (message) => this.deps.logger.warn(message),
    });
    let offset = 0;
    const rewardsByGroup = scored.groups.map((group) => {
      const slice = combined.rewards.slice(offset, offset + group.rollouts.length);
      offset += group.rollouts.length;
      return slice;
    });
    const advantages = groupAdvantages(estimator, rewardsByGroup, scored.groups.map((g) => g.rollouts), {
      dropZeroVarianceGroups: settings.dropZeroVarianceGroups,
    });

    const rewards = combined.rewards.filter((r): r is number => r !== null);
    const unscored = flatInputs.filter((input) => input.score === null).length;
    stats.samplesScored += flatInputs.length - unscored;
    stats.samplesUnscored += unscored;
    this.state.unscoredStreak = flatInputs.length > 0 && unscored === flatInputs.length ? this.state.unscoredStreak + 1 : 0;
    if (this.state.unscoredStreak >= 3) {
      throw new TeacherError(`the teacher '${this.deps.teacher.name}' returned no score for 3 batches in a row`, this.deps.teacher.name, false, {
        hint: 'check the teacher: API key, model name, network, or the sandbox self-test in the log above',
      });
    }

    // Generation and scoring statistics.
    const generationTokens = flight.generation.completionTokens;
    const generationSeconds = flight.generation.seconds;
    stats.generationTokens += generationTokens;
    stats.generationSeconds += generationSeconds;
    if (generationSeconds > 0) stats.generationTokensPerSec.push(generationTokens / generationSeconds);
    stats.scoringSeconds += scored.seconds;
    recordTeacherUsage(stats, flight.epoch, scored.usage);
    const accumulator = this.state.epochAccumulator;
    for (const reward of rewards) {
      accumulator.rewardSum += reward;
      accumulator.rewardSquares += reward * reward;
      accumulator.rewardCount++;
    }
    accumulator.apiTokens += scored.usage.inputTokens + scored.usage.outputTokens;
    accumulator.numSamples += flatInputs.length;
    const rewardMean = finiteMean(rewards);
    this.state.lastReward = Number.isFinite(rewardMean) ? rewardMean : this.state.lastReward;

    // Dataset rows, in batch order.
    const rows: DatasetRowInput[] = [];
    scored.groups.forEach((group, g) => {
      group.rollouts.forEach((rollout, i) => {
        rows.push(rowInput(flight.epoch, flight.index + 1, this.state.globalStep, rollout, group, i, combined.rewards[rows.length] ?? null, advantages.advantagesByGroup[g]![i] ?? null));
      });
    });
    await dataset.append('train', rows);

    const rollouts = scored.groups.flatMap((g) => g.rollouts);
    const completionLengths = rollouts.map((r) => r.completionTokens.length);
    const distinct = new Set(rollouts.map((r) => r.text)).size;
    const scores = flatInputs.map((i) => i.score).filter((s) => s !== null);
    const allUsage = Object.values(stats.teacherByEpoch);
    const requests = allUsage.reduce((s, u) => s + u.requests + u.cacheHits, 0);
    const scalars: Record<string, number> = {
      'Train/AvgReward': rewardMean,
      'Train/RewardStd': Math.sqrt(finiteVariance(rewards)),
      'Train/RewardMin': rewards.length ? Math.min(...rewards) : Number.NaN,
      'Train/RewardMax': rewards.length ? Math.max(...rewards) : Number.NaN,
      'Train/RewardVariance': finiteVariance(rewards),
      'Train/FracRewardZeroStd': advantages.comparableGroups ? advantages.zeroStdGroups / advantages.comparableGroups : Number.NaN,
      'Train/DroppedGroups': advantages.droppedGroups,
      'Train/UnscoredFraction': flatInputs.length ? unscored / flatInputs.length : 0,
      'Train/OffPolicyLag': this.deps.optimizer.version - flight.generatedAtVersion,
      'Train/Completions/ClippedRatio': rollouts.length ? rollouts.filter((r) => r.finishReason === 'length').length / rollouts.length : 0,
      'Train/Completions/MeanLength': finiteMean(completionLengths),
      'Train/Completions/Diversity': rollouts.length ? distinct / rollouts.length : 0,
      'Scoring/TeacherScoreMean': finiteMean(scored.groups.map((g) => g.referenceScore?.overall ?? Number.NaN)),
      'Scoring/StudentScoreMean': finiteMean(scores.map((s) => s.overall)),
      'Performance/Generation_TokensPerSec': generationSeconds > 0 ? generationTokens / generationSeconds : 0,
      'Performance/Generation_Time': generationSeconds,
      'Performance/Generation_TotalTokens_Cumulative': stats.generationTokens,
      'Performance/Scoring_Time': scored.seconds,
      'Performance/Scoring_TotalTokens_Input_Cumulative': allUsage.reduce((s, u) => s + u.inputTokens, 0),
      'Performance/Scoring_TotalTokens_Output_Cumulative': allUsage.reduce((s, u) => s + u.outputTokens, 0),
      'Teacher/CostUSD': allUsage.reduce((s, u) => s + u.costUSD, 0),
      'Teacher/CacheHitRate': requests ? allUsage.reduce((s, u) => s + u.cacheHits, 0) / requests : 0,
      ...systemMetrics.sample(),
    };
    for (const criterion of CRITERIA) {
      scalars[`Scoring/${capitalise(criterion)}Mean`] = finiteMean(scores.map((s) => s.breakdown[criterion]));
    }
    const batchPassRate = passRate(scores);
    if (batchPassRate !== null) scalars['Scoring/PassRate'] = batchPassRate;
    for (const [name, values] of Object.entries(combined.perFunction)) {
      const numbers = values.filter((v): v is number => v !== null);
      scalars[`Rewards/${name}/Mean`] = finiteMean(numbers);
      scalars[`Rewards/${name}/Std`] = Math.sqrt(finiteVariance(numbers));
    }
    for (const [name, values] of Object.entries(rewardMetrics)) scalars[`Rewards/Custom/${name}`] = finiteMean(values);
    await sinks.write(step, scalars);
    await sinks.writeHistogram(step, 'Train/Rewards', rewards);
    await sinks.writeHistogram(step, 'Train/Advantages', advantages.trainable.map((t) => t.advantage));
    if (settings.sampleTextEverySteps > 0 && step % settings.sampleTextEverySteps === 0) {
      await sinks.writeText(step, 'Samples/Completions', sampleText(scored, combined.rewards));
    }

    this.state.globalBatch = step;
    this.pending.push({
      batch: { rollouts: advantages.trainable.map((t) => t.rollout), advantages: advantages.trainable.map((t) => t.advantage) },
      epoch: flight.epoch,
      index: flight.index,
    });
    this.lastBatch = { flight, scored, rewardMean, generationSeconds, generationTokens, diversity: rollouts.length ? distinct / rollouts.length : 0, fracZeroStd: scalars['Train/FracRewardZeroStd']!, keptTokens: advantages.trainable.reduce((s, t) => s + t.rollout.completionTokens.length, 0) };
  }

  private lastBatch:
    | { flight: InFlight; scored: ScoredBatch; rewardMean: number; generationSeconds: number; generationTokens: number; diversity: number; fracZeroStd: number; keptTokens: number }
    | undefined;

  /** Applies the accumulated batches as one optimiser update, then logs and checkpoints. */
  private async update(): Promise<void> {
    const { optimizer, settings, sinks, logger } = this.deps;
    const consumed = this.pending;
    this.pending = [];
    if (consumed.length === 0) return;
    const last = consumed[consumed.length - 1]!;
    const batches = consumed.map((c) => c.batch).filter((b) => b.rollouts.length > 0);
    const stats: StepStats | null = batches.length ? await optimizer.step(batches) : null;
    if (stats === null) logger.warn(`batch e${last.epoch} b${last.index + 1}: no sample had a usable advantage; no update`);
    this.state.globalStep = optimizer.version;
    this.state.epoch = last.epoch;
    this.state.nextBatch = last.index + 1;
    const runStats = this.state.runStats;
    if (stats) {
      runStats.backpropTokens += stats.tokens;
      runStats.backpropSeconds += stats.seconds;
      if (stats.seconds > 0) runStats.backpropTokensPerSec.push(stats.tokens / stats.seconds);
      this.state.epochAccumulator.lossSum += stats.loss;
      this.state.epochAccumulator.lossCount++;
      const summary = this.summary();
      await sinks.write(this.state.globalBatch, {
        'Train/Loss': stats.loss,
        'Train/PolicyLoss': stats.policyLoss,
        'Train/KLPenalty': settings.klPenalty * stats.kl,
        'Train/KL': stats.kl,
        'Train/Entropy': stats.entropy,
        'Train/ClipFraction': stats.clipFraction,
        'Train/GradNorm': stats.gradNorm,
        'Train/LearningRate': stats.learningRate,
        'Train/GlobalStep': this.state.globalStep,
        'Performance/Backprop_TokensPerSec': stats.seconds > 0 ? stats.tokens / stats.seconds : 0,
        'Performance/Backprop_AvgTokensPerSec': summary.backprop.averageTokensPerSec,
        'Performance/Backprop_P99TokensPerSec': summary.backprop.p99TokensPerSec,
        'Performance/Training_TotalTokens_Cumulative': runStats.backpropTokens,
        'Performance/Generation_AvgTokensPerSec': summary.generation.averageTokensPerSec,
        'Performance/Generation_P99TokensPerSec': summary.generation.p99TokensPerSec,
      });
    }
    await this.writeBatchSummary(stats);
    await this.reportHealth(stats);
    this.reportProgress(stats);
    await this.maybeCheckpoint(last.epoch, last.index + 1);
  }

  private async writeBatchSummary(stats: StepStats | null): Promise<void> {
    const batch = this.lastBatch;
    if (!batch) return;
    await this.deps.sinks.writeSummary({
      kind: 'batch',
      epoch: batch.flight.epoch,
      batch: batch.flight.index + 1,
      step: this.state.globalBatch,
      globalStep: this.state.globalStep,
      timestamp: new Date().toISOString(),
      elapsedSeconds: this.summary().durationSeconds,
      metrics: {
        'Train/AvgReward': batch.rewardMean,
        'Train/Loss': stats?.loss ?? null,
        'Train/PolicyLoss': stats?.policyLoss ?? null,
        'Train/KL': stats?.kl ?? null,
        'Train/KLPenalty': stats ? this.deps.settings.klPenalty * stats.kl : null,
        'Train/Entropy': stats?.entropy ?? null,
        'Train/GradNorm': stats?.gradNorm ?? null,
        'Train/LearningRate': stats?.learningRate ?? null,
        'Train/FracRewardZeroStd': batch.fracZeroStd,
        'Performance/Generation_TokensPerSec': batch.generationSeconds > 0 ? batch.generationTokens / batch.generationSeconds : 0,
        'Performance/Backprop_TokensPerSec': stats && stats.seconds > 0 ? stats.tokens / stats.seconds : null,
        'Performance/Scoring_Time': batch.scored.seconds,
        'Teacher/InputTokens': batch.scored.usage.inputTokens,
        'Teacher/OutputTokens': batch.scored.usage.outputTokens,
        'Teacher/BatchCostUSD': batch.scored.usage.costUSD,
        'Teacher/CostUSD': Object.values(this.state.runStats.teacherByEpoch).reduce((sum, usage) => sum + usage.costUSD, 0),
        'System/Process_RSS_GB': process.memoryUsage.rss() / 1024 ** 3,
      },
    });
  }

  private async reportHealth(stats: StepStats | null): Promise<void> {
    const { settings, healthLog, logger } = this.deps;
    const batch = this.lastBatch;
    if (!batch || !settings.healthCheck.enabled) return;
    const report = this.health.observe({
      epoch: batch.flight.epoch,
      batch: batch.flight.index + 1,
      step: this.state.globalBatch,
      rewardMean: batch.rewardMean,
      loss: stats?.loss ?? 0,
      kl: stats?.kl ?? 0,
      generationSeconds: batch.generationSeconds,
      scoringSeconds: batch.scored.seconds,
      trainingSeconds: stats?.seconds ?? 0,
      rawTokensPerSec: batch.generationSeconds > 0 ? batch.generationTokens / batch.generationSeconds : 0,
      keptTokensPerSec: batch.generationSeconds > 0 ? batch.keptTokens / batch.generationSeconds : 0,
      diversity: batch.diversity,
      fracZeroStdGroups: Number.isFinite(batch.fracZeroStd) ? batch.fracZeroStd : 0,
    });
    if (this.state.globalBatch % settings.healthCheck.intervalBatches !== 0 && report.status === 'OK') return;
    this.deps.progress?.clear();
    (report.status === 'OK' ? logger.info : logger.warn)(report.line);
    await healthLog.append({ ...report, timestamp: new Date().toISOString() });
  }

  private reportProgress(stats: StepStats | null): void {
    const { progress, settings, train } = this.deps;
    if (!progress) return;
    const total = settings.epochs * train.batchesPerEpoch;
    const done = this.completedBatches();
    const summary = this.summary();
    // Steps of this process's RL phase set the pace; baseline, SFT and earlier sessions do not.
    const clock = this.reinforceClock;
    const stepsHere = clock ? done - clock.stepsBefore : 0;
    const etaSeconds = clock && stepsHere > 0 ? ((this.now() - clock.startedAt) / stepsHere) * (total - done) : undefined;
    progress.update({
      step: done,
      totalSteps: total,
      epoch: this.state.epoch,
      epochs: settings.epochs,
      reward: this.state.lastReward ?? Number.NaN,
      loss: stats?.loss ?? Number.NaN,
      tokensPerSec: summary.generation.averageTokensPerSec,
      elapsedSeconds: summary.durationSeconds,
      ...(etaSeconds === undefined ? {} : { etaSeconds }),
    });
  }

  private reinforceClock: { startedAt: number; stepsBefore: number } | undefined;

  /** RL batches consumed so far, over all epochs. */
  private completedBatches(): number {
    return (this.state.epoch - 1) * this.deps.train.batchesPerEpoch + this.state.nextBatch;
  }

  private async endEpoch(epoch: number): Promise<void> {
    const { settings, sinks, logger, evalTasks } = this.deps;
    const acc = this.state.epochAccumulator;
    const avgReward = acc.rewardCount ? acc.rewardSum / acc.rewardCount : Number.NaN;
    const variance = acc.rewardCount ? acc.rewardSquares / acc.rewardCount - avgReward ** 2 : Number.NaN;
    const avgLoss = acc.lossCount ? acc.lossSum / acc.lossCount : Number.NaN;
    const previous = this.state.previousEpoch;
    const metrics: Record<string, number> = {
      'Epoch/AvgReward': avgReward,
      'Epoch/AvgLoss': avgLoss,
      'Epoch/RewardVariance': Math.max(0, variance),
      'Epoch/RewardTrend': previous ? avgReward - previous.avgReward : 0,
      'Epoch/LossTrend': previous ? previous.avgLoss - avgLoss : 0,
      'Epoch/APITokens': acc.apiTokens,
      'Epoch/NumSamples': acc.numSamples,
    };
    if (evalTasks.length > 0) {
      const evaluation = await this.evaluateHeldOut(`epoch-${epoch}`, epoch);
      metrics['Eval/AvgReward'] = evaluation.meanReward;
      if (evaluation.passRate !== null) metrics['Eval/PassRate'] = evaluation.passRate;
      if (this.state.baselineReward !== null) metrics['Eval/GainFromBaseline'] = evaluation.meanReward - this.state.baselineReward;
    }
    this.deps.progress?.clear();
    logger.info(
      `Epoch ${epoch}/${settings.epochs} summary: avg reward ${fmt(avgReward)}, avg loss ${fmt(avgLoss)}, reward variance ${fmt(metrics['Epoch/RewardVariance']!)}` +
        (metrics['Eval/AvgReward'] !== undefined ? `, eval reward ${fmt(metrics['Eval/AvgReward'])}` : ''),
    );
    await sinks.write(this.state.globalBatch, metrics);
    await sinks.writeSummary({
      kind: 'epoch',
      epoch,
      step: this.state.globalBatch,
      globalStep: this.state.globalStep,
      timestamp: new Date().toISOString(),
      elapsedSeconds: this.summary().durationSeconds,
      metrics,
    });
    this.state.previousEpoch = { avgReward, avgLoss };
    this.state.epochAccumulator = emptyEpochAccumulator();
    this.state.epoch = epoch + 1;
    this.state.nextBatch = 0;
    if (settings.saveEveryEpochs > 0 && epoch % settings.saveEveryEpochs === 0) {
      await this.saveCheckpoint(formatCheckpointName({ kind: 'epoch-end', epoch, globalStep: this.state.globalStep }));
    }
  }

  /** Scores the eval tasks, records the result for the summary's table, logs it. */
  private async evaluateHeldOut(phase: string, epoch: number): Promise<EvaluationRecord> {
    const { logger, evalTasks } = this.deps;
    const { results, ...result } = await this.evaluate(evalTasks, phase.startsWith('epoch') ? 'epoch' : (phase as 'before' | 'sft'), epoch);
    if (phase === 'before') this.heldOut.before = results;
    this.heldOut.latest = results;
    const record: EvaluationRecord = { phase, globalStep: this.deps.optimizer.version, ...result };
    this.state.evaluations.push(record);
    this.deps.progress?.clear();
    logger.info(
      `Eval (${phase}) on ${evalTasks.length} tasks: mean reward ${fmt(record.meanReward)}` +
        (record.passRate === null ? '' : `, pass rate ${(100 * record.passRate).toFixed(1)}%`),
    );
    // Epoch evaluations are logged with the epoch's metrics (Eval/AvgReward, Eval/PassRate).
    const prefix = phase === 'before' ? 'Eval/BeforeTraining' : phase === 'sft' ? 'Eval/AfterSFT' : undefined;
    if (prefix) {
      await this.deps.sinks.write(this.state.globalBatch, {
        [`${prefix}_AvgReward`]: record.meanReward,
        ...(record.passRate === null ? {} : { [`${prefix}_PassRate`]: record.passRate }),
      });
    }
    return record;
  }

  /** Generates and scores `tasks` without training; records rows in `validation`. */
  private async evaluate(
    tasks: readonly Task[],
    phase: 'baseline' | 'before' | 'sft' | 'epoch',
    epoch: number,
  ): Promise<{ meanReward: number; passRate: number | null; samples: number; results: ModelResults }> {
    const { settings, generator, teacher, dataset, sinks, logger, signal } = this.deps;
    const groups: ScoredGroup[] = [];
    const allRewards: (number | null)[] = [];
    let completionTokens = 0;
    let generationSeconds = 0;
    const samples = settings.evalSamplesPerPrompt ?? settings.numSamplesPerPrompt;
    // A chunk holds as many sequences as a training batch: fewer samples per task, more tasks at once.
    const chunk = Math.max(1, Math.floor((this.deps.train.batch(1, 0).length * settings.numSamplesPerPrompt) / samples));
    // Every evaluation uses the same seeds, so evaluations differ by the weights alone.
    const generateChunk = (start: number) =>
      generator.generate(tasks.slice(start, start + chunk), samples, { ...settings.sampling, seed: batchSeed(settings.seed, -1, start) });
    // The policy does not change during an evaluation, so chunk k+1 is generated while chunk k is scored.
    let nextGeneration: Promise<GenerationResult> | undefined = generateChunk(0);
    for (let start = 0; start < tasks.length; start += chunk) {
      this.throwIfStopped();
      const generation = await nextGeneration!;
      const scoring = scoreGroups(teacher, generation.groups, { concurrency: settings.teacherConcurrency, signal, logger });
      nextGeneration = start + chunk < tasks.length ? generateChunk(start + chunk) : undefined;
      // A failed scoring must not leave the next generation's rejection unobserved.
      const scored = await scoring.catch(async (error: unknown) => {
        await nextGeneration?.catch(() => undefined);
        throw error;
      });
      recordTeacherUsage(this.state.runStats, Math.max(1, epoch), scored.usage);
      this.state.runStats.scoringSeconds += scored.seconds;
      completionTokens += generation.completionTokens;
      generationSeconds += generation.seconds;
      const inputs = rewardInputs(scored.groups);
      const unscored = inputs.filter((input) => input.score === null).length;
      this.state.runStats.samplesScored += inputs.length - unscored;
      this.state.runStats.samplesUnscored += unscored;
      const combined = await combineRewards(this.deps.rewards, inputs, { step: this.state.globalBatch, logMetric: () => undefined, warn: (message) => this.deps.logger.warn(message) });
      const rows: DatasetRowInput[] = [];
      scored.groups.forEach((group) =>
        group.rollouts.forEach((rollout, i) => {
          rows.push({ ...rowInput(epoch, start / chunk + 1, this.state.globalStep, rollout, group, i, combined.rewards[rows.length] ?? null, null), phase });
        }),
      );
      await dataset.append('validation', rows);
      groups.push(...scored.groups);
      allRewards.push(...combined.rewards);
    }
    const results = modelResults(groups, allRewards, completionTokens, generationSeconds);
    if (phase === 'baseline') await sinks.write(0, { 'Eval/BaselineReward': results.averageReward });
    return { meanReward: results.averageReward, passRate: results.passRate, samples: allRewards.length, results };
  }

  // ── Checkpoints ──────────────────────────────────────────────────────────────────────────

  private async maybeCheckpoint(epoch: number, batch: number): Promise<void> {
    const { settings } = this.deps;
    const gs = this.state.globalStep;
    if (settings.saveEveryBatches > 0 && batch % settings.saveEveryBatches === 0) {
      await this.saveCheckpoint(formatCheckpointName({ kind: 'batch', epoch, batch, globalStep: gs }));
    } else if (settings.saveSteps > 0 && gs > 0 && gs % settings.saveSteps === 0 && this.lastSavedStep !== gs) {
      await this.saveCheckpoint(formatCheckpointName({ kind: 'steps', epoch, batch, globalStep: gs }));
    }
  }

  private lastSavedStep = -1;
  private lastCheckpoint: string | undefined;

  private async saveCheckpoint(name: string): Promise<void> {
    const { dataset, sinks, healthLog, optimizer, checkpoints, logger } = this.deps;
    await Promise.all([dataset.flush(), sinks.flush(), healthLog.flush()]);
    const elapsed = this.now() - this.startedAt;
    const state: TrainerState = { ...this.state, runStats: { ...this.state.runStats, priorSeconds: this.state.runStats.priorSeconds + elapsed } };
    const acc = this.state.epochAccumulator;
    const avgReward = this.state.lastReward;
    const saved = await checkpoints.save({
      name,
      epoch: this.state.epoch,
      batch: this.state.nextBatch,
      globalStep: this.state.globalStep,
      trainerState: state,
      trainingStats: {
        global_step: this.state.globalStep,
        batches_trained: this.state.globalBatch,
        epoch: this.state.epoch,
        epoch_avg_reward_so_far: acc.rewardCount ? acc.rewardSum / acc.rewardCount : null,
        epoch_avg_loss_so_far: acc.lossCount ? acc.lossSum / acc.lossCount : null,
        summary: this.summary(),
      },
      summary: {
        baselineReward: this.state.baselineReward,
        averageReward: avgReward,
        extra: { batches_trained: this.state.globalBatch, samples_scored: this.state.runStats.samplesScored },
      },
      writeModelState: (target) => optimizer.save(target),
      appendOnlyFiles: { ...dataset.durableFiles(), ...sinks.durableFiles(), ...healthLog.durableFiles() },
    });
    this.lastSavedStep = this.state.globalStep;
    this.lastCheckpoint = saved.path;
    this.deps.progress?.clear();
    logger.info(`Saved checkpoint ${saved.path}`);
  }

  // ── Stopping ─────────────────────────────────────────────────────────────────────────────

  private throwIfStopped(): void {
    if (this.deps.signal.aborted) {
      throw new RunStoppedError('training stopped on request', 'signal', { hint: 'resume with `rlaif run --resume latest`' });
    }
  }

  /** Applies what was consumed, then saves a checkpoint, so no finished work is lost. */
  private async stopCleanly(): Promise<void> {
    if (this.pending.length) await this.update();
    await this.saveCheckpoint(formatCheckpointName({ kind: 'batch', epoch: this.state.epoch, batch: this.state.nextBatch, globalStep: this.state.globalStep }));
  }
}

function isStop(error: unknown): boolean {
  return RlaifError.isInstance(error) && error.code === 'RLAIF_STOPPED';
}

/** A per-batch sampling seed that depends only on (seed, epoch, batch): resume reproduces it. */
export function batchSeed(seed: number, epoch: number, batch: number): number {
  let h = 0x811c9dc5 ^ (seed | 0);
  for (const value of [epoch, batch]) {
    h = Math.imul(h ^ (value | 0), 0x01000193);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

/** The SFT target for a task: the reference as a fenced block in the task's language. */
export function sftCompletion(task: Task, code: string): string {
  const fence = task.language === 'cpp' ? 'cpp' : task.language;
  return `\`\`\`${fence}\n${code.trimEnd()}\n\`\`\``;
}

/** One sample as the DatasetRecorder takes it; baseline rows have epoch 0. */
function rowInput(
  epoch: number,
  batch: number,
  step: number,
  rollout: Rollout,
  group: ScoredGroup,
  i: number,
  reward: number | null,
  advantage: number | null,
): DatasetRowInput {
  return {
    rollout,
    score: group.scores[i] ?? null,
    unscored: group.reasons[i] ?? null,
    reference: group.reference,
    teacherScore: group.referenceScore?.overall ?? null,
    reward,
    advantage,
    epoch,
    batch,
    step,
  };
}

function sampleText(scored: ScoredBatch, rewards: readonly (number | null)[]): string {
  const group = scored.groups[0];
  if (!group) return '';
  return group.rollouts
    .map((rollout, i) => {
      const score = group.scores[i];
      return `**task** ${rollout.task.id} · **sample** ${i} · **score** ${score ? score.overall.toFixed(3) : 'unscored'} · **reward** ${rewards[i]?.toFixed(3) ?? 'n/a'}\n\n\`\`\`\n${rollout.text.slice(0, 2000)}\n\`\`\``;
    })
    .join('\n\n---\n\n');
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function fmt(value: number): string {
  return Number.isFinite(value) ? value.toFixed(4) : 'n/a';
}
