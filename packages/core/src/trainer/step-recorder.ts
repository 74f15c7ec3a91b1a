/**
 * The "record" step of the loop: run-wide counters of each consumed batch, then per batch one
 * metrics write (the batch's scalars and, when it closed an update, the update's), one
 * `batches.jsonl` row, the health check and the progress line.
 */
import type { EngineMemorySample } from '../contracts/engine-memory.js';
import type { StepStats } from '../contracts/optimizer.js';
import { TeacherError } from '../errors/index.js';
import { EngineMemoryMetrics, engineMemoryScalars } from '../observability/engine-memory-metrics.js';
import { HealthCheck } from '../observability/health-check.js';
import { recordTeacherUsage, summarise, type RunSummary } from '../observability/run-stats.js';
import { accumulateBatch, batchScalars, batchSummaryMetrics, healthInput, numericRewards, unscoredCount, updateScalars, type BatchOutcome } from './batch-metrics.js';
import { sampleText } from './dataset-rows.js';
import type { TrainerDependencies } from './trainer-dependencies.js';
import type { TrainerState } from './trainer-state.js';

export class StepRecorder {
  private readonly health: HealthCheck;
  private readonly engineMemory: EngineMemoryMetrics | undefined;
  private announcedEpoch: number | undefined;
  private readonly startedAt: number;
  /** Where this process's RL phase started, for the ETA (baseline, SFT and earlier sessions do not set the pace). */
  private pace: { startedAt: number; batchesBefore: number } | undefined;

  constructor(
    private readonly deps: TrainerDependencies,
    private readonly state: TrainerState,
    private readonly now: () => number,
  ) {
    this.startedAt = now();
    const { releaseCacheGrowthGB, releaseCacheAboveGB } = deps.settings.healthCheck;
    const memory = releaseCacheGrowthGB === undefined || releaseCacheAboveGB === undefined ? undefined : { growthGB: releaseCacheGrowthGB, cacheGB: releaseCacheAboveGB };
    this.health = new HealthCheck({ baselineReward: state.baselineReward, ...(memory ? { memory } : {}) });
    this.engineMemory = deps.engineMemory && new EngineMemoryMetrics(deps.engineMemory);
  }

  /** The start-of-epoch line, `Epoch i/N`, as the reference system prints it: once, before the epoch's first batch is learned from. */
  announceEpoch(epoch: number): void {
    if (epoch === this.announcedEpoch) return;
    this.announcedEpoch = epoch;
    this.deps.progress?.clear();
    this.deps.logger.info(`Epoch ${epoch}/${this.deps.settings.plan.epochs}`);
  }

  /** The end-of-run summary from the state so far. */
  summary(): RunSummary {
    const elapsed = this.state.runStats.priorSeconds + this.elapsedHere();
    return summarise(this.state.runStats, elapsed, this.state.baselineReward, this.state.lastReward, this.state.evaluations);
  }

  /** Seconds since this process started the run. */
  elapsedHere(): number {
    return this.now() - this.startedAt;
  }

  setBaseline(reward: number | null): void {
    this.health.setBaseline(reward);
  }

  startPace(): void {
    this.pace = { startedAt: this.now(), batchesBefore: this.state.globalBatch };
  }

  /** Run-wide counters of a consumed batch; stops when the teacher scored nothing three batches running. */
  countBatch(outcome: BatchOutcome): void {
    const stats = this.state.runStats;
    const unscored = unscoredCount(outcome);
    stats.samplesScored += outcome.inputs.length - unscored;
    stats.samplesUnscored += unscored;
    stats.generationTokens += outcome.generationTokens;
    stats.generationSeconds += outcome.generationSeconds;
    if (outcome.generationSeconds > 0) stats.generationTokensPerSec.push(outcome.generationTokens / outcome.generationSeconds);
    stats.scoringSeconds += outcome.scored.seconds;
    recordTeacherUsage(stats, outcome.epoch, outcome.scored.usage);
    const rewards = numericRewards(outcome);
    const sum = rewards.reduce((a, b) => a + b, 0);
    stats.trainRewardSum += sum;
    stats.trainRewardCount += rewards.length;
    if (rewards.length) this.state.lastReward = sum / rewards.length;
    accumulateBatch(this.state.epochAccumulator, outcome);
    this.state.unscoredStreak = outcome.inputs.length > 0 && unscored === outcome.inputs.length ? this.state.unscoredStreak + 1 : 0;
    if (this.state.unscoredStreak >= 3) {
      const { teacher } = this.deps;
      throw new TeacherError(`the teacher '${teacher.name}' returned no score for 3 batches in a row`, teacher.name, false, {
        hint: 'check the teacher: API key, model name, network, or the sandbox self-test in the log above',
      });
    }
  }

  /** Everything written about one batch; `stats` is its update's, absent when the batch only accumulated. */
  async record(outcome: BatchOutcome, stats: StepStats | undefined): Promise<void> {
    const { settings, sinks, systemMetrics, teacher } = this.deps;
    // The teacher's own counters (the exec teacher's sandbox runs), in the scalars and the batch row.
    const teacherMetrics = teacher.metrics?.() ?? {};
    const runStats = this.state.runStats;
    const memory = this.engineMemory?.observe();
    const freedBytes = await this.checkHealth(outcome, stats, memory?.sample);
    await sinks.write(outcome.step, {
      ...batchScalars(outcome, runStats),
      ...(stats ? updateScalars(stats, settings.klPenalty, this.state.globalStep, this.summary(), runStats) : {}),
      ...systemMetrics.sample(),
      ...(memory ? engineMemoryScalars(memory, freedBytes) : {}),
      ...teacherMetrics,
    });
    await sinks.writeHistogram(outcome.step, 'Train/Rewards', numericRewards(outcome));
    await sinks.writeHistogram(outcome.step, 'Train/Advantages', outcome.advantages.trainable.map((t) => t.advantage));
    if (settings.sampleTextEverySteps > 0 && outcome.step % settings.sampleTextEverySteps === 0) {
      await sinks.writeText(outcome.step, 'Samples/Completions', sampleText(outcome.scored, outcome.rewards));
    }
    await sinks.writeSummary({
      kind: 'batch',
      epoch: outcome.epoch,
      batch: outcome.index + 1,
      step: outcome.step,
      globalStep: this.state.globalStep,
      timestamp: new Date().toISOString(),
      elapsedSeconds: this.summary().durationSeconds,
      metrics: { ...batchSummaryMetrics(outcome, stats, settings.klPenalty, runStats), ...teacherMetrics },
    });
    this.showProgress(stats);
  }

  /** The epoch's summary line, its `Epoch/*` and `Eval/*` metrics and its `epochs.jsonl` row. */
  async recordEpoch(epoch: number, metrics: Readonly<Record<string, number>>): Promise<void> {
    const { settings, sinks, logger } = this.deps;
    const f = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? value.toFixed(4) : 'n/a');
    this.deps.progress?.clear();
    logger.info(
      `Epoch ${epoch}/${settings.plan.epochs} summary: avg reward ${f(metrics['Epoch/AvgReward'])}, avg loss ${f(metrics['Epoch/AvgLoss'])}, ` +
        `reward variance ${f(metrics['Epoch/RewardVariance'])}` +
        (metrics['Eval/AvgReward'] === undefined ? '' : `, eval reward ${f(metrics['Eval/AvgReward'])}`),
    );
    await sinks.write(this.state.globalBatch, metrics);
    const { globalBatch: step, globalStep } = this.state;
    await sinks.writeSummary({ kind: 'epoch', epoch, step, globalStep, timestamp: new Date().toISOString(), elapsedSeconds: this.summary().durationSeconds, metrics });
  }

  /** Observes the batch, logs the report when due, and releases the engine's cache when asked; resolves to the bytes freed (undefined = no release). */
  private async checkHealth(outcome: BatchOutcome, stats: StepStats | undefined, memory: EngineMemorySample | undefined): Promise<number | undefined> {
    const { settings, healthLog, logger } = this.deps;
    if (!settings.healthCheck.enabled) return undefined;
    const report = this.health.observe({ ...healthInput(outcome, stats), ...(memory ? { engineMemory: memory } : {}) });
    if (outcome.step % settings.healthCheck.intervalBatches !== 0 && report.status === 'OK') return undefined;
    this.deps.progress?.clear();
    (report.status === 'OK' ? logger.info : logger.warn)(report.line);
    let freed: number | undefined;
    if (report.releaseCache && this.engineMemory) {
      const released = await this.engineMemory.release();
      const { after } = released;
      freed = released.freedBytes;
      this.health.cacheReleased(after.activeBytes);
      logger.info(`[HealthCheck] released the engine cache: freed ${(freed / 1024 ** 3).toFixed(2)} GB (engine memory now ${(after.activeBytes / 1024 ** 3).toFixed(2)} GB)`);
    }
    await healthLog.append({ ...report, ...(freed === undefined ? {} : { freedBytes: freed }), timestamp: new Date().toISOString() });
    return freed;
  }

  private showProgress(stats: StepStats | undefined): void {
    const { progress, settings } = this.deps;
    if (!progress) return;
    const summary = this.summary();
    const done = this.state.globalBatch;
    const here = this.pace ? done - this.pace.batchesBefore : 0;
    const etaSeconds = this.pace && here > 0 ? ((this.now() - this.pace.startedAt) / here) * (settings.plan.batches - done) : undefined;
    progress.update({
      step: done,
      totalSteps: settings.plan.batches,
      epoch: this.state.epoch,
      epochs: settings.plan.epochs,
      reward: this.state.lastReward ?? Number.NaN,
      loss: stats?.loss ?? Number.NaN,
      tokensPerSec: summary.generation.averageTokensPerSec,
      elapsedSeconds: summary.durationSeconds,
      ...(etaSeconds === undefined ? {} : { etaSeconds }),
    });
  }
}
